package io.opcamel.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says how far a feed that is catching up has got, so a long backfill never looks hung. A catch-up is a poll whose
 * pages keep saying has_more; while it lasts, a line every {@code onepassword.events.progress-interval} gives the
 * newest delivered event's time, how much of the way from where the catch-up began to now it has covered, and the
 * rate; one more line says when it caught up.
 */
public final class BackfillProgress {

    private static final Logger LOG = LoggerFactory.getLogger("io.opcamel.events");

    private final Clock clock;
    private final Duration interval;
    private final Consumer<String> out;
    private final Map<String, CatchUp> catchUps = new ConcurrentHashMap<>();

    public BackfillProgress(Clock clock, Duration interval) {
        this(clock, interval, LOG::info);
    }

    BackfillProgress(Clock clock, Duration interval, Consumer<String> out) {
        this.clock = clock;
        this.interval = interval;
        this.out = out;
    }

    /** Called after each delivered page of the feed. */
    public void pageDelivered(EventPage page, String account, String feature) {
        String feed = account + "/" + feature;
        Instant now = clock.instant();
        Instant newest = EventTimes.newest(page).orElse(null);
        CatchUp c = catchUps.get(feed);
        if (c == null) {
            if (!page.hasMore()) {
                return; // a poll that fits in one page is not a catch-up
            }
            c = new CatchUp(now, newest);
            catchUps.put(feed, c);
        }
        c.events += page.size();
        if (newest != null) {
            c.newest = newest;
            if (c.from == null) {
                c.from = newest;
            }
        }
        if (!page.hasMore()) {
            catchUps.remove(feed);
            out.accept(String.format("feed %s caught up: %,d events in %s (%s events/s), newest event %s", feed,
                    c.events, human(Duration.between(c.started, now)), rate(c.events, c.started, now),
                    c.newest == null ? "none" : c.newest));
            return;
        }
        if (c.lastSaid == null || !now.isBefore(c.lastSaid.plus(interval))) {
            out.accept(String.format("feed %s catching up: at %s, %s behind, %s of the way from %s; "
                            + "%,d events so far, %s events/s", feed, c.newest == null ? "?" : c.newest,
                    c.newest == null ? "?" : human(Duration.between(c.newest, now)), percent(c, now),
                    c.from == null ? "?" : c.from, c.events, rate(c.events, c.started, now)));
            c.lastSaid = now;
        }
    }

    private static String percent(CatchUp c, Instant now) {
        if (c.from == null || c.newest == null || !now.isAfter(c.from)) {
            return "?%";
        }
        double p = 100.0 * Duration.between(c.from, c.newest).toMillis() / Duration.between(c.from, now).toMillis();
        return String.format("%.1f%%", Math.max(0, Math.min(100, p)));
    }

    private static String rate(long events, Instant from, Instant to) {
        long ms = Duration.between(from, to).toMillis();
        return ms <= 0 ? "-" : String.format("%,.0f", events * 1000.0 / ms);
    }

    /** 3d 4h, 5h 12m, 7m 3s, 12s: the two largest units, enough to read at a glance. */
    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s >= 86_400) {
            return s / 86_400 + "d " + (s % 86_400) / 3600 + "h";
        }
        if (s >= 3600) {
            return s / 3600 + "h " + (s % 3600) / 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s + "s";
    }

    private static final class CatchUp {
        final Instant started;
        Instant from;
        Instant newest;
        Instant lastSaid;
        long events;

        CatchUp(Instant started, Instant newest) {
            this.started = started;
            this.from = newest;
        }
    }
}
