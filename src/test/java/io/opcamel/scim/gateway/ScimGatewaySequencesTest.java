package io.opcamel.scim.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.opcamel.GoldenJson;
import io.opcamel.sandbox.BridgeGolden;
import io.opcamel.scim.Guardrail;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * Golden request sequences through the gateway into the sandbox bridge: each folder under
 * src/test/resources/scim/gateway/sequences holds in.json (what the IdP sends, in order: Okta, Entra's default
 * dialect, Entra's aadOptscim062020 dialect, one case per guardrail; optional settings over the shipped defaults and
 * users/groups the bridge already has) and what must come out of it: expected-responses.json (what the IdP gets),
 * expected-bridge-calls.json (what reached the bridge, from the sandbox's request log), expected-bridge-state.json
 * (the bridge's users and groups at the end) and expected-audit.json (the audit trail). Ids are masked as
 * {@code <id-N>} in order of first appearance (the setup's first, then the answers'), and in.json refers to them the
 * same way; timestamps, record ids and latencies are masked too. A new case is a new folder; -Dgolden.update=true
 * rewrites the expected files from what the gateway does now: review the diff.
 *
 * <p>A case about a guardrail names it ("rule"); it is run a second time with that rule switched off, and must then
 * come out differently: so each guardrail has a gateway-level test that fails if it is removed.
 *
 * <p>The IdP conformance corpus lives beside it, in src/test/resources/scim/gateway/conformance, in the same folder
 * shape and run by this same test: each case is written from an IdP's published behaviour (its in.json says which
 * document and section in "source") and named after the IdP and the step it comes from, so what the IdPs are known to
 * send is kept apart from the gateway's own scenarios and can be read, and checked against its sources, on its own.
 * Its requests are given as sent: "requestLine" (the raw request line, encoded query and path case as the IdP writes
 * them) and "headers" ({@code {{token}}} stands for the IdP's token), sent byte for byte with {@link RawHttp}; "method"
 * and "path" (below the base path) remain the short form. Every answer with a body must be application/scim+json.
 */
class ScimGatewaySequencesTest {

    private static final Path ROOT = Path.of("src/test/resources/scim/gateway");
    /** The gateway's own scenarios, and the IdPs' published request sequences. */
    private static final List<String> CORPORA = List.of("sequences", "conformance");
    private static final ObjectMapper JSON = GoldenJson.JSON;
    private static final List<String> OUTPUTS = List.of("responses", "bridge-calls", "bridge-state", "audit");

    /** The value that switches each guardrail off. */
    private static final Map<String, String> OFF = Map.of(
            "allowed-email-domains", "",
            "suspended-user-identity", "allow",
            "guest-users", "allow",
            "nested-groups", "allow",
            "managed-groups", "",
            "user-delete", "forward",
            "duplicate-create", "allow");

    static Stream<String> cases() throws IOException {
        Stream.Builder<String> all = Stream.builder();
        for (String corpus : CORPORA) {
            GoldenJson.cases(ROOT.resolve(corpus)).forEach(c -> all.add(corpus + "/" + c));
        }
        return all.build();
    }

    static Stream<String> guardrailCases() throws IOException {
        return cases().filter(c -> in(c).has("rule"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theGatewayAnswersCallsTheBridgeAndLeavesItAsTheFolderSays(String name, @TempDir Path dir) throws Exception {
        Path caseDir = ROOT.resolve(name);
        JsonNode in = in(name);
        Map<String, JsonNode> out = run(in, Map.of(), dir);
        for (String o : OUTPUTS) {
            GoldenJson.assertMatches(caseDir.resolve("expected-" + o + ".json"), out.get(o), name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("guardrailCases")
    void withItsGuardrailSwitchedOffTheSequenceComesOutDifferently(String name, @TempDir Path dir) throws Exception {
        JsonNode in = in(name);
        String rule = in.get("rule").asText();
        assertTrue(OFF.containsKey(rule), "no off switch known for " + rule);
        Map<String, JsonNode> on = run(in, Map.of(), dir.resolve("on"));
        Map<String, JsonNode> off = run(in, Map.of(Guardrail.PROPERTY_PREFIX + rule, OFF.get(rule)), dir.resolve("off"));
        assertNotEquals(List.of(on.get("responses"), on.get("bridge-calls")),
                List.of(off.get("responses"), off.get("bridge-calls")),
                name + ": the same with " + rule + " off, so nothing shows the guardrail at work");
        // and the guardrail's refusals are counted by rule
        boolean refuses = on.get("audit").findValuesAsText("rejected_by").contains(rule);
        if (refuses) {
            assertTrue(on.get("rejections").path(rule).asDouble() >= 1.0, rule + " refused but was not counted");
        }
    }

    private static JsonNode in(String name) {
        try {
            return JSON.readTree(ROOT.resolve(name).resolve("in.json").toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs one sequence on a fresh sandbox and gateway; the masked outputs by name. */
    private static Map<String, JsonNode> run(JsonNode in, Map<String, String> extra, Path dir) throws Exception {
        Map<String, String> settings = new HashMap<>();
        in.path("settings").properties().forEach(e -> settings.put(e.getKey(), e.getValue().asText()));
        settings.putAll(extra);
        Files.createDirectories(dir);
        try (GatewayRig rig = GatewayRig.start(dir, settings)) {
            BridgeGolden mask = new BridgeGolden(rig.sandbox);
            mask.setUp(in.path("setup"));
            long before = rig.sandbox.requests().lastSeq();
            ArrayNode responses = JSON.createArrayNode();
            for (JsonNode call : in.path("requests")) {
                String token = call.path("idp").asText().equals("entra") ? GatewayRig.ENTRA : GatewayRig.OKTA;
                JsonNode body = call.get("body");
                String json = body == null ? null : mask.unmask(JSON.writeValueAsString(body));
                RawHttp.Response r;
                String request;
                if (call.has("requestLine")) {
                    request = call.path("requestLine").asText();
                    r = sendAsWritten(rig, mask.unmask(request), call.path("headers"), token, json);
                } else {
                    request = call.path("method").asText() + " " + call.path("path").asText();
                    r = rig.call(call.path("method").asText(), mask.unmask(call.path("path").asText()), token, json);
                }
                mask.learn();
                if (r.body().length > 0) {
                    assertEquals(ScimRequests.SCIM_JSON, r.header("Content-Type"), request);
                }
                ObjectNode answer = responses.addObject();
                answer.put("request", request);
                answer.put("status", r.status());
                if (r.header("Location") != null) {
                    answer.put("location", mask.text(r.header("Location")));
                }
                if (r.body().length > 0) {
                    answer.set("body", mask.json(r.json()));
                }
            }
            ArrayNode audit = JSON.createArrayNode();
            for (JsonNode a : rig.audit()) {
                ObjectNode rec = (ObjectNode) mask.json(a);
                rec.put("record_id", "<uuid>");
                rec.put("latency_ms", "<ms>");
                audit.add(rec);
            }
            Map<String, JsonNode> out = new LinkedHashMap<>();
            out.put("responses", responses);
            out.put("bridge-calls", mask.callsSince(before));
            out.put("bridge-state", mask.state());
            out.put("audit", audit);
            out.put("rejections", rejections(rig));
            return out;
        }
    }

    /** A request as the IdP writes it: its request line and headers as given, the body's bytes after them. */
    private static RawHttp.Response sendAsWritten(GatewayRig rig, String requestLine, JsonNode headers, String token,
            String json) {
        String[] parts = requestLine.split(" ");
        assertEquals(3, parts.length, "method, target and HTTP/1.1: " + requestLine);
        assertEquals("HTTP/1.1", parts[2], requestLine);
        Map<String, String> h = new LinkedHashMap<>();
        headers.properties().forEach(e -> h.put(e.getKey(), e.getValue().asText().replace("{{token}}", token)));
        return RawHttp.send(rig.port, parts[0], parts[1], h,
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode rejections(GatewayRig rig) {
        MeterRegistry meters = rig.bundle.context.getRegistry().lookupByNameAndType("metricsRegistry",
                MeterRegistry.class);
        ObjectNode o = JSON.createObjectNode();
        meters.find(ScimGatewayMetrics.REJECTIONS).counters()
                .forEach(c -> o.put(c.getId().getTag("rule"), c.count()));
        return o;
    }
}
