package io.opcamel.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.GoldenJson;
import io.opcamel.LoopbackBundle;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.sandbox.ScimUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden reconciliation runs: each folder under src/test/resources/reconcile/golden holds case.json (what the
 * bridge has: users, suspended ones, groups and their members, fault switches of the sandbox bridge; settings over
 * the shipped defaults; the on-demand call's query), the desired state (desired.json or desired.csv, the file source), and what must come out:
 * expected-answer.json (the HTTP status and the drift report) and expected-commands.json (the lifecycle commands
 * the run sent, to a stub that answers "applied"). Run ids, times and durations are masked, user ids become
 * {@code <id of userName>}, the scratch folder {@code <dir>}. The report file the sink wrote must be the report the
 * caller got. A new case is a new folder; -Dgolden.update=true rewrites the expected files: review the diff.
 */
class ReconcileGoldenTest {

    private static final Path ROOT = Path.of("src/test/resources/reconcile/golden");
    private static final ObjectMapper JSON = GoldenJson.JSON;

    static Stream<String> cases() throws IOException {
        return GoldenJson.cases(ROOT).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theRunReportsAndSendsWhatTheFolderSays(String name, @TempDir Path dir) throws Exception {
        Path caseDir = ROOT.resolve(name);
        JsonNode in = JSON.readTree(caseDir.resolve("case.json").toFile());
        Path desired = Files.exists(caseDir.resolve("desired.csv")) ? caseDir.resolve("desired.csv")
                : caseDir.resolve("desired.json");
        Path source = dir.resolve("source").resolve(desired.getFileName());
        Files.createDirectories(source.getParent());
        Files.copy(desired, source);
        Map<String, String> settings = new HashMap<>();
        settings.put("onepassword.reconcile.source.file", source.toString());
        in.path("settings").properties().forEach(e -> settings.put(e.getKey(), e.getValue().asText()));

        try (ReconcileRig rig = ReconcileRig.start(dir, settings, true)) {
            setUp(rig, in.path("bridge"));
            Map<String, String> names = new HashMap<>();
            for (ScimUser u : rig.sandbox.bridge().users()) {
                names.put(u.id(), u.userName());
            }
            LoopbackBundle.Answer answer = rig.reconcile(in.path("query").isTextual() ? in.path("query").asText()
                    : null, ReconcileRig.OPS);
            JsonNode report = answer.json();
            String runId = report.path("runId").asText();
            assertTrue(runId.matches("\\d{8}T\\d{9}Z-[0-9a-f]{4}"), "run id " + runId);

            // the sink has exactly the report the caller got
            Map<String, JsonNode> files = rig.reportFiles();
            assertEquals(Map.of("drift-" + runId + ".json", report), files, "the report file");

            ObjectNode actualAnswer = JSON.createObjectNode();
            actualAnswer.put("status", answer.status());
            actualAnswer.set("report", mask(report, runId, dir, names));
            ArrayNode actualCommands = JSON.createArrayNode();
            for (String c : rig.commands) {
                actualCommands.add(mask(JSON.readTree(c), runId, dir, names));
            }
            check(caseDir.resolve("expected-answer.json"), actualAnswer);
            check(caseDir.resolve("expected-commands.json"), actualCommands);
        }
    }

    /** The bridge's users (suspended when "active": false), groups (members named by userName) and faults. */
    private static void setUp(ReconcileRig rig, JsonNode bridge) throws IOException {
        Map<String, String> ids = new HashMap<>();
        for (JsonNode u : bridge.path("users")) {
            ScimUser created = rig.sandbox.bridge().addUser(u.path("userName").asText(),
                    u.path("givenName").asText(), u.path("familyName").asText());
            ids.put(u.path("userName").asText(), created.id());
            if (!u.path("active").asBoolean(true)) {
                rig.sandbox.bridge().suspend(created.id());
            }
        }
        for (JsonNode g : bridge.path("groups")) {
            List<String> members = new ArrayList<>();
            g.path("members").forEach(m -> members.add(ids.get(m.asText())));
            rig.sandbox.bridge().addGroup(g.path("displayName").asText(), members.toArray(String[]::new));
        }
        if (bridge.has("faults")) {
            JSON.readerForUpdating(rig.sandbox.bridge().faults()).readValue(bridge.get("faults"));
        }
    }

    private static JsonNode mask(JsonNode node, String runId, Path dir, Map<String, String> names)
            throws IOException {
        String text = JSON.writeValueAsString(node).replace(runId, "<run id>").replace(dir.toString(), "<dir>");
        for (Map.Entry<String, String> e : names.entrySet()) {
            text = text.replace("\"" + e.getKey() + "\"", "\"<id of " + e.getValue() + ">\"");
        }
        JsonNode masked = JSON.readTree(text);
        if (masked instanceof ObjectNode o && o.has("startedAt")) {
            o.put("startedAt", "<time>");
            o.put("finishedAt", "<time>");
            o.put("durationMs", "<ms>");
        }
        return masked;
    }

    private static void check(Path file, JsonNode actual) throws IOException {
        GoldenJson.assertMatches(file, actual, file.getParent().getFileName().toString());
    }
}
