package io.opcamel.bench;

import io.opcamel.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The benchmarks' topics on the in-JVM broker: made per run, counted afterwards, then dropped to free the disk. */
final class BenchKafka {

    private BenchKafka() {
    }

    /** The topics, 3 partitions each, and a moment for the broker to lead them (else the first sends retry). */
    static void create(List<String> topics) throws Exception {
        EmbeddedKafka.createTopics(topics, 3);
        Thread.sleep(500);
    }

    /**
     * How many records the topics hold, read as a read_committed consumer: with transactions each commit also takes
     * an offset (its marker), so the end offsets overcount, and an aborted page's records must not count.
     */
    static long records(List<String> topics) throws Exception {
        Properties c = config();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        try (Admin admin = Admin.create(config());
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((t, d) -> d.partitions()
                    .forEach(i -> partitions.add(new TopicPartition(t, i.partition()))));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long n = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(topics + ": not read to their end within 60 s");
                }
                n += consumer.poll(Duration.ofMillis(200)).count();
            }
            return n;
        }
    }

    /** Checks that every event of the run reached its topic (else the run measured nothing), then drops them. */
    static void checkAndDrop(List<String> topics, long expected) throws Exception {
        long n = records(topics);
        if (n != expected) {
            throw new AssertionError(topics + ": " + n + " records in Kafka, expected " + expected
                    + ": the run is not a measurement (see the log)");
        }
        try (Admin admin = Admin.create(config())) {
            admin.deleteTopics(topics).all().get();
        }
    }

    private static Properties config() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafka.bootstrapServers());
        return p;
    }
}
