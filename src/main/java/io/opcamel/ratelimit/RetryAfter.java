package io.opcamel.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * How long an answer asks the client to wait: {@code Retry-After} as delta-seconds or an HTTP date (RFC 9110
 * s10.2.3), else {@code RateLimit-Reset} in seconds (the Events API v3 beta). Header names are case-insensitive.
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    public static Optional<Duration> of(Map<String, String> headers, Clock clock) {
        if (headers == null) {
            return Optional.empty();
        }
        Optional<Duration> retryAfter = header(headers, "Retry-After").flatMap(v -> parse(v, clock));
        return retryAfter.isPresent() ? retryAfter : header(headers, "RateLimit-Reset").flatMap(RetryAfter::seconds);
    }

    private static Optional<Duration> parse(String value, Clock clock) {
        Optional<Duration> seconds = seconds(value);
        if (seconds.isPresent()) {
            return seconds;
        }
        try {
            Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(clock.instant(), at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException unreadable) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).filter(v -> v != null && !v.isBlank()).findFirst();
    }
}
