package io.opcamel.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the bundle's properties and fails with a message that names the property. Every key has its default in
 * config/application.properties (the one place defaults live), so a missing key means that file was not loaded.
 */
public final class Settings {

    private final Function<String, Optional<String>> lookup;

    public Settings(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    public Optional<String> optional(String key) {
        return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> new InvalidConfigException(key,
                "is not set (its default lives in config/application.properties: is that file loaded?)"));
    }

    /**
     * Which of two keys is in force: the specific one when set, else the general one (onepassword.events.acme.cron,
     * then onepassword.events.cron). Returned as a key so an error names the property that holds the bad value.
     */
    public String keyInForce(String specific, String general) {
        return optional(specific).isPresent() ? specific : general;
    }

    public int integer(String key, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v < min || v > max) {
                throw new InvalidConfigException(key, "must be between " + min + " and " + max + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(key, "must be a whole number, got '" + value + "'");
        }
    }

    public Duration duration(String key, String value) {
        try {
            return Duration.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidConfigException(key, "must be an ISO-8601 duration such as PT1H or P7D, got '" + value + "'");
        }
    }

    /** A required ISO-8601 duration that must be longer than zero (a timeout, a period, a wait). */
    public Duration positiveDuration(String key) {
        Duration d = duration(key, required(key));
        if (d.isNegative() || d.isZero()) {
            throw new InvalidConfigException(key, "must be longer than zero, got " + d);
        }
        return d;
    }

    /** A required true or false (any case); anything else names the key, rather than quietly meaning false. */
    public boolean bool(String key) {
        String value = required(key).trim();
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new InvalidConfigException(key, "must be true or false, got '" + value + "'");
    }

    /** A required value that must be one of {@code choices} ("must be file or kafka, got ..."). */
    public String oneOf(String key, String... choices) {
        String value = required(key);
        for (String c : choices) {
            if (c.equals(value)) {
                return value;
            }
        }
        String list = choices.length == 1 ? choices[0] : String.join(", ", java.util.Arrays.copyOf(choices,
                choices.length - 1)) + " or " + choices[choices.length - 1];
        throw new InvalidConfigException(key, "must be " + list + ", got '" + value + "'");
    }

    /** A required URL path for an API: a leading slash, no trailing one, such as {@code example}. */
    public String basePath(String key, String example) {
        String path = required(key);
        if (!path.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new InvalidConfigException(key, "must be a path such as " + example + " (a leading slash, no "
                    + "trailing one), got '" + path + "'");
        }
        return path;
    }

    /** A required Kafka topic name: letters, digits, '.', '_' and '-', at most 249, neither "." nor "..". */
    public String kafkaTopic(String key) {
        String topic = required(key);
        if (!topic.matches("[a-zA-Z0-9._-]{1,249}") || topic.equals(".") || topic.equals("..")) {
            throw new InvalidConfigException(key, "must be a Kafka topic name (letters, digits, '.', '_' and '-', at "
                    + "most 249), got '" + topic + "'");
        }
        return topic;
    }

    public static List<String> list(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }
}
