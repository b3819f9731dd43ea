package io.opcamel.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.TestClock;
import io.opcamel.config.Settings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * A stop ends a feed's wait at once, and the budget tells until when a spent window makes a feed wait: when its
 * oldest place comes free, one period after it was taken (the throttle's rolling window).
 */
class FeedWaitsTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void aStopEndsAWaitOfAnHourAtOnceAndNoWaitBeginsAfterIt() {
        FeedWaits waits = new FeedWaits(Clock.systemUTC());
        Instant inAnHour = Instant.now().plus(Duration.ofHours(1));
        CompletableFuture<Void> poll = CompletableFuture.runAsync(
                () -> waits.waitUntil("demo", "itemusages", inAnHour, "a Retry-After"));
        await().atMost(Duration.ofSeconds(10)).until(() -> waits.of("demo", "itemusages").isPresent());
        assertEquals(Optional.of(new FeedWaits.Wait("a Retry-After", inAnHour)), waits.of("demo", "itemusages"));

        waits.stop();
        // the bound is a correctness one (an hour's wait must not hold the stop), not a speed measure
        CompletionException stopped = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> poll.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join());
        assertInstanceOf(FeedWaits.FeedStoppedException.class, stopped.getCause());
        assertTrue(stopped.getCause().getMessage().contains("feed demo/itemusages stopped while it waited for a "
                + "Retry-After until " + inAnHour), stopped.getCause().getMessage());
        assertEquals(Optional.empty(), waits.of("demo", "itemusages"));
        assertInstanceOf(FeedWaits.FeedStoppedException.class, org.junit.jupiter.api.Assertions.assertThrows(
                RuntimeException.class, () -> waits.waitUntil("demo", "auditevents", inAnHour, "a backoff")));
    }

    /** Places taken (seconds after NOW), then when the next one comes free (seconds after NOW; null: now). */
    record Budget(String name, List<Integer> taken, int askedAt, Integer freeAt) {
    }

    @Test
    void aSpentBudgetSaysWhenItsNextPlaceComesFree() {
        // 3 a minute and 5 an hour, per account
        List<Budget> cases = List.of(
                new Budget("two of three taken: a place now", List.of(0, 1), 2, null),
                new Budget("three in the minute: the oldest comes free a minute after it was taken",
                        List.of(0, 10, 20), 30, 60),
                new Budget("the minute's oldest is past: free now", List.of(0, 10, 20), 61, null),
                new Budget("five in the hour, the minute free: the hour's oldest decides", List.of(0, 100, 200, 300,
                        400), 500, 3600),
                new Budget("a place that came free was taken again: the next oldest", List.of(0, 10, 20, 61), 62, 70));
        for (Budget c : cases) {
            TestClock clock = new TestClock(NOW);
            // per account: the budget's key is the account's name, no token is read
            Map<String, String> p = Map.of("onepassword.events.rate.key", "account",
                    "onepassword.events.rate.minute.requests", "3", "onepassword.events.rate.minute.period", "PT60S",
                    "onepassword.events.rate.hour.requests", "5", "onepassword.events.rate.hour.period", "PT1H");
            Settings settings = new Settings(k -> Optional.ofNullable(p.get(k)));
            EventsRateLimits limits = new EventsRateLimits(settings, new EventsAccounts(settings), clock);
            for (int t : c.taken()) {
                clock.set(NOW.plusSeconds(t));
                limits.spent("demo");
            }
            clock.set(NOW.plusSeconds(c.askedAt()));
            assertEquals(Optional.ofNullable(c.freeAt()).map(NOW::plusSeconds), limits.placeFreeAt("demo"), c.name());
        }
    }
}
