package io.opcamel.bench;

import io.opcamel.EmbeddedKafka;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** The benchmarks' topics on the in-JVM broker: made per run, counted afterwards, then dropped to free the disk. */
final class BenchKafka {

    private BenchKafka() {
    }

    /** The topics, 3 partitions each, and a moment for the broker to lead them (else the first sends retry). */
    static void create(List<String> topics) throws Exception {
        EmbeddedKafka.createTopics(topics, 3);
        Thread.sleep(500);
    }

    /** How many records the topics hold (end offsets: no transactions, so one offset per record). */
    static long records(List<String> topics) throws Exception {
        try (Admin admin = Admin.create(config())) {
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((t, d) -> d.partitions()
                    .forEach(i -> ends.put(new TopicPartition(t, i.partition()), OffsetSpec.latest())));
            long n = 0;
            for (var e : admin.listOffsets(ends).all().get().values()) {
                n += e.offset();
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
