package io.opcamel.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.GoldenJson;
import io.opcamel.BundleHarness;
import io.opcamel.sandbox.LoggedRequest;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import io.opcamel.sandbox.ScriptedFeed;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden fixtures: each folder under src/test/resources/events/golden holds API pages in (input.json, recorded
 * exchanges the sandbox replays) and what must come out: the sink records (expected.ndjson, received_at masked)
 * and the requests the feed made (expected-requests.txt: "reset" or the cursor sent, in the body or as v3's
 * next_page_token or start_time). case.json may set properties. A new case is a new folder.
 * Two polls run per case, so the repeated-cursor empty page is seen to end a poll after one request.
 * Regenerate with -Dgolden.update=true and review the diff.
 */
class GoldenFeedsTest {

    private static final Path ROOT = Path.of("src/test/resources/events/golden");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    private static Sandbox sandbox;

    @BeforeAll
    static void startSandbox() {
        sandbox = Sandbox.start(new SandboxConfig());
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    static Stream<String> cases() throws IOException {
        return GoldenJson.cases(ROOT).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void feedTurnsPagesIntoExactlyTheseRecords(String name, @TempDir Path dir) throws Exception {
        Path caseDir = ROOT.resolve(name);
        JsonNode spec = JSON.readTree(caseDir.resolve("case.json").toFile());
        String feature = spec.path("feature").asText();
        sandbox.reset();
        sandbox.events().script("demo", feature, ScriptedFeed.fromFile(caseDir.resolve("input.json")));

        Map<String, String> props = BundleHarness.sandboxProperties(sandbox, dir);
        props.put("onepassword.events.demo.features", feature);
        props.put("onepassword.events.demo.api-version", spec.path("api_version").asText("v2"));
        spec.path("properties").fields().forEachRemaining(e -> props.put(e.getKey(), e.getValue().asText()));
        try (BundleHarness bundle = BundleHarness.start(props, dir, true)) {
            bundle.poll("demo", feature);
            bundle.poll("demo", feature);

            List<String> records = new ArrayList<>();
            for (JsonNode r : bundle.records("demo", feature)) {
                ((ObjectNode) r).put("received_at", "<masked>");
                records.add(JSON.writeValueAsString(r));
            }
            List<String> requests = new ArrayList<>();
            for (LoggedRequest r : sandbox.requests().all()) {
                requests.add(position(r));
                assertEquals("/api/" + spec.path("api_version").asText("v2") + "/" + feature, r.path());
            }
            assertFalse(requests.isEmpty(), "the feed made no request");
            compare(caseDir.resolve("expected.ndjson"), records);
            compare(caseDir.resolve("expected-requests.txt"), requests);
        }
    }

    /** The cursor a request carried (in the body, or v3's next_page_token query), or "reset" for a ResetCursor. */
    private static String position(LoggedRequest r) throws IOException {
        if (r.method().equals("GET")) {
            String startTime = "reset";
            for (String kv : r.query() == null ? new String[0] : r.query().split("&")) {
                if (kv.startsWith("next_page_token=")) {
                    return URLDecoder.decode(kv.substring("next_page_token=".length()), StandardCharsets.UTF_8);
                }
                if (kv.startsWith("start_time=")) {
                    startTime = URLDecoder.decode(kv, StandardCharsets.UTF_8);
                }
            }
            return startTime;
        }
        JsonNode body = JSON.readTree(r.body());
        return body.hasNonNull("cursor") ? body.get("cursor").asText() : "reset";
    }

    private static void compare(Path expectedFile, List<String> actual) throws IOException {
        if (UPDATE) {
            Files.write(expectedFile, actual);
            return;
        }
        assertEquals(Files.readAllLines(expectedFile), actual, "differs from " + expectedFile);
    }
}
