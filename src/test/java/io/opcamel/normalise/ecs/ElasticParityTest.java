package io.opcamel.normalise.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.GoldenJson;
import io.opcamel.normalise.Mapped;
import io.opcamel.normalise.NormaliseGoldenTest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The "must show": for each event of Elastic's own pipeline tests (normalise/ecs-elastic-parity, see its
 * SOURCES.md), the document EcsSchema makes of the same item has every field of Elastic's expected document with the
 * same value, except the fields Elastic's pipeline gets from outside; and every field we write beyond Elastic's is in
 * {@link #BEYOND_ELASTIC}.
 *
 * <p>The expected files retrievable here are from older versions of Elastic's pipeline than the one the reference
 * describes (normalise/README.md, section 9). Rather than bending the mapper to them, each expected document is first
 * brought to the current pipeline's shape by the explicit, dated steps of {@link #CURRENT_PIPELINE}; nothing else of
 * Elastic's values is touched.
 */
class ElasticParityTest {

    private static final Path DIR = NormaliseGoldenTest.ROOT.resolve("ecs-elastic-parity");

    /** Fields of Elastic's documents that its pipeline takes from outside the item. */
    private static final List<String> FROM_OUTSIDE = List.of(
            "source.geo.", // MaxMind GeoIP on source.ip
            "source.as.", // MaxMind ASN on source.ip
            "event.ingested", // Elasticsearch, at indexing
            "tags"); // the test's config (preserve_original_event), not the pipeline

    /** Fields we write that Elastic's pipeline does not (reference sections 3, 3d and 3e). */
    private static final List<String> BEYOND_ELASTIC = List.of(
            "event.id", // the item's uuid: the dedupe key
            "event.module", // set by Elastic's agent config, not its pipeline (section 3.9)
            "event.dataset", // likewise
            "labels.account", // the bundle's name for the account
            "organization.id", // v2 account_uuid
            "source.geo.", // from 1Password's location (Elastic deletes it and runs GeoIP)
            "user.target.", // audit: the user acted on
            "group.id", // audit: the group acted on
            "onepassword.account_uuid", // v2 (MSP) fields, which Elastic's cleanup deletes
            "onepassword.user_type",
            "onepassword.user_account_uuid",
            "onepassword.actor_type",
            "onepassword.actor_account_uuid");

    /**
     * Elastic's pipeline changes since these expected files were written, as the reference records them: applied to
     * Elastic's expected document, they give what Elastic's current pipeline makes of the same item.
     */
    private static final Map<String, Consumer<ObjectNode>> CURRENT_PIPELINE = Map.of(
            "signinattempts", ElasticParityTest::fromEcs85,
            "itemusages", ElasticParityTest::fromEcs85,
            "auditevents", expected -> {
                // Since: the actor's name is user.full_name as well as user.name, and first in related.user.
                JsonNode name = expected.at("/user/name");
                ((ObjectNode) expected.get("user")).set("full_name", name);
                ((ArrayNode) expected.at("/related/user")).insert(0, name);
            });

    private static void fromEcs85(ObjectNode expected) {
        // 1.21.0: the client OS moved from the root os.* (not ECS) to host.os.*.
        expected.putObject("host").set("os", expected.remove("os"));
        // 1.23.1: a null details is removed.
        if (expected.path("onepassword").path("details").isNull()) {
            ((ObjectNode) expected.get("onepassword")).remove("details");
        }
        // 1.30.2: the person's name is user.name as well as user.full_name.
        ((ObjectNode) expected.get("user")).set("name", expected.at("/user/full_name"));
    }

    @ParameterizedTest
    @CsvSource({"signinattempts", "itemusages", "auditevents"})
    void everyElasticFieldHasElasticsValue(String feature) throws IOException {
        JsonNode events = GoldenJson.JSON.readTree(DIR.resolve("test-" + feature + ".json").toFile()).get("events");
        JsonNode expected = GoldenJson.JSON.readTree(DIR.resolve("test-" + feature + ".json-expected.json").toFile())
                .get("expected");
        assertEquals(events.size(), expected.size());
        for (int i = 0; i < events.size(); i++) {
            String what = feature + " event " + i;
            ObjectNode elastic = expected.get(i).deepCopy();
            CURRENT_PIPELINE.get(feature).accept(elastic);
            JsonNode item = GoldenJson.JSON.readTree(events.get(i).get("message").asText());
            // Elastic's version is its pipeline's constant: ours is configured, so configure the same one.
            EcsSchema ecs = new EcsSchema(elastic.at("/ecs/version").asText(), true);
            Instant read = agentTime(events.get(i).get("@timestamp").asText());
            Mapped mapped = ecs.map(item, "demo", feature, read == null ? Instant.EPOCH : read);
            assertEquals(null, mapped.problem(), what);

            Map<String, JsonNode> ours = flat(mapped.document());
            Map<String, JsonNode> theirs = flat(elastic);
            if (read == null) {
                // The audit test's agent @timestamp has second 62: no time; Elastic copies the text into event.created.
                theirs.remove("event.created");
                ours.remove("event.created");
            }
            // Elastic keeps the message's bytes; we write the item we parsed: the same JSON, spaced differently.
            assertEquals(GoldenJson.JSON.readTree(theirs.remove("event.original").asText()),
                    GoldenJson.JSON.readTree(ours.remove("event.original").asText()), what + ": event.original");

            List<String> differ = new ArrayList<>();
            theirs.forEach((field, value) -> {
                if (!starts(FROM_OUTSIDE, field) && !value.equals(ours.get(field))) {
                    differ.add(field + ": Elastic " + value + ", ours " + ours.get(field));
                }
            });
            assertEquals(List.of(), differ, what + ": fields where we differ from Elastic");

            List<String> extra = new ArrayList<>();
            ours.keySet().forEach(field -> {
                if (!theirs.containsKey(field) && !starts(BEYOND_ELASTIC, field)) {
                    extra.add(field);
                }
            });
            assertEquals(List.of(), extra, what + ": fields we write that are neither Elastic's nor listed beyond it");
        }
    }

    private static Instant agentTime(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean starts(List<String> prefixes, String field) {
        for (String prefix : prefixes) {
            if (prefix.endsWith(".") ? field.startsWith(prefix) : field.equals(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Dotted paths to values; arrays are values (their order matters: related.user is Elastic's order). */
    private static Map<String, JsonNode> flat(JsonNode doc) {
        Map<String, JsonNode> into = new TreeMap<>();
        flat("", doc, into);
        return into;
    }

    private static void flat(String path, JsonNode node, Map<String, JsonNode> into) {
        if (node.isObject() && !node.isEmpty()) {
            node.properties().forEach(f -> flat(path.isEmpty() ? f.getKey() : path + "." + f.getKey(), f.getValue(),
                    into));
        } else {
            into.put(path, node);
        }
    }
}
