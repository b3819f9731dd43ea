package io.opcamel.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says how far a feed that is catching up has got, so a long backfill never looks hung. A catch-up is a poll whose
 * pages keep saying has_more; while it lasts, a line every {@code onepassword.events.progress-interval} gives the
 * newest delivered event's time, how much of the way from the feed's start (its ResetCursor's start_time, or the
 * account's start-time; else its first event) to now it has covered, and the rate; one more line says when it caught
 * up. A line is due whether or not a page came ({@link #tick}, every second): a feed that waits says what for (its
 * budget, a Retry-After, a backoff) and until when.
 */
public final class BackfillProgress {

    private static final Logger LOG = LoggerFactory.getLogger("io.opcamel.events");

    private final Clock clock;
    private final Duration interval;
    private final Consumer<String> out;
    /** What a feed waits for now (account, feature): FeedWaits.of. */
    private final BiFunction<String, String, Optional<FeedWaits.Wait>> waiting;
    private final Map<String, CatchUp> catchUps = new ConcurrentHashMap<>();
    /** Per feed: where its events are read from, by the last page request that said (a ResetCursor, start-time). */
    private final Map<String, Instant> starts = new ConcurrentHashMap<>();

    public BackfillProgress(Clock clock, Duration interval, FeedWaits waits) {
        this(clock, interval, waits::of, LOG::info);
    }

    BackfillProgress(Clock clock, Duration interval, BiFunction<String, String, Optional<FeedWaits.Wait>> waiting,
            Consumer<String> out) {
        this.clock = clock;
        this.interval = interval;
        this.waiting = waiting;
        this.out = out;
    }

    /** Called with each page request: a catch-up that begins counts from the request's start time, if it has one. */
    public void startsFrom(PageRequest request, String account, String feature) {
        String feed = account + "/" + feature;
        if (request.startTime() != null && !catchUps.containsKey(feed)) {
            starts.put(feed, request.startTime());
        }
    }

    /** Called after each delivered page of the feed. */
    public synchronized void pageDelivered(EventPage page, String account, String feature) {
        String feed = account + "/" + feature;
        Instant now = clock.instant();
        Instant newest = EventTimes.newest(page).orElse(null);
        CatchUp c = catchUps.get(feed);
        if (c == null) {
            if (!page.hasMore()) {
                return; // a poll that fits in one page is not a catch-up
            }
            c = new CatchUp(account, feature, now,
                    Optional.ofNullable(starts.get(feed)).or(() -> EventTimes.oldest(page)).orElse(newest));
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
        sayIfDue(c, now, false);
    }

    /** Every second (route tell-how-far-catch-ups-have-got): the line of each catch-up no page let speak in time. */
    public synchronized void tick() {
        Instant now = clock.instant();
        catchUps.values().forEach(c -> sayIfDue(c, now, true));
    }

    private void sayIfDue(CatchUp c, Instant now, boolean betweenPages) {
        if (c.lastSaid != null && now.isBefore(c.lastSaid.plus(interval))) {
            return;
        }
        String wait = !betweenPages ? "" : waiting.apply(c.account, c.feature)
                .map(w -> "; waiting for " + w.what() + (w.until() == null ? "" : " until " + w.until()))
                .orElse("");
        out.accept(String.format("feed %s/%s catching up: at %s, %s behind, %s of the way from %s; "
                        + "%,d events so far, %s events/s%s", c.account, c.feature, c.newest == null ? "?" : c.newest,
                c.newest == null ? "?" : human(Duration.between(c.newest, now)), percent(c, now),
                c.from == null ? "?" : c.from, c.events, rate(c.events, c.started, now), wait));
        c.lastSaid = now;
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
        final String account;
        final String feature;
        final Instant started;
        Instant from;
        Instant newest;
        Instant lastSaid;
        long events;

        CatchUp(String account, String feature, Instant started, Instant from) {
            this.account = account;
            this.feature = feature;
            this.started = started;
            this.from = from;
        }
    }
}
