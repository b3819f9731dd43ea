package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.sandbox.EventsApi;
import io.opcamel.sandbox.LoggedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle inside somebody else's CamelContext: a plain DefaultCamelContext, properties given in code, the
 * bundle installed with one call, and a real flow from the sandbox's Events API to the file sink on its own
 * Quartz schedule.
 */
class EmbeddingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 1200;
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.finite(EVENTS);

    @Test
    void anEsbEmbedsTheBundleAndItsFeedsDeliverEveryEventInOrder(@TempDir Path dir) throws Exception {
        Map<String, String> props = BundleHarness.sandboxProperties(SANDBOX.get(), dir);
        props.put("onepassword.events.cron", "0/1 * * * * ?");
        props.put("onepassword.events.limit", "500");
        try (BundleHarness bundle = BundleHarness.start(props, dir, false)) {
            // what an ESB must not inherit: a Main, a sandbox of the bundle's own, a port of the bundle's own
            assertNull(bundle.context.hasComponent("platform-http"), "the bundle opened an HTTP server");
            for (String feature : EventsApi.FEATURES) {
                Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> bundle.records("demo", feature).size() >= EVENTS);
            }
            for (String feature : EventsApi.FEATURES) {
                List<JsonNode> records = bundle.records("demo", feature);
                assertEquals(EVENTS, records.size(), feature + ": every event once, no more");
                JsonNode expected = JSON.readTree(SANDBOX.get().events().render("demo", feature, 0, EVENTS, 2));
                for (int i = 0; i < EVENTS; i++) {
                    JsonNode r = records.get(i);
                    assertEquals("demo", r.path("account").asText());
                    assertEquals(feature, r.path("feature").asText());
                    assertTrue(r.path("received_at").asText().endsWith("Z"));
                    assertEquals(expected.get(i), r.path("event"), feature + " event " + i + " differs from the API's");
                }
                assertTrue(Files.exists(dir.resolve("cursors").resolve("demo-" + feature + ".cursor.json")));
                // three pages of 500, 500 and 200; has_more=false on the last ends the poll
                List<LoggedRequest> first = SANDBOX.get().requests().matching(r -> r.path().endsWith("/" + feature));
                assertTrue(first.size() >= 3, feature + " needed three pages");
                assertTrue(first.get(0).body().contains("\"start_time\""), "the first request is a ResetCursor");
                assertTrue(first.get(1).body().contains("\"cursor\""), "later requests carry the saved cursor");
            }
        }
    }
}
