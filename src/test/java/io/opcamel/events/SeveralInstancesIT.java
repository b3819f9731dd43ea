package io.opcamel.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.BundleHarness;
import io.opcamel.EmbeddedKafka;
import io.opcamel.sandbox.EventStream;
import io.opcamel.sandbox.LoggedRequest;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the bundle share a feed's state in Kafka (cursor.store=kafka, dedupe.store=kafka), each with a
 * data folder and file sink of its own. Instance A fails in the middle of a backlog, after its second page was
 * delivered and remembered but before that page's cursor was saved; instance B, a standby already running, takes
 * the feed over. Between them every event reaches a sink exactly once and in order, and B continues from A's saved
 * cursor: it would start over without the shared cursor, and deliver the second page again without the shared
 * dedupe (or with a dedupe cache that only read the topic when B started).
 */
class SeveralInstancesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 1_250; // pages of 500, 500 and 250
    private static final String FEATURE = "itemusages";
    private static Sandbox sandbox;

    @BeforeAll
    static void start() {
        SandboxConfig c = new SandboxConfig();
        c.backlog = EVENTS;
        c.maxEvents = EVENTS;
        c.eventsPerSecond = 1000;
        sandbox = Sandbox.start(c);
        EmbeddedKafka.bootstrapServers();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash of instance A");
        }
    }

    private static Map<String, String> props(Path dir, String cursorTopic, String dedupeTopic) {
        Map<String, String> p = BundleHarness.sandboxProperties(sandbox, dir);
        p.put("onepassword.events.demo.features", FEATURE);
        p.put("onepassword.events.limit", "500");
        p.put("onepassword.events.cursor.store", "kafka");
        p.put("onepassword.events.cursor.kafka.brokers", EmbeddedKafka.bootstrapServers());
        p.put("onepassword.events.cursor.kafka.topic", cursorTopic);
        p.put("onepassword.events.dedupe.store", "kafka");
        p.put("onepassword.events.dedupe.kafka.brokers", EmbeddedKafka.bootstrapServers());
        p.put("onepassword.events.dedupe.kafka.topic", dedupeTopic);
        p.put("onepassword.events.dedupe.capacity", "1000"); // less than the backlog: the cache stays bounded
        return p;
    }

    @Test
    void aStandbyTakesOverAFeedMidBacklogAndEveryEventArrivesOnceInOrder(@TempDir Path dirA, @TempDir Path dirB)
            throws Exception {
        String cursorTopic = "instances-cursors-" + System.nanoTime();
        String dedupeTopic = "instances-dedupe-" + System.nanoTime();
        String route = EventsFeedRoutes.routeId("demo", Feature.valueOf(FEATURE));
        AtomicInteger remembered = new AtomicInteger();
        EventStream stream = sandbox.events().stream("demo", FEATURE);

        try (BundleHarness b = BundleHarness.start(props(dirB, cursorTopic, dedupeTopic), dirB, true)) {
            List<JsonNode> fromA;
            try (BundleHarness a = BundleHarness.start(props(dirA, cursorTopic, dedupeTopic), dirA, true,
                    ctx -> AdviceWith.adviceWith(ctx, route, r -> r.weaveById("remember-the-delivered-events").after()
                            .process(e -> {
                                if (remembered.incrementAndGet() == 2) {
                                    throw new SimulatedCrash(); // page 2 delivered and remembered, cursor not saved
                                }
                            })))) {
                a.poll("demo", FEATURE);
                fromA = a.records("demo", FEATURE);
            }
            assertEquals(1000, fromA.size(), "A delivered two pages before it failed");

            // what A left in Kafka: the cursor after page 1, and the uuids of pages 1 and 2
            String cursorAfterPage1;
            try (KafkaCursorStore cursors = KafkaCursorStore.open(EmbeddedKafka.bootstrapServers(), cursorTopic,
                    Duration.ofSeconds(15), Clock.systemUTC())) {
                Optional<String> saved = cursors.load("demo", FEATURE);
                assertTrue(saved.isPresent(), "A saved the cursor of its first page");
                cursorAfterPage1 = saved.get();
            }
            // B was running all along: its dedupe follows the topic, and soon knows what A remembered
            Deduplicator dedupeOfB = b.context.getRegistry().lookupByNameAndType("deduplicator", Deduplicator.class);
            EventPage page2 = page(stream, 500, 1000);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> dedupeOfB.dropDelivered(page2, "demo", FEATURE).size() == 0);

            long before = sandbox.requests().lastSeq();
            b.poll("demo", FEATURE);
            List<LoggedRequest> requestsOfB = sandbox.requests().since(before).stream()
                    .filter(r -> r.path().endsWith("/" + FEATURE)).toList();
            assertEquals(2, requestsOfB.size(), "B re-read page 2 and read page 3, nothing before: " + requestsOfB);
            JsonNode firstBody = JSON.readTree(requestsOfB.get(0).body());
            assertEquals(cursorAfterPage1, firstBody.path("cursor").asText(), "B continued from A's saved cursor");

            List<JsonNode> fromB = b.records("demo", FEATURE);
            assertEquals(250, fromB.size(), "B delivered only page 3: page 2 was known as delivered");

            List<String> expected = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                expected.add(stream.uuid(i));
            }
            List<String> union = new ArrayList<>();
            for (JsonNode r : fromA) {
                union.add(r.path("event").path("uuid").asText());
            }
            for (JsonNode r : fromB) {
                union.add(r.path("event").path("uuid").asText());
            }
            assertEquals(expected, union, "every event exactly once, in order, across the two instances");

            KafkaDedupeRepository repoOfB = b.context.hasService(KafkaDedupeRepository.class);
            assertTrue(repoOfB.getCacheSize() <= 1000, "capacity bounds the cache: " + repoOfB.getCacheSize());

            // the state lived in Kafka only
            for (Path dir : List.of(dirA, dirB)) {
                assertFalse(Files.exists(dir.resolve("cursors")), "no cursor files in " + dir);
                assertFalse(Files.exists(dir.resolve("dedupe")), "no dedupe files in " + dir);
            }
        }
    }

    /** A page of the stream's events [from, to), each with just its uuid, as the dedupe sees events. */
    private static EventPage page(EventStream stream, int from, int to) {
        List<JsonNode> items = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ObjectNode n = JSON.createObjectNode();
            n.put("uuid", stream.uuid(i));
            items.add(n);
        }
        return new EventPage("unused", false, items);
    }
}
