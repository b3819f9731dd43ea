package io.opcamel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock a test moves by hand (or that steps forward on every reading), so time-dependent behaviour is tested
 * without sleeping.
 */
public final class TestClock extends Clock {

    private final AtomicLong nanos = new AtomicLong();
    private final long stepNanos;

    public TestClock(Instant start) {
        this(start, Duration.ZERO);
    }

    /** A clock that moves {@code step} forward each time it is read. */
    public TestClock(Instant start, Duration step) {
        set(start);
        this.stepNanos = step.toNanos();
    }

    public void set(Instant t) {
        nanos.set(t.getEpochSecond() * 1_000_000_000L + t.getNano());
    }

    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        long n = nanos.addAndGet(stepNanos);
        return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
    }
}
