package io.opcamel.sandbox;

import io.opcamel.TestClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's fault switches (rate limits, injected 429/5xx, dropped connections, malformed pages, invalid
 * cursors, latency) and its admin endpoint, over real HTTP. Rate-limit windows move with the test's own clock, so
 * nothing here sleeps.
 */
class SandboxFaultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-03-02T12:00:00Z");
    private static final List<String> DEFAULT_WINDOWS = new SandboxConfig().eventsRateLimits;
    private static final String POLL = "/api/v2/signinattempts";
    private static final String BAD_REQUEST = "{\"Error\":{\"Message\":\"Bad Request\"}}";
    private static final TestClock CLOCK = new TestClock(T0);

    private static Sandbox sandbox;
    private static HttpClient http;
    private static String token;

    @BeforeAll
    static void start() {
        SandboxConfig cfg = new SandboxConfig();
        cfg.accounts = new LinkedHashMap<>();
        cfg.accounts.put("demo", "us");
        cfg.accounts.put("other", "eu");
        cfg.origin = T0.minus(Duration.ofHours(1));
        cfg.eventsPerSecond = 1;
        cfg.eventsRateLimitEnabled = false; // each rate-limit test turns on the window it needs
        cfg.clock = CLOCK;
        sandbox = Sandbox.start(cfg);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
        token = sandbox.issueEventsToken("demo", EventsApi.FEATURES);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void cleanSlate() {
        CLOCK.set(T0);
        sandbox.reset();
        // reset() keeps the rate-limit settings a test changed: put the class's own back
        sandbox.eventsFaults().setRateLimitEnabled(false).setRateLimits(DEFAULT_WINDOWS)
                .setRateLimitKey(Faults.RateLimitKey.token);
        sandbox.bridgeFaults().clear();
    }

    // ------------------------------------------------------------------------------------------------ rate limit

    @Test
    void theSixthRequestInTheWindowIs429WithRetryAfter() {
        sandbox.eventsFaults().setRateLimits(List.of("5/1s")).setRateLimitEnabled(true);
        for (int i = 0; i < 5; i++) {
            expect(200, poll(token));
        }
        HttpResponse<String> refused = poll(token);
        assertEquals(429, refused.statusCode(), refused.body());
        String retryAfter = refused.headers().firstValue("Retry-After").orElse(null);
        assertNotNull(retryAfter, "a 429 says when to retry");
        assertTrue(retryAfter.matches("\\d+"), "Retry-After is whole seconds: " + retryAfter);
        assertTrue(Long.parseLong(retryAfter) >= 1, retryAfter);

        // introspection counts against the same budget
        assertEquals(429, send("GET", "/api/v2/auth/introspect", "Bearer " + token, null).statusCode());
    }

    @Test
    void refusedRequestsAreNotCountedAndTheWindowSlides() {
        sandbox.eventsFaults().setRateLimits(List.of("5/1s")).setRateLimitEnabled(true);
        for (int i = 0; i < 5; i++) {
            expect(200, poll(token));
        }
        CLOCK.advance(Duration.ofMillis(500));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = poll(token);
            assertEquals(429, r.statusCode());
            assertEquals("1", r.headers().firstValue("Retry-After").orElse(null), "500 ms left rounds up to 1 s");
        }
        CLOCK.advance(Duration.ofMillis(499));
        assertEquals(429, poll(token).statusCode(), "one millisecond before the first request leaves the window");
        CLOCK.advance(Duration.ofMillis(1));
        // had the four 429s counted, they would still fill this window
        for (int i = 0; i < 5; i++) {
            expect(200, poll(token));
        }
        assertEquals(429, poll(token).statusCode());
    }

    @Test
    void retryAfterRoundsUpAndRetryingThenSucceeds() {
        sandbox.eventsFaults().setRateLimits(List.of("5/2500ms")).setRateLimitEnabled(true);
        for (int i = 0; i < 5; i++) {
            expect(200, poll(token));
        }
        CLOCK.advance(Duration.ofMillis(100));
        HttpResponse<String> refused = poll(token);
        assertEquals(429, refused.statusCode());
        long seconds = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(3, seconds, "2.4 s to wait: a client told 2 would come back too early");
        CLOCK.advance(Duration.ofSeconds(seconds));
        expect(200, poll(token));
    }

    @Test
    void everyWindowIsEnforced() {
        sandbox.eventsFaults().setRateLimits(List.of("100/1s", "7/1m")).setRateLimitEnabled(true);
        for (int i = 0; i < 7; i++) {
            CLOCK.advance(Duration.ofSeconds(2));
            expect(200, poll(token));
        }
        CLOCK.advance(Duration.ofSeconds(2));
        HttpResponse<String> r = poll(token);
        assertEquals(429, r.statusCode(), "the minute window is full although the second window is not");
        long wait = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(wait > 1 && wait <= 60, "wait until the oldest request leaves the minute: " + wait);
    }

    @Test
    void tokensAreCountedSeparatelyOrPerAccount() {
        String a = sandbox.issueEventsToken("demo", EventsApi.FEATURES);
        String b = sandbox.issueEventsToken("demo", EventsApi.FEATURES);
        String otherAccount = sandbox.issueEventsToken("other", EventsApi.FEATURES);
        sandbox.eventsFaults().setRateLimits(List.of("5/1s")).setRateLimitEnabled(true);

        assertEquals(Faults.RateLimitKey.token, sandbox.eventsFaults().getRateLimitKey());
        for (int i = 0; i < 5; i++) {
            expect(200, poll(a));
        }
        assertEquals(429, poll(a).statusCode());
        for (int i = 0; i < 5; i++) {
            expect(200, poll(b)); // another token of the same account has its own budget
        }
        assertEquals(429, poll(b).statusCode());

        CLOCK.advance(Duration.ofSeconds(5));
        sandbox.eventsFaults().setRateLimitKey(Faults.RateLimitKey.account);
        for (int i = 0; i < 3; i++) {
            expect(200, poll(a));
        }
        for (int i = 0; i < 2; i++) {
            expect(200, poll(b));
        }
        assertEquals(429, poll(a).statusCode(), "a and b share the account's budget");
        assertEquals(429, poll(b).statusCode(), "a and b share the account's budget");
        for (int i = 0; i < 5; i++) {
            expect(200, poll(otherAccount)); // another account is counted apart
        }
    }

    @Test
    void theRequestLogMarksRateLimitedRequests() {
        sandbox.eventsFaults().setRateLimits(List.of("2/1s")).setRateLimitEnabled(true);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(poll(token).statusCode());
        }
        assertEquals(List.of(200, 200, 429, 429, 429), statuses);
        List<LoggedRequest> log = sandbox.requests().all();
        assertEquals(5, log.size());
        for (int i = 0; i < 5; i++) {
            LoggedRequest e = log.get(i);
            assertEquals("events", e.api());
            assertEquals("POST", e.method());
            assertEquals(POLL, e.path());
            assertEquals(statuses.get(i), e.status());
            assertEquals(Tokens.fingerprint(token), e.tokenFingerprint());
            if (e.status() == 429) {
                assertEquals("rate-limit", e.fault());
            } else {
                assertNull(e.fault());
            }
        }
    }

    @Test
    void rateLimitsComeFromTheConfiguration() {
        SandboxConfig cfg = new SandboxConfig();
        TestClock clock = new TestClock(T0);
        cfg.clock = clock;
        cfg.origin = T0.minus(Duration.ofHours(1));
        cfg.eventsRateLimitEnabled = true;
        cfg.eventsRateLimits = List.of("5/1s");
        cfg.eventsRateLimitKey = Faults.RateLimitKey.account;
        try (Sandbox s = Sandbox.start(cfg)) {
            assertTrue(s.eventsFaults().isRateLimitEnabled());
            assertEquals(Faults.RateLimitKey.account, s.eventsFaults().getRateLimitKey());
            String a = s.issueEventsToken("demo", "signinattempts");
            String b = s.issueEventsToken("demo", "signinattempts");
            for (int i = 0; i < 5; i++) {
                expect(200, send(s, "POST", POLL, "Bearer " + (i % 2 == 0 ? a : b), "{\"limit\":1}"));
            }
            HttpResponse<String> r = send(s, "POST", POLL, "Bearer " + b, "{\"limit\":1}");
            assertEquals(429, r.statusCode());
            assertTrue(r.headers().firstValue("Retry-After").isPresent());
            clock.advance(Duration.ofSeconds(1));
            expect(200, send(s, "POST", POLL, "Bearer " + b, "{\"limit\":1}"));
        }
    }

    @Test
    void v3Answers429WithRetryAfterAndItsBudgetHeaders() {
        sandbox.eventsFaults().setRateLimits(List.of("2/10s")).setRateLimitEnabled(true);
        String q = "/api/v3/auditevents?page_size=1";
        HttpResponse<String> first = expect(200, send("GET", q, "Bearer " + token, null));
        assertEquals("2", first.headers().firstValue("RateLimit-Limit").orElse(null));
        assertEquals("1", first.headers().firstValue("RateLimit-Remaining").orElse(null));
        HttpResponse<String> second = expect(200, send("GET", q, "Bearer " + token, null));
        assertEquals("0", second.headers().firstValue("RateLimit-Remaining").orElse(null));
        HttpResponse<String> refused = send("GET", q, "Bearer " + token, null);
        assertEquals(429, refused.statusCode());
        assertEquals("10", refused.headers().firstValue("Retry-After").orElse(null));
        assertEquals("0", refused.headers().firstValue("RateLimit-Remaining").orElse(null));
    }

    // ------------------------------------------------------------------------------------------------ injected 429

    @Test
    void injectedTooManyRequestsThenSuccess() {
        sandbox.eventsFaults().setTooManyRequestsNext(2).setTooManyRequestsRetryAfterSeconds(7);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = poll(token);
            assertEquals(429, r.statusCode());
            assertEquals("7", r.headers().firstValue("Retry-After").orElse(null));
        }
        expect(200, poll(token));
        assertEquals(0, sandbox.eventsFaults().getTooManyRequestsNext());

        sandbox.eventsFaults().setTooManyRequestsNext(1).setTooManyRequestsRetryAfterSeconds(-1);
        HttpResponse<String> bare = poll(token);
        assertEquals(429, bare.statusCode());
        assertTrue(bare.headers().firstValue("Retry-After").isEmpty(), "no Retry-After when told to send none");
        expect(200, poll(token));

        List<LoggedRequest> log = sandbox.requests().all();
        assertEquals(List.of("too-many-requests", "too-many-requests", "-", "too-many-requests", "-"),
                log.stream().map(e -> e.fault() == null ? "-" : e.fault()).toList());
    }

    // ------------------------------------------------------------------------------------------------ 5xx

    @Test
    void serverErrorsNextThenSuccess() {
        sandbox.eventsFaults().setServerErrorNext(3).setServerErrorStatus(503);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = poll(token);
            assertEquals(503, r.statusCode());
            assertTrue(json(r).path("Error").path("Message").isTextual(), r.body());
        }
        expect(200, poll(token));
        assertEquals(3, sandbox.requests().matching(e -> "server-error".equals(e.fault()) && e.status() == 503).size());
    }

    @Test
    void serverErrorRatioOneAlwaysZeroNever() {
        sandbox.eventsFaults().setServerErrorRatio(1.0);
        for (int i = 0; i < 20; i++) {
            int status = poll(token).statusCode();
            assertTrue(status >= 500 && status <= 599, "ratio 1.0 fails every request: " + status);
        }
        sandbox.eventsFaults().setServerErrorRatio(0);
        for (int i = 0; i < 20; i++) {
            expect(200, poll(token));
        }
    }

    // ------------------------------------------------------------------------------------------------ reset

    @Test
    void aDroppedConnectionThenSuccess() {
        sandbox.eventsFaults().setResetNext(1);
        // POST: the client does not silently retry a non-idempotent request, so the drop is seen
        assertThrows(IOException.class, () -> http.send(request(sandbox, "POST", POLL, "Bearer " + token,
                "{\"limit\":1}"), HttpResponse.BodyHandlers.ofString()));
        expect(200, poll(token));
        List<LoggedRequest> log = sandbox.requests().all();
        assertEquals(2, log.size());
        assertEquals("reset", log.get(0).fault());
        assertEquals(POLL, log.get(0).path());
        assertEquals(200, log.get(1).status());
        assertNull(log.get(1).fault());
    }

    // ------------------------------------------------------------------------------------------------ malformed

    @Test
    void aMalformedPageThenAGoodOne() {
        sandbox.eventsFaults().setMalformedNext(1);
        HttpResponse<String> bad = poll(token);
        assertEquals(200, bad.statusCode());
        assertFalse(bad.body().isEmpty());
        assertThrows(JsonProcessingException.class, () -> JSON.readTree(bad.body()), "not JSON: " + bad.body());
        JsonNode good = json(expect(200, poll(token)));
        assertTrue(good.get("items").isArray());
        assertEquals("malformed", sandbox.requests().all().get(0).fault());
        assertEquals(200, sandbox.requests().all().get(0).status());
    }

    // ------------------------------------------------------------------------------------------------ cursor

    @Test
    void anInvalidCursorFaultHitsOnlyARequestWithACursor() throws IOException {
        String c = json(expect(200, poll(token))).get("cursor").asText();
        sandbox.eventsFaults().setInvalidCursorNext(1);
        expect(200, poll(token)); // a ResetCursor: no cursor to refuse
        assertEquals(1, sandbox.eventsFaults().getInvalidCursorNext(), "the ResetCursor did not use the switch up");
        String withCursor = JSON.createObjectNode().put("cursor", c).toString();
        HttpResponse<String> refused = send("POST", POLL, "Bearer " + token, withCursor);
        assertEquals(400, refused.statusCode());
        assertEquals(JSON.readTree(BAD_REQUEST.getBytes(StandardCharsets.UTF_8)).toString(), json(refused).toString());
        expect(200, send("POST", POLL, "Bearer " + token, withCursor));
        assertEquals(1, sandbox.requests().matching(e -> "invalid-cursor".equals(e.fault())).size());
    }

    // ------------------------------------------------------------------------------------------------ latency

    @Test
    void latencyIsAMinimum() {
        sandbox.eventsFaults().setLatencyMillis(300);
        long t = System.nanoTime();
        expect(200, poll(token));
        long ms = (System.nanoTime() - t) / 1_000_000;
        assertTrue(ms >= 300, "took only " + ms + " ms");
    }

    // ------------------------------------------------------------------------------------------------ admin

    @Test
    void adminPutChangesASwitch() {
        HttpResponse<String> put = send("PUT", "/__sandbox/faults/events", null, "{\"serverErrorNext\":1}");
        assertEquals(200, put.statusCode(), put.body());
        assertEquals(1, json(put).get("serverErrorNext").asInt());
        assertEquals(1, sandbox.eventsFaults().getServerErrorNext());
        assertEquals(500, poll(token).statusCode());
        expect(200, poll(token));

        // POST works the same, and a partial body leaves the rest alone
        sandbox.eventsFaults().setLatencyMillis(1);
        expect(200, send("POST", "/__sandbox/faults/events", null, "{\"malformedNext\":1}"));
        assertEquals(1, sandbox.eventsFaults().getMalformedNext());
        assertEquals(1, sandbox.eventsFaults().getLatencyMillis());
    }

    @Test
    void adminGetShowsTheCurrentSwitchesAndTheyRoundTrip() {
        sandbox.eventsFaults().setServerErrorStatus(502).setMalformedRatio(0.25).setTooManyRequestsRetryAfterSeconds(9)
                .setRateLimits(List.of("5/1s")).setRateLimitEnabled(true).setRateLimitKey(Faults.RateLimitKey.account)
                .setInvalidCursorNext(2);
        JsonNode f = json(expect(200, send("GET", "/__sandbox/faults/events", null, null)));
        assertEquals(502, f.get("serverErrorStatus").asInt());
        assertEquals(0.25, f.get("malformedRatio").asDouble());
        assertEquals(9, f.get("tooManyRequestsRetryAfterSeconds").asInt());
        assertTrue(f.get("rateLimitEnabled").asBoolean());
        assertEquals("account", f.get("rateLimitKey").asText());
        assertEquals(2, f.get("invalidCursorNext").asInt());
        assertEquals(0, f.get("serverErrorNext").asInt());
        assertEquals(0.0, f.get("serverErrorRatio").asDouble());
        assertEquals(1, f.get("rateLimits").size());
        assertEquals(new RateWindow(5, 1000), RateWindow.parse(f.get("rateLimits").get(0).asText()));

        // what GET shows, PUT takes back unchanged
        sandbox.eventsFaults().clear();
        sandbox.eventsFaults().setRateLimits(DEFAULT_WINDOWS).setRateLimitEnabled(false)
                .setRateLimitKey(Faults.RateLimitKey.token);
        expect(200, send("PUT", "/__sandbox/faults/events", null, f.toString()));
        assertEquals(f, json(expect(200, send("GET", "/__sandbox/faults/events", null, null))));

        // the SCIM switches are separate
        JsonNode scim = json(expect(200, send("GET", "/__sandbox/faults/scim", null, null)));
        assertEquals(500, scim.get("serverErrorStatus").asInt());
    }

    @Test
    void theScimSwitchesDoNotTouchTheEventsApi() {
        expect(200, send("PUT", "/__sandbox/faults/scim", null, "{\"serverErrorNext\":1}"));
        assertEquals(1, sandbox.bridgeFaults().getServerErrorNext());
        assertEquals(0, sandbox.eventsFaults().getServerErrorNext());
        expect(200, poll(token));
        sandbox.bridgeFaults().clear();
    }

    @Test
    void adminSwitchesTheBridgesUnhealthyAndStaleComponentsAndRefusesOnesItDoesNotHave() {
        JsonNode put = json(expect(200, send("PUT", "/__sandbox/faults/scim", null,
                "{\"unhealthyComponents\":{\"ConfirmationWatcher\":\"Disconnected\"},\"staleComponents\":[\"RedisCache\"]}")));
        assertEquals("Disconnected", put.at("/unhealthyComponents/ConfirmationWatcher").asText());
        assertEquals("[\"RedisCache\"]", put.get("staleComponents").toString());
        JsonNode health = json(expect(200, send("GET", "/health", "Bearer " + sandbox.bridgeToken(), null)));
        assertEquals("Disconnected", health.at("/reports/0/state").asText());
        assertEquals(0, sandbox.eventsFaults().getUnhealthyComponents().size(), "the Events API has no /health");

        // a component the bridge does not report on would switch nothing on: refused, naming the ones it has
        HttpResponse<String> typo = send("PUT", "/__sandbox/faults/scim", null,
                "{\"unhealthyComponents\":{\"Redis\":\"Disconnected\"}}");
        assertEquals(400, typo.statusCode(), typo.body());
        assertTrue(typo.body().contains("RedisCache"), typo.body());
        assertEquals(400, send("PUT", "/__sandbox/faults/scim", null, "{\"staleComponents\":[\"Kafka\"]}")
                .statusCode());
        assertEquals(400, send("PUT", "/__sandbox/faults/scim", null,
                "{\"unhealthyComponents\":{\"SCIMServer\":\" \"}}").statusCode(), "a state is needed");

        expect(200, send("POST", "/__sandbox/reset", null, null));
        JsonNode cleared = json(expect(200, send("GET", "/__sandbox/faults/scim", null, null)));
        assertEquals(0, cleared.get("unhealthyComponents").size());
        assertEquals(0, cleared.get("staleComponents").size());
    }

    @Test
    void adminResetClearsSwitchesAndTheLog() {
        expect(200, send("PUT", "/__sandbox/faults/events", null,
                "{\"serverErrorNext\":5,\"malformedNext\":2,\"latencyMillis\":1,\"invalidCursorNext\":3}"));
        assertEquals(500, poll(token).statusCode());
        assertEquals(500, poll(token).statusCode());
        assertEquals(2, sandbox.requests().all().size());

        JsonNode answer = json(expect(200, send("POST", "/__sandbox/reset", null, null)));
        assertTrue(answer.get("reset").asBoolean());
        JsonNode f = json(expect(200, send("GET", "/__sandbox/faults/events", null, null)));
        assertEquals(0, f.get("serverErrorNext").asInt());
        assertEquals(0, f.get("malformedNext").asInt());
        assertEquals(0, f.get("latencyMillis").asInt());
        assertEquals(0, f.get("invalidCursorNext").asInt());
        assertEquals(0, json(expect(200, send("GET", "/__sandbox/requests", null, null))).size());
        assertTrue(sandbox.requests().all().isEmpty());

        expect(200, poll(token));
        assertEquals(1, json(expect(200, send("GET", "/__sandbox/requests", null, null))).size());
    }

    @Test
    void adminRequestsListsTheLogInOrderWithoutTokens() {
        String usagesOnly = sandbox.issueEventsToken("demo", "itemusages");
        expect(200, poll(token));
        assertEquals(401, send("POST", POLL, null, "{}").statusCode());
        assertEquals(403, poll(usagesOnly).statusCode());
        expect(200, send("GET", "/api/v2/auth/introspect", "Bearer " + token, null));

        HttpResponse<String> r = expect(200, send("GET", "/__sandbox/requests", null, null));
        assertFalse(r.body().contains(token), "the token text leaked into the request log");
        assertFalse(r.body().contains(usagesOnly), "the token text leaked into the request log");
        assertFalse(r.body().contains(token.split("\\.")[2]), "a token's signature leaked into the request log");
        JsonNode log = json(r);
        assertEquals(4, log.size());
        long previous = 0;
        for (JsonNode e : log) {
            assertTrue(e.get("seq").asLong() > previous, "in order");
            previous = e.get("seq").asLong();
            assertEquals("events", e.get("api").asText());
        }
        assertEquals(List.of(200, 401, 403, 200), List.of(log.get(0).get("status").asInt(),
                log.get(1).get("status").asInt(), log.get(2).get("status").asInt(), log.get(3).get("status").asInt()));
        assertEquals(List.of("POST", "POST", "POST", "GET"), List.of(log.get(0).get("method").asText(),
                log.get(1).get("method").asText(), log.get(2).get("method").asText(), log.get(3).get("method").asText()));
        assertEquals("/api/v2/auth/introspect", log.get(3).get("path").asText());
        assertEquals(Tokens.fingerprint(token), log.get(0).get("tokenFingerprint").asText());
        assertTrue(log.get(1).get("tokenFingerprint").isNull(), "no token, no fingerprint");
        assertEquals(Tokens.fingerprint(usagesOnly), log.get(2).get("tokenFingerprint").asText());
        assertNotEquals(log.get(0).get("tokenFingerprint"), log.get(2).get("tokenFingerprint"));
        assertEquals(log.get(0).get("tokenFingerprint"), log.get(3).get("tokenFingerprint"));

        // since=N: only what came after entry N
        long second = log.get(1).get("seq").asLong();
        JsonNode tail = json(expect(200, send("GET", "/__sandbox/requests?since=" + second, null, null)));
        assertEquals(2, tail.size());
        assertEquals(log.get(2), tail.get(0));
        assertEquals(log.get(3), tail.get(1));
    }

    @Test
    void adminIssuesTokensThatWork() {
        JsonNode issued = json(expect(200, send("POST", "/__sandbox/tokens/events", null,
                "{\"account\":\"other\",\"features\":[\"itemusages\"]}")));
        String t = issued.get("token").asText();
        expect(200, poll(t, "/api/v2/itemusages"));
        assertEquals(403, poll(t).statusCode());
        JsonNode intro = json(expect(200, send("GET", "/api/v2/auth/introspect", "Bearer " + t, null)));
        assertEquals(sandbox.events().accountUuid("other"), intro.get("account_uuid").asText());
        assertEquals(List.of("itemusages"), List.of(intro.get("features").get(0).asText()));
        assertEquals(1, intro.get("features").size());
        JsonNode claims = JSON.valueToTree(parseClaims(t));
        assertEquals("events.1password.eu", claims.get("aud").isArray() ? claims.get("aud").get(0).asText()
                : claims.get("aud").asText());

        // an empty body: the first account, every feature
        String all = json(expect(200, send("POST", "/__sandbox/tokens/events", null, null))).get("token").asText();
        JsonNode allIntro = json(expect(200, send("GET", "/api/v2/auth/introspect", "Bearer " + all, null)));
        assertEquals(sandbox.events().accountUuid("demo"), allIntro.get("account_uuid").asText());
        assertEquals(3, allIntro.get("features").size());
        expect(200, poll(all));

        assertEquals(400, send("POST", "/__sandbox/tokens/events", null, "{\"account\":\"nobody\"}").statusCode());
        assertEquals(400, send("POST", "/__sandbox/tokens/events", null,
                "{\"account\":\"demo\",\"features\":[\"secrets\"]}").statusCode());

        JsonNode bridge = json(expect(200, send("POST", "/__sandbox/tokens/bridge", null, null)));
        assertEquals(sandbox.bridgeToken(), bridge.get("token").asText());
    }

    @Test
    void adminRejectsBadValues() {
        for (String bad : List.of("{\"serverErrorRatio\":2}", "{\"serverErrorRatio\":-0.1}", "{\"resetRatio\":1.5}",
                "{\"malformedRatio\":3}", "{\"serverErrorStatus\":404}", "{\"rateLimits\":[\"five a second\"]}",
                "{\"rateLimitKey\":\"ip\"}", "{\"serverErrorNxt\":1}", "not json")) {
            HttpResponse<String> r = send("PUT", "/__sandbox/faults/events", null, bad);
            assertEquals(400, r.statusCode(), bad + " -> " + r.body());
            assertTrue(json(r).get("error").isTextual(), r.body());
        }
        Faults f = sandbox.eventsFaults();
        assertEquals(0.0, f.getServerErrorRatio());
        assertEquals(0.0, f.getResetRatio());
        assertEquals(0.0, f.getMalformedRatio());
        assertEquals(500, f.getServerErrorStatus());
        assertEquals(Faults.RateLimitKey.token, f.getRateLimitKey());
        expect(200, poll(token));
        assertEquals(404, send("GET", "/__sandbox/nothing-here", null, null).statusCode());
    }

    @Test
    void theFaultSettersRefuseOutOfRangeValues() {
        Faults f = sandbox.eventsFaults();
        assertThrows(IllegalArgumentException.class, () -> f.setServerErrorRatio(1.01));
        assertThrows(IllegalArgumentException.class, () -> f.setResetRatio(-1));
        assertThrows(IllegalArgumentException.class, () -> f.setMalformedRatio(2));
        assertThrows(IllegalArgumentException.class, () -> f.setServerErrorStatus(499));
        assertThrows(IllegalArgumentException.class, () -> f.setServerErrorStatus(600));
        assertThrows(IllegalArgumentException.class, () -> f.setRateLimits(List.of("5")));
        assertThrows(IllegalArgumentException.class, () -> f.setRateLimits(List.of("0/1s")));
        assertThrows(IllegalArgumentException.class, () -> f.setRateLimits(List.of("5/1d")));
        assertEquals(new RateWindow(30000, 3_600_000), RateWindow.parse("30000/1h"));
        assertEquals(new RateWindow(600, 60_000), RateWindow.parse("600/60s"));
        assertEquals(new RateWindow(5, 250), RateWindow.parse("5/250ms"));
        assertEquals(new RateWindow(7, 120_000), RateWindow.parse("7/2m"));
    }

    // ------------------------------------------------------------------------------------------------ host

    @Test
    void startRefusesANonLoopbackHost() {
        for (String host : List.of("0.0.0.0", "8.8.8.8", "::")) {
            SandboxConfig cfg = new SandboxConfig();
            cfg.host = host;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Sandbox.start(cfg).close(), host);
            assertTrue(e.getMessage().contains("onepassword.sandbox.host"), e.getMessage());
        }
    }

    @Test
    void anIpv6LoopbackHostGivesAUsableBaseUrl() {
        SandboxConfig cfg = new SandboxConfig();
        cfg.host = "::1";
        try (Sandbox s = Sandbox.start(cfg)) {
            URI base = URI.create(s.baseUrl());
            assertEquals(s.port(), base.getPort(), s.baseUrl());
            String t = s.issueEventsToken("demo", "signinattempts");
            expect(200, send(s, "POST", POLL, "Bearer " + t, "{\"limit\":1}"));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static HttpResponse<String> poll(String bearer) {
        return poll(bearer, POLL);
    }

    private static HttpResponse<String> poll(String bearer, String path) {
        return send("POST", path, "Bearer " + bearer, "{\"limit\":1}");
    }

    private static HttpResponse<String> send(String method, String path, String auth, String body) {
        return send(sandbox, method, path, auth, body);
    }

    private static HttpResponse<String> send(Sandbox sb, String method, String path, String auth, String body) {
        try {
            return http.send(request(sb, method, path, auth, body), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest request(Sandbox sb, String method, String path, String auth, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sb.baseUrl() + path)).timeout(Duration.ofSeconds(20));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return b.build();
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), () -> r.request().method() + " " + r.uri() + " -> " + r.body());
        return r;
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    private static Map<?, ?> parseClaims(String jwt) {
        try {
            return JSON.readValue(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
