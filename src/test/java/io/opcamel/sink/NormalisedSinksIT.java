package io.opcamel.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.BundleHarness;
import io.opcamel.EmbeddedKafka;
import io.opcamel.SandboxExtension;
import io.opcamel.normalise.EventSchemas;
import io.opcamel.sandbox.EventStream;
import io.opcamel.sandbox.EventsApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Normalised output through the real sinks: one account's feeds as OCSF into Kafka with a topic per class (Amazon
 * Security Lake's one class per source) beside ECS into the file sink, both from the same pages; after the state is
 * lost and the pages are read again, the tails of the class topics and of the ECS file (read back at start in their
 * schemas) are what keeps every event at one copy.
 */
class NormalisedSinksIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 600;

    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.finite(EVENTS);

    @Test
    void ocsfClassesEachToTheirTopicAndEcsToTheFileEveryEventOnceAcrossARestart(@TempDir Path dir) throws Exception {
        String prefix = "norm" + System.nanoTime() + ".";
        // created beforehand, as a production cluster's topics are: a topic the first page creates can lose that
        // page's transaction to the new partition's leader election (NOT_LEADER, then OUT_OF_ORDER_SEQUENCE until the
        // send timeout), seen at load 5; the next poll would send it again, this test polls once
        EmbeddedKafka.createTopics(List.of(prefix + "signinattempts.3002", prefix + "itemusages.6001",
                prefix + "auditevents.3001", prefix + "auditevents.3004", prefix + "auditevents.3005",
                prefix + "auditevents.3006", prefix + "auditevents.6001"), 1);
        Map<String, String> p = BundleHarness.sandboxProperties(SANDBOX.get(), dir);
        p.put("onepassword.sink.type", "file,kafka");
        p.put("onepassword.sink.kafka.brokers", EmbeddedKafka.bootstrapServers());
        p.put("onepassword.sink.kafka.topic-prefix", prefix);
        p.put("onepassword.sink.kafka.topic-per-class", "true");
        p.put("onepassword.events.demo.sink.kafka.schema", "ocsf"); // per account ...
        p.put("onepassword.sink.file.schema", "ecs"); // ... and per sink
        p.put("onepassword.events.start-window", "P1D");
        // two pages per feed: the tails read back at start (two pages, what a crash can leave without its cursor)
        // cover the whole feed
        p.put("onepassword.events.limit", "300");
        pollEveryFeed(p, dir);
        assertEveryEventOnce(prefix, dir);

        // the cursors and the dedupe memory are lost: the feeds read their two pages again, and only the sinks'
        // tails remember them
        deleteTree(dir.resolve("cursors"));
        deleteTree(dir.resolve("dedupe"));
        pollEveryFeed(p, dir);
        assertEveryEventOnce(prefix, dir);
    }

    private static void pollEveryFeed(Map<String, String> p, Path dir) throws Exception {
        try (BundleHarness bundle = BundleHarness.start(p, dir, true)) {
            for (String feature : EventsApi.FEATURES) {
                bundle.poll("demo", feature);
                assertTrue(Files.exists(dir.resolve("cursors/demo-" + feature + ".cursor.json")),
                        feature + ": the poll delivered (see the log)");
            }
        }
    }

    private static void assertEveryEventOnce(String prefix, Path dir) throws Exception {
        Map<String, List<ConsumerRecord<String, String>>> byTopic = classTopics(prefix);
        assertFalse(byTopic.containsKey(prefix + "auditevents"), "with a topic per class no OCSF record goes to the "
                + "feed's own topic: " + byTopic.keySet());
        for (String feature : EventsApi.FEATURES) {
            EventStream stream = SANDBOX.get().events().stream("demo", feature);
            Set<String> expected = new TreeSet<>();
            for (int i = 0; i < EVENTS; i++) {
                expected.add(stream.uuid(i));
            }
            List<String> inKafka = new ArrayList<>();
            Set<String> classes = new TreeSet<>();
            for (var e : byTopic.entrySet()) {
                if (!e.getKey().startsWith(prefix + feature + ".")) {
                    continue;
                }
                String classUid = e.getKey().substring((prefix + feature + ".").length());
                classes.add(classUid);
                for (ConsumerRecord<String, String> r : e.getValue()) {
                    JsonNode doc = JSON.readTree(r.value());
                    assertEquals(classUid, doc.path("class_uid").asText(), e.getKey() + " holds only its class");
                    assertEquals(r.key(), EventSchemas.uuidOf(doc), "the key is the event's uuid");
                    inKafka.add(r.key());
                }
            }
            assertEquals(EVENTS, inKafka.size(), feature + ": every event once in its class topics " + classes);
            assertEquals(expected, new TreeSet<>(inKafka), feature + ": the feed's events");
            switch (feature) {
                case "signinattempts" -> assertEquals(Set.of("3002"), classes);
                case "itemusages" -> assertEquals(Set.of("6001"), classes);
                default -> assertTrue(classes.size() > 1, "audit events fan out into several classes: " + classes);
            }
            List<String> inFile = new ArrayList<>();
            for (String line : BundleHarness.wholeLines(dir.resolve("events/demo-" + feature + ".ndjson"))) {
                JsonNode doc = JSON.readTree(line);
                assertEquals("1password", doc.path("event").path("module").asText(), "an ECS document");
                inFile.add(EventSchemas.uuidOf(doc));
            }
            assertEquals(EVENTS, inFile.size(), feature + ": every event once in the ECS file");
            assertEquals(expected, new TreeSet<>(inFile));
        }
    }

    /** Every record (read_committed) of every topic under the prefix, by topic. */
    private static Map<String, List<ConsumerRecord<String, String>>> classTopics(String prefix) throws Exception {
        Map<String, Object> config = new HashMap<>(EmbeddedKafka.consumerConfig());
        Map<String, List<ConsumerRecord<String, String>>> out = new TreeMap<>();
        List<TopicPartition> parts = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", EmbeddedKafka.bootstrapServers()))) {
            for (String t : admin.listTopics().names().get()) {
                if (t.startsWith(prefix)) {
                    admin.describeTopics(List.of(t)).allTopicNames().get().get(t).partitions()
                            .forEach(i -> parts.add(new TopicPartition(t, i.partition())));
                }
            }
        }
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    out.computeIfAbsent(r.topic(), k -> new ArrayList<>()).add(r);
                }
            }
        }
        return out;
    }

    private static void deleteTree(Path root) throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path f : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
