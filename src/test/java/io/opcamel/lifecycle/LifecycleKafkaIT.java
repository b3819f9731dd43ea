package io.opcamel.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.EmbeddedKafka;
import io.opcamel.sandbox.ScimGroup;
import io.opcamel.sandbox.ScimUser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands from a Kafka topic keyed by email (three partitions) on the in-JVM broker: each person's joiner, mover and
 * leaver come out in the order they went in, a redelivered record is a replay, an unreadable record is parked on
 * the dead-letter topic, and the bridge ends as the last command of each person says.
 */
class LifecycleKafkaIT {

    private static final int PEOPLE = 12;

    @Test
    void eachPersonsCommandsAreCarriedOutInOrderAndEveryRecordGetsAResult(@TempDir Path dir) throws Exception {
        String suffix = Long.toString(System.nanoTime());
        String commands = "lc-commands-" + suffix;
        String results = "lc-results-" + suffix;
        String dead = "lc-dead-" + suffix;
        EmbeddedKafka.createTopics(List.of(commands), 3);
        EmbeddedKafka.createTopics(List.of(results, dead), 1);
        Map<String, String> p = new HashMap<>();
        p.put("onepassword.sink.kafka.brokers", EmbeddedKafka.bootstrapServers());
        p.put("onepassword.lifecycle.kafka.enabled", "true");
        p.put("onepassword.lifecycle.kafka.topic", commands);
        p.put("onepassword.lifecycle.kafka.results-topic", results);
        p.put("onepassword.lifecycle.kafka.group-id", "lc-" + suffix);
        p.put("onepassword.lifecycle.dead-letter.sink", "kafka");
        p.put("onepassword.lifecycle.dead-letter.topic", dead);
        p.put("onepassword.scim.bridge.concurrency", "4");
        p.put("onepassword.scim.bridge.rate.requests", "100000");
        try (LifecycleRig rig = LifecycleRig.start(dir, p)) {
            rig.sandbox.bridge().addGroup("Engineering");
            rig.sandbox.bridge().addGroup("Sales");
            List<ProducerRecord<String, String>> sent = new ArrayList<>();
            // interleaved: every person's joiner, then every mover, then every leaver
            for (String type : List.of("joiner", "mover", "leaver")) {
                for (int i = 0; i < PEOPLE; i++) {
                    String email = "person" + i + "@example.com";
                    String c = switch (type) {
                        case "joiner" -> "{\"requestId\":\"j-" + i + "\",\"type\":\"joiner\",\"email\":\"" + email
                                + "\",\"givenName\":\"P\",\"familyName\":\"" + i + "\",\"groups\":[\"Engineering\"]}";
                        case "mover" -> "{\"requestId\":\"m-" + i + "\",\"type\":\"mover\",\"email\":\"" + email
                                + "\",\"groups\":[\"Sales\"]}";
                        default -> "{\"requestId\":\"l-" + i + "\",\"type\":\"leaver\",\"email\":\"" + email + "\"}";
                    };
                    sent.add(new ProducerRecord<>(commands, email, c));
                }
            }
            // a redelivery of person0's mover, after their leaver: a replay, not a second move
            sent.add(new ProducerRecord<>(commands, "person0@example.com",
                    "{\"requestId\":\"m-0\",\"type\":\"mover\",\"email\":\"person0@example.com\",\"groups\":[\"Sales\"]}"));
            sent.add(new ProducerRecord<>(commands, "broken", "{not json"));
            produce(sent);

            List<ConsumerRecord<String, String>> out = EmbeddedKafka.readAll(results, sent.size());
            assertEquals(sent.size(), out.size(), "one result per record");
            Map<String, List<String>> byPerson = new LinkedHashMap<>();
            for (ConsumerRecord<String, String> r : out) {
                JsonNode result = LifecycleRig.JSON.readTree(r.value());
                if (r.key() != null) {
                    byPerson.computeIfAbsent(r.key(), k -> new ArrayList<>())
                            .add(result.path("requestId").asText() + ":" + result.path("outcome").asText());
                }
            }
            for (int i = 0; i < PEOPLE; i++) {
                List<String> expected = new ArrayList<>(List.of("j-" + i + ":applied", "m-" + i + ":applied",
                        "l-" + i + ":applied"));
                if (i == 0) {
                    expected.add("m-0:replayed");
                }
                assertEquals(expected, byPerson.get("person" + i + "@example.com"), "person" + i + "'s results");
            }
            List<ConsumerRecord<String, String>> parked = EmbeddedKafka.readAll(dead, 1);
            assertEquals(1, parked.size());
            JsonNode d = LifecycleRig.JSON.readTree(parked.get(0).value());
            assertEquals("invalid-command", d.path("rule").asText());
            assertEquals("kafka", d.path("channel").asText());
            assertEquals("{not json", d.path("command").asText());

            ScimGroup engineering = rig.sandbox.bridge().groups().get(0);
            ScimGroup sales = rig.sandbox.bridge().groups().get(1);
            assertTrue(engineering.memberIds().isEmpty(), "every mover took its person out of Engineering");
            assertEquals(PEOPLE, sales.memberIds().size());
            List<ScimUser> users = rig.sandbox.bridge().users();
            assertEquals(PEOPLE, users.size(), "one user per person: no joiner ran twice");
            users.forEach(u -> assertFalse(u.active(), u.userName() + " left, so is suspended"));
        }
    }

    private static void produce(List<ProducerRecord<String, String>> records) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedKafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> p = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            records.forEach(p::send);
            p.flush();
        }
    }

}
