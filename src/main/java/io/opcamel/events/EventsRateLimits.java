package io.opcamel.events;

import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The Events API request budget as ops set it ({@code onepassword.events.rate.*}), checked at start, and the key
 * the throttles of call-events-api share it by: every feed of one token (or of one account) draws on one budget.
 * The throttles themselves are Camel's throttle EIP in routes/events/events-api.camel.yaml, one per window.
 */
public final class EventsRateLimits {

    public static final String PREFIX = "onepassword.events.rate.";

    private final EventsAccounts accounts;
    private final boolean perToken;
    private final Window minute;
    private final Window hour;

    /** One window: at most {@code requests} requests leave in any {@code period}. */
    public record Window(int requests, Duration period) {
        @Override
        public String toString() {
            return requests + " per " + period.toString().substring(2).toLowerCase();
        }
    }

    public EventsRateLimits(Settings settings, EventsAccounts accounts) {
        this.accounts = accounts;
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

    @Override
    public String toString() {
        return minute + " and " + hour + ", per " + (perToken ? "token" : "account");
    }
}
