package io.opcamel.scim.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opcamel.bridge.BridgeAnswer;
import io.opcamel.bridge.BridgeRequest;
import io.opcamel.bridge.ScimBridgeRequests;
import io.opcamel.sandbox.LoggedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * call-scim-bridge under a misbehaving bridge (the sandbox's fault switches): idempotent calls are retried on 429
 * (after its Retry-After), 5xx and no answer; a create is sent again only after a lookup shows it did not happen,
 * and answered with what exists when it did; the limiter never lets more calls through at once than configured.
 * The guardrails that read the bridge first (duplicate-create, suspended-user-identity) are off here, so each
 * fault hits the change itself; a group PATCH still reads the current group, which shows the guardrails' look-ups
 * are retried like any other bridge call.
 *
 * <p>Called as a route of the bundle calls it (the caller's own exchange, as lifecycle and the gateway send it): how
 * many tries an answer took is the answer's, and nothing of the retries (Camel's redelivery headers, the last
 * failure, the client's variables) is left on the caller's exchange; when a create's look-up fails too, the
 * create's own last answer is the caller's; every HTTP call is timed, one without an answer too.
 */
class ScimGatewayBridgeRetryTest {

    private static final String ADA = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
            + "\"userName\":\"ada@example.com\",\"name\":{\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"}}";
    private static final String SUSPEND = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
            + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}";

    @TempDir
    static Path dir;
    static GatewayRig rig;
    static ProducerTemplate template;

    @BeforeAll
    static void start() throws Exception {
        rig = GatewayRig.start(dir, Map.of("onepassword.scim.bridge.retry.attempts", "3",
                "onepassword.scim.guardrails.duplicate-create", "allow",
                "onepassword.scim.guardrails.suspended-user-identity", "allow"));
        template = rig.bundle.context.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        rig.close();
    }

    @BeforeEach
    void cleanBridge() {
        rig.sandbox.reset();
    }

    private static List<LoggedRequest> bridgeCalls() {
        return rig.sandbox.requests().matching(r -> r.api().equals("scim"));
    }

    private static List<String> calls() {
        return bridgeCalls().stream().map(r -> r.method() + " " + r.status()).toList();
    }

    @Test
    void aReadAnswered429IsRetriedAfterItsRetryAfter() {
        String id = rig.sandbox.bridge().addUser("ada@example.com", "Ada", "Lovelace").id();
        rig.sandbox.bridgeFaults().setTooManyRequestsRetryAfterSeconds(1).setTooManyRequestsNext(1);
        RawHttp.Response r = rig.call("GET", "/Users/" + id, GatewayRig.OKTA, null);
        assertEquals(200, r.status(), r.text());
        assertEquals(List.of("GET 429", "GET 200"), calls());
        List<LoggedRequest> log = bridgeCalls();
        long waited = log.get(1).receivedAtMillis() - log.get(0).receivedAtMillis();
        assertTrue(waited >= 950, "the retry came " + waited + " ms after a Retry-After of 1 s");
    }

    @Test
    void aPatchAnswered5xxOrNotAtAllIsSentAgain() {
        String id = rig.sandbox.bridge().addUser("ada@example.com", "Ada", "Lovelace").id();
        rig.sandbox.bridgeFaults().setServerErrorStatus(503).setServerErrorNext(1).setResetNext(1);
        RawHttp.Response r = rig.call("PATCH", "/Users/" + id, GatewayRig.OKTA, SUSPEND);
        assertEquals(200, r.status(), r.text());
        assertEquals(List.of("PATCH 0", "PATCH 503", "PATCH 200"), calls(), "reset, 503, then through");
        assertTrue(!rig.sandbox.bridge().user(id).active());
    }

    @Test
    void aSuspendSentForADeleteIsRetriedAndAnswered204() {
        String id = rig.sandbox.bridge().addUser("ada@example.com", "Ada", "Lovelace").id();
        rig.sandbox.bridgeFaults().setServerErrorStatus(503).setServerErrorNext(1);
        RawHttp.Response r = rig.call("DELETE", "/Users/" + id, GatewayRig.ENTRA, null);
        assertEquals(204, r.status(), r.text());
        assertEquals(List.of("PATCH 503", "PATCH 200"), calls());
        assertTrue(!rig.sandbox.bridge().user(id).active());
    }

    @Test
    void aGuardrailLookUpGoesThroughTheSameRetryingClient() {
        String gid = rig.sandbox.bridge().addGroup("Engineering").id();
        rig.sandbox.bridgeFaults().setServerErrorStatus(503).setServerErrorNext(1).setResetNext(1);
        RawHttp.Response r = rig.call("PATCH", "/Groups/" + gid, GatewayRig.OKTA, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","path":"displayName","value":"Platform"}]}""");
        assertEquals(200, r.status(), r.text());
        assertEquals(List.of("GET 0", "GET 503", "GET 200", "PATCH 200"), calls(), "the current group, then the change");
        assertEquals("Platform", rig.sandbox.bridge().group(gid).displayName());
    }

    @Test
    void aCreateAnswered5xxIsLookedUpThenSentAgainWhenItDidNotHappen() {
        rig.sandbox.bridgeFaults().setServerErrorNext(1);
        RawHttp.Response r = rig.call("POST", "/Users", GatewayRig.OKTA, ADA);
        assertEquals(201, r.status(), r.text());
        assertEquals(List.of("POST 500", "GET 200", "POST 201"), calls());
        assertTrue(bridgeCalls().get(1).query().contains("filter="), "the lookup is by filter");
        assertEquals(1, rig.sandbox.bridge().users().size());
    }

    @Test
    void aCreateThatHappenedIsAnsweredWithWhatExistsAndNeverSentTwice() {
        // as if the first POST had reached the bridge and its answer had been lost on the way back
        String id = rig.sandbox.bridge().addUser("ada@example.com", "Ada", "Lovelace").id();
        rig.sandbox.bridgeFaults().setServerErrorNext(1);
        RawHttp.Response r = rig.call("POST", "/Users", GatewayRig.OKTA, ADA);
        assertEquals(201, r.status(), r.text());
        assertEquals(id, r.json().path("id").asText());
        assertEquals(List.of("POST 500", "GET 200"), calls(), "no second POST");
        assertEquals(1, rig.sandbox.bridge().users().size());
    }

    @Test
    void aCreateAnswered429IsAlsoLookedUpFirst() {
        rig.sandbox.bridgeFaults().setTooManyRequestsRetryAfterSeconds(0).setTooManyRequestsNext(1);
        RawHttp.Response r = rig.call("POST", "/Groups", GatewayRig.ENTRA,
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Ops \\\"East\\\"\"}");
        assertEquals(201, r.status(), r.text());
        assertEquals(List.of("POST 429", "GET 200", "POST 201"), calls());
        assertTrue(java.net.URLDecoder.decode(bridgeCalls().get(1).query(), java.nio.charset.StandardCharsets.UTF_8)
                .contains("displayName eq \"Ops \\\"East\\\"\""), bridgeCalls().get(1).query());
    }

    @Test
    void whenRetriesRunOutTheIdpGetsTheBridgesLastAnswer() {
        rig.sandbox.bridgeFaults().setServerErrorNext(10);
        RawHttp.Response r = rig.call("GET", "/Users", GatewayRig.OKTA, null);
        assertEquals(500, r.status());
        assertEquals("urn:ietf:params:scim:api:messages:2.0:Error", r.json().path("schemas").path(0).asText(),
                "the bridge's SCIM error body is passed on");
        assertEquals(4, calls().size(), "the call and 3 retries");
    }

    @Test
    void aGuardrailLookUpRefusedWithALongRetryAfterPassesItOn() {
        String gid = rig.sandbox.bridge().addGroup("Engineering").id();
        rig.sandbox.bridgeFaults().setTooManyRequestsRetryAfterSeconds(120).setTooManyRequestsNext(1);
        RawHttp.Response r = rig.call("PATCH", "/Groups/" + gid, GatewayRig.OKTA, """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","path":"displayName","value":"Platform"}]}""");
        assertEquals(429, r.status(), r.text());
        assertEquals("120", r.header("Retry-After"), "the IdP waits as long as the bridge asked");
        assertEquals(List.of("GET 429"), calls(), "no change without the current group");
    }

    @Test
    void aRetryAfterLongerThanMaxWaitIsPassedOnNotWaited() {
        rig.sandbox.bridgeFaults().setTooManyRequestsRetryAfterSeconds(120).setTooManyRequestsNext(1);
        RawHttp.Response r = rig.call("GET", "/Groups", GatewayRig.OKTA, null);
        assertEquals(429, r.status());
        assertEquals("120", r.header("Retry-After"));
        assertEquals(List.of("GET 429"), calls());
    }

    @Test
    void noMoreCallsReachTheBridgeAtOnceThanTheConcurrencyLimit() throws Exception {
        assertEquals(1, maxConcurrentAtTheBridge(rig, 6), "onepassword.scim.bridge.concurrency=1");
        // the measurement sees concurrency when there is some: the same load with a limit of 3
        try (GatewayRig three = GatewayRig.start(dir.resolve("three"),
                Map.of("onepassword.scim.bridge.concurrency", "3"))) {
            int seen = maxConcurrentAtTheBridge(three, 6);
            assertTrue(seen >= 2 && seen <= 3, "with a limit of 3, " + seen + " at once");
        }
    }

    /** Fires n reads at once through the gateway; each takes 300 ms at the bridge. How many overlapped there. */
    private static int maxConcurrentAtTheBridge(GatewayRig g, int n) throws Exception {
        long latency = 300;
        g.sandbox.reset();
        g.sandbox.bridgeFaults().setLatencyMillis(latency);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<RawHttp.Response>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                answers.add(pool.submit(() -> g.call("GET", "/Users", GatewayRig.OKTA, null)));
            }
            for (Future<RawHttp.Response> a : answers) {
                assertEquals(200, a.get().status());
            }
        } finally {
            pool.shutdown();
            g.sandbox.bridgeFaults().setLatencyMillis(0);
        }
        // the sandbox logs a request when its latency is over: it was at the bridge during [t - latency, t]
        List<Long> done = g.sandbox.requests().matching(r -> r.api().equals("scim")).stream()
                .map(LoggedRequest::receivedAtMillis).sorted().toList();
        assertEquals(n, done.size());
        int max = 0;
        for (long t : done) {
            int overlapping = (int) done.stream().filter(o -> o > t - latency + 20 && o <= t).count();
            max = Math.max(max, overlapping);
        }
        return max;
    }

    // ---- the client as a route of the bundle calls it (direct:call-scim-bridge on the caller's own exchange) ----

    /** A call as a route makes it: on an exchange that has its own header and property. */
    private static Exchange call(BridgeRequest request) {
        Exchange done = template.send("direct:call-scim-bridge", e -> {
            e.getIn().setHeader("callerHeader", "kept");
            e.setProperty("callerProperty", "kept");
            e.getIn().setBody(request);
        });
        assertNull(done.getException(), "the bridge's answer, whatever it is, is no failure");
        return done;
    }

    private static BridgeRequest create(String json) {
        return new ScimBridgeRequests().request("POST", "/Users", json);
    }

    @Test
    void theAnswerSaysHowManyTriesItTookAndTheCallerKeepsNothingOfThem() {
        String id = rig.sandbox.bridge().addUser("ada@example.com", "Ada", "Lovelace").id();
        rig.sandbox.bridgeFaults().setServerErrorStatus(503).setServerErrorNext(2);
        Exchange done = call(BridgeRequest.get("/Users/" + id));
        BridgeAnswer answer = done.getMessage().getBody(BridgeAnswer.class);
        assertEquals(200, answer.status());
        assertEquals(3, answer.attempts(), "two 503s, then the answer");
        assertEquals(List.of("GET 503", "GET 503", "GET 200"), calls());

        assertEquals("kept", done.getMessage().getHeader("callerHeader"));
        assertEquals(Map.of("callerHeader", "kept"), done.getMessage().getHeaders(),
                "no header of the call's (Camel's redelivery count, the bridge's answer headers) reaches the caller");
        assertEquals("kept", done.getProperty("callerProperty"));
        assertTrue(done.getProperties().keySet().stream().noneMatch(p -> p.startsWith("scimBridge")),
                done.getProperties().toString());
        assertFalse(done.hasVariables(), "the client's variables stay on its own exchange");
        assertNull(done.getProperty(Exchange.EXCEPTION_CAUGHT), "the retried failures are not the caller's");
    }

    @Test
    void aFirstAnswerThatIsFinalIsOneTry() {
        BridgeAnswer answer = call(BridgeRequest.get("/Users/NOSUCHUSERAAAAAAAAAAAAAAAA")).getMessage()
                .getBody(BridgeAnswer.class);
        assertEquals(404, answer.status());
        assertEquals(1, answer.attempts());
        assertEquals(List.of("GET 404"), calls(), "a 404 is not tried again");
    }

    @Test
    void aCreateAnswered503ThatHadHappenedCountsItsLookUpAsTheSecondTry() {
        // as if the first POST had reached the bridge and its answer had been lost on the way back
        String id = rig.sandbox.bridge().addUser("ada@example.com", "Ada", "Lovelace").id();
        rig.sandbox.bridgeFaults().setServerErrorStatus(503).setServerErrorNext(1);
        BridgeAnswer answer = call(create(ADA)).getMessage().getBody(BridgeAnswer.class);
        assertEquals(List.of("POST 503", "GET 200"), calls(), "no second POST");
        assertEquals(201, answer.status(), "answered with what exists, as if the create had answered");
        assertTrue(new String(answer.body(), StandardCharsets.UTF_8).contains(id));
        assertEquals(2, answer.attempts(), "the create, then its look-up in place of a second create");
    }

    @Test
    void aCreateWhoseLookUpFailsTooKeepsItsOwnLastAnswerAndIsNotSentAgain() {
        // the create is answered 429 (Retry-After 0), then its look-up 500: nobody knows whether it happened
        rig.sandbox.bridgeFaults().setTooManyRequestsRetryAfterSeconds(0).setTooManyRequestsNext(1)
                .setServerErrorNext(1);
        BridgeAnswer answer = call(create(ADA)).getMessage().getBody(BridgeAnswer.class);
        assertEquals(List.of("POST 429", "GET 500"), calls(), "no second POST without a look-up that says so");
        assertEquals(429, answer.status(), "the create's own answer, not the look-up's");
        assertEquals("0", answer.headers().get("Retry-After"));
        assertEquals(2, answer.attempts());
        assertEquals(0, rig.sandbox.bridge().users().size());
    }

    @Test
    void everyHttpCallIsTimedTheOneThatGotNoAnswerToo() {
        MeterRegistry meters = rig.bundle.context.getRegistry().lookupByNameAndType("metricsRegistry",
                MeterRegistry.class);
        long unanswered = timed(meters, "DELETE", "no-response");
        long answered = timed(meters, "DELETE", "404");
        rig.sandbox.bridgeFaults().setResetNext(1);
        BridgeAnswer answer = call(BridgeRequest.of("DELETE", "/Groups/nosuchgroup", null, null)).getMessage()
                .getBody(BridgeAnswer.class);
        assertEquals(404, answer.status());
        assertEquals(2, answer.attempts(), "no answer, then the bridge's");
        assertEquals(unanswered + 1, timed(meters, "DELETE", "no-response"));
        assertEquals(answered + 1, timed(meters, "DELETE", "404"));
    }

    private static long timed(MeterRegistry meters, String method, String status) {
        Timer t = meters.find(io.opcamel.bridge.ScimBridge.LATENCY).tags("method", method, "status", status).timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void aCreateThatNamesNoUserNameIsNeverSentAgain() {
        rig.sandbox.bridgeFaults().setServerErrorStatus(503).setServerErrorNext(1);
        BridgeAnswer answer = call(create("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"]}"))
                .getMessage().getBody(BridgeAnswer.class);
        assertEquals(503, answer.status(), "without a userName there is nothing to look up, so no retry");
        assertEquals(1, answer.attempts());
        assertEquals(List.of("POST 503"), calls());
    }
}
