package io.opcamel.normalise.ocsf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.GoldenJson;
import io.opcamel.normalise.Countries;
import io.opcamel.normalise.Mapped;
import io.opcamel.normalise.NormaliseGoldenTest;
import io.opcamel.normalise.Timestamps;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every OCSF document of the golden folders validates against the OCSF 1.8.0 definitions ({@link OcsfValidator}), and
 * nothing of an input is dropped: each leaf of every golden item and every sample payload reaches the document,
 * mapped or under unmapped.
 */
class OcsfDocumentsTest {

    static final Path GOLDEN = NormaliseGoldenTest.ROOT.resolve("ocsf");
    static final Path SAMPLES = Path.of("src/test/resources/sandbox/events");
    static final Instant RECEIVED = Instant.parse("2026-12-07T12:00:00Z");

    private final OcsfValidator validator = new OcsfValidator();

    OcsfDocumentsTest() throws IOException {
    }

    @TestFactory
    Stream<DynamicTest> everyGoldenDocumentValidatesAndKeepsEveryInputLeaf() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String feature : GoldenJson.cases(GOLDEN)) {
            for (String name : GoldenJson.cases(GOLDEN.resolve(feature))) {
                Path dir = GOLDEN.resolve(feature).resolve(name);
                tests.add(DynamicTest.dynamicTest(feature + "/" + name, () -> {
                    Properties p = NormaliseGoldenTest.properties(dir);
                    JsonNode item = GoldenJson.JSON.readTree(dir.resolve("item.json").toFile());
                    Mapped mapped = NormaliseGoldenTest.schema("ocsf", p).map(item, "demo", feature, RECEIVED);
                    assertValid(mapped, dir.toString());
                    assertKeepsEveryLeaf(item, mapped.document(), dir.toString());
                }));
            }
        }
        assertTrue(tests.size() >= 90, "the golden OCSF cases: " + tests.size());
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everySamplePayloadKeepsEveryLeaf() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(SAMPLES)) {
            for (Path file : files.filter(f -> f.getFileName().toString().contains("-sample-")).sorted().toList()) {
                String feature = file.getFileName().toString().substring(0, file.getFileName().toString().indexOf('-'));
                if (!List.of("signinattempts", "itemusages", "auditevents").contains(feature)) {
                    continue;
                }
                List<JsonNode> items = items(GoldenJson.JSON.readTree(file.toFile()));
                for (int i = 0; i < items.size(); i++) {
                    JsonNode item = items.get(i);
                    tests.add(DynamicTest.dynamicTest(file.getFileName() + " #" + i, () -> {
                        Mapped mapped = new OcsfSchema("1.8.0", false).map(item, "demo", feature, RECEIVED);
                        assertValid(mapped, file.toString());
                        assertKeepsEveryLeaf(item, mapped.document(), file.toString());
                    }));
                }
            }
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }

    @Test
    void rawDataIsTheItemAndOnlyWhenAsked() throws IOException {
        JsonNode item = GoldenJson.JSON.readTree(GOLDEN.resolve("auditevents/raw-data-on/item.json").toFile());
        JsonNode raw = new OcsfSchema("1.8.0", true).map(item, "demo", "auditevents", RECEIVED).document().get("raw_data");
        assertEquals(item, GoldenJson.JSON.readTree(raw.asText()));
        assertFalse(new OcsfSchema("1.8.0", false).map(item, "demo", "auditevents", RECEIVED).document().has("raw_data"));
    }

    @Test
    void anUnparsableVersionIsRefusedByName() {
        for (String bad : List.of("1.8", "latest", "1.x.0", "", "1.8.0.1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OcsfSchema(bad, false));
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertEquals("1.9.0-dev", new OcsfSchema("1.9.0-dev", false).map(JsonNodeFactory.instance.objectNode(), "demo",
                "itemusages", RECEIVED).document().path("metadata").path("version").asText());
    }

    @Test
    void oddItemsAreStillValidDocumentsWithAProblem() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode wrongTypes = f.objectNode();
        for (String field : List.of("uuid", "timestamp", "category", "type", "action", "object_type", "object_uuid",
                "target_user", "user", "client", "location", "session", "details", "actor_details", "used_version")) {
            wrongTypes.put(field, 42);
        }
        List<JsonNode> odd = new ArrayList<>(List.of(f.nullNode(), f.textNode("x"), f.arrayNode().add(1), f.objectNode(),
                wrongTypes, f.objectNode().putNull("timestamp")));
        odd.add(null);
        for (String feature : List.of("signinattempts", "itemusages", "auditevents")) {
            for (JsonNode item : odd) {
                Mapped mapped = new OcsfSchema("1.8.0", true).map(item, "demo", feature, RECEIVED);
                assertNotNull(mapped.problem(), feature + " " + item);
                assertValid(mapped, feature + " " + item);
                assertEquals(RECEIVED.toEpochMilli(), mapped.document().path("time").asLong(), "no time: when it was read");
            }
        }
        Mapped wrong = new OcsfSchema("1.8.0", false).map(wrongTypes, "demo", "auditevents", RECEIVED);
        assertEquals(wrongTypes.size(), wrong.document().path("unmapped").size(), "every wrong-typed field kept");
    }

    @Test
    void theValidatorRejectsWhatOcsfForbids() throws IOException {
        JsonNode item = GoldenJson.JSON.readTree(
                GOLDEN.resolve("signinattempts/v2-firewall-failed-continent-blocked-with-details-offset-0300/item.json").toFile());
        ObjectNode good = new OcsfSchema("1.8.0", false).map(item, "demo", "signinattempts", RECEIVED).document();
        assertEquals(List.of(), validator.validate(good));
        assertBroken(good, d -> d.remove("user"), "user is required");
        assertBroken(good, d -> d.remove("service"), "needs one of");
        assertBroken(good, d -> d.put("type_uid", 300202), "type_uid");
        assertBroken(good, d -> d.put("time", "2020-06-11T19:32:50Z"), "time");
        assertBroken(good, d -> d.put("activity_id", 99).remove("activity_name"), "without activity_name");
        assertBroken(good, d -> d.put("category_uid", 6), "category_uid");
        assertBroken(good, d -> d.put("severity_id", 7), "severity_id");
        assertBroken(good, d -> d.putNull("message"), "null");
        assertBroken(good, d -> d.put("country", "CA"), "not an attribute");
        assertBroken(good, d -> ((ObjectNode) d.path("src_endpoint").path("location")).put("country", "Canada"), "alpha-2");
        assertBroken(good, d -> ((ObjectNode) d.path("src_endpoint").path("os")).remove("type_id"), "os.type_id is required");
        assertBroken(good, d -> ((ObjectNode) d.path("src_endpoint").path("os")).put("type_id", 99), "without type");
        assertBroken(good, d -> ((ObjectNode) d.path("user")).put("type_id", 5), "user.type_id");
        assertBroken(good, d -> ((ObjectNode) d.path("metadata")).remove("product"), "metadata.product is required");
    }

    private void assertBroken(ObjectNode good, java.util.function.Consumer<ObjectNode> breakIt, String expected) {
        ObjectNode bad = good.deepCopy();
        breakIt.accept(bad);
        List<String> errors = validator.validate(bad);
        assertTrue(errors.stream().anyMatch(e -> e.contains(expected)), "expected '" + expected + "' in " + errors);
    }

    private void assertValid(Mapped mapped, String what) {
        assertEquals(List.of(), validator.validate(mapped.document()), what);
        assertEquals(mapped.document().path("class_uid").asText(), mapped.eventClass(), what + ": eventClass");
    }

    static List<JsonNode> items(JsonNode sample) {
        List<JsonNode> items = new ArrayList<>();
        sample.path("items").forEach(items::add);
        sample.path("exchanges").forEach(x -> x.path("response").path("body").path("items").forEach(items::add));
        if (sample.has("pipeline_test_item_2")) {
            items.add(sample.get("pipeline_test_item_2"));
        }
        return items;
    }

    /**
     * Each non-null leaf of the item is in the document: the same value anywhere, or as the document writes it
     * (a time as epoch milliseconds, a country name as its code, type and details.value joined in status_detail,
     * a user type as its capitalised caption).
     */
    static void assertKeepsEveryLeaf(JsonNode item, JsonNode doc, String what) {
        Set<String> texts = new HashSet<>();
        Set<BigDecimal> numbers = new HashSet<>();
        collect(doc, texts, numbers);
        List<String> missing = new ArrayList<>();
        leaves(item, "", (path, leaf) -> {
            boolean found;
            if (leaf.isNumber()) {
                found = numbers.contains(leaf.decimalValue().stripTrailingZeros());
            } else if (leaf.isTextual()) {
                String t = leaf.asText();
                String detail = doc.path("status_detail").asText();
                found = texts.contains(t) || !t.isEmpty() && texts.contains(t.toUpperCase(java.util.Locale.ROOT).charAt(0) + t.substring(1))
                        || detail.startsWith(t + ": ") || detail.endsWith(": " + t)
                        || Timestamps.parse(leaf).map(i -> numbers.contains(BigDecimal.valueOf(i.toEpochMilli()).stripTrailingZeros())).orElse(false)
                        || Countries.alpha2(t).map(texts::contains).orElse(false);
            } else {
                found = texts.contains(leaf.asText());
            }
            if (!found) {
                missing.add(path + "=" + leaf);
            }
        });
        assertEquals(List.of(), missing, what + ": input leaves not in the document");
    }

    private static void collect(JsonNode node, Set<String> texts, Set<BigDecimal> numbers) {
        if (node.isNumber()) {
            numbers.add(node.decimalValue().stripTrailingZeros());
        } else if (node.isContainerNode()) {
            node.forEach(child -> collect(child, texts, numbers));
        } else {
            texts.add(node.asText());
        }
    }

    private static void leaves(JsonNode node, String path, java.util.function.BiConsumer<String, JsonNode> each) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> leaves(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(), each));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                leaves(node.get(i), path + "[" + i + "]", each);
            }
        } else {
            each.accept(path, node);
        }
    }
}
