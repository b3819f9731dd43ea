package io.opcamel.normalise.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.GoldenJson;
import io.opcamel.normalise.NormaliseGoldenTest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every ECS document the golden folders produce uses ECS fields with values of their ECS types (ecs-fields.json). */
class EcsDocumentsTest {

    private static final Path ECS = NormaliseGoldenTest.ROOT.resolve("ecs");

    @TestFactory
    Stream<DynamicTest> everyGoldenDocumentHasTheEcsTypesOfItsFields() throws IOException {
        EcsFieldTypes types = EcsFieldTypes.load();
        List<DynamicTest> tests = new ArrayList<>();
        for (String feature : GoldenJson.cases(ECS)) {
            for (String name : GoldenJson.cases(ECS.resolve(feature))) {
                Path dir = ECS.resolve(feature).resolve(name);
                tests.add(DynamicTest.dynamicTest(feature + "/" + name, () -> {
                    JsonNode doc = mapped(feature, dir);
                    assertEquals(List.of(), types.violations(doc), dir + ": " + doc);
                }));
            }
        }
        return tests.stream();
    }

    static JsonNode mapped(String feature, Path dir) throws IOException {
        Properties p = NormaliseGoldenTest.properties(dir);
        JsonNode item = GoldenJson.JSON.readTree(dir.resolve("item.json").toFile());
        return NormaliseGoldenTest.schema("ecs", p).map(item, p.getProperty("account", "demo"), feature,
                Instant.parse(p.getProperty("received_at", "2026-12-07T12:00:00Z"))).document();
    }

    /** The check itself catches what it is for, so that an empty list above means something. */
    @Test
    void theCheckRejectsWhatIsNotEcs() throws IOException {
        ObjectNode doc = (ObjectNode) GoldenJson.JSON.readTree("""
                {"@timestamp": "2021-08-11T14:28:03Z", "ecs": {"version": "8.11.0"},
                 "event": {"kind": "evnt", "category": ["authentication"], "type": ["access"], "outcome": "ok",
                           "created": "2021-08-11T14:28:03.000+02:00"},
                 "os": {"name": "Android"}, "source": {"ip": "89.160.20.256", "geo": {"location": {"lat": -120, "lon": 43}}},
                 "related": {"ip": "1.1.1.1", "user": ["a", 7]}, "labels": {"account": 3},
                 "onepassword": {"anything": {"goes": [1, "here"]}}}
                """);
        assertEquals(Set.of(
                "@timestamp is not of type date: \"2021-08-11T14:28:03Z\"",
                "event.kind = \"evnt\" is not one of [\"alert\",\"enrichment\",\"event\",\"metric\",\"state\",\"pipeline_error\",\"signal\"]",
                "event.outcome = \"ok\" is not one of [\"failure\",\"success\",\"unknown\"]",
                "event.created is not of type date: \"2021-08-11T14:28:03.000+02:00\"",
                "os.name is not an ECS field EcsSchema may write (ecs-fields.json)",
                "source.ip is not of type ip: \"89.160.20.256\"",
                "source.geo.location is not of type geo_point: {\"lat\":-120,\"lon\":43}",
                "related.ip must be an array: \"1.1.1.1\"",
                "related.user is not of type keyword: 7",
                "labels.account is not of type keyword: 3",
                "event.type \"access\" is not allowed with event.category \"authentication\""),
                Set.copyOf(EcsFieldTypes.load().violations(doc)));
    }
}
