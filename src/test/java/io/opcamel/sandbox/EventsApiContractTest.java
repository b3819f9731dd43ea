package io.opcamel.sandbox;

import io.opcamel.TestClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Events API simulator's contract, driven over real HTTP against a sandbox on loopback: the wire format of the
 * reference samples (src/test/resources/sandbox/events, copied from the shared reference folder), the cursor
 * protocol the pollers rely on, authentication, the v3 beta and determinism. The clock is the test's own, so every
 * page is known in advance.
 */
class EventsApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIXTURES = "/sandbox/events/";
    private static final List<String> FEATURES = List.of("signinattempts", "itemusages", "auditevents");
    private static final Set<String> MSP_FIELDS = Set.of("account_uuid", "user_type", "user_account_uuid",
            "actor_type", "actor_account_uuid");
    private static final Pattern BASE32_UUID = Pattern.compile("[A-Z2-7]{26}");
    private static final Pattern RFC3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
    private static final String BAD_REQUEST = "{\"Error\":{\"Message\":\"Bad Request\"}}";
    private static final String UNAUTHORIZED = "{\"Error\":{\"Message\":\"Unauthorized\"}}";

    /** Whole seconds on purpose: the default start (now - 1h) then falls on a second boundary. */
    private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
    /** The backlog spans two hours before NOW. */
    private static final Instant ORIGIN = NOW.minus(Duration.ofHours(2));
    /** Not a divisor of a second: timestamps carry fractions (milli and nano precision show). */
    private static final double EVENTS_PER_SECOND = 0.9;
    private static final TestClock CLOCK = new TestClock(NOW);

    private static Sandbox sandbox;
    private static HttpClient http;
    private static String token;

    @BeforeAll
    static void start() {
        SandboxConfig cfg = config(42);
        cfg.accounts = new LinkedHashMap<>();
        cfg.accounts.put("demo", "us");
        cfg.accounts.put("other", "ca");
        cfg.accounts.put("euco", "eu");
        cfg.accounts.put("entco", "ent");
        cfg.clock = CLOCK;
        sandbox = Sandbox.start(cfg);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
        token = sandbox.issueEventsToken("demo", FEATURES);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void cleanSlate() {
        CLOCK.set(NOW);
        sandbox.reset();
        sandbox.events().clearScripts();
    }

    private static SandboxConfig config(long seed) {
        SandboxConfig cfg = new SandboxConfig();
        cfg.seed = seed;
        cfg.accounts = new LinkedHashMap<>(Map.of("demo", "us"));
        cfg.origin = ORIGIN;
        cfg.eventsPerSecond = EVENTS_PER_SECOND;
        cfg.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return cfg;
    }

    // ------------------------------------------------------------------------------------------------ field sets

    @Test
    void v2ItemsCarryEveryFieldOfTheDocsSample() {
        for (String feature : FEATURES) {
            Set<String> expected = samplePaths(feature);
            if (feature.equals("auditevents")) {
                // the rendered docs example lacks these three; the schema has them
                expected.addAll(List.of("action", "object_type", "actor_type"));
            }
            List<JsonNode> items = items(expectPage(post("/api/v2/" + feature, token, reset(300, ORIGIN))));
            assertEquals(300, items.size(), feature);
            Set<String> seen = new TreeSet<>();
            int withLocation = 0;
            for (JsonNode item : items) {
                seen.addAll(paths(item));
                assertHasPaths(feature, item, expected);
                if (item.has("location")) {
                    withLocation++;
                }
            }
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(seen);
            assertTrue(missing.isEmpty(), feature + " v2 items never carry " + missing);
            assertTrue(withLocation > items.size() / 2, feature + ": location is missing only on some events");
            assertTrue(withLocation < items.size(), feature + ": location is omitted on some events, as in the samples");
        }
    }

    @Test
    void signInDetailsAreNullOnSuccess() {
        List<JsonNode> items = items(expectPage(post("/api/v2/signinattempts", token, reset(300, ORIGIN))));
        int successes = 0;
        int failuresWithDetails = 0;
        for (JsonNode item : items) {
            assertTrue(item.has("details"), "details is always present: " + item);
            if (item.get("category").asText().equals("success")) {
                successes++;
                assertTrue(item.get("details").isNull(), "details is null on a successful sign-in: " + item);
            } else if (item.get("details").isObject()) {
                failuresWithDetails++;
                assertTrue(item.get("details").get("value").isTextual(), item.toString());
            }
        }
        assertTrue(successes > 0);
        assertTrue(failuresWithDetails > 0);
    }

    @Test
    void v1ItemsLackTheMspFieldsAndAreOtherwiseTheV2Items() {
        for (String feature : FEATURES) {
            Set<String> expected = samplePaths(feature);
            if (feature.equals("auditevents")) {
                expected.addAll(List.of("action", "object_type"));
            }
            expected.removeIf(p -> MSP_FIELDS.contains(p.substring(p.lastIndexOf('.') + 1)));
            List<JsonNode> v1 = items(expectPage(post("/api/v1/" + feature, token, reset(200, ORIGIN))));
            List<JsonNode> v2 = items(expectPage(post("/api/v2/" + feature, token, reset(200, ORIGIN))));
            assertEquals(200, v1.size());
            assertEquals(v2.size(), v1.size());
            Set<String> seen = new TreeSet<>();
            for (int i = 0; i < v1.size(); i++) {
                JsonNode item = v1.get(i);
                Set<String> p = paths(item);
                seen.addAll(p);
                for (String path : p) {
                    String leaf = path.substring(path.lastIndexOf('.') + 1);
                    assertFalse(MSP_FIELDS.contains(leaf), feature + " v1 item carries MSP field " + path + ": " + item);
                }
                assertHasPaths(feature, item, expected);
                JsonNode stripped = withoutMspFields(v2.get(i));
                assertEquals(stripped, item, feature + " v1 item " + i + " differs from v2 beyond the MSP fields");
            }
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(seen);
            assertTrue(missing.isEmpty(), feature + " v1 items never carry " + missing);
        }
    }

    // ------------------------------------------------------------------------------------------------ enums

    @Test
    void everyDocumentedEnumValueAppearsAndNoOther() {
        JsonNode enums = resource("enums.json");
        List<JsonNode> signins = items(expectPage(post("/api/v2/signinattempts", token, reset(500, ORIGIN))));
        List<JsonNode> usages = items(expectPage(post("/api/v2/itemusages", token, reset(500, ORIGIN))));
        List<JsonNode> audits = items(expectPage(post("/api/v2/auditevents", token, reset(500, ORIGIN))));
        assertEquals(500, signins.size());
        assertEquals(500, usages.size());
        assertEquals(500, audits.size());

        assertEquals(values(enums, "signinattempts.category"), collect(signins, "category"));
        assertEquals(values(enums, "signinattempts.type"), collect(signins, "type"));
        assertEquals(values(enums, "itemusages.action"), collect(usages, "action"));
        assertEquals(values(enums, "auditevents.action"), collect(audits, "action"));
        assertEquals(values(enums, "auditevents.object_type"), collect(audits, "object_type"));

        Set<String> actorTypes = collect(audits, "actor_type");
        assertTrue(values(enums, "auditevents.actor_type").containsAll(actorTypes), "actor_type " + actorTypes);
        Set<String> userTypes = new TreeSet<>();
        signins.forEach(i -> userTypes.add(i.get("target_user").get("user_type").asText()));
        usages.forEach(i -> userTypes.add(i.get("user").get("user_type").asText()));
        assertTrue(values(enums, "user.user_type").containsAll(userTypes), "user_type " + userTypes);

        // a type only ever comes with the category it belongs to
        Map<String, Set<String>> pairs = categoryTypes();
        assertEquals(values(enums, "signinattempts.category"), pairs.keySet());
        for (JsonNode i : signins) {
            String category = i.get("category").asText();
            String type = i.get("type").asText();
            assertTrue(pairs.get(category).contains(type), "type " + type + " does not belong to category " + category);
        }
    }

    /** Which sign-in types each category can carry (1Password's sign-in attempt reference). */
    private static Map<String, Set<String>> categoryTypes() {
        Set<String> firewall = Set.of("all_blocked", "anonymous_blocked", "continent_blocked", "country_blocked",
                "ip_blocked");
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("success", Set.of("credentials_ok", "mfa_ok", "federated"));
        m.put("credentials_failed", Set.of("password_secret_bad", "platform_secret_bad", "platform_secret_disabled",
                "platform_secret_proxy"));
        m.put("mfa_failed", Set.of("mfa_missing", "totp_bad", "totp_disabled", "totp_timeout", "u2f_bad",
                "u2f_disabled", "u2f_timeout", "duo_bad", "duo_disabled", "duo_native_bad", "duo_timeout", "code_bad",
                "code_disabled", "code_timeout"));
        m.put("sso_failed", Set.of("sso_user_mismatch", "non_sso_user", "service_account_sso_denied"));
        m.put("modern_version_failed", Set.of("modern_version_missing", "modern_version_old"));
        m.put("firewall_failed", firewall);
        m.put("firewall_reported_success", firewall);
        return m;
    }

    // ------------------------------------------------------------------------------------------------ uuids, time

    @Test
    void uuidsAreUpperCaseBase32AndUnique() {
        Set<String> all = new HashSet<>();
        int total = 0;
        for (String feature : FEATURES) {
            EventStream s = sandbox.events().stream("demo", feature);
            long i = 0;
            for (JsonNode page : drain("/api/v2/" + feature, token, reset(1000, ORIGIN))) {
                for (JsonNode item : page.get("items")) {
                    String uuid = item.get("uuid").asText();
                    assertTrue(BASE32_UUID.matcher(uuid).matches(), feature + " uuid " + uuid);
                    assertEquals(s.uuid(i++), uuid, feature + " item " + (i - 1) + " is not the stream's event");
                    all.add(uuid);
                    total++;
                }
            }
            assertEquals(s.visible(NOW), i, feature + ": paging from the origin returns every visible event");
        }
        assertEquals(total, all.size(), "uuids repeat over the served pages");

        // a large range, straight from the generator: no collisions
        EventStream s = sandbox.events().stream("demo", "auditevents");
        Set<String> many = new HashSet<>();
        for (long i = 0; i < 300_000; i++) {
            String u = s.uuid(i);
            if (!many.add(u)) {
                fail("uuid " + u + " of event " + i + " repeats an earlier one");
            }
        }
        assertTrue(BASE32_UUID.matcher(s.uuid(1L << 38)).matches());
    }

    @Test
    void timestampsAscendAcrossPagesWithEachFeaturesPrecision() {
        for (String feature : FEATURES) {
            Instant previous = Instant.MIN;
            int pages = 0;
            int withFraction = 0;
            int withNanos = 0;
            int count = 0;
            for (JsonNode page : drain("/api/v2/" + feature, token, reset(400, ORIGIN))) {
                pages++;
                for (JsonNode item : page.get("items")) {
                    String text = item.get("timestamp").asText();
                    assertTrue(RFC3339.matcher(text).matches(), feature + " timestamp " + text + " is not RFC 3339");
                    Instant t = OffsetDateTime.parse(text).toInstant();
                    assertFalse(t.isBefore(previous), feature + ": " + t + " comes after " + previous);
                    assertFalse(t.isBefore(ORIGIN) || t.isAfter(NOW), feature + ": " + t + " outside the backlog");
                    previous = t;
                    count++;
                    if (t.getNano() != 0) {
                        withFraction++;
                    }
                    switch (feature) {
                        case "signinattempts" -> {
                            assertEquals(0, t.getNano(), "sign-in attempts are whole seconds: " + text);
                            assertFalse(text.contains("."), "no fraction on whole seconds: " + text);
                        }
                        case "itemusages" -> {
                            assertEquals(0, t.getNano() % 1_000_000, "item usages are milliseconds: " + text);
                            assertTrue(text.matches(".*:\\d{2}(\\.\\d{3})?Z"), "milliseconds: " + text);
                        }
                        default -> {
                            if (t.getNano() % 1000 != 0) {
                                withNanos++;
                                assertTrue(text.matches(".*\\.\\d{9}Z"), "nanoseconds: " + text);
                            }
                        }
                    }
                }
            }
            assertTrue(pages >= 10, feature + " spans several pages: " + pages);
            assertEquals(sandbox.events().stream("demo", feature).visible(NOW), count);
            if (!feature.equals("signinattempts")) {
                assertTrue(withFraction > count / 2, feature + " carries sub-second precision");
            }
            if (feature.equals("auditevents")) {
                assertTrue(withNanos > count / 2, "audit events carry nanoseconds");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ cursors

    @Test
    void resetCursorPagesToTheEndThenTheSameCursorComesBackEmpty() {
        EventStream s = sandbox.events().stream("demo", "itemusages");
        Instant start = NOW.minus(Duration.ofMinutes(30));
        long first = s.firstAtOrAfter(start);
        long end = s.visible(NOW);
        assertFalse(s.timestamp(first).isBefore(start));
        assertTrue(s.timestamp(first - 1).isBefore(start));
        assertFalse(s.timestamp(end - 1).isAfter(NOW));
        assertTrue(s.timestamp(end).isAfter(NOW));
        int limit = 250;
        long expectedPages = (end - first + limit - 1) / limit;
        assertTrue(expectedPages >= 5);

        List<JsonNode> pages = drain("/api/v2/itemusages", token, reset(limit, start));
        assertEquals(expectedPages, pages.size());
        List<JsonNode> items = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        for (int p = 0; p < pages.size(); p++) {
            JsonNode page = pages.get(p);
            boolean last = p == pages.size() - 1;
            assertEquals(Set.of("cursor", "has_more", "items"), fieldNames(page));
            assertEquals(!last, page.get("has_more").asBoolean(), "has_more on page " + p);
            if (!last) {
                assertEquals(limit, page.get("items").size(), "a page with more after it is full");
            }
            assertTrue(cursors.add(page.get("cursor").asText()), "each page moves the cursor on");
            page.get("items").forEach(items::add);
        }
        assertEquals(end - first, items.size());
        for (int k = 0; k < items.size(); k++) {
            assertEquals(s.uuid(first + k), items.get(k).get("uuid").asText(), "gap or repeat at item " + k);
        }
        assertEquals(parse(sandbox.events().render("demo", "itemusages", first, end, 2)), JSON.valueToTree(items),
                "the pages serve exactly the rendered events");

        // nothing new: the very same cursor, has_more=false, no items (twice: a client may poll it forever)
        String lastCursor = pages.get(pages.size() - 1).get("cursor").asText();
        for (int k = 0; k < 2; k++) {
            JsonNode again = expectPage(post("/api/v2/itemusages", token, cursor(lastCursor)));
            assertEquals(lastCursor, again.get("cursor").asText());
            assertFalse(again.get("has_more").asBoolean());
            assertEquals(0, again.get("items").size());
        }

        // a fixed clock makes the sequence deterministic: the same ResetCursor gives the same first cursor
        JsonNode replay = expectPage(post("/api/v2/itemusages", token, reset(limit, start)));
        assertEquals(pages.get(0).get("cursor").asText(), replay.get("cursor").asText());
    }

    @Test
    void eventsThatAppearLaterComeFromTheSavedCursorWithoutRepeatsOrGaps() {
        EventStream s = sandbox.events().stream("demo", "auditevents");
        Instant start = NOW.minus(Duration.ofMinutes(20));
        List<JsonNode> firstRun = drain("/api/v2/auditevents", token, reset(300, start));
        String saved = firstRun.get(firstRun.size() - 1).get("cursor").asText();
        List<String> uuids = uuids(firstRun);

        CLOCK.advance(Duration.ofMinutes(10).plusMillis(123));
        Instant later = CLOCK.instant();
        long before = s.visible(NOW);
        long after = s.visible(later);
        assertTrue(after - before > 300, "enough new events for more than one page: " + (after - before));

        List<JsonNode> secondRun = drain("/api/v2/auditevents", token, cursor(saved));
        assertTrue(secondRun.get(0).get("has_more").asBoolean());
        uuids.addAll(uuids(secondRun));
        long first = s.firstAtOrAfter(start);
        assertEquals(after - first, uuids.size());
        for (int k = 0; k < uuids.size(); k++) {
            assertEquals(s.uuid(first + k), uuids.get(k), "gap or repeat at item " + k);
        }
        String end = secondRun.get(secondRun.size() - 1).get("cursor").asText();
        JsonNode idle = expectPage(post("/api/v2/auditevents", token, cursor(end)));
        assertEquals(end, idle.get("cursor").asText());
        assertEquals(0, idle.get("items").size());
        assertFalse(idle.get("has_more").asBoolean());
    }

    @Test
    void withoutStartTimeTheCursorStartsOneHourBeforeNow() {
        Instant hourAgo = NOW.minus(Duration.ofHours(1));
        for (String feature : FEATURES) {
            EventStream s = sandbox.events().stream("demo", feature);
            long expected = s.firstAtOrAfter(hourAgo);
            assertTrue(s.timestamp(expected - 1).isBefore(hourAgo), "the stream has events before now-1h");
            assertFalse(s.timestamp(expected).isBefore(hourAgo));
            assertTrue(s.timestamp(0).compareTo(NOW.minus(Duration.ofHours(2))) <= 0, "the backlog spans two hours");
            for (String body : new String[] {"{\"limit\":5}", "{}", ""}) {
                List<JsonNode> items = items(expectPage(post("/api/v2/" + feature, token, body)));
                JsonNode firstItem = items.get(0);
                assertEquals(s.uuid(expected), firstItem.get("uuid").asText(), feature + " with body '" + body + "'");
                Instant t = OffsetDateTime.parse(firstItem.get("timestamp").asText()).toInstant();
                assertFalse(t.isBefore(hourAgo), feature + ": " + t + " is before now-1h");
            }
        }
    }

    @Test
    void endTimeBoundsThePagesAndTheCursorKeepsIt() {
        EventStream s = sandbox.events().stream("demo", "auditevents");
        Instant start = NOW.minus(Duration.ofMinutes(50));
        Instant end = NOW.minus(Duration.ofMinutes(35)).plusMillis(300);
        long first = s.firstAtOrAfter(start);
        long endExclusive = s.countUpTo(end);
        assertFalse(s.timestamp(endExclusive - 1).isAfter(end));
        assertTrue(s.timestamp(endExclusive).isAfter(end));

        List<JsonNode> pages = drain("/api/v2/auditevents", token, reset(100, start, end));
        List<String> uuids = uuids(pages);
        assertEquals(endExclusive - first, uuids.size());
        assertEquals(s.uuid(first), uuids.get(0));
        assertEquals(s.uuid(endExclusive - 1), uuids.get(uuids.size() - 1));
        for (JsonNode page : pages) {
            for (JsonNode item : page.get("items")) {
                Instant t = OffsetDateTime.parse(item.get("timestamp").asText()).toInstant();
                assertFalse(t.isAfter(end), t + " is after end_time " + end);
                assertFalse(t.isBefore(start), t + " is before start_time " + start);
            }
        }
        String last = pages.get(pages.size() - 1).get("cursor").asText();
        CLOCK.advance(Duration.ofHours(1)); // much more exists now, none of it before end_time
        JsonNode idle = expectPage(post("/api/v2/auditevents", token, cursor(last)));
        assertEquals(last, idle.get("cursor").asText());
        assertEquals(0, idle.get("items").size());
        assertFalse(idle.get("has_more").asBoolean());

        // without start_time the cursor starts one hour before end_time
        Instant endMinusHour = end.minus(Duration.ofHours(1));
        long expectedFirst = s.firstAtOrAfter(endMinusHour);
        assertTrue(expectedFirst > 0 && s.timestamp(expectedFirst - 1).isBefore(endMinusHour));
        JsonNode onlyEnd = expectPage(post("/api/v2/auditevents", token,
                "{\"limit\":3,\"end_time\":\"" + end + "\"}"));
        assertEquals(s.uuid(expectedFirst), onlyEnd.get("items").get(0).get("uuid").asText());
    }

    @Test
    void anEndTimeInTheFutureIsReachedAsTimePassesAndNeverPassed() {
        EventStream s = sandbox.events().stream("demo", "signinattempts");
        Instant end = NOW.plus(Duration.ofMinutes(10));
        List<JsonNode> now = drain("/api/v2/signinattempts", token, reset(1000, NOW.minus(Duration.ofMinutes(5)), end));
        List<String> uuids = uuids(now);
        assertEquals(s.visible(NOW) - s.firstAtOrAfter(NOW.minus(Duration.ofMinutes(5))), uuids.size());
        String saved = now.get(now.size() - 1).get("cursor").asText();

        CLOCK.advance(Duration.ofMinutes(30));
        List<JsonNode> later = drain("/api/v2/signinattempts", token, cursor(saved));
        uuids.addAll(uuids(later));
        long first = s.firstAtOrAfter(NOW.minus(Duration.ofMinutes(5)));
        assertEquals(s.countUpTo(end) - first, uuids.size(), "events up to end_time, none after");
        for (int k = 0; k < uuids.size(); k++) {
            assertEquals(s.uuid(first + k), uuids.get(k));
        }
    }

    // ------------------------------------------------------------------------------------------------ limits

    @Test
    void limitIsOneToAThousand() {
        // the 400 body is the one observed from the real API
        assertEquals(resource("errors-sample.json").get("observed_400_body_v1_itemusages"),
                parse(BAD_REQUEST.getBytes(StandardCharsets.UTF_8)));
        JsonNode one = expectPage(post("/api/v2/signinattempts", token, "{\"limit\":1}"));
        assertEquals(1, one.get("items").size());
        assertTrue(one.get("has_more").asBoolean());
        JsonNode thousand = expectPage(post("/api/v2/signinattempts", token, "{\"limit\":1000}"));
        assertEquals(1000, thousand.get("items").size());
        assertTrue(thousand.get("has_more").asBoolean());

        for (String bad : List.of("{\"limit\":0}", "{\"limit\":1001}", "{\"limit\":\"abc\"}", "{\"limit\":-1}",
                "{\"limit\":2.5}", "{\"limit\":100000000000}", "{\"start_time\":\"yesterday\"}",
                "{\"end_time\":12}", "not json", "[1,2]", "\"text\"")) {
            assertError(post("/api/v2/signinattempts", token, bad), 400, BAD_REQUEST);
            assertError(post("/api/v1/itemusages", token, bad), 400, BAD_REQUEST);
        }
    }

    @Test
    void anEmptyBodyIsAResetCursorWithTheDefaultLimit() {
        for (String path : List.of("/api/v2/signinattempts", "/api/v1/auditevents")) {
            JsonNode page = expectPage(post(path, token, ""));
            assertEquals(100, page.get("items").size(), path);
            assertTrue(page.get("has_more").asBoolean(), path);
            JsonNode object = expectPage(post(path, token, "{}"));
            assertEquals(page, object, "an empty body is the same as {}: " + path);
        }
    }

    // ------------------------------------------------------------------------------------------------ auth

    @Test
    void unknownTokensAre401() throws Exception {
        SandboxConfig cfg = config(42); // same seed, same account uuid: only the signing key differs
        String foreign;
        try (Sandbox elsewhere = Sandbox.start(cfg)) {
            foreign = elsewhere.issueEventsToken("demo", FEATURES);
            assertEquals(sandbox.events().accountUuid("demo"), elsewhere.events().accountUuid("demo"));
            assertEquals(200, send(elsewhere, "POST", "/api/v2/signinattempts", "Bearer " + foreign, "{}").statusCode());
        }
        // a genuine token whose claims were widened to every feature after signing
        String narrow = sandbox.issueEventsToken("demo", "itemusages");
        String[] parts = narrow.split("\\.");
        ObjectNode wider = claims(narrow);
        wider.set("1password.com/fts", JSON.valueToTree(FEATURES));
        String widened = parts[0] + "." + b64(wider.toString()) + "." + parts[2];
        List<String> auths = new ArrayList<>();
        auths.add(null);
        auths.add("Bearer garbage");
        auths.add("Bearer " + foreign);
        auths.add("Bearer " + sandbox.bridgeToken());
        auths.add("Basic " + token);
        auths.add("Bearer " + token + "x");
        auths.add("Bearer " + widened);
        for (String auth : auths) {
            for (String path : List.of("/api/v2/signinattempts", "/api/v1/itemusages")) {
                assertError(send(sandbox, "POST", path, auth, "{}"), 401, UNAUTHORIZED);
            }
            assertError(send(sandbox, "GET", "/api/v2/auth/introspect", auth, null), 401, UNAUTHORIZED);
            assertError(send(sandbox, "GET", "/api/auth/introspect", auth, null), 401, UNAUTHORIZED);
            assertError(send(sandbox, "GET", "/api/v3/auditevents", auth, null), 401, UNAUTHORIZED);
        }
    }

    @Test
    void aTokenWithoutTheFeatureIs403() {
        String usagesOnly = sandbox.issueEventsToken("demo", "itemusages");
        assertEquals(200, post("/api/v2/itemusages", usagesOnly, "{}").statusCode());
        assertEquals(200, post("/api/v1/itemusages", usagesOnly, "{}").statusCode());
        for (String path : List.of("/api/v2/signinattempts", "/api/v1/signinattempts", "/api/v2/auditevents",
                "/api/v1/auditevents")) {
            HttpResponse<String> r = post(path, usagesOnly, "{}");
            assertEquals(403, r.statusCode(), path + " -> " + r.body());
            assertTrue(json(r).path("Error").path("Message").isTextual(), r.body());
        }
        assertEquals(403, send(sandbox, "GET", "/api/v3/auditevents", "Bearer " + usagesOnly, null).statusCode());
    }

    @Test
    void introspectDescribesTheToken() {
        JsonNode reference = resource("introspect-sample.json");
        String two = sandbox.issueEventsToken("demo", "signinattempts", "auditevents");

        JsonNode v2 = json(expect(200, send(sandbox, "GET", "/api/v2/auth/introspect", "Bearer " + two, null)));
        Set<String> v2Keys = fieldNames(reference.get("v2_GET_/api/v2/auth/introspect_xsoar_test_data"));
        v2Keys.add("account_uuid");
        assertEquals(v2Keys, fieldNames(v2));
        assertTrue(BASE32_UUID.matcher(v2.get("uuid").asText()).matches(), v2.toString());
        assertEquals(NOW, OffsetDateTime.parse(v2.get("issued_at").asText()).toInstant());
        assertEquals(Set.of("signinattempts", "auditevents"), textSet(v2.get("features")));
        assertEquals(2, v2.get("features").size());
        assertEquals(sandbox.events().accountUuid("demo"), v2.get("account_uuid").asText());
        assertTrue(BASE32_UUID.matcher(v2.get("account_uuid").asText()).matches());

        JsonNode v1 = json(expect(200, send(sandbox, "GET", "/api/auth/introspect", "Bearer " + two, null)));
        assertEquals(fieldNames(reference.get("v1_GET_/api/auth/introspect_shape_from_spec_1.2.0_(deprecated)")),
                fieldNames(v1));
        assertEquals(Set.of("UUID", "IssuedAt", "Features"), fieldNames(v1));
        assertEquals(v2.get("uuid"), v1.get("UUID"));
        assertEquals(v2.get("issued_at"), v1.get("IssuedAt"));
        assertEquals(v2.get("features"), v1.get("Features"));

        // another token, another account: another token uuid and account uuid
        JsonNode other = json(expect(200, send(sandbox, "GET", "/api/v2/auth/introspect",
                "Bearer " + sandbox.issueEventsToken("other", FEATURES), null)));
        assertNotEquals(v2.get("uuid"), other.get("uuid"));
        assertEquals(sandbox.events().accountUuid("other"), other.get("account_uuid").asText());
        assertNotEquals(v2.get("account_uuid"), other.get("account_uuid"));
        assertEquals(Set.copyOf(FEATURES), textSet(other.get("features")));
    }

    @Test
    void introspectIssuedAtIsRfc3339EvenOnAWholeMinute() {
        // NOW is 12:00:00 exactly: a token issued then has seconds == 0
        for (String path : List.of("/api/v2/auth/introspect", "/api/auth/introspect")) {
            JsonNode body = json(expect(200, send(sandbox, "GET", path, "Bearer " + token, null)));
            String issued = body.has("issued_at") ? body.get("issued_at").asText() : body.get("IssuedAt").asText();
            assertTrue(RFC3339.matcher(issued).matches(), path + ": issued_at '" + issued + "' is not RFC 3339");
        }
    }

    // ------------------------------------------------------------------------------------------------ misuse

    @Test
    void aCursorThatIsTamperedWithOrBelongsElsewhereIs400() {
        JsonNode page = expectPage(post("/api/v2/itemusages", token, reset(10, ORIGIN)));
        String c = page.get("cursor").asText();
        assertEquals(200, post("/api/v2/itemusages", token, cursor(c)).statusCode(), "the untouched cursor works");

        List<String> tampered = new ArrayList<>();
        for (int pos : new int[] {1, c.length() / 3, c.length() / 2, (2 * c.length()) / 3}) {
            char old = c.charAt(pos);
            char flip = old == 'A' ? 'B' : 'A';
            tampered.add(c.substring(0, pos) + flip + c.substring(pos + 1));
        }
        tampered.add(c.substring(0, c.length() - 4));
        tampered.add(c + "Q");
        tampered.add("not-a-cursor");
        tampered.add("");
        for (String t : tampered) {
            assertError(post("/api/v2/itemusages", token, cursor(t)), 400, BAD_REQUEST);
        }
        assertError(post("/api/v2/itemusages", token, "{\"cursor\":12345}"), 400, BAD_REQUEST);
        assertError(post("/api/v2/itemusages", token, "{\"cursor\":{\"next\":5}}"), 400, BAD_REQUEST);

        // another feature's cursor
        assertError(post("/api/v2/signinattempts", token, cursor(c)), 400, BAD_REQUEST);
        assertError(post("/api/v2/auditevents", token, cursor(c)), 400, BAD_REQUEST);
        // another account's cursor, with a perfectly good token of that account
        String otherToken = sandbox.issueEventsToken("other", FEATURES);
        assertEquals(200, post("/api/v2/itemusages", otherToken, "{}").statusCode());
        assertError(post("/api/v2/itemusages", otherToken, cursor(c)), 400, BAD_REQUEST);
        // a cursor of another sandbox (another seed signs cursors with another key)
        try (Sandbox elsewhere = Sandbox.start(config(43))) {
            String foreignToken = elsewhere.issueEventsToken("demo", FEATURES);
            assertError(send(elsewhere, "POST", "/api/v2/itemusages", "Bearer " + foreignToken, cursor(c)), 400,
                    BAD_REQUEST);
        }
    }

    // ------------------------------------------------------------------------------------------------ v3

    @Test
    void v3PagesWithNextPageTokenAndReportsItsBudget() {
        EventStream s = sandbox.events().stream("demo", "auditevents");
        Instant start = NOW.minus(Duration.ofMinutes(15));
        long first = s.firstAtOrAfter(start);
        long end = s.visible(NOW);

        HttpResponse<String> r = v3("page_size=200&start_time=" + enc(start.toString()));
        JsonNode page = json(expect(200, r));
        assertEquals(Set.of("audit_events", "meta"), fieldNames(page), "the shape of the 1Password v3 notes");
        assertEquals(Set.of("next_page_token", "has_more"), fieldNames(page.get("meta")));
        assertEquals(200, page.get("audit_events").size());
        assertTrue(page.get("meta").get("has_more").asBoolean());
        int limit = Integer.parseInt(r.headers().firstValue("RateLimit-Limit").orElseThrow());
        int remaining = Integer.parseInt(r.headers().firstValue("RateLimit-Remaining").orElseThrow());
        assertTrue(Long.parseLong(r.headers().firstValue("RateLimit-Reset").orElseThrow()) >= 0);
        assertEquals(600, limit, "the first configured window: 600/60s");
        assertEquals(limit - 1, remaining, "this request used one");

        List<String> uuids = new ArrayList<>();
        page.get("audit_events").forEach(e -> uuids.add(e.get("uuid").asText()));
        assertTrue(page.get("audit_events").get(0).has("account_uuid"), "v3 events are v2-shaped");
        int guard = 0;
        while (page.get("meta").get("has_more").asBoolean()) {
            assertTrue(++guard < 50, "v3 paging never ends");
            r = v3("next_page_token=" + enc(page.get("meta").get("next_page_token").asText()));
            page = json(expect(200, r));
            int nowRemaining = Integer.parseInt(r.headers().firstValue("RateLimit-Remaining").orElseThrow());
            assertEquals(remaining - 1, nowRemaining, "each page uses one request of the budget");
            remaining = nowRemaining;
            page.get("audit_events").forEach(e -> uuids.add(e.get("uuid").asText()));
        }
        assertEquals(end - first, uuids.size());
        for (int k = 0; k < uuids.size(); k++) {
            assertEquals(s.uuid(first + k), uuids.get(k), "gap or repeat at v3 event " + k);
        }
        // the last token answers an empty page while nothing is new
        JsonNode idle = json(expect(200, v3("next_page_token=" + enc(page.get("meta").get("next_page_token").asText()))));
        assertEquals(0, idle.get("audit_events").size());
        assertFalse(idle.get("meta").get("has_more").asBoolean());
    }

    @Test
    void v3RejectsBadParameters() {
        String start = "&start_time=" + enc(NOW.minus(Duration.ofMinutes(5)).toString());
        for (String q : List.of("page_size=1001" + start, "page_size=0" + start, "page_size=abc" + start,
                "start_time=yesterday", "next_page_token=forged")) {
            assertError(v3(q), 400, BAD_REQUEST);
        }
        assertEquals(1, json(expect(200, v3("page_size=1" + start))).get("audit_events").size());
        assertEquals(1000, json(expect(200, v3("page_size=1000&start_time=" + enc(ORIGIN.toString()))))
                .get("audit_events").size());
        assertEquals(405, send(sandbox, "POST", "/api/v3/auditevents", "Bearer " + token, "{}").statusCode());
    }

    @Test
    void v3SendsNoBudgetHeadersWhileTheRateLimitIsOff() {
        sandbox.eventsFaults().setRateLimitEnabled(false);
        try {
            HttpResponse<String> r = expect(200, v3("page_size=5"));
            assertTrue(r.headers().firstValue("RateLimit-Limit").isEmpty());
            assertTrue(r.headers().firstValue("RateLimit-Remaining").isEmpty());
        } finally {
            sandbox.eventsFaults().setRateLimitEnabled(true);
        }
    }

    // ------------------------------------------------------------------------------------------------ determinism

    @Test
    void sameSeedSameOriginSameClockServeByteIdenticalPages() {
        try (Sandbox a = Sandbox.start(config(7)); Sandbox b = Sandbox.start(config(7));
                Sandbox c = Sandbox.start(config(8))) {
            String ta = "Bearer " + a.issueEventsToken("demo", FEATURES);
            String tb = "Bearer " + b.issueEventsToken("demo", FEATURES);
            String tc = "Bearer " + c.issueEventsToken("demo", FEATURES);
            for (String feature : FEATURES) {
                for (String v : List.of("v1", "v2")) {
                    String path = "/api/" + v + "/" + feature;
                    String body = reset(300, ORIGIN.plusSeconds(600));
                    HttpResponse<String> ra = expect(200, send(a, "POST", path, ta, body));
                    HttpResponse<String> rb = expect(200, send(b, "POST", path, tb, body));
                    assertEquals(ra.body(), rb.body(), path + " first page");
                    String next = cursor(json(ra).get("cursor").asText());
                    assertEquals(send(a, "POST", path, ta, next).body(), send(b, "POST", path, tb, next).body(),
                            path + " second page");

                    HttpResponse<String> rc = expect(200, send(c, "POST", path, tc, body));
                    Set<String> seven = new HashSet<>(uuids(List.of(json(ra))));
                    Set<String> eight = new HashSet<>(uuids(List.of(json(rc))));
                    assertEquals(300, seven.size());
                    assertEquals(300, eight.size());
                    seven.retainAll(eight);
                    assertTrue(seven.isEmpty(), path + ": another seed, other uuids");
                }
            }
            String q = "/api/v3/auditevents?page_size=50&start_time=" + enc(ORIGIN.toString());
            assertEquals(expect(200, send(a, "GET", q, ta, null)).body(), expect(200, send(b, "GET", q, tb, null)).body());
            assertNotEquals(a.events().accountUuid("demo"), c.events().accountUuid("demo"));
        }
    }

    // ------------------------------------------------------------------------------------------------ scripted

    @Test
    void aScriptedFeedReplaysTheRecordedExchanges() throws Exception {
        Path file = fixture("signinattempts-sample-elastic-mock-v1.json");
        JsonNode recorded = JSON.readTree(file.toFile()).get("exchanges");
        sandbox.events().script("demo", "signinattempts", ScriptedFeed.fromFile(file));
        try {
            HttpResponse<String> r0 = expect(200, post("/api/v1/signinattempts", token, "{\"limit\":1000}"));
            assertEquals(recorded.get(0).get("response").get("body"), json(r0));
            assertEquals("cursor_0", json(r0).get("cursor").asText());

            HttpResponse<String> r1 = expect(200, post("/api/v1/signinattempts", token, cursor("cursor_0")));
            assertEquals(recorded.get(1).get("response").get("body"), json(r1));
            assertEquals("cursor_1", json(r1).get("cursor").asText());

            for (int k = 0; k < 2; k++) {
                JsonNode r2 = json(expect(200, post("/api/v1/signinattempts", token, cursor("cursor_1"))));
                assertEquals(recorded.get(2).get("response").get("body"), r2);
                assertEquals("cursor_1", r2.get("cursor").asText());
                assertFalse(r2.get("has_more").asBoolean());
                assertEquals(0, r2.get("items").size());
            }
            assertError(post("/api/v1/signinattempts", token, cursor("cursor_9")), 400, BAD_REQUEST);

            // only that account's feature is scripted
            JsonNode generated = expectPage(post("/api/v1/itemusages", token, reset(1, ORIGIN)));
            assertEquals(sandbox.events().stream("demo", "itemusages").uuid(0),
                    generated.get("items").get(0).get("uuid").asText());
            JsonNode otherAccount = expectPage(post("/api/v1/signinattempts",
                    sandbox.issueEventsToken("other", "signinattempts"), reset(1, ORIGIN)));
            assertEquals(sandbox.events().stream("other", "signinattempts").uuid(0),
                    otherAccount.get("items").get(0).get("uuid").asText());
        } finally {
            sandbox.events().clearScripts();
        }
        JsonNode back = expectPage(post("/api/v1/signinattempts", token, reset(1, ORIGIN)));
        assertEquals(sandbox.events().stream("demo", "signinattempts").uuid(0),
                back.get("items").get(0).get("uuid").asText());
    }

    // ------------------------------------------------------------------------------------------------ volume

    @Test
    void twoMillionEventsPageAtAnyOffset() {
        SandboxConfig cfg = config(42);
        cfg.eventsPerSecond = 1000;
        cfg.maxEvents = 2_000_000;
        cfg.origin = NOW.minus(Duration.ofHours(1)); // 3.6M would fit: the maximum caps it
        try (Sandbox big = Sandbox.start(cfg)) {
            String t = "Bearer " + big.issueEventsToken("demo", FEATURES);
            EventStream s = big.events().stream("demo", "auditevents");
            assertEquals(2_000_000, s.visible(NOW));

            // 1000 events a second from the origin: second 1900 starts at event 1,900,000
            JsonNode deep = json(expect(200, send(big, "POST", "/api/v2/auditevents", t,
                    reset(1000, cfg.origin.plusSeconds(1900)))));
            assertEquals(1000, deep.get("items").size());
            assertTrue(deep.get("has_more").asBoolean());
            JsonNode firstDeep = deep.get("items").get(0);
            assertEquals(s.uuid(1_900_000), firstDeep.get("uuid").asText());
            assertEquals(cfg.origin.plusSeconds(1900), OffsetDateTime.parse(firstDeep.get("timestamp").asText()).toInstant());
            assertEquals(s.uuid(1_900_999), deep.get("items").get(999).get("uuid").asText());

            JsonNode next = json(expect(200, send(big, "POST", "/api/v2/auditevents", t,
                    cursor(deep.get("cursor").asText()))));
            assertEquals(s.uuid(1_901_000), next.get("items").get(0).get("uuid").asText());

            // the tail: 500 events left, then the maximum
            JsonNode tail = json(expect(200, send(big, "POST", "/api/v2/auditevents", t,
                    reset(1000, cfg.origin.plusMillis(1_999_500)))));
            assertEquals(500, tail.get("items").size());
            assertFalse(tail.get("has_more").asBoolean());
            assertEquals(s.uuid(1_999_999), tail.get("items").get(499).get("uuid").asText());
            String end = tail.get("cursor").asText();
            JsonNode idle = json(expect(200, send(big, "POST", "/api/v2/auditevents", t, cursor(end))));
            assertEquals(end, idle.get("cursor").asText());
            assertEquals(0, idle.get("items").size());

            // past the maximum: nothing, however far the clock is
            JsonNode beyond = json(expect(200, send(big, "POST", "/api/v2/auditevents", t,
                    reset(10, cfg.origin.plusSeconds(2500)))));
            assertEquals(0, beyond.get("items").size());
            assertFalse(beyond.get("has_more").asBoolean());

            // v3 at the same offset
            JsonNode v3 = json(expect(200, send(big, "GET", "/api/v3/auditevents?page_size=3&start_time="
                    + enc(cfg.origin.plusSeconds(1900).toString()), t, null)));
            assertEquals(s.uuid(1_900_000), v3.get("audit_events").get(0).get("uuid").asText());
        }
    }

    // ------------------------------------------------------------------------------------------------ regions

    @Test
    void tokensNameTheirRegionsEventsHostAndFeatures() {
        Map<String, String> hosts = Map.of("demo", "events.1password.com", "other", "events.1password.ca",
                "euco", "events.1password.eu", "entco", "events.ent.1password.com");
        for (Map.Entry<String, String> e : hosts.entrySet()) {
            List<String> features = List.of("signinattempts", "auditevents");
            String t = sandbox.issueEventsToken(e.getKey(), features);
            String[] parts = t.split("\\.");
            assertEquals(3, parts.length, "a JWT");
            JsonNode header = parse(Base64.getUrlDecoder().decode(parts[0]));
            assertEquals("ES256", header.get("alg").asText());
            JsonNode claims = claims(t);
            JsonNode aud = claims.get("aud");
            assertNotNull(aud, claims.toString());
            Set<String> audiences = aud.isArray() ? textSet(aud) : Set.of(aud.asText());
            assertEquals(Set.of(e.getValue()), audiences, e.getKey());
            List<String> fts = new ArrayList<>();
            claims.get("1password.com/fts").forEach(f -> fts.add(f.asText()));
            assertEquals(features, fts);
            // and the token works, for its own account
            JsonNode intro = json(expect(200, send(sandbox, "GET", "/api/v2/auth/introspect", "Bearer " + t, null)));
            assertEquals(sandbox.events().accountUuid(e.getKey()), intro.get("account_uuid").asText());
        }
        SandboxConfig bad = config(42);
        bad.accounts = Map.of("mars", "mars");
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Sandbox.start(bad).close());
        assertTrue(ex.getMessage().contains("region"), ex.getMessage());
    }

    @Test
    void everyAccountHasItsOwnUuid() {
        SandboxConfig cfg = config(42);
        cfg.accounts = new LinkedHashMap<>();
        cfg.accounts.put("Aa", "us");
        cfg.accounts.put("BB", "us"); // "Aa".hashCode() == "BB".hashCode()
        try (Sandbox s = Sandbox.start(cfg)) {
            assertNotEquals(s.events().accountUuid("Aa"), s.events().accountUuid("BB"));
            String t = "Bearer " + s.issueEventsToken("Aa", FEATURES);
            JsonNode page = json(expect(200, send(s, "POST", "/api/v2/signinattempts", t, reset(1, ORIGIN))));
            assertEquals(s.events().stream("Aa", "signinattempts").uuid(0),
                    page.get("items").get(0).get("uuid").asText(), "a token of Aa reads Aa's events");
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static HttpResponse<String> post(String path, String bearer, String body) {
        return send(sandbox, "POST", path, "Bearer " + bearer, body);
    }

    private static HttpResponse<String> v3(String query) {
        return send(sandbox, "GET", "/api/v3/auditevents?" + query, "Bearer " + token, null);
    }

    private static HttpResponse<String> send(Sandbox sb, String method, String path, String auth, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sb.baseUrl() + path)).timeout(Duration.ofSeconds(30));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), () -> r.request().method() + " " + r.uri() + " -> " + r.body());
        return r;
    }

    private static JsonNode expectPage(HttpResponse<String> r) {
        JsonNode page = json(expect(200, r));
        assertTrue(page.get("cursor").isTextual(), r.body());
        assertTrue(page.get("has_more").isBoolean(), r.body());
        assertTrue(page.get("items").isArray(), r.body());
        return page;
    }

    private static void assertError(HttpResponse<String> r, int status, String body) {
        String where = r.request().method() + " " + r.uri() + " -> " + r.body();
        assertEquals(status, r.statusCode(), where);
        assertEquals(parse(body.getBytes(StandardCharsets.UTF_8)), json(r), where);
    }

    /** Every page from the first request until has_more=false. */
    private static List<JsonNode> drain(String path, String bearer, String firstBody) {
        List<JsonNode> pages = new ArrayList<>();
        JsonNode page = expectPage(post(path, bearer, firstBody));
        pages.add(page);
        while (page.get("has_more").asBoolean()) {
            assertTrue(pages.size() < 200, "paging never ends");
            page = expectPage(post(path, bearer, cursor(page.get("cursor").asText())));
            pages.add(page);
        }
        return pages;
    }

    private static List<JsonNode> items(JsonNode page) {
        List<JsonNode> out = new ArrayList<>();
        page.get("items").forEach(out::add);
        return out;
    }

    private static List<String> uuids(List<JsonNode> pages) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : pages) {
            p.get("items").forEach(i -> out.add(i.get("uuid").asText()));
        }
        return out;
    }

    private static String reset(int limit, Instant start) {
        return "{\"limit\":" + limit + ",\"start_time\":\"" + start + "\"}";
    }

    private static String reset(int limit, Instant start, Instant end) {
        return "{\"limit\":" + limit + ",\"start_time\":\"" + start + "\",\"end_time\":\"" + end + "\"}";
    }

    private static String cursor(String c) {
        return JSON.createObjectNode().put("cursor", c).toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode claims(String jwt) {
        return (ObjectNode) parse(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path fixture(String name) {
        URL url = EventsApiContractTest.class.getResource(FIXTURES + name);
        assertNotNull(url, "fixture " + name + " is on the test classpath");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode resource(String name) {
        try (InputStream in = EventsApiContractTest.class.getResourceAsStream(FIXTURES + name)) {
            assertNotNull(in, "fixture " + name + " is on the test classpath");
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The key paths of the docs v2 sample item of a feature. */
    private static Set<String> samplePaths(String feature) {
        return paths(resource(feature + "-sample-1password-docs-v2.json").get("items").get(0));
    }

    /** Every key path of an object, nested ones as "a.b". */
    private static Set<String> paths(JsonNode node) {
        Set<String> out = new TreeSet<>();
        collectPaths(node, "", out);
        return out;
    }

    private static void collectPaths(JsonNode node, String prefix, Set<String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = prefix + e.getKey();
            out.add(p);
            if (e.getValue().isObject()) {
                collectPaths(e.getValue(), p + ".", out);
            }
        }
    }

    /**
     * Each expected path is in the item, except below a {@code location} the item omits or a {@code details} that
     * is null (both documented).
     */
    private static void assertHasPaths(String feature, JsonNode item, Set<String> expected) {
        for (String p : expected) {
            String[] seg = p.split("\\.");
            if (seg[0].equals("location") && !item.has("location")) {
                continue;
            }
            if (seg[0].equals("details") && seg.length > 1 && item.path("details").isNull()) {
                continue;
            }
            JsonNode n = item;
            for (String s : seg) {
                assertTrue(n.has(s), feature + " item lacks " + p + ": " + item);
                n = n.get(s);
            }
        }
    }

    private static JsonNode withoutMspFields(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove(MSP_FIELDS);
            o.forEach(EventsApiContractTest::strip);
        } else if (node instanceof ArrayNode a) {
            a.forEach(EventsApiContractTest::strip);
        }
    }

    private static Set<String> values(JsonNode enums, String key) {
        return textSet(enums.get(key));
    }

    private static Set<String> textSet(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static Set<String> collect(List<JsonNode> items, String field) {
        Set<String> out = new TreeSet<>();
        items.forEach(i -> out.add(i.get(field).asText()));
        return out;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> out = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return new TreeSet<>(out);
    }
}
