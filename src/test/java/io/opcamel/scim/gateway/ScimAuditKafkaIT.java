package io.opcamel.scim.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail on a Kafka topic (the production default): one record per change, keyed by its id, no token. */
class ScimAuditKafkaIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyChangeIsOneRecordOnTheAuditTopicAndNoTokenTravelsWithIt(@TempDir Path dir) throws Exception {
        String topic = "audit" + System.nanoTime();
        EmbeddedKafka.createTopics(List.of(topic), 1);
        try (GatewayRig rig = GatewayRig.start(dir, Map.of("onepassword.scim.audit.sink", "kafka",
                "onepassword.scim.audit.topic", topic,
                "onepassword.sink.kafka.brokers", EmbeddedKafka.bootstrapServers()))) {
            RawHttp.Response created = rig.call("POST", "/Users", GatewayRig.OKTA, """
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada@example.com",
                     "name":{"givenName":"Ada","familyName":"Lovelace"}}""");
            assertEquals(201, created.status());
            String id = created.json().path("id").asText();
            assertEquals(204, rig.call("DELETE", "/Users/" + id, GatewayRig.OKTA, null).status());

            List<ConsumerRecord<String, String>> records = EmbeddedKafka.readAll(topic, 2);
            assertEquals(2, records.size());
            JsonNode create = JSON.readTree(records.get(0).value());
            JsonNode delete = JSON.readTree(records.get(1).value());
            assertEquals(create.path("record_id").asText(), records.get(0).key());
            assertEquals("okta", create.path("idp").asText());
            assertEquals("create", create.path("operation").asText());
            assertEquals(id, create.path("target").path("id").asText());
            assertEquals("suspend", delete.path("action").asText(), "the user DELETE was sent as a suspend");
            for (ConsumerRecord<String, String> r : records) {
                assertFalse(r.value().contains(GatewayRig.OKTA) || r.value().contains(rig.sandbox.bridgeToken()));
                for (Header h : r.headers()) {
                    String v = new String(h.value(), StandardCharsets.UTF_8);
                    assertFalse(v.contains(GatewayRig.OKTA) || v.contains(rig.sandbox.bridgeToken()),
                            "record header " + h.key() + " carries a token");
                }
            }
        }
    }

}
