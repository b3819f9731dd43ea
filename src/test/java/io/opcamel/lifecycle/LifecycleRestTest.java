package io.opcamel.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.opcamel.LoopbackBundle;
import io.opcamel.scim.gateway.RawHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lifecycle API's edges: asking after a command, authentication, the metric, a restart. */
class LifecycleRestTest {

    private static final String JOINER = "{\"requestId\":\"hr-1\",\"type\":\"joiner\",\"email\":\"ada@example.com\","
            + "\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"}";

    @Test
    void aFinishedCommandCanBeAskedAfterAndIsCounted(@TempDir Path dir) throws Exception {
        try (LifecycleRig rig = LifecycleRig.start(dir, Map.of())) {
            assertEquals(200, rig.post("/lifecycle/v1/commands", LifecycleRig.HR, JOINER).status());
            LoopbackBundle.Answer asked = rig.get("/lifecycle/v1/commands/hr-1", LifecycleRig.HR);
            assertEquals(200, asked.status());
            assertEquals("applied", asked.json().path("outcome").asText());
            assertEquals(404, rig.get("/lifecycle/v1/commands/hr-2", LifecycleRig.HR).status());

            MeterRegistry meters = rig.bundle.context.getRegistry().lookupByNameAndType("metricsRegistry",
                    MeterRegistry.class);
            assertEquals(1.0, meters.get(LifecycleMetrics.COMMANDS).tags("type", "joiner", "outcome", "applied",
                    "channel", "rest").counter().count());
        }
    }

    @Test
    void aReplayAfterARestartIsAnsweredFromDiskWithoutABridgeCall(@TempDir Path dir) throws Exception {
        try (LifecycleRig first = LifecycleRig.start(dir, Map.of())) {
            assertEquals("applied", first.post("/lifecycle/v1/commands", LifecycleRig.HR, JOINER).json()
                    .path("outcome").asText());
        }
        // a new bundle (and a new, empty bridge): only the ledger on disk can know hr-1
        try (LifecycleRig second = LifecycleRig.start(dir, Map.of())) {
            long before = second.sandbox.requests().lastSeq();
            JsonNode again = second.post("/lifecycle/v1/commands", LifecycleRig.HR, JOINER).json();
            assertEquals("replayed", again.path("outcome").asText());
            assertEquals("applied", again.path("firstOutcome").asText());
            assertTrue(second.sandbox.requests().since(before).isEmpty(), "a replay makes no bridge call");
        }
    }

    @Test
    void aFormBodyIsA415SayingToSendJsonNotA500(@TempDir Path dir) throws Exception {
        try (LifecycleRig rig = LifecycleRig.start(dir, Map.of())) {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + rig.port
                            + "/lifecycle/v1/commands"))
                            .header("Authorization", "Bearer " + LifecycleRig.HR)
                            .header("Content-Type", "application/x-www-form-urlencoded") // curl -d's default
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(JOINER)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(415, r.statusCode(), r.body());
            assertTrue(r.body().contains("application/json"), r.body());
            assertEquals(200, rig.post("/lifecycle/v1/commands", LifecycleRig.HR, JOINER).status(), "JSON is taken");
        }
    }

    @Test
    void noTokenOrAWrongOneIsA401ThatReachesNothing(@TempDir Path dir) throws Exception {
        try (LifecycleRig rig = LifecycleRig.start(dir, Map.of())) {
            long before = rig.sandbox.requests().lastSeq();
            LoopbackBundle.Answer none = rig.post("/lifecycle/v1/commands", null, JOINER);
            assertEquals(401, none.status());
            assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            assertEquals(401, rig.post("/lifecycle/v1/commands", "wrong-token-0123456789", JOINER).status());
            assertEquals(401, rig.get("/lifecycle/v1/commands/hr-1", null).status());
            assertTrue(rig.sandbox.requests().since(before).isEmpty(), "nothing reached the bridge");
            assertTrue(rig.deadLetters().isEmpty(), "an unauthenticated request is not a command: nothing parked");
            assertFalse(Files.exists(dir.resolve("lifecycle").resolve("lifecycle-ledger.ndjson")));
        }
    }

    /**
     * A path or method the API does not have, or a query string that does not decode: the API's JSON refusal (not
     * the HTTP server's HTML page or plain text), with Allow on a 405; nothing reaches the bridge.
     */
    @Test
    void aPathOrMethodTheApiDoesNotHaveGetsItsJsonRefusal(@TempDir Path dir) throws Exception {
        // method, target, then the status, rule and Allow header expected
        String[][] cases = {
            {"DELETE", "/lifecycle/v1/commands", "405", "method", "POST"},
            {"GET", "/lifecycle/v1/commands", "405", "method", "POST"},
            {"PUT", "/lifecycle/v1/commands/hr-1", "405", "method", "GET"},
            {"GET", "/lifecycle/v1/command", "404", "path", null},
            {"POST", "/lifecycle/v1/commands/hr-1/retry", "404", "path", null},
            {"GET", "/lifecycle/v1/commands/../../../etc/passwd", "404", "path", null},
            {"GET", "/lifecycle/v1/commands/hr-1?x=%zz", "400", "request", null},
        };
        try (LifecycleRig rig = LifecycleRig.start(dir, Map.of())) {
            long before = rig.sandbox.requests().lastSeq();
            for (String[] c : cases) {
                String what = c[0] + " " + c[1];
                // sent byte for byte: java.net.http will not send a target that does not decode
                RawHttp.Response a = RawHttp.send(rig.port, c[0], c[1], LifecycleRig.HR,
                        c[0].equals("POST") ? JOINER : null);
                assertEquals(Integer.parseInt(c[2]), a.status(), what + ": " + a.text());
                assertEquals("application/json", a.header("Content-Type"), what);
                assertEquals("rejected", a.json().path("outcome").asText(), what);
                assertEquals(c[3], a.json().path("rule").asText(), what);
                assertTrue(a.json().path("reason").asText().length() > 10, what + ": a reason that says why");
                assertEquals(c[4], a.header("Allow"), what);
            }
            assertTrue(rig.sandbox.requests().since(before).isEmpty(), "nothing reached the bridge");
            // outside the bundle's base paths (what an ESB serves beside it) the server answers as it would anyway
            RawHttp.Response beside = RawHttp.send(rig.port, "GET", "/esb/orders?x=%zz", LifecycleRig.HR, null);
            assertTrue(beside.status() == 400 || beside.status() == 404, beside.status() + " " + beside.text());
            assertTrue(!"application/json".equals(beside.header("Content-Type")), "not the lifecycle API's answer");
        }
    }
}
