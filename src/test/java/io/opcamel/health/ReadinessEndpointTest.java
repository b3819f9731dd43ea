package io.opcamel.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, "must show": readiness turns red when the sandbox's Events API is made to fail and green when it
 * recovers; the same for the SCIM bridge's /health, when it does not answer and when it reports a component not
 * healthy (the sandbox's unhealthyComponents and staleComponents). The run command (Camel Main, the sandbox
 * profile) with polls every second and two missed polls allowed; faults switched over the sandbox's admin
 * endpoint; the probes are HTTP on the management port. Liveness stays green throughout: a failing dependency is not a dead process.
 */
class ReadinessEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, String> overrides() {
        return Map.of(
                "onepassword.events.cron", "0/1 * * * * ?",
                "onepassword.health.feed-max-missed-intervals", "2",
                "onepassword.health.bridge-interval", "PT0.2S",
                "onepassword.events.retry.attempts", "1",
                "onepassword.events.retry.base", "PT0.01S",
                "onepassword.events.retry.cap", "PT0.05S",
                "onepassword.events.breaker.open-for", "PT2S");
    }

    @Test
    void readinessTurnsRedWhenTheEventsApiFailsAndGreenWhenItRecovers(@TempDir Path dir) throws Exception {
        try (MainRun run = MainRun.start(dir, overrides())) {
            run.awaitStatus("/observe/health/ready", 200);

            run.faults("events", "{\"serverErrorRatio\":1.0}");
            HttpResponse<String> red = run.awaitStatus("/observe/health/ready", 503);
            JsonNode body = JSON.readTree(red.body());
            assertEquals("DOWN", body.path("status").asText(), red.body());
            List<String> down = new ArrayList<>();
            body.path("checks").forEach(c -> down.add(c.path("name").asText()));
            assertFalse(down.isEmpty(), red.body());
            for (String name : down) {
                assertTrue(name.startsWith("onepassword-feed-demo-") || name.startsWith("onepassword-events-api-"),
                        "only the feeds and their host are down, not " + name + ": " + red.body());
            }
            // the feeds' freshness lapses too (two polls in a row without a success), whatever the breaker does
            HttpResponse<String> lapsed = run.awaitBody("/observe/health/ready",
                    b -> b.contains("onepassword-feed-demo-auditevents") && b.contains("no successful poll since"));
            assertEquals(503, lapsed.statusCode());
            // readable as written: Camel escapes a check's message twice, so a '/' read "\\/" (issue 15.8)
            JsonNode feed = check(lapsed, "onepassword-feed-demo-auditevents");
            assertTrue(feed.path("message").asText().startsWith("feed demo\u2215auditevents: no successful poll since"),
                    lapsed.body());
            assertNoEscapes(lapsed);
            assertEquals(200, run.management("/observe/health/live").statusCode(), "liveness stays up");

            run.faults("events", "{\"serverErrorRatio\":0}");
            HttpResponse<String> green = run.awaitStatus("/observe/health/ready", 200);
            assertEquals("UP", JSON.readTree(green.body()).path("status").asText());
        }
    }

    @Test
    void readinessTurnsRedWhileTheBridgeIsNotHealthy(@TempDir Path dir) throws Exception {
        try (MainRun run = MainRun.start(dir, overrides())) {
            run.awaitStatus("/observe/health/ready", 200);

            run.faults("scim", "{\"serverErrorRatio\":1.0,\"serverErrorStatus\":503}");
            HttpResponse<String> red = run.awaitBody("/observe/health/ready",
                    b -> b.contains("onepassword-scim-bridge"));
            assertEquals(503, red.statusCode());
            JsonNode check = JSON.readTree(red.body()).path("checks").get(0);
            assertEquals("onepassword-scim-bridge", check.path("name").asText(), red.body());
            assertTrue(check.path("message").asText().endsWith("\u2215health answered HTTP 503"), red.body());
            assertNoEscapes(red);
            assertEquals(200, run.management("/observe/health/live").statusCode(), "liveness stays up");

            run.faults("scim", "{\"serverErrorRatio\":0}");
            run.awaitStatus("/observe/health/ready", 200);
        }
    }

    @Test
    void readinessNamesTheBridgeComponentThatIsDisconnectedOrStaleUntilItIsHealthyAgain(@TempDir Path dir)
            throws Exception {
        try (MainRun run = MainRun.start(dir, overrides())) {
            run.awaitStatus("/observe/health/ready", 200);

            run.faults("scim", "{\"unhealthyComponents\":{\"ConfirmationWatcher\":\"Disconnected\"}}");
            HttpResponse<String> red = run.awaitBody("/observe/health/ready", b -> b.contains("onepassword-scim-bridge"));
            assertEquals(503, red.statusCode());
            assertTrue(check(red, "onepassword-scim-bridge").path("message").asText().endsWith("health is not healthy: "
                    + "ConfirmationWatcher is Disconnected"), red.body());
            assertEquals(200, run.management("/observe/health/live").statusCode(), "liveness stays up");

            run.faults("scim", "{\"unhealthyComponents\":{}}");
            run.awaitStatus("/observe/health/ready", 200);

            run.faults("scim", "{\"staleComponents\":[\"RedisCache\"]}");
            HttpResponse<String> stale = run.awaitBody("/observe/health/ready", b -> b.contains("onepassword-scim-bridge"));
            assertEquals(503, stale.statusCode());
            String message = check(stale, "onepassword-scim-bridge").path("message").asText();
            assertTrue(message.contains("is not healthy: RedisCache's report expired at ") && message.endsWith("(stale)"),
                    stale.body());

            run.faults("scim", "{\"staleComponents\":[]}");
            run.awaitStatus("/observe/health/ready", 200);
        }
    }

    private static JsonNode check(HttpResponse<String> answer, String name) throws Exception {
        for (JsonNode c : JSON.readTree(answer.body()).path("checks")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + ": " + answer.body());
    }

    /** No bundle check's message shows an escape once the answer is parsed (a backslash is never in one). */
    private static void assertNoEscapes(HttpResponse<String> answer) throws Exception {
        for (JsonNode c : JSON.readTree(answer.body()).path("checks")) {
            if (c.path("name").asText().startsWith("onepassword-")) {
                assertFalse(c.path("message").asText().contains("\\"), c + " in " + answer.body());
            }
        }
    }
}
