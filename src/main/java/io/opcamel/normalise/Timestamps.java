package io.opcamel.normalise;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * 1Password's RFC 3339 times (any fractional precision from none to nanoseconds, Z or an offset) as the normalised
 * schemas write them: UTC, truncated to the millisecond, never rounded (reference normalise/README.md, section 9).
 */
public final class Timestamps {

    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** The instant of a textual RFC 3339 time; empty when absent, not text, or not a time. */
    public static Optional<Instant> parse(JsonNode time) {
        if (time == null || !time.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(time.asText()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** ECS's {@code @timestamp}: {@code 2022-10-24T21:16:52.827Z}, always three fractional digits. */
    public static String utcMillis(Instant instant) {
        return MILLIS.format(instant);
    }

    /** OCSF's {@code timestamp_t}: milliseconds since the epoch, truncated. */
    public static long epochMillis(Instant instant) {
        return instant.toEpochMilli();
    }
}
