package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.sandbox.EventsApi;
import io.opcamel.sandbox.LoggedRequest;
import io.opcamel.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle inside somebody else's CamelContext: a plain DefaultCamelContext, properties given in code, the
 * bundle installed with one call, and a real flow from the sandbox's Events API to the file sink on its own
 * Quartz schedule. What an ESB must not inherit is checked too: no Camel Main, no sandbox of the bundle's own, no
 * port it did not ask for.
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
        Set<Integer> listeningBefore = ListeningPorts.ofThisProcess();
        assertTrue(listeningBefore.contains(SANDBOX.get().port()), "the check sees the test's own sandbox listening");
        try (BundleHarness bundle = BundleHarness.start(props, dir, false)) {
            // what an ESB must not inherit: a Main, a sandbox of the bundle's own, a port of the bundle's own
            assertNull(bundle.context.hasComponent("platform-http"), "the bundle opened an HTTP server");
            assertTrue(bundle.context.getRegistry().findByType(Sandbox.class).isEmpty(), "a Sandbox in the registry");
            assertTrue(bundle.context.getPropertiesComponent().getLocations().isEmpty(),
                    "properties files were loaded: Camel Main configured the context");
            assertNotEquals("onepassword-camel-bundle", bundle.context.getName(),
                    "camel.main.name was applied: Camel Main configured the context");
            assertTrue(bundle.context.getRoutes().stream().noneMatch(r -> r.getEndpoint().getEndpointUri()
                    .startsWith("platform-http") || r.getEndpoint().getEndpointUri().startsWith("rest")),
                    "a route serves HTTP");
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
            Set<Integer> opened = new TreeSet<>(ListeningPorts.ofThisProcess());
            opened.removeAll(listeningBefore);
            assertEquals(Set.of(), opened, "ports the bundle listens on in this JVM");
            for (int port : List.of(8080, 8900, 9876)) {
                assertFalse(ListeningPorts.ofThisProcess().contains(port), "this JVM listens on " + port);
            }
            assertFalse(Files.exists(dir.resolve("sandbox")), "a sandbox wrote its tokens");
            assertTrue(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .noneMatch(n -> n.contains("CamelHangupInterceptor") || n.startsWith("vert.x")),
                    "a Camel Main or a Vert.x server thread runs");
        }
    }
}
