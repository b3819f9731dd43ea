package io.opcamel.reconcile;

import io.opcamel.GoldenJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The desired state's file formats, as data: each folder under src/test/resources/reconcile/sources holds a
 * desired.json or desired.csv and expected.json, either the people read (sorted by email; "groups": null when the
 * source says nothing of them) or {"error": ...}, the message a run fails with, naming the record, line or field.
 * -Dgolden.update=true rewrites expected.json: review the diff.
 */
class DesiredStateFormatsTest {

    private static final Path ROOT = Path.of("src/test/resources/reconcile/sources");
    private static final ObjectMapper JSON = GoldenJson.JSON;

    static Stream<String> cases() throws IOException {
        return GoldenJson.cases(ROOT).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsThePeopleOrNamesWhereTheSourceIsWrong(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        boolean csv = Files.exists(dir.resolve("desired.csv"));
        Path file = dir.resolve(csv ? "desired.csv" : "desired.json");
        JsonNode actual;
        try (InputStream in = Files.newInputStream(file)) {
            DesiredState d = csv ? CsvPeople.read(Files.newBufferedReader(file), "desired.csv")
                    : JsonPeople.read(in, "desired.json");
            ArrayNode people = JSON.createArrayNode();
            d.people().stream().sorted(Comparator.comparing(Person::key)).forEach(p -> {
                ObjectNode o = people.addObject();
                o.put("email", p.email());
                o.put("givenName", p.givenName());
                o.put("familyName", p.familyName());
                if (p.groups() == null) {
                    o.putNull("groups");
                } else {
                    p.groups().forEach(o.putArray("groups")::add);
                }
            });
            actual = people;
        } catch (SourceFormatException e) {
            actual = JSON.createObjectNode().put("error", e.getMessage());
        }
        GoldenJson.assertMatches(dir.resolve("expected.json"), actual, dir.getFileName().toString());
    }
}
