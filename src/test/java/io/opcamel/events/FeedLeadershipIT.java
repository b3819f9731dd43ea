package io.opcamel.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.BundleHarness;
import io.opcamel.EmbeddedKafka;
import io.opcamel.TestClock;
import io.opcamel.sandbox.EventStream;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on their real Quartz schedules, one Kafka broker (cursors and dedupe) and one sandbox, with feed
 * leadership by file locks in a shared folder: only the leader polls; stopping it hands the feed to the other within
 * the configured interval, which continues from the saved cursor; between them every event arrives exactly once,
 * in order.
 */
class FeedLeadershipIT {

    private static final String FEATURE = "itemusages";
    private static final int EVENTS = 600;
    private static final Duration INTERVAL = Duration.ofMillis(500);

    @Test
    void stoppingTheLeaderHandsTheFeedToTheOtherInstanceWithNothingLostOrRepeated(@TempDir Path shared,
            @TempDir Path dirA, @TempDir Path dirB) throws Exception {
        SandboxConfig c = new SandboxConfig();
        c.backlog = 100;
        c.maxEvents = EVENTS;
        c.eventsPerSecond = 50;
        // the sandbox's events appear only when the test says: on a busy machine the standby's start may take longer
        // than a real-time stream would need to run dry, and then the standby would have nothing left to deliver
        TestClock clock = new TestClock(Instant.now());
        c.clock = clock;
        String route = EventsFeedRoutes.routeId("demo", Feature.valueOf(FEATURE));
        String topics = Long.toString(System.nanoTime());
        try (Sandbox sandbox = Sandbox.start(c)) {
            EventStream stream = sandbox.events().stream("demo", FEATURE);
            BundleHarness a = BundleHarness.start(props(sandbox, dirA, shared, topics), dirA, false);
            BundleHarness b = null;
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> a.records("demo", FEATURE).size() >= 100);
                clock.advance(Duration.ofSeconds(1)); // 50 more while A leads
                await().atMost(Duration.ofSeconds(20)).until(() -> a.records("demo", FEATURE).size() >= 150);
                b = BundleHarness.start(props(sandbox, dirB, shared, topics), dirB, false);
                BundleHarness standby = b;
                // B is up but follows: its feed route waits for leadership while A keeps polling
                Thread.sleep(INTERVAL.multipliedBy(3).toMillis());
                assertEquals(ServiceStatus.Stopped, standby.context.getRouteController().getRouteStatus(route),
                        "the standby does not poll while A leads");
                assertTrue(standby.records("demo", FEATURE).isEmpty());
                // and it is ready all the same: a feed another instance leads is not a failing feed (Kubernetes
                // would otherwise take the standby out of the gateway's Service)
                assertTrue(HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeReadiness(standby.context), true),
                        "the standby is ready: " + HealthCheckHelper.invokeReadiness(standby.context).stream()
                                .filter(r -> r.getState() != HealthCheck.State.UP)
                                .map(r -> r.getCheck().getId() + " " + r.getMessage().orElse("")).toList());

                a.close();
                long stopped = System.nanoTime();
                clock.advance(Duration.ofSeconds(10)); // the rest, for the standby
                await().atMost(INTERVAL.multipliedBy(10)).pollInterval(Duration.ofMillis(20))
                        .until(() -> standby.context.getRouteController().getRouteStatus(route) == ServiceStatus.Started);
                long handoverMillis = (System.nanoTime() - stopped) / 1_000_000;
                System.out.println("FeedLeadershipIT: the standby led the feed " + handoverMillis
                        + " ms after the leader stopped (acquire-lock-interval " + INTERVAL.toMillis() + " ms)");

                await().atMost(Duration.ofSeconds(30)).until(() -> a.records("demo", FEATURE).size()
                        + standby.records("demo", FEATURE).size() >= EVENTS);
                List<String> union = new ArrayList<>();
                for (BundleHarness h : List.of(a, standby)) {
                    for (JsonNode r : h.records("demo", FEATURE)) {
                        union.add(r.path("event").path("uuid").asText());
                    }
                }
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < EVENTS; i++) {
                    expected.add(stream.uuid(i));
                }
                assertEquals(expected, union, "every event exactly once, in order, across the two instances");
                assertTrue(standby.records("demo", FEATURE).size() > 0, "the standby delivered the rest");
            } finally {
                a.close();
                if (b != null) {
                    b.close();
                }
            }
        }
    }

    private static Map<String, String> props(Sandbox sandbox, Path dir, Path shared, String topics) {
        Map<String, String> p = BundleHarness.sandboxProperties(sandbox, dir);
        p.put("onepassword.events.demo.features", FEATURE);
        p.put("onepassword.events.limit", "100");
        p.put("onepassword.events.cron", "0/1 * * * * ?");
        p.put("onepassword.events.cursor.store", "kafka");
        p.put("onepassword.events.cursor.kafka.brokers", EmbeddedKafka.bootstrapServers());
        p.put("onepassword.events.cursor.kafka.topic", "leadership-cursors-" + topics);
        p.put("onepassword.events.dedupe.store", "kafka");
        p.put("onepassword.events.dedupe.kafka.brokers", EmbeddedKafka.bootstrapServers());
        p.put("onepassword.events.dedupe.kafka.topic", "leadership-dedupe-" + topics);
        p.put("onepassword.cluster.service", "file");
        p.put("onepassword.cluster.file.root", shared.toString());
        p.put("onepassword.cluster.file.acquire-lock-interval", "PT" + INTERVAL.toMillis() / 1000.0 + "S");
        p.put("onepassword.cluster.file.heartbeat-timeout-multiplier", "3");
        return p;
    }
}
