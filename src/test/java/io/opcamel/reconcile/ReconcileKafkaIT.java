package io.opcamel.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opcamel.LoopbackBundle;
import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kafka source and the kafka report sink, on a real broker in the test JVM: the desired state is the newest
 * record of each email key (a later value replaces an earlier one, even a malformed one; a tombstone takes the
 * person out), read to the end offsets found when the run starts; the report is one record on the report topic,
 * keyed by the run id.
 */
class ReconcileKafkaIT {

    @Test
    void theNewestRecordOfEachKeyIsDesiredAndTheReportGoesToItsTopic(@TempDir Path dir) throws Exception {
        String brokers = EmbeddedKafka.bootstrapServers();
        String desired = "reconcile-desired-" + System.nanoTime();
        String reports = "reconcile-reports-" + System.nanoTime();
        EmbeddedKafka.createTopics(List.of(desired, reports), 3);
        try (KafkaProducer<String, String> p = new KafkaProducer<>(producer(brokers))) {
            p.send(new ProducerRecord<>(desired, "ada@example.com", person("ada@example.com", "Ada", "Lovelace")));
            p.send(new ProducerRecord<>(desired, "linus@example.com", person("linus@example.com", "Linus", "T")));
            p.send(new ProducerRecord<>(desired, "bob@example.com", "{not json"));
            p.send(new ProducerRecord<>(desired, "grace@example.com", person("grace@example.com", "Grace", "Hopper")));
            p.send(new ProducerRecord<>(desired, "ada@example.com", person("ada@example.com", "Ada", "King")));
            p.send(new ProducerRecord<>(desired, "linus@example.com", null));
            p.send(new ProducerRecord<>(desired, "bob@example.com", person("bob@example.com", "Bob", "Brown")));
            p.flush();
        }
        try (ReconcileRig rig = ReconcileRig.start(dir, Map.of("onepassword.reconcile.source", "kafka",
                "onepassword.reconcile.source.kafka.brokers", brokers,
                "onepassword.reconcile.source.kafka.topic", desired,
                "onepassword.sink.kafka.brokers", brokers,
                "onepassword.reconcile.report.sink", "kafka",
                "onepassword.reconcile.report.topic", reports), true)) {
            rig.sandbox.bridge().addUser("ada@example.com", "Ada", "Lovelace");
            rig.sandbox.bridge().addUser("linus@example.com", "Linus", "T");

            LoopbackBundle.Answer answer = rig.reconcile(null, ReconcileRig.OPS);
            assertEquals(200, answer.status(), answer.body());
            JsonNode report = answer.json();
            assertEquals(Set.of("ada@example.com attributes", "bob@example.com missing", "grace@example.com missing",
                    "linus@example.com extra"), InjectedDrift.found(report));
            assertEquals("King", report.path("entries").get(0).path("attributes").path("familyName")
                    .path("desired").asText());

            List<ConsumerRecord<String, String>> records = readAll(brokers, reports);
            assertEquals(1, records.size());
            assertEquals(report.path("runId").asText(), records.get(0).key());
            assertEquals(report, ReconcileRig.JSON.readTree(records.get(0).value()));
        }
    }

    private static String person(String email, String given, String family) {
        return "{\"email\":\"" + email + "\",\"givenName\":\"" + given + "\",\"familyName\":\"" + family + "\"}";
    }

    private static Properties producer(String brokers) {
        Properties p = new Properties();
        p.put("bootstrap.servers", brokers);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("acks", "all");
        return p;
    }

    private static List<ConsumerRecord<String, String>> readAll(String brokers, String topic) {
        Properties c = new Properties();
        c.putAll(EmbeddedKafka.consumerConfig());
        c.put("group.id", "reconcile-it-" + System.nanoTime());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 15_000;
            while (out.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }
}
