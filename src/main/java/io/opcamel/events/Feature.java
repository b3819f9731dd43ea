package io.opcamel.events;

import io.opcamel.config.InvalidConfigException;
import java.util.Arrays;
import java.util.Locale;

/** The Events API feeds. The name is the API's path segment, the property key, the route id part and the topic suffix. */
public enum Feature {
    signinattempts("signin_attempts"), itemusages("item_usages"), auditevents("audit_events");

    private final String dataset;

    Feature(String dataset) {
        this.dataset = dataset;
    }

    /** Elastic's name of the feed (its 1password package's data streams, ECS event.dataset 1password.&lt;this&gt;). */
    public String dataset() {
        return dataset;
    }

    public static Feature parse(String property, String value) {
        try {
            return valueOf(value.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(property, "names an unknown feature '" + value + "': expected one of "
                    + Arrays.toString(values()));
        }
    }
}
