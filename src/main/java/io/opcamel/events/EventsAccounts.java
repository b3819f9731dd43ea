package io.opcamel.events;

import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.Secrets;
import io.opcamel.config.Settings;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * The accounts listed in {@code onepassword.events.accounts}, each read and checked at start: a bad value stops
 * the bundle with the property named, and a feed the token may not read is refused before any request is made.
 */
public final class EventsAccounts {

    public static final String PREFIX = "onepassword.events.";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    /** Names that are bundle-wide knobs, so they cannot be account names. */
    private static final Set<String> RESERVED = Set.of("accounts", "features", "cron", "limit", "start-window",
            "api-version", "cursor", "rate", "dedupe", "sink", "feed-routes");

    private final Map<String, EventsAccount> accounts = new LinkedHashMap<>();

    public EventsAccounts(Settings settings) {
        for (String name : Settings.list(settings.optional(PREFIX + "accounts").orElse(""))) {
            if (!NAME.matcher(name).matches() || RESERVED.contains(name)) {
                throw new InvalidConfigException(PREFIX + "accounts", "has an invalid account name '" + name
                        + "': use lower-case letters, digits and dashes, and none of " + RESERVED);
            }
            if (accounts.containsKey(name)) {
                throw new InvalidConfigException(PREFIX + "accounts", "lists '" + name + "' twice");
            }
            accounts.put(name, read(settings, name));
        }
    }

    private static EventsAccount read(Settings s, String name) {
        String p = PREFIX + name + ".";
        String tokenKey = p + "token";
        String token = Secrets.read(s, tokenKey);
        EventsToken claims = EventsToken.parse(token, tokenKey);

        String host = s.optional(p + "host").map(h -> h.endsWith("/") ? h.substring(0, h.length() - 1) : h)
                .or(claims::host)
                .orElseThrow(() -> new InvalidConfigException(p + "host", "is not set and the token names no "
                        + "audience to derive it from"));

        String featuresKey = s.keyInForce(p + "features", PREFIX + "features");
        List<Feature> features = new ArrayList<>();
        for (String f : Settings.list(s.required(featuresKey))) {
            Feature feature = Feature.parse(featuresKey, f);
            if (!claims.features().contains(feature.name())) {
                throw new InvalidConfigException(featuresKey, "asks account '" + name + "' for feature " + feature
                        + ", but its token (" + tokenKey + ") may only read " + claims.features()
                        + ": issue a token with " + feature + " or remove it from the list");
            }
            if (!features.contains(feature)) {
                features.add(feature);
            }
        }

        String cronKey = s.keyInForce(p + "cron", PREFIX + "cron");
        String cron = s.required(cronKey);
        if (!CronExpression.isValidExpression(cron)) {
            throw new InvalidConfigException(cronKey, "is not a valid Quartz cron expression: '" + cron
                    + "' (six or seven fields, e.g. '0/30 * * * * ?')");
        }
        String limitKey = s.keyInForce(p + "limit", PREFIX + "limit");
        int limit = s.integer(limitKey, s.required(limitKey), 1, 1000);

        Optional<Instant> startTime = s.optional(p + "start-time").map(t -> {
            try {
                return OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException e) {
                throw new InvalidConfigException(p + "start-time", "must be an RFC 3339 time such as "
                        + "2026-01-01T00:00:00Z, got '" + t + "'");
            }
        });
        String windowKey = s.keyInForce(p + "start-window", PREFIX + "start-window");
        var window = s.duration(windowKey, s.required(windowKey));

        String versionKey = s.keyInForce(p + "api-version", PREFIX + "api-version");
        String version = s.required(versionKey);
        if (!List.of("v1", "v2", "v3").contains(version)) {
            throw new InvalidConfigException(versionKey, "must be v1, v2 or v3 (audit events from the v3 beta), got '"
                    + version + "'");
        }
        return new EventsAccount(name, token, host, List.copyOf(features), cron, limit, startTime, window, version);
    }

    public Collection<EventsAccount> all() {
        return accounts.values();
    }

    public EventsAccount get(String name) {
        EventsAccount a = accounts.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no events account named '" + name + "' in " + PREFIX + "accounts");
        }
        return a;
    }

    /** The Authorization header value for the account's calls (a secret: set on the request, never logged). */
    public String authorization(String account) {
        return "Bearer " + get(account).token();
    }

}
