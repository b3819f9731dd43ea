package io.opcamel.health;

import io.opcamel.GoldenJson;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * How the SCIM bridge's {@code GET /health} answer is read, as data: src/test/resources/health/bridge-report/<case>/
 * holds {@code body} (the bridge's 200 answer; the shape of its docker/README, our values) and {@code expected.json}
 * (version, build, and every problem that makes it not healthy; none: healthy). A new case is a new folder;
 * {@code -Dgolden.update=true} rewrites the expected files from what the code does now (review the diff).
 */
class BridgeHealthReportTest {

    private static final Path CASES = Path.of("src/test/resources/health/bridge-report");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @TestFactory
    List<DynamicTest> everyCase() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(CASES)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                tests.add(DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
            }
        }
        assertTrue(tests.size() >= 5, "the bridge-report cases are missing");
        return tests;
    }

    private static void check(Path dir) throws IOException {
        BridgeHealthReport report = BridgeHealthReport.parse(Files.readAllBytes(dir.resolve("body")));
        ObjectNode actual = JSON.createObjectNode();
        actual.put("healthy", report.healthy());
        actual.put("version", report.version());
        actual.put("build", report.build());
        report.problems().forEach(actual.putArray("problems")::add);
        GoldenJson.assertMatches(dir.resolve("expected.json"), actual, dir.getFileName().toString());
    }
}
