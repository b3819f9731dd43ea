package io.opcamel.events;

import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Events API request budget as ops set it ({@code onepassword.events.rate.*}), checked at start, and the key
 * the throttles of call-events-api share it by: every feed of one token (or of one account) draws on one budget.
 * The throttles themselves are Camel's throttle EIP in routes/events/events-api.camel.yaml, one per window; this
 * keeps only the times requests got their place ({@link #spent}), to tell until when a spent budget makes a feed
 * wait ({@link #placeFreeAt}), which the throttle does not say.
 */
public final class EventsRateLimits {

    public static final String PREFIX = "onepassword.events.rate.";

    private final EventsAccounts accounts;
    private final boolean perToken;
    private final Window minute;
    private final Window hour;
    private final Clock clock;
    /** Per budget key and window: the times the last requests got their place, oldest first. */
    private final Map<String, Spent[]> spent = new ConcurrentHashMap<>();

    /** One window: at most {@code requests} requests leave in any {@code period}. */
    public record Window(int requests, Duration period) {
        @Override
        public String toString() {
            return requests + " per " + period.toString().substring(2).toLowerCase();
        }
    }

    public EventsRateLimits(Settings settings, EventsAccounts accounts) {
        this(settings, accounts, Clock.systemUTC());
    }

    public EventsRateLimits(Settings settings, EventsAccounts accounts, Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
        String key = settings.required(PREFIX + "key");
        if (!key.equals("token") && !key.equals("account")) {
            throw new InvalidConfigException(PREFIX + "key", "must be token or account, got '" + key + "'");
        }
        this.perToken = key.equals("token");
        this.minute = window(settings, "minute");
        this.hour = window(settings, "hour");
    }

    private static Window window(Settings s, String name) {
        String requestsKey = PREFIX + name + ".requests";
        String periodKey = PREFIX + name + ".period";
        int requests = s.integer(requestsKey, s.required(requestsKey), 1, 10_000_000);
        Duration period = s.duration(periodKey, s.required(periodKey));
        if (period.isNegative() || period.isZero() || period.toMillis() < 1) {
            throw new InvalidConfigException(periodKey, "must be at least a millisecond, got " + period);
        }
        return new Window(requests, period);
    }

    /**
     * Whose budget a request of the account draws on: a fingerprint of its token (so two accounts configured with
     * one token share it, and the token itself is not kept as a map key), or the account's name.
     */
    public String key(String account) {
        if (!perToken) {
            return "account:" + account;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(accounts.get(account).token().getBytes(StandardCharsets.UTF_8));
            return "token:" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The per-minute window. */
    public Window minute() {
        return minute;
    }

    /** A request of the account got its place in both windows now. */
    public void spent(String account) {
        long now = clock.millis();
        for (Spent s : spent.computeIfAbsent(key(account), k -> new Spent[] {new Spent(minute), new Spent(hour)})) {
            s.add(now);
        }
    }

    /**
     * When the next request of the account gets its place, if a window is full now: its oldest place comes free
     * one period after it was taken (the throttle's rolling window). Empty when a place is free now.
     */
    public Optional<Instant> placeFreeAt(String account) {
        Spent[] windows = spent.get(key(account));
        long now = clock.millis();
        long at = 0;
        for (Spent s : windows == null ? new Spent[0] : windows) {
            at = Math.max(at, s.freeAt(now));
        }
        return at > now ? Optional.of(Instant.ofEpochMilli(at)) : Optional.empty();
    }

    /** The times of a window's last {@code requests} places, in a ring. */
    private static final class Spent {
        private final long period;
        private final long[] times;
        private int next;
        private int count;

        Spent(Window w) {
            this.period = w.period().toMillis();
            this.times = new long[w.requests()];
        }

        synchronized void add(long now) {
            times[next] = now;
            next = (next + 1) % times.length;
            count = Math.min(times.length, count + 1);
        }

        /** When a place comes free: now when the window is not full, else its oldest place's time plus the period. */
        synchronized long freeAt(long now) {
            return count < times.length ? now : Math.max(now, times[next] + period);
        }
    }

    @Override
    public String toString() {
        return minute + " and " + hour + ", per " + (perToken ? "token" : "account");
    }
}
