package io.opcamel.normalise.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.opcamel.GoldenJson;
import io.opcamel.normalise.Mapped;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Calls the golden folders cannot make: a feature with no mapping, no item at all, no read time, no account. */
class EcsOddCallsTest {

    private static final Instant READ = Instant.parse("2026-12-07T12:00:00Z");
    private final EcsSchema ecs = new EcsSchema("8.11.0", false);

    @Test
    void aFeatureWithNoMappingKeepsEveryFieldUnderTheVendorNamespace() throws IOException {
        JsonNode item = GoldenJson.JSON.readTree("""
                {"uuid": "U", "timestamp": "2026-01-02T03:04:05.678901Z",
                 "target": {"type": "service-account", "attribute": "token", "verb": "create"}}""");
        Mapped mapped = ecs.map(item, "demo", "auditevents_v3", READ);
        JsonNode doc = mapped.document();
        assertEquals("unknown-feature", mapped.problem());
        assertEquals("pipeline_error", doc.at("/event/kind").asText());
        assertEquals("2026-01-02T03:04:05.678Z", doc.get("@timestamp").asText());
        assertEquals(GoldenJson.JSON.readTree("""
                {"uuid": "U", "target": {"type": "service-account", "attribute": "token", "verb": "create"}}"""),
                doc.get("onepassword"));
        assertTrue(doc.at("/event/dataset").isMissingNode(), "no dataset for a feed it does not know");
        assertEquals(item, GoldenJson.JSON.readTree(doc.at("/event/original").asText()));
    }

    @Test
    void noItemAtAllIsStillAnEvent() {
        for (JsonNode item : new JsonNode[] {null, NullNode.instance}) {
            Mapped mapped = ecs.map(item, "demo", "signinattempts", READ);
            assertEquals("wrong-type", mapped.problem());
            assertEquals("null", mapped.document().at("/event/original").asText());
            assertEquals("2026-12-07T12:00:00.000Z", mapped.document().get("@timestamp").asText());
        }
    }

    @Test
    void aMissingReadTimeIsAMapperFailureNotAnException() throws IOException {
        JsonNode item = GoldenJson.JSON.readTree("{\"uuid\": \"U\", \"timestamp\": \"2021-08-11T14:28:03Z\"}");
        Mapped mapped = ecs.map(item, "demo", "signinattempts", null);
        assertEquals("mapper-failure", mapped.problem());
        JsonNode doc = mapped.document();
        assertEquals("pipeline_error", doc.at("/event/kind").asText());
        assertEquals("1password.signin_attempts", doc.at("/event/dataset").asText());
        assertEquals(item.toString(), doc.at("/event/original").asText());
        assertEquals("[\"preserve_original_event\"]", doc.get("tags").toString());
        assertTrue(doc.at("/error/message").asText().startsWith("the ECS mapper failed: "));
    }

    @Test
    void noAccountNameNoLabels() throws IOException {
        JsonNode item = GoldenJson.JSON.readTree("{\"uuid\": \"U\", \"timestamp\": \"2021-08-11T14:28:03Z\"}");
        Mapped mapped = ecs.map(item, null, "itemusages", READ);
        assertNull(mapped.problem());
        assertTrue(mapped.document().path("labels").isMissingNode());
    }
}
