package io.opcamel.health;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.quartz.CronExpression;

/**
 * When a feed counts as late: once {@code maxMissed} of its polls in a row came and went without a success. The
 * polls are the fire times of the feed's own Quartz cron after its last success (or, before the first success,
 * after its route started: the grace of a feed that has not polled yet), so an irregular cron (business hours, once
 * a night) is measured in its own polls, not in a fixed period. A poll has "gone" when the next one is due: the feed
 * is late from the (maxMissed + 1)-th fire time on, and a poll still running at its own fire time is never counted
 * against the feed.
 */
public final class FeedFreshness {

    private FeedFreshness() {
    }

    /**
     * The time from which the feed is late, or empty when the cron will not fire that often again (then it never is).
     *
     * @param cron      the feed's Quartz cron, in the time zone Quartz runs it in
     * @param since     the last success, or the route's start when there was none since
     * @param maxMissed polls in a row that may go without a success, at least 1
     */
    public static Optional<Instant> lateFrom(CronExpression cron, Instant since, int maxMissed) {
        if (maxMissed < 1) {
            throw new IllegalArgumentException("maxMissed must be at least 1, got " + maxMissed);
        }
        Date t = Date.from(since);
        synchronized (cron) { // CronExpression keeps no state per call, but Quartz does not promise it is thread-safe
            for (int i = 0; i <= maxMissed && t != null; i++) {
                t = cron.getNextValidTimeAfter(t);
            }
        }
        return Optional.ofNullable(t).map(Date::toInstant);
    }
}
