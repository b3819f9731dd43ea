package io.opcamel.sandbox;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Events API, faithful to the reference samples: POST /api/v1|v2/{feature} with a ResetCursor or a cursor,
 * GET /api/v2/auth/introspect (and the v1 /api/auth/introspect), GET /api/v3/auditevents (beta). Errors use the
 * observed body {"Error":{"Message":...}}.
 */
public final class EventsApi implements SandboxApi {

    public static final List<String> FEATURES = List.of("signinattempts", "itemusages", "auditevents");
    /** Region to Events API host, which is also the token's audience. */
    public static final Map<String, String> REGION_HOSTS = Map.of("us", "events.1password.com", "ca",
            "events.1password.ca", "eu", "events.1password.eu", "ent", "events.ent.1password.com");

    static final String CLAIM_ACCOUNT = "1password.com/auuid";
    static final String CLAIM_FEATURES = "1password.com/fts";
    static final String CLAIM_TOKEN = "1password.com/token";

    private static final int MAX_LIMIT = 1000;
    private static final int DEFAULT_LIMIT = 100;
    private static final Duration RETENTION = Duration.ofDays(120);
    private static final Instant V3_DATA_START = Instant.parse("2025-12-01T00:00:00Z");
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Account(String name, String uuid, String host, EventGenerator generator) {
    }

    private record TokenInfo(String uuid, Account account, Set<String> features, Instant issuedAt) {
    }

    private final SandboxConfig config;
    private final Faults faults;
    private final Tokens tokens;
    private final byte[] cursorKey;
    private final Instant origin;
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final Map<String, Account> accountsByUuid = new LinkedHashMap<>();
    private final Map<String, TokenInfo> verified = new ConcurrentHashMap<>();
    private final Map<String, EventStream> streams = new ConcurrentHashMap<>();
    private final Map<String, ScriptedFeed> scripts = new ConcurrentHashMap<>();
    private final AtomicLong tokensIssued = new AtomicLong();

    public EventsApi(SandboxConfig config, Faults faults, Tokens tokens) {
        this.config = config;
        this.faults = faults;
        this.tokens = tokens;
        this.cursorKey = Ids.of(config.seed, "cursor-key", 0).getBytes(StandardCharsets.US_ASCII);
        this.origin = config.origin != null ? config.origin : EventsOrigin.of(config.stateDir, config.seed,
                config.clock.instant().minusNanos((long) (config.backlog * 1e9 / config.eventsPerSecond)));
        config.accounts.forEach((name, region) -> {
            String host = REGION_HOSTS.get(region);
            if (host == null) {
                throw new IllegalArgumentException("property onepassword.sandbox.account." + name
                        + ".region must be one of " + REGION_HOSTS.keySet() + ", got '" + region + "'");
            }
            String uuid = Ids.of(Ids.hash(config.seed, "account", name), "account", 0);
            Account a = new Account(name, uuid, host, new EventGenerator(config.seed, uuid));
            accounts.put(name, a);
            accountsByUuid.put(uuid, a);
        });
    }

    /** A signed token for the account, allowed to read the given features. */
    public String issueToken(String account, Collection<String> features) {
        Account a = account(account);
        for (String f : features) {
            if (!FEATURES.contains(f)) {
                throw new IllegalArgumentException("unknown feature '" + f + "', expected one of " + FEATURES);
            }
        }
        long n = tokensIssued.incrementAndGet();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put(CLAIM_ACCOUNT, a.uuid());
        claims.put(CLAIM_TOKEN, Ids.of(config.seed, "token", n));
        claims.put(CLAIM_FEATURES, List.copyOf(features));
        claims.put("aud", List.of(a.host()));
        claims.put("sub", Ids.of(config.seed, "integration", n));
        claims.put("iat", config.clock.instant().getEpochSecond());
        claims.put("jti", Ids.of(config.seed, "jti", n).toLowerCase());
        return tokens.mint(claims);
    }

    /** The generated stream of an account's feature (tests read expected events from it). */
    public EventStream stream(String account, String feature) {
        Account a = account(account);
        return streams.computeIfAbsent(a.name() + "/" + feature, k -> new EventStream(a.name(), feature,
                Ids.hash(config.seed, a.name(), feature), origin, config.eventsPerSecond, config.maxEvents));
    }

    /** Serves recorded exchanges for this account's feature instead of generated events. */
    public void script(String account, String feature, ScriptedFeed feed) {
        scripts.put(account(account).name() + "/" + feature, feed);
    }

    public void clearScripts() {
        scripts.clear();
    }

    /** The account uuid the tokens of this account carry. */
    public String accountUuid(String account) {
        return account(account).uuid();
    }

    /** Writes events [from, to) of a stream exactly as the API serves them (tests compare against this). */
    public byte[] render(String account, String feature, long from, long to, int version) {
        Account a = account(account);
        EventStream s = stream(account, feature);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartArray();
            for (long i = from; i < to; i++) {
                a.generator().write(g, s, i, version);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public Faults faults() {
        return faults;
    }

    @Override
    public String rateLimitKey(SandboxRequest request) {
        TokenInfo t = verify(request.bearerToken());
        if (t == null) {
            return null;
        }
        return faults.getRateLimitKey() == Faults.RateLimitKey.account ? t.account().uuid() : t.uuid();
    }

    @Override
    public boolean carriesCursor(SandboxRequest request) {
        if (request.path().startsWith("/api/v3/")) {
            return request.query().containsKey("next_page_token") || request.query().containsKey("page_token");
        }
        String body = request.bodyText();
        return body.contains("\"cursor\"");
    }

    @Override
    public SandboxResponse error(int status, String message) {
        return SandboxResponse.json(status, "{\"Error\":{\"Message\":\"" + message + "\"}}");
    }

    @Override
    public SandboxResponse handle(SandboxRequest req) {
        TokenInfo token = verify(req.bearerToken());
        if (token == null) {
            return error(401, "Unauthorized");
        }
        String path = req.path().endsWith("/") ? req.path().substring(0, req.path().length() - 1) : req.path();
        if (path.equals("/api/v2/auth/introspect") || path.equals("/api/auth/introspect")) {
            return req.method().equals("GET") ? introspect(token, path.startsWith("/api/v2")) : error(405, "Method Not Allowed");
        }
        if (path.equals("/api/v3/auditevents")) {
            if (!req.method().equals("GET")) {
                return error(405, "Method Not Allowed");
            }
            if (!token.features().contains("auditevents")) {
                return error(403, "Forbidden");
            }
            ScriptedFeed script = scripts.get(token.account().name() + "/auditevents");
            // a scripted v3 feed matches next_page_token as the recorded request's cursor
            return script != null ? scripted(script, req.query().get("next_page_token")) : v3(token.account(), req);
        }
        String[] parts = path.split("/");
        // ["", "api", "v1|v2", feature]
        if (parts.length != 4 || !(parts[2].equals("v1") || parts[2].equals("v2")) || !FEATURES.contains(parts[3])) {
            return error(404, "Not Found");
        }
        if (!req.method().equals("POST")) {
            return error(405, "Method Not Allowed");
        }
        String feature = parts[3];
        if (!token.features().contains(feature)) {
            return error(403, "Forbidden");
        }
        ScriptedFeed script = scripts.get(token.account().name() + "/" + feature);
        JsonNode body;
        try {
            body = req.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(req.body());
        } catch (IOException e) {
            return error(400, "Bad Request");
        }
        if (body == null || !body.isObject()) {
            return error(400, "Bad Request");
        }
        if (script != null) {
            JsonNode cursor = body.get("cursor");
            return scripted(script, cursor != null && cursor.isTextual() ? cursor.asText() : null);
        }
        EventCursor cursor = body.hasNonNull("cursor") ? decodeCursor(body.get("cursor"), token.account(), feature)
                : resetCursor(body, token.account(), feature);
        if (cursor == null) {
            return error(400, "Bad Request");
        }
        return SandboxResponse.of(200, SandboxResponse.JSON,
                page(token.account(), cursor, parts[2].equals("v1") ? 1 : 2, false));
    }

    // ------------------------------------------------------------------------------------------------------

    private TokenInfo verify(String jwt) {
        if (jwt == null) {
            return null;
        }
        TokenInfo known = verified.get(jwt);
        if (known != null) {
            return known;
        }
        Map<String, Object> claims = tokens.verify(jwt);
        if (claims == null || !(claims.get(CLAIM_FEATURES) instanceof List<?> fts)) {
            return null;
        }
        Account a = accountsByUuid.get(String.valueOf(claims.get(CLAIM_ACCOUNT)));
        if (a == null) {
            return null;
        }
        Instant iat = Instant.ofEpochSecond(((Number) claims.getOrDefault("iat", 0)).longValue());
        TokenInfo t = new TokenInfo(String.valueOf(claims.get(CLAIM_TOKEN)), a,
                Set.copyOf(fts.stream().map(String::valueOf).toList()), iat);
        verified.put(jwt, t);
        return t;
    }

    private Account account(String name) {
        Account a = accounts.get(name);
        if (a == null) {
            throw new IllegalArgumentException("the sandbox has no account '" + name + "' (property "
                    + SandboxConfig.PREFIX + "accounts lists " + accounts.keySet() + ")");
        }
        return a;
    }

    private SandboxResponse introspect(TokenInfo t, boolean v2) {
        Map<String, Object> body = new LinkedHashMap<>();
        // RFC 3339 always has seconds (OffsetDateTime.toString drops them on a whole minute)
        String issued = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")
                .format(OffsetDateTime.ofInstant(t.issuedAt(), java.time.ZoneOffset.UTC));
        if (v2) {
            body.put("uuid", t.uuid());
            body.put("issued_at", issued);
            body.put("features", FEATURES.stream().filter(t.features()::contains).toList());
            body.put("account_uuid", t.account().uuid());
        } else {
            body.put("UUID", t.uuid());
            body.put("IssuedAt", issued);
            body.put("Features", FEATURES.stream().filter(t.features()::contains).toList());
        }
        try {
            return SandboxResponse.of(200, SandboxResponse.JSON, JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private EventCursor decodeCursor(JsonNode node, Account a, String feature) {
        if (!node.isTextual()) {
            return null;
        }
        EventCursor c = EventCursor.decode(node.asText(), cursorKey);
        return c != null && c.account().equals(a.name()) && c.feature().equals(feature) ? c : null;
    }

    /** A ResetCursor: limit 1..1000 (default 100), start_time (default end or now minus one hour), end_time. */
    private EventCursor resetCursor(JsonNode body, Account a, String feature) {
        int limit = DEFAULT_LIMIT;
        if (body.has("limit")) {
            JsonNode l = body.get("limit");
            if (!l.canConvertToInt() || !l.isIntegralNumber() || l.asInt() < 1 || l.asInt() > MAX_LIMIT) {
                return null;
            }
            limit = l.asInt();
        }
        Instant now = config.clock.instant();
        Instant end = time(body.get("end_time"));
        Instant start = time(body.get("start_time"));
        if (end == INVALID || start == INVALID) {
            return null;
        }
        return cursorFor(a, feature, start, end, limit, now, now.minus(RETENTION));
    }

    private EventCursor cursorFor(Account a, String feature, Instant start, Instant end, int limit, Instant now,
            Instant oldest) {
        Instant from = start != null ? start : (end != null ? end : now).minus(Duration.ofHours(1));
        if (from.isBefore(oldest)) {
            from = oldest;
        }
        EventStream s = stream(a.name(), feature);
        long endExclusive = end == null ? -1 : s.countUpTo(end);
        return new EventCursor(a.name(), feature, s.firstAtOrAfter(from), limit, endExclusive);
    }

    private static final Instant INVALID = Instant.MIN;

    private static Instant time(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            return INVALID;
        }
        try {
            return OffsetDateTime.parse(n.asText()).toInstant();
        } catch (DateTimeParseException e) {
            return INVALID;
        }
    }

    /** One page from the cursor: the cursor comes back unchanged, with has_more=false, when nothing is new. */
    private byte[] page(Account a, EventCursor c, int version, boolean v3) {
        EventStream s = stream(a.name(), c.feature());
        long visible = s.visible(config.clock.instant());
        long bound = c.endExclusive() < 0 ? visible : Math.min(visible, c.endExclusive());
        long from = Math.min(c.next(), Math.max(bound, c.next()));
        long to = Math.max(from, Math.min(bound, from + c.limit()));
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(1 << 20, (to - from) * 900 + 128));
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            String next = c.advancedTo(to).encode(cursorKey);
            if (!v3) {
                g.writeStringField("cursor", next);
                g.writeBooleanField("has_more", to < bound);
                g.writeArrayFieldStart("items");
            } else {
                g.writeArrayFieldStart("audit_events");
            }
            for (long i = from; i < to; i++) {
                a.generator().write(g, s, i, version);
            }
            g.writeEndArray();
            if (v3) {
                g.writeObjectFieldStart("meta");
                g.writeStringField("next_page_token", next);
                g.writeBooleanField("has_more", to < bound);
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private SandboxResponse v3(Account a, SandboxRequest req) {
        Map<String, String> q = req.query();
        String token = q.getOrDefault("next_page_token", q.get("page_token"));
        String size = q.getOrDefault("page_size", q.get("max_page_size"));
        int limit = DEFAULT_LIMIT;
        if (size != null) {
            try {
                limit = Integer.parseInt(size);
            } catch (NumberFormatException e) {
                return error(400, "Bad Request");
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                return error(400, "Bad Request");
            }
        }
        EventCursor c;
        if (token != null && !token.isEmpty()) {
            c = decodeCursor(JSON.getNodeFactory().textNode(token), a, "auditevents");
            if (c != null && size != null) {
                c = new EventCursor(c.account(), c.feature(), c.next(), limit, c.endExclusive());
            }
        } else {
            Instant start = time(q.containsKey("start_time") ? JSON.getNodeFactory().textNode(q.get("start_time")) : null);
            Instant end = time(q.containsKey("end_time") ? JSON.getNodeFactory().textNode(q.get("end_time")) : null);
            if (start == INVALID || end == INVALID) {
                return error(400, "Bad Request");
            }
            Instant now = config.clock.instant();
            Instant oldest = now.minus(RETENTION).isAfter(V3_DATA_START) ? now.minus(RETENTION) : V3_DATA_START;
            c = cursorFor(a, "auditevents", start, end, limit, now, oldest);
        }
        if (c == null) {
            return error(400, "Bad Request");
        }
        return SandboxResponse.of(200, SandboxResponse.JSON, page(a, c, 2, true));
    }

    private SandboxResponse scripted(ScriptedFeed script, String cursor) {
        ScriptedFeed.Exchange ex = script.answer(cursor);
        if (ex == null) {
            return error(400, "Bad Request");
        }
        try {
            return SandboxResponse.of(ex.status(), SandboxResponse.JSON, JSON.writeValueAsBytes(ex.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
