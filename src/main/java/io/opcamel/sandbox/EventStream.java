package io.opcamel.sandbox;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The generated events of one account and feature, as a pure function of the index: event {@code i} happens at
 * {@code origin + i * period}, truncated to the feature's timestamp precision. Nothing is stored, so a stream of
 * millions costs no memory, and the same seed gives the same events.
 */
public final class EventStream {

    private final String account;
    private final String feature;
    private final long seed;
    private final Instant origin;
    private final double periodNanos;
    private final long maxEvents;
    private final ChronoUnit precision;

    EventStream(String account, String feature, long seed, Instant origin, double eventsPerSecond, long maxEvents) {
        if (eventsPerSecond <= 0) {
            throw new IllegalArgumentException("property onepassword.sandbox.events.per-second must be > 0, got "
                    + eventsPerSecond);
        }
        this.account = account;
        this.feature = feature;
        this.seed = seed;
        this.origin = origin;
        this.periodNanos = 1e9 / eventsPerSecond;
        this.maxEvents = maxEvents < 0 ? Long.MAX_VALUE : maxEvents;
        // the three precisions the real API was seen sending: whole seconds, milliseconds, nanoseconds
        this.precision = switch (feature) {
            case "signinattempts" -> ChronoUnit.SECONDS;
            case "itemusages" -> ChronoUnit.MILLIS;
            default -> ChronoUnit.NANOS;
        };
    }

    public String account() {
        return account;
    }

    public String feature() {
        return feature;
    }

    long seed() {
        return seed;
    }

    /** The timestamp of event i: never before that of event i-1. */
    public Instant timestamp(long i) {
        long offset = (long) Math.floor(i * periodNanos);
        return origin.plusNanos(offset).truncatedTo(precision);
    }

    /** The uuid of event i: 26 upper-case base32 characters, unique in the stream. */
    public String uuid(long i) {
        return Ids.of(seed, "event", i);
    }

    /** How many events exist with a timestamp at or before {@code t}. */
    public long countUpTo(Instant t) {
        return firstIndexWhere(i -> timestamp(i).isAfter(t));
    }

    /** The index of the first event at or after {@code t}. */
    public long firstAtOrAfter(Instant t) {
        return firstIndexWhere(i -> !timestamp(i).isBefore(t));
    }

    /** The events visible now: those that already happened, up to the configured maximum. */
    public long visible(Instant now) {
        return Math.min(maxEvents, countUpTo(now));
    }

    private long firstIndexWhere(java.util.function.LongPredicate p) {
        // timestamps are monotonic, so the predicate flips once: binary search over [0, hi]
        // (returns the cap when it never flips)
        long lo = 0;
        long hi = Math.min(maxEvents, 1L << 40);
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (p.test(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
