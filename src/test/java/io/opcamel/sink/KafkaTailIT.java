package io.opcamel.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opcamel.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The read-back of a feed's newest records, which seeds deduplication after a crash, when accounts share a
 * partition: an account's newest records are found behind many of another account's.
 */
class KafkaTailIT {

    @Test
    void findsAnAccountsNewestRecordsBehindAnotherAccountsNewerOnes() throws Exception {
        String topic = "tail" + System.nanoTime();
        EmbeddedKafka.createTopics(List.of(topic), 1);
        List<String> demo = send(topic, "demo", 150);
        List<String> second = send(topic, "second", 2_000); // after demo's: the partition's newest 2,000
        KafkaTail tail = new KafkaTail(EmbeddedKafka.bootstrapServers(), Duration.ofSeconds(20));

        assertEquals(demo.subList(50, 150), tail.recentUuids(topic, "demo", 100), "demo's newest 100, in order");
        assertEquals(second.subList(1_900, 2_000), tail.recentUuids(topic, "second", 100));
        assertEquals(demo, tail.recentUuids(topic, "demo", 1_000), "fewer than asked: all there are");
        assertEquals(List.of(), tail.recentUuids(topic, "third", 100), "an account with nothing there");
        assertEquals(List.of(), tail.recentUuids("missing" + System.nanoTime(), "demo", 100), "no topic yet");
    }

    private static List<String> send(String topic, String account, int n) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafka.bootstrapServers());
        List<String> keys = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < n; i++) {
                String key = account + "-" + i;
                ProducerRecord<String, String> r = new ProducerRecord<>(topic, key, "{\"account\":\"" + account + "\"}");
                r.headers().add("account", account.getBytes(StandardCharsets.UTF_8));
                producer.send(r);
                keys.add(key);
            }
            producer.flush();
        }
        return keys;
    }

}
