package io.opcamel.scim.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.opcamel.sandbox.LoggedRequest;
import io.opcamel.sandbox.ScimEmail;
import io.opcamel.sandbox.ScimGroup;
import io.opcamel.sandbox.ScimUser;
import io.opcamel.scim.Guardrail;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 */
class ScimGatewaySequencesTest {

    private static final Path ROOT = Path.of("src/test/resources/scim/gateway/sequences");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");
    private static final List<String> OUTPUTS = List.of("responses", "bridge-calls", "bridge-state", "audit");
    private static final Pattern PLACEHOLDER = Pattern.compile("<id-(\\d+)>");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

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
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
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
            Path file = caseDir.resolve("expected-" + o + ".json");
            if (UPDATE) {
                Files.writeString(file, JSON.writeValueAsString(out.get(o)) + "\n");
            } else {
                assertTrue(Files.exists(file), file + " is missing (regenerate with -Dgolden.update=true)");
                assertEquals(JSON.readTree(file.toFile()), out.get(o), name + ": differs from " + file);
            }
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
            Masker mask = new Masker();
            setUp(rig, in.path("setup"), mask);
            long before = rig.sandbox.requests().lastSeq();
            ArrayNode responses = JSON.createArrayNode();
            for (JsonNode call : in.path("requests")) {
                String token = call.path("idp").asText().equals("entra") ? GatewayRig.ENTRA : GatewayRig.OKTA;
                JsonNode body = call.get("body");
                RawHttp.Response r = rig.call(call.path("method").asText(), mask.unmask(call.path("path").asText()),
                        token, body == null ? null : mask.unmask(JSON.writeValueAsString(body)));
                mask.learn(rig);
                ObjectNode answer = responses.addObject();
                answer.put("request", call.path("method").asText() + " " + call.path("path").asText());
                answer.put("status", r.status());
                if (r.header("Location") != null) {
                    answer.put("location", mask.text(r.header("Location")));
                }
                if (r.body().length > 0) {
                    answer.set("body", mask.json(r.json()));
                }
            }
            ArrayNode calls = JSON.createArrayNode();
            for (LoggedRequest l : rig.sandbox.requests().since(before)) {
                if (!l.api().equals("scim")) {
                    continue;
                }
                ObjectNode c = calls.addObject();
                c.put("method", l.method());
                c.put("path", mask.text(l.path()));
                if (l.query() != null && !l.query().isEmpty()) {
                    c.put("query", mask.text(URLDecoder.decode(l.query(), StandardCharsets.UTF_8)));
                }
                if (l.body() != null && !l.body().isEmpty()) {
                    c.set("body", mask.json(JSON.readTree(l.body())));
                }
                c.put("status", l.status());
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
            out.put("bridge-calls", calls);
            out.put("bridge-state", mask.json(state(rig)));
            out.put("audit", audit);
            out.put("rejections", rejections(rig));
            return out;
        }
    }

    /** Users and groups the bridge has before the sequence starts; their ids are the first ones masked. */
    private static void setUp(GatewayRig rig, JsonNode setup, Masker mask) {
        for (JsonNode u : setup.path("users")) {
            rig.sandbox.bridge().addUser(u.path("userName").asText(), u.path("givenName").asText(),
                    u.path("familyName").asText());
            mask.learn(rig);
        }
        for (JsonNode g : setup.path("groups")) {
            List<String> members = new java.util.ArrayList<>();
            g.path("members").forEach(m -> members.add(mask.unmask(m.asText())));
            rig.sandbox.bridge().addGroup(g.path("displayName").asText(), members.toArray(String[]::new));
            mask.learn(rig);
        }
    }

    /** What the bridge holds, including what SCIM does not show (1Password state, group members). */
    private static ObjectNode state(GatewayRig rig) {
        ObjectNode s = JSON.createObjectNode();
        ArrayNode users = s.putArray("users");
        for (ScimUser u : rig.sandbox.bridge().users()) {
            ObjectNode o = users.addObject();
            o.put("id", u.id());
            o.put("userName", u.userName());
            o.put("displayName", u.displayName());
            o.put("givenName", u.givenName());
            o.put("familyName", u.familyName());
            ArrayNode emails = o.putArray("emails");
            for (ScimEmail e : u.emails()) {
                emails.addObject().put("value", e.value()).put("primary", e.primary());
            }
            o.put("externalId", u.externalId());
            o.put("state", u.state().name());
            ArrayNode groups = o.putArray("groups");
            u.groupIds().forEach(groups::add);
        }
        ArrayNode groups = s.putArray("groups");
        for (ScimGroup g : rig.sandbox.bridge().groups()) {
            ObjectNode o = groups.addObject();
            o.put("id", g.id());
            o.put("displayName", g.displayName());
            o.put("externalId", g.externalId());
            ArrayNode members = o.putArray("members");
            g.memberIds().forEach(members::add);
        }
        return s;
    }

    private static ObjectNode rejections(GatewayRig rig) {
        MeterRegistry meters = rig.bundle.context.getRegistry().lookupByNameAndType("metricsRegistry",
                MeterRegistry.class);
        ObjectNode o = JSON.createObjectNode();
        meters.find(ScimGatewayMetrics.REJECTIONS).counters()
                .forEach(c -> o.put(c.getId().getTag("rule"), c.count()));
        return o;
    }

    /**
     * Masks the bridge's ids as {@code <id-N>}, numbered in order of first appearance, and timestamps as
     * {@code <time>}; and resolves {@code <id-N>} in a request back to the id.
     */
    private static final class Masker {
        private final Map<String, String> byId = new LinkedHashMap<>();
        private final Map<String, String> byToken = new HashMap<>();

        /** Numbers the ids the bridge has that are not numbered yet, in its creation order (users, then groups). */
        void learn(GatewayRig rig) {
            rig.sandbox.bridge().users().forEach(u -> add(u.id()));
            rig.sandbox.bridge().groups().forEach(g -> add(g.id()));
        }

        private void add(String id) {
            if (!byId.containsKey(id)) {
                String token = "<id-" + (byId.size() + 1) + ">";
                byId.put(id, token);
                byToken.put(token, id);
            }
        }

        String unmask(String text) {
            Matcher m = PLACEHOLDER.matcher(text);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String id = byToken.get(m.group());
                if (id == null) {
                    throw new IllegalStateException(m.group() + " is used before the bridge has it");
                }
                m.appendReplacement(b, Matcher.quoteReplacement(id));
            }
            m.appendTail(b);
            return b.toString();
        }

        String text(String s) {
            String out = s;
            for (Map.Entry<String, String> e : byId.entrySet()) {
                out = out.replace(e.getKey(), e.getValue());
            }
            return TIME.matcher(out).replaceAll("<time>");
        }

        JsonNode json(JsonNode n) {
            if (n == null) {
                return null;
            }
            if (n.isTextual()) {
                return TextNode.valueOf(text(n.textValue()));
            }
            if (n.isArray()) {
                ArrayNode a = JSON.createArrayNode();
                n.forEach(e -> a.add(json(e)));
                return a;
            }
            if (n.isObject()) {
                ObjectNode o = JSON.createObjectNode();
                n.properties().forEach(e -> o.set(e.getKey(), json(e.getValue())));
                return o;
            }
            return n;
        }
    }
}
