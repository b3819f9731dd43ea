package io.opcamel.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.opcamel.config.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The Kafka form of the desired state: a compacted topic keyed by email, each value one person's JSON, a tombstone
 * (null value) for a person no longer wanted. Each run reads every partition from the beginning to the end offsets
 * it finds when it starts (records arriving meanwhile wait for the next run); the newest record of a key wins. Only
 * the newest value of each key is parsed, so a bad record that was since replaced does not fail the run.
 */
final class KafkaPeople {

    /** The newest record of one key. */
    private record Newest(String key, String value, int partition, long offset) {
    }

    private KafkaPeople() {
    }

    static DesiredState read(KafkaClients kafka, String topic, Duration timeout) {
        String source = "Kafka topic " + topic;
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Newest> newest = new HashMap<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(config(kafka, timeout))) {
            List<PartitionInfo> infos = c.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("the desired-state topic '" + topic + "' does not exist at "
                        + kafka + " (onepassword.reconcile.source.kafka.topic)");
            }
            List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts); // no group: nothing is committed, every run reads it all
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts, left(deadline));
            while (behind(c, ends, deadline)) {
                for (ConsumerRecord<String, String> r : c.poll(left(deadline))) {
                    if (r.offset() >= ends.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue; // arrived after the run started
                    }
                    if (r.key() == null || r.key().isBlank()) {
                        throw new SourceFormatException(source, "partition " + r.partition() + " offset " + r.offset(),
                                "a record without a key (the key is the person's email)");
                    }
                    String key = Person.key(r.key().trim());
                    newest.put(key, new Newest(r.key().trim(), r.value(), r.partition(), r.offset()));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the desired-state topic '" + topic + "' could not be read to its "
                            + "end within " + timeout + " (onepassword.reconcile.source.timeout)");
                }
            }
        }
        DesiredState desired = new DesiredState(source);
        for (Newest n : newest.values()) {
            if (n.value() == null) {
                continue; // a tombstone: not desired
            }
            String where = "partition " + n.partition() + " offset " + n.offset() + " (key " + n.key() + ")";
            try {
                desired.add(JsonPeople.JSON.readTree(n.value()), where);
            } catch (JsonProcessingException e) {
                throw desired.malformed(where, "not valid JSON: " + e.getOriginalMessage());
            }
            Person p = desired.get(Person.key(n.key()));
            if (p == null) {
                throw desired.malformed(where, "the key and the value's email differ");
            }
        }
        return desired;
    }

    private static boolean behind(KafkaConsumer<String, String> c, Map<TopicPartition, Long> ends, long deadline) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (c.position(e.getKey(), left(deadline)) < e.getValue()) {
                return true;
            }
        }
        return false;
    }

    /** The brokers and their security settings (camel.component.kafka.*, as every Kafka client of the bundle). */
    private static Properties config(KafkaClients kafka, Duration timeout) {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "onepassword-reconcile-desired-state");
        return p;
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000L, deadline - System.nanoTime()));
    }
}
