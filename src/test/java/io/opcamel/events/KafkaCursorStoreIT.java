package io.opcamel.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.EmbeddedKafka;
import io.opcamel.config.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka cursor store against a real broker in the test JVM. Every test has topics of its own. */
class KafkaCursorStoreIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T16:02:30Z"), ZoneOffset.UTC);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static String brokers;

    @BeforeAll
    static void broker() {
        brokers = EmbeddedKafka.bootstrapServers();
    }

    private static String topic(String name) {
        return "cursors-it-" + name + "-" + System.nanoTime();
    }

    @Test
    void aSavedCursorLoadsBackAndIsStoredAsTheFileStoreWritesIt(@TempDir Path dir) throws Exception {
        String topic = topic("roundtrip");
        try (KafkaCursorStore store = KafkaCursorStore.open(brokers, topic, TIMEOUT, CLOCK)) {
            assertEquals(Optional.empty(), store.load("demo", "itemusages"), "no cursor before the first save");
            store.save("demo", "itemusages", "cursor-1");
            assertEquals(Optional.of("cursor-1"), store.load("demo", "itemusages"));
            store.save("demo", "itemusages", "cursor-2");
            assertEquals(Optional.of("cursor-2"), store.load("demo", "itemusages"));
            assertEquals(Optional.empty(), store.load("demo", "auditevents"), "another feed has its own cursor");
        }
        // on the topic: key <account>/<feature>, value the JSON the file store writes, field for field
        FileCursorStore files = new FileCursorStore(dir, CLOCK);
        files.save("demo", "itemusages", "cursor-2");
        JsonNode fromFile = JSON.readTree(Files.readAllBytes(files.file("demo", "itemusages")));
        List<ConsumerRecord<String, String>> records = readAll(topic);
        assertEquals(2, records.size());
        assertEquals("demo/itemusages", records.get(1).key());
        assertEquals(fromFile, JSON.readTree(records.get(1).value()));
    }

    @Test
    void aSecondInstanceSeesTheLatestCursorOfEveryFeedTheFirstSaved() {
        String topic = topic("handover");
        Map<String, String> last = new LinkedHashMap<>();
        try (KafkaCursorStore first = KafkaCursorStore.open(brokers, topic, TIMEOUT, CLOCK)) {
            for (int i = 1; i <= 3; i++) {
                for (String feed : List.of("demo/itemusages", "demo/signinattempts", "second/auditevents")) {
                    String[] af = feed.split("/");
                    first.save(af[0], af[1], feed + "#" + i);
                    last.put(feed, feed + "#" + i);
                }
            }
            try (KafkaCursorStore second = KafkaCursorStore.open(brokers, topic, TIMEOUT, CLOCK)) {
                last.forEach((feed, cursor) -> {
                    String[] af = feed.split("/");
                    assertEquals(Optional.of(cursor), second.load(af[0], af[1]), feed);
                });
                // the second started before these saves: a load reads up to the topic's end, not just what it had
                first.save("demo", "itemusages", "after-the-second-started");
                assertEquals(Optional.of("after-the-second-started"), second.load("demo", "itemusages"));
                // and back: the first sees the second's save over its own older one
                second.save("demo", "itemusages", "saved-by-the-second");
                assertEquals(Optional.of("saved-by-the-second"), first.load("demo", "itemusages"));
            }
        }
    }

    @Test
    void feedsOnSeveralThreadsSaveAndLoadTheirOwnCursors() throws Exception {
        String topic = topic("threads");
        List<String> feeds = List.of("a/itemusages", "a/signinattempts", "a/auditevents", "b/itemusages");
        ExecutorService pool = Executors.newFixedThreadPool(feeds.size());
        try (KafkaCursorStore store = KafkaCursorStore.open(brokers, topic, TIMEOUT, CLOCK)) {
            List<Future<?>> done = new ArrayList<>();
            for (String feed : feeds) {
                String[] af = feed.split("/");
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        assertEquals(i == 0 ? Optional.empty() : Optional.of(feed + "#" + (i - 1)),
                                store.load(af[0], af[1]));
                        store.save(af[0], af[1], feed + "#" + i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        try (KafkaCursorStore again = KafkaCursorStore.open(brokers, topic, TIMEOUT, CLOCK)) {
            for (String feed : feeds) {
                String[] af = feed.split("/");
                assertEquals(Optional.of(feed + "#39"), again.load(af[0], af[1]));
            }
        }
    }

    @Test
    void theTopicIsCreatedCompactedWithOnePartition() throws Exception {
        String topic = topic("compacted");
        KafkaCursorStore.open(brokers, topic, TIMEOUT, CLOCK).close();
        try (Admin admin = admin()) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            String policy = admin.describeConfigs(List.of(r)).all().get().get(r)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, policy);
            assertEquals(1, admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size());
        }
        // opening it again (the topic exists now) is fine too
        try (KafkaCursorStore again = KafkaCursorStore.open(brokers, topic, TIMEOUT, CLOCK)) {
            assertEquals(Optional.empty(), again.load("demo", "itemusages"));
        }
    }

    @Test
    void anExistingTopicWithoutCompactionIsUsedAndItsPolicyLeftAlone() throws Exception {
        String topic = topic("plain");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (KafkaCursorStore store = KafkaCursorStore.open(brokers, topic, TIMEOUT, CLOCK)) { // logs a WARN
            store.save("demo", "itemusages", "c");
            assertEquals(Optional.of("c"), store.load("demo", "itemusages"));
        }
        try (Admin admin = admin()) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertEquals(TopicConfig.CLEANUP_POLICY_DELETE, admin.describeConfigs(List.of(r)).all().get().get(r)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
        }
    }

    @Test
    void aSaveWithoutABrokerFailsAndWritesNothing() {
        String topic = topic("down");
        try (KafkaCursorStore reachable = KafkaCursorStore.open(brokers, topic, TIMEOUT, CLOCK);
                KafkaCursorStore down = new KafkaCursorStore(io.opcamel.config.KafkaClients.plaintext("127.0.0.1:1"), topic, Duration.ofSeconds(1), CLOCK)) {
            long start = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> down.save("demo", "itemusages", "never-acknowledged"));
            assertTrue(e.getMessage().contains("127.0.0.1:1") && e.getMessage().contains(topic), e.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0,
                    "the save gave up within its timeout");
            // nor does a load answer from what it happens to hold: without the topic's end it fails the poll
            assertThrows(RuntimeException.class, () -> down.load("demo", "itemusages"));
            assertEquals(Optional.empty(), reachable.load("demo", "itemusages"), "nothing reached the topic");
        }
        assertEquals(0, readAll(topic).size());
    }

    @Test
    void anUnreachableBrokerAtStartNamesThePropertyAndTheBrokers() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> KafkaCursorStore.open("127.0.0.1:1", topic("nobroker"), Duration.ofSeconds(1), CLOCK));
        assertEquals(KafkaCursorStore.BROKERS_KEY, e.property());
        assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
    }

    @Test
    void aTombstoneForgetsAFeedsCursor() throws Exception {
        String topic = topic("tombstone");
        try (KafkaCursorStore store = KafkaCursorStore.open(brokers, topic, TIMEOUT, CLOCK)) {
            store.save("demo", "itemusages", "c1");
            store.save("demo", "auditevents", "a1");
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
                    Map.<String, Object>of("bootstrap.servers", brokers), new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.StringSerializer())) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, 0, "demo/itemusages",
                        null)).get();
            }
            assertEquals(Optional.empty(), store.load("demo", "itemusages"));
            assertEquals(Optional.of("a1"), store.load("demo", "auditevents"));
        }
    }

    private static Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        return Admin.create(p);
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(EmbeddedKafka.consumerConfig(),
                new StringDeserializer(), new StringDeserializer())) {
            Set<TopicPartition> parts = new TreeSet<>((a, b) -> Integer.compare(a.partition(), b.partition()));
            c.partitionsFor(topic).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            while (parts.stream().anyMatch(p -> c.position(p) < ends.get(p))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Issue 16: a save whose write reaches the broker only after the save gave up (the proxy holds the request back
     * past the timeout) must not move the cursor afterwards: what the next load returns is what the topic keeps.
     */
    @Test
    void aSaveThatTimedOutAndLandsLaterLeavesNoCursorBehind() throws Exception {
        String topic = topic("late-write");
        io.opcamel.DelayingProxy proxy = EmbeddedKafka.proxy();
        try (KafkaCursorStore store = KafkaCursorStore.open(EmbeddedKafka.proxiedBootstrapServers(), topic,
                Duration.ofSeconds(2), CLOCK)) {
            store.save("demo", "auditevents", "c1");
            proxy.delayRequests(Duration.ofSeconds(5));
            try {
                assertThrows(IllegalStateException.class, () -> store.save("demo", "auditevents", "c2"));
            } finally {
                proxy.delayRequests(Duration.ZERO);
            }
            Optional<String> loaded = store.load("demo", "auditevents");
            // everything the proxy held back has reached the broker: the late write among it
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> proxy.holding() == 0);
            try (KafkaCursorStore fresh = KafkaCursorStore.open(brokers, topic, TIMEOUT, CLOCK)) {
                assertEquals(loaded, fresh.load("demo", "auditevents"),
                        "the cursor the failed save's late write would leave behind");
            }
            assertEquals(loaded, store.load("demo", "auditevents"));
        }
    }
}
