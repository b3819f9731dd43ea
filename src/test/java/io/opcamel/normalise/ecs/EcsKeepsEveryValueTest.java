package io.opcamel.normalise.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.GoldenJson;
import io.opcamel.normalise.NormaliseGoldenTest;
import io.opcamel.normalise.Timestamps;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Nothing of an item is dropped silently (reference normalise/README.md, section 8.3): for every golden item, each
 * value the vendor wrote appears in the document outside {@code event.original} (mapped, or under
 * {@code onepassword.*}), the timestamp as {@code @timestamp}; and where the document carries
 * {@code event.original} (the option, or any problem) that is the whole item, losslessly.
 */
class EcsKeepsEveryValueTest {

    private static final Path ECS = NormaliseGoldenTest.ROOT.resolve("ecs");

    @TestFactory
    Stream<DynamicTest> everyValueOfEveryGoldenItemIsInItsDocument() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String feature : GoldenJson.cases(ECS)) {
            for (String name : GoldenJson.cases(ECS.resolve(feature))) {
                Path dir = ECS.resolve(feature).resolve(name);
                tests.add(DynamicTest.dynamicTest(feature + "/" + name, () -> check(feature, dir)));
            }
        }
        return tests.stream();
    }

    private static void check(String feature, Path dir) throws IOException {
        Properties p = NormaliseGoldenTest.properties(dir);
        JsonNode item = GoldenJson.JSON.readTree(dir.resolve("item.json").toFile());
        JsonNode doc = EcsDocumentsTest.mapped(feature, dir);
        JsonNode original = doc.at("/event/original");
        if (p.getProperty("problem") != null || Boolean.parseBoolean(p.getProperty("original"))) {
            assertEquals(item, GoldenJson.JSON.readTree(original.asText()), dir + ": event.original is the item");
        } else {
            assertTrue(original.isMissingNode(), dir + ": event.original only when asked for or needed");
        }
        if (p.getProperty("problem") != null) {
            return; // what could not be placed is in event.original, checked above
        }
        Set<JsonNode> written = new HashSet<>();
        values(doc, "", written);
        if (item.hasNonNull("timestamp")) {
            assertEquals(Timestamps.utcMillis(Timestamps.parse(item.get("timestamp")).orElseThrow()),
                    doc.get("@timestamp").asText(), dir + ": @timestamp");
        }
        List<String> dropped = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : item.properties()) {
            if (!field.getKey().equals("timestamp")) {
                missing(field.getKey(), field.getValue(), written, dropped);
            }
        }
        assertEquals(List.of(), dropped, dir + ": values of the item not in the document");
    }

    /** Every leaf value of the document but event.original. */
    private static void values(JsonNode node, String path, Set<JsonNode> into) {
        if (path.equals("/event/original")) {
            return;
        }
        if (node.isContainerNode()) {
            if (node.isObject()) {
                node.properties().forEach(f -> values(f.getValue(), path + "/" + f.getKey(), into));
            } else {
                node.forEach(e -> values(e, path + "/", into));
            }
        } else {
            into.add(node);
        }
    }

    private static void missing(String path, JsonNode value, Set<JsonNode> written, List<String> dropped) {
        if (value.isObject()) {
            value.properties().forEach(f -> missing(path + "." + f.getKey(), f.getValue(), written, dropped));
        } else if (value.isArray()) {
            value.forEach(e -> missing(path + "[]", e, written, dropped));
        } else if (!value.isNull() && !written.contains(value)) {
            dropped.add(path + " = " + value);
        }
    }
}
