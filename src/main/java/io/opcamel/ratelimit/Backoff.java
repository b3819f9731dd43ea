package io.opcamel.ratelimit;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: retry n waits a random time between 0 and base x 2^(n-1), at most cap, so
 * clients that failed together do not come back together.
 */
public final class Backoff {

    private final Duration base;
    private final Duration cap;
    /** Given an inclusive bound in milliseconds, a wait between 0 and it. */
    private final LongUnaryOperator jitter;

    public Backoff(Duration base, Duration cap) {
        this(base, cap, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    public Backoff(Duration base, Duration cap, LongUnaryOperator jitter) {
        this.base = base;
        this.cap = cap;
        this.jitter = jitter;
    }

    /** The wait before retry number {@code retry} (1 for the first). */
    public Duration delay(int retry) {
        long ceiling = base.toMillis() << Math.min(Math.max(retry, 1) - 1, 30);
        long bound = Math.min(cap.toMillis(), ceiling <= 0 ? Long.MAX_VALUE : ceiling);
        return Duration.ofMillis(jitter.applyAsLong(bound));
    }

    @Override
    public String toString() {
        return "full jitter up to " + base + " x 2^(retry-1), at most " + cap;
    }
}
