package io.opcamel.normalise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.GoldenJson;
import io.opcamel.normalise.ecs.EcsSchema;
import io.opcamel.normalise.ocsf.OcsfSchema;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The normalised schemas as data: {@code normalise/<schema>/<feature>/<case>/} holds {@code item.json} (one item of
 * the feed as the API wrote it) and {@code expected.json} (the document the schema writes), and optionally
 * {@code case.properties}: {@code account} (default demo), {@code received_at} (default 2026-12-07T12:00:00Z),
 * {@code problem} (the kind the mapper must report; absent: it maps cleanly) and the schema's options
 * ({@code ecs.version}, {@code original}; {@code ocsf.version}, {@code raw_data}).
 */
public class NormaliseGoldenTest {

    public static final Path ROOT = Path.of("src/test/resources/normalise");

    @TestFactory
    Stream<DynamicTest> everyCaseMapsToItsExpectedDocument() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String schema : GoldenJson.cases(ROOT)) {
            for (String feature : GoldenJson.cases(ROOT.resolve(schema))) {
                for (String name : GoldenJson.cases(ROOT.resolve(schema).resolve(feature))) {
                    Path dir = ROOT.resolve(schema).resolve(feature).resolve(name);
                    tests.add(DynamicTest.dynamicTest(schema + "/" + feature + "/" + name,
                            () -> check(schema, feature, dir)));
                }
            }
        }
        return tests.stream();
    }

    private static void check(String schema, String feature, Path dir) throws IOException {
        Properties p = properties(dir);
        JsonNode item = GoldenJson.JSON.readTree(dir.resolve("item.json").toFile());
        Mapped mapped = schema(schema, p).map(item, p.getProperty("account", "demo"), feature,
                Instant.parse(p.getProperty("received_at", "2026-12-07T12:00:00Z")));
        GoldenJson.assertMatches(dir.resolve("expected.json"), mapped.document(), dir.toString());
        if (!GoldenJson.UPDATE) {
            assertEquals(p.getProperty("problem"), mapped.problem(), dir + ": the problem the mapper reports");
        }
    }

    public static EventSchema schema(String name, Properties p) {
        return switch (name) {
            case "ecs" -> new EcsSchema(p.getProperty("ecs.version", "8.11.0"),
                    Boolean.parseBoolean(p.getProperty("original", "false")));
            case "ocsf" -> new OcsfSchema(p.getProperty("ocsf.version", "1.8.0"),
                    Boolean.parseBoolean(p.getProperty("raw_data", "false")));
            default -> throw new IllegalArgumentException("no schema " + name + " (folder " + ROOT + "/" + name + ")");
        };
    }

    public static Properties properties(Path dir) throws IOException {
        Properties p = new Properties();
        Path file = dir.resolve("case.properties");
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        return p;
    }
}
