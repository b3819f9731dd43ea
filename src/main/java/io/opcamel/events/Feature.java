package io.opcamel.events;

import io.opcamel.config.InvalidConfigException;
import java.util.Arrays;
import java.util.Locale;

/** The Events API feeds. The name is the API's path segment, the property key, the route id part and the topic suffix. */
public enum Feature {
    signinattempts, itemusages, auditevents;

    public static Feature parse(String property, String value) {
        try {
            return valueOf(value.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(property, "names an unknown feature '" + value + "': expected one of "
                    + Arrays.toString(values()));
        }
    }
}
