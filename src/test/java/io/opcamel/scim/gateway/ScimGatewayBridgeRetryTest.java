package io.opcamel.scim.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.sandbox.LoggedRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 */
class ScimGatewayBridgeRetryTest {

    private static final String ADA = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
            + "\"userName\":\"ada@example.com\",\"name\":{\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"}}";
    private static final String SUSPEND = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
            + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}";

    @TempDir
    static Path dir;
    static GatewayRig rig;

    @BeforeAll
    static void start() throws Exception {
        rig = GatewayRig.start(dir, Map.of("onepassword.scim.bridge.retry.attempts", "3",
                "onepassword.scim.guardrails.duplicate-create", "allow",
                "onepassword.scim.guardrails.suspended-user-identity", "allow"));
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
}
