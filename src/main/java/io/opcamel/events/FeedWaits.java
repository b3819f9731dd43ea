package io.opcamel.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a feed's poll waits (for a place in its budget, a Retry-After, a backoff), so that a stop ends every wait at
 * once and the progress line can say why a feed is quiet and until when. Each wait is on a monitor that
 * {@link #stop()} wakes; the poll then ends with {@link FeedStoppedException}: nothing of it was sent, the saved
 * cursor stands.
 */
public final class FeedWaits {

    private final Clock clock;
    /** Per feed (account/feature): the wait its poll is in. */
    private final Map<String, Wait> waits = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /** A feed's wait: what for, and until when. */
    public record Wait(String what, Instant until) {
    }

    public FeedWaits(Clock clock) {
        this.clock = clock;
    }

    /**
     * Waits until {@code until} ({@code what} says why, for the progress line), or ends the poll at once with
     * {@link FeedStoppedException} when the bundle stops meanwhile.
     */
    public void waitUntil(String account, String feature, Instant until, String what) {
        String feed = account + "/" + feature;
        synchronized (this) {
            waits.put(feed, new Wait(what, until));
            try {
                for (Duration left = Duration.between(clock.instant(), until); !stopping && left.toMillis() > 0;
                        left = Duration.between(clock.instant(), until)) {
                    wait(left.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FeedStoppedException(feed, "while it waited for " + what + " (interrupted)");
            } finally {
                waits.remove(feed);
            }
            if (stopping) {
                throw new FeedStoppedException(feed, "while it waited for " + what + " until " + until);
            }
        }
    }

    /** The bundle (re)starts: waits are waited out again. */
    public void start() {
        stopping = false;
    }

    /** The bundle is stopping: every wait ends now, and none begins. */
    public synchronized void stop() {
        stopping = true;
        notifyAll();
    }

    public boolean stopping() {
        return stopping;
    }

    /** What the feed's poll waits for now, if it waits. */
    public Optional<Wait> of(String account, String feature) {
        return Optional.ofNullable(waits.get(account + "/" + feature));
    }

    /** A poll that ended because the bundle stopped while it waited: nothing of it was in flight. */
    public static final class FeedStoppedException extends RuntimeException {
        FeedStoppedException(String feed, String when) {
            super("feed " + feed + " stopped " + when);
        }
    }
}
