package io.opcamel.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads back the keys (event uuids) of the newest records of a feed's topic: what may have reached Kafka after the
 * feed's last saved cursor. Read once per feed at start, so a page re-read after a crash is not sent twice.
 */
public final class KafkaTail {

    private final String brokers;

    public KafkaTail(String brokers) {
        this.brokers = brokers;
    }

    public List<String> recentUuids(String topic, String account, int max) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            var infos = c.partitionsFor(topic, Duration.ofSeconds(15));
            if (infos == null || infos.isEmpty()) {
                return out; // the topic does not exist yet: nothing was delivered
            }
            List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            Map<TopicPartition, Long> remaining = new HashMap<>();
            for (TopicPartition tp : parts) {
                long end = ends.get(tp);
                c.seek(tp, Math.max(0, end - max));
                if (end > 0) {
                    remaining.put(tp, end);
                }
            }
            while (!remaining.isEmpty()) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    Header h = r.headers().lastHeader("account");
                    if (r.key() != null && h != null && account.equals(new String(h.value()))) {
                        out.add(r.key());
                    }
                }
                remaining.entrySet().removeIf(e -> c.position(e.getKey()) >= e.getValue());
            }
        }
        return out;
    }
}
