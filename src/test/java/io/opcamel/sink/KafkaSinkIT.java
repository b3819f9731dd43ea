package io.opcamel.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.BundleHarness;
import io.opcamel.EmbeddedKafka;
import io.opcamel.sandbox.EventStream;
import io.opcamel.sandbox.EventsApi;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka sink against a real broker in the test JVM: every event of every feed of two accounts exactly once,
 * keyed by its uuid, with account and feature headers, in timestamp order per feed; and a broker that cannot be
 * reached holds the cursor until it can.
 */
class KafkaSinkIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ACCOUNTS = List.of("demo", "second");
    private static final int PER_FEED = 16_667; // 6 feeds: 100,002 events
    private static Sandbox sandbox;

    @BeforeAll
    static void start() {
        SandboxConfig c = new SandboxConfig();
        c.accounts = new LinkedHashMap<>(Map.of("demo", "us", "second", "eu"));
        c.backlog = PER_FEED;
        c.maxEvents = PER_FEED;
        c.eventsPerSecond = 10_000;
        c.eventsRateLimitEnabled = false;
        sandbox = Sandbox.start(c);
        EmbeddedKafka.bootstrapServers();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private Map<String, String> props(Path dir, String prefix, String brokers) {
        Map<String, String> p = BundleHarness.sandboxProperties(sandbox, dir);
        p.put("onepassword.events.accounts", String.join(",", ACCOUNTS));
        p.put("onepassword.events.second.host", sandbox.baseUrl());
        p.put("onepassword.events.second.token", sandbox.issueEventsToken("second", EventsApi.FEATURES));
        p.put("onepassword.sink.type", "kafka");
        p.put("onepassword.sink.kafka.brokers", brokers);
        p.put("onepassword.sink.kafka.topic-prefix", prefix);
        p.put("onepassword.events.start-window", "P1D");
        return p;
    }

    @Test
    void hundredThousandEventsOfTwoAccountsReachKafkaExactlyOnceInOrder(@TempDir Path dir) throws Exception {
        String prefix = "it" + System.nanoTime() + ".";
        EmbeddedKafka.createTopics(EventsApi.FEATURES.stream().map(f -> prefix + f).toList(), 3);
        try (BundleHarness bundle = BundleHarness.start(props(dir, prefix, EmbeddedKafka.bootstrapServers()), dir, true)) {
            for (String account : ACCOUNTS) {
                for (String feature : EventsApi.FEATURES) {
                    bundle.poll(account, feature);
                }
            }
        }
        int total = 0;
        for (String feature : EventsApi.FEATURES) {
            Map<String, List<ConsumerRecord<String, String>>> byAccount = readAll(prefix + feature);
            for (String account : ACCOUNTS) {
                List<ConsumerRecord<String, String>> records = byAccount.getOrDefault(account, List.of());
                EventStream stream = sandbox.events().stream(account, feature);
                assertEquals(PER_FEED, records.size(), account + "/" + feature + ": each event exactly once");
                int partition = records.get(0).partition();
                for (int i = 0; i < PER_FEED; i++) {
                    ConsumerRecord<String, String> r = records.get(i);
                    assertEquals(stream.uuid(i), r.key(), account + "/" + feature + " record " + i + " out of order");
                    assertEquals(partition, r.partition(), "a feed stays in one partition, so it stays in order");
                    assertEquals(feature, new String(r.headers().lastHeader("feature").value(), StandardCharsets.UTF_8));
                    if (i == 0) {
                        JsonNode env = JSON.readTree(r.value());
                        assertEquals(account, env.path("account").asText());
                        assertEquals(stream.uuid(0), env.path("event").path("uuid").asText());
                    }
                }
                total += records.size();
            }
        }
        assertEquals(100_002, total);
    }

    @Test
    void anUnreachableBrokerHoldsTheCursorAndEveryEventArrivesOnceItIsBack(@TempDir Path dir) throws Exception {
        String prefix = "down" + System.nanoTime() + ".";
        Map<String, String> p = props(dir, prefix, EmbeddedKafka.bootstrapServers());
        p.put("onepassword.events.accounts", "demo");
        p.put("onepassword.events.features", "auditevents");
        p.put("onepassword.sink.kafka.tail-timeout", "PT1.5S");
        // the brokers must answer at start (docs/events-and-sinks.md): they go away after it
        try (BundleHarness bundle = BundleHarness.start(p, dir, true)) {
            EmbeddedKafka.stopBroker();
            try {
                bundle.poll("demo", "auditevents");
                bundle.poll("demo", "auditevents");
                assertFalse(Files.exists(dir.resolve("cursors/demo-auditevents.cursor.json")),
                        "no cursor while Kafka is down");
            } finally {
                EmbeddedKafka.startBroker();
            }
            bundle.poll("demo", "auditevents");
            bundle.poll("demo", "auditevents");
        }
        assertTrue(Files.exists(dir.resolve("cursors/demo-auditevents.cursor.json")));
        List<ConsumerRecord<String, String>> records = readAll(prefix + "auditevents").get("demo");
        assertEquals(PER_FEED, records.size(), "every event once after the broker came back");
        EventStream stream = sandbox.events().stream("demo", "auditevents");
        for (int i = 0; i < PER_FEED; i += 997) {
            assertEquals(stream.uuid(i), records.get(i).key());
        }
    }

    /** Every record of the topic, grouped by the account header, in partition order. */
    private static Map<String, List<ConsumerRecord<String, String>>> readAll(String topic) {
        Map<String, List<ConsumerRecord<String, String>>> out = new HashMap<>();
        Map<String, Object> config = new HashMap<>(EmbeddedKafka.consumerConfig());
        config.put("fetch.max.wait.ms", 10); // read what is there: an empty fetch comes back at once
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> all = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            Map<TopicPartition, Long> ends = c.endOffsets(all);
            // only partitions with records: a fetch that names an empty (or finished) one waits fetch.max.wait.ms
            List<TopicPartition> parts = all.stream().filter(p -> ends.get(p) > 0).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            List<TopicPartition> left = new ArrayList<>(parts);
            while (!left.isEmpty()) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    String account = new String(r.headers().lastHeader("account").value(), StandardCharsets.UTF_8);
                    out.computeIfAbsent(account, k -> new ArrayList<>()).add(r);
                }
                left.removeIf(p -> {
                    boolean read = c.position(p) >= ends.get(p);
                    if (read) {
                        c.pause(List.of(p));
                    }
                    return read;
                });
            }
        }
        return out;
    }
}
