package io.opcamel.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opcamel.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What an answer's headers ask a client to wait, and the backoff when they ask nothing. */
class RetryAfterTest {

    private static final TestClock CLOCK = new TestClock(Instant.parse("2026-11-28T12:00:00Z"));

    @Test
    void readsSecondsDatesAndTheV3ResetInThatOrder() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), RetryAfter.of(Map.of("Retry-After", "7"), CLOCK));
        assertEquals(Optional.of(Duration.ofSeconds(7)), RetryAfter.of(Map.of("retry-after", " 7 "), CLOCK));
        assertEquals(Optional.of(Duration.ofSeconds(90)),
                RetryAfter.of(Map.of("Retry-After", "Sat, 28 Nov 2026 12:01:30 GMT"), CLOCK));
        assertEquals(Optional.of(Duration.ZERO),
                RetryAfter.of(Map.of("Retry-After", "Sat, 28 Nov 2026 11:00:00 GMT"), CLOCK), "a date past is now");
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.of(Map.of("Retry-After", "-5"), CLOCK));
        assertEquals(Optional.of(Duration.ofSeconds(12)), RetryAfter.of(Map.of("RateLimit-Reset", "12"), CLOCK));
        assertEquals(Optional.of(Duration.ofSeconds(3)),
                RetryAfter.of(Map.of("Retry-After", "3", "RateLimit-Reset", "40"), CLOCK), "Retry-After wins");
        assertEquals(Optional.of(Duration.ofSeconds(40)),
                RetryAfter.of(Map.of("Retry-After", "soon", "RateLimit-Reset", "40"), CLOCK), "unreadable: the reset");
        assertEquals(Optional.empty(), RetryAfter.of(Map.of("Retry-After", "soon"), CLOCK));
        assertEquals(Optional.empty(), RetryAfter.of(Map.of(), CLOCK));
        assertEquals(Optional.empty(), RetryAfter.of(null, CLOCK));
    }

    @Test
    void backoffDoublesItsCeilingUpToTheCapAndJittersBelowIt() {
        List<Long> bounds = new ArrayList<>();
        Backoff highest = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(20), bound -> {
            bounds.add(bound);
            return bound;
        });
        for (int retry = 1; retry <= 7; retry++) {
            highest.delay(retry);
        }
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L, 16000L, 20000L, 20000L), bounds);
        assertEquals(Duration.ofSeconds(20), highest.delay(1_000), "no overflow far out");
        Backoff real = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        for (int i = 0; i < 1000; i++) {
            long ms = real.delay(3).toMillis();
            assertEquals(true, ms >= 0 && ms <= 400, "full jitter stays within [0, 400] ms: " + ms);
        }
    }
}
