package io.opcamel.lifecycle;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.GoldenJson;
import io.opcamel.LoopbackBundle;
import io.opcamel.sandbox.BridgeGolden;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden command sequences: each folder under src/test/resources/lifecycle/sequences holds in.json (settings over
 * the shipped defaults, the users and groups the bridge has at the start, and the commands in the order they are
 * delivered, each over REST unless it says {@code "channel": "direct"}, with {@code "faults"} to switch on in the
 * sandbox bridge just before it) and what must come of it: expected-results.json (status and result of each
 * command), expected-bridge-calls.json (what reached the bridge), expected-bridge-state.json (the bridge at the
 * end) and expected-dead-letters.json (what was parked). Ids are masked as {@code <id-N>}, times as {@code <time>}.
 * -Dgolden.update=true rewrites the expected files from what the bundle does now: review the diff.
 */
class LifecycleSequencesTest {

    private static final Path ROOT = Path.of("src/test/resources/lifecycle/sequences");
    private static final ObjectMapper JSON = GoldenJson.JSON;
    private static final List<String> OUTPUTS = List.of("results", "bridge-calls", "bridge-state", "dead-letters");

    static Stream<String> cases() throws IOException {
        return GoldenJson.cases(ROOT).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theCommandsLeaveTheBridgeAndTheDeadLettersAsTheFolderSays(String name, @TempDir Path dir) throws Exception {
        Path caseDir = ROOT.resolve(name);
        JsonNode in = JSON.readTree(caseDir.resolve("in.json").toFile());
        Map<String, JsonNode> out = run(in, dir);
        for (String o : OUTPUTS) {
            GoldenJson.assertMatches(caseDir.resolve("expected-" + o + ".json"), out.get(o), name);
        }
    }

    private static Map<String, JsonNode> run(JsonNode in, Path dir) throws Exception {
        Map<String, String> settings = new HashMap<>();
        in.path("settings").properties().forEach(e -> settings.put(e.getKey(), e.getValue().asText()));
        try (LifecycleRig rig = LifecycleRig.start(dir, settings)) {
            BridgeGolden mask = new BridgeGolden(rig.sandbox);
            mask.setUp(in.path("setup"));
            long before = rig.sandbox.requests().lastSeq();
            ArrayNode results = JSON.createArrayNode();
            for (JsonNode step : in.path("commands")) {
                if (step.has("faults")) {
                    JSON.readerForUpdating(rig.sandbox.bridge().faults()).readValue(step.get("faults"));
                }
                String body = step.has("raw") ? step.get("raw").asText()
                        : mask.unmask(JSON.writeValueAsString(step.get("command")));
                ObjectNode r = results.addObject();
                if (step.path("channel").asText("rest").equals("direct")) {
                    r.put("channel", "direct");
                    JsonNode result = rig.direct(body);
                    mask.learn();
                    r.set("result", mask.json(result));
                } else {
                    LoopbackBundle.Answer a = rig.post("/lifecycle/v1/commands", step.has("token")
                            ? step.get("token").asText() : LifecycleRig.HR, body);
                    mask.learn();
                    r.put("status", a.status());
                    r.set("result", mask.json(a.json()));
                }
                rig.sandbox.bridge().faults().clear();
            }
            ArrayNode dead = JSON.createArrayNode();
            for (JsonNode d : rig.deadLetters()) {
                ObjectNode masked = (ObjectNode) mask.json(d);
                masked.put("parkedAt", "<time>");
                dead.add(masked);
            }
            Map<String, JsonNode> out = new LinkedHashMap<>();
            out.put("results", results);
            out.put("bridge-calls", mask.callsSince(before));
            out.put("bridge-state", mask.state());
            out.put("dead-letters", dead);
            return out;
        }
    }
}
