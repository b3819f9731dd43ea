package io.opcamel.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.Settings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden fixtures of the guardrails: src/test/resources/scim/guardrails/&lt;case&gt;/case.json holds the settings
 * (over config/application.properties, so the shipped defaults are what is tested), the current state (current
 * user or group, whether the userName exists, the groups the caller knows) and the request; expected.json is what
 * goes on to the bridge, expected-error.json the SCIM error. Each case names the rule it is about and whether it
 * shows the rule blocking (or rewriting) a request or letting one through; each case is also run with its rule
 * switched off, and a "block" case must then come out differently, an "allow" case the same: so every rule has
 * a case that fails if the rule is removed.
 */
class GuardrailsTest {

    private static final Path ROOT = Path.of("src/test/resources/scim/guardrails");

    /** The value that switches each rule off. */
    private static final Map<String, String> OFF = Map.of(
            AllowedEmailDomains.NAME, "",
            SuspendedUserIdentity.NAME, "allow",
            GuestUsers.NAME, "allow",
            NestedGroups.NAME, "allow",
            ManagedGroups.NAME, "",
            DeleteAsSuspend.NAME, "forward",
            DuplicateCreate.NAME, "allow");

    static List<String> cases() throws IOException {
        return Golden.cases(ROOT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void guardsAsTheFixtureSays(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        JsonNode spec = Golden.read(dir.resolve("case.json"));
        Golden.Outcome outcome = run(spec, Map.of());
        if (outcome.error() != null) {
            assertEquals(spec.path("rule").asText(), outcome.error().guardrail(), name + " was refused by another rule");
        }
        Golden.check(dir, outcome);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void withItsRuleSwitchedOffABlockedCaseChangesAndAnAllowedOneDoesNot(String name) throws IOException {
        JsonNode spec = Golden.read(ROOT.resolve(name).resolve("case.json"));
        String rule = spec.path("rule").asText();
        assertTrue(OFF.containsKey(rule), name + ": unknown rule '" + rule + "'");
        JsonNode on = run(spec, Map.of()).json();
        JsonNode off = run(spec, Map.of(Guardrail.PROPERTY_PREFIX + rule, OFF.get(rule))).json();
        switch (spec.path("shows").asText()) {
            case "block" -> assertNotEquals(on, off, name + ": the outcome does not depend on " + rule);
            case "allow" -> assertEquals(on, off, name + ": an allowed request came out differently without " + rule);
            default -> throw new IllegalArgumentException(name + ": 'shows' must be block or allow");
        }
    }

    @Test
    void everyRuleHasACaseThatBlocksAndOneThatAllows() throws IOException {
        Map<String, List<String>> shown = new HashMap<>();
        for (String name : cases()) {
            JsonNode spec = Golden.read(ROOT.resolve(name).resolve("case.json"));
            shown.computeIfAbsent(spec.path("rule").asText(), k -> new ArrayList<>()).add(spec.path("shows").asText());
        }
        List<Guardrail> all = Guardrails.from(settings(Map.of())).all();
        assertEquals(OFF.keySet(), all.stream().map(Guardrail::name).collect(Collectors.toSet()));
        for (Guardrail g : all) {
            List<String> kinds = shown.getOrDefault(g.name(), List.of());
            assertTrue(kinds.contains("block"), g.name() + " has no case showing it block a request");
            assertTrue(kinds.contains("allow"), g.name() + " has no case showing it let a request through");
        }
    }

    @Test
    void everyRuleIsOnByDefault() throws IOException {
        Properties defaults = defaults();
        for (Guardrail g : Guardrails.from(settings(Map.of())).all()) {
            String value = defaults.getProperty(g.property());
            assertTrue(value != null, g.property() + " is missing from config/application.properties");
            if (!OFF.get(g.name()).isEmpty()) {
                assertNotEquals(OFF.get(g.name()), value, g.name() + " is off by default");
            }
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "nested-groups           | squash",
        "suspended-user-identity | true",
        "guest-users             | ''",
        "user-delete             | delete",
        "duplicate-create        | no",
        "allowed-email-domains   | example.com, *.example.org",
        "allowed-email-domains   | @",
    })
    void aBadValueNamesTheProperty(String rule, String value) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> Guardrails.from(settings(Map.of(Guardrail.PROPERTY_PREFIX + rule, value))));
        assertEquals(Guardrail.PROPERTY_PREFIX + rule, e.property());
    }

    @Test
    void valuesAreReadIgnoringCaseAndSpaces() {
        Guardrails g = Guardrails.from(settings(Map.of(
                "onepassword.scim.guardrails.nested-groups", " Refuse ",
                "onepassword.scim.guardrails.allowed-email-domains", " Example.COM , @example.org")));
        assertEquals(NestedGroups.Mode.REFUSE, rule(g, NestedGroups.class).mode());
        assertEquals(List.of("example.com", "example.org"), rule(g, AllowedEmailDomains.class).domains());
    }

    @Test
    void deleteBecomesASuspendPatch() throws IOException {
        UserDelete d = UserDelete.asSuspend("QK3V7N2M5XJ4ZP6TB2RW8YCLHA");
        assertTrue(d.isSuspend());
        assertEquals("PATCH", d.method());
        assertEquals(Golden.JSON.readTree("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations":[{"op":"replace","path":"active","value":false}]}"""), d.body());
        assertEquals("DELETE", UserDelete.forward("QK3V7N2M5XJ4ZP6TB2RW8YCLHA").method());
    }

    private static <T extends Guardrail> T rule(Guardrails g, Class<T> type) {
        return g.all().stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    private static Golden.Outcome run(JsonNode spec, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        spec.path("settings").properties().forEach(e -> props.put(e.getKey(), e.getValue().asText()));
        props.putAll(overrides);
        Guardrails guardrails = Guardrails.from(settings(props));
        JsonNode request = spec.get("request");
        JsonNode current = spec.get("current");
        GroupLookup lookup = lookup(spec.path("groups"));
        String call = spec.path("call").asText();
        return Golden.Outcome.of(() -> switch (call) {
            case "userCreate" -> guardrails.userCreate(request, spec.path("userNameExists").asBoolean());
            case "userReplace" -> guardrails.userReplace(request, current);
            case "userPatch" -> guardrails.userPatch(request, current);
            case "userDelete" -> guardrails.userDelete(spec.path("id").asText()).toJson();
            case "groupCreate" -> guardrails.groupCreate(request, lookup);
            case "groupReplace" -> guardrails.groupReplace(request, current, lookup);
            case "groupPatch" -> guardrails.groupPatch(request, current, lookup);
            case "groupDelete" -> {
                guardrails.groupDelete(current);
                yield Golden.JSON.createObjectNode().put("allowed", true);
            }
            default -> throw new IllegalArgumentException("unknown call '" + call + "'");
        });
    }

    private static GroupLookup lookup(JsonNode groups) {
        Map<String, List<String>> members = new HashMap<>();
        groups.properties().forEach(e -> {
            List<String> ids = new ArrayList<>();
            e.getValue().forEach(id -> ids.add(id.asText()));
            members.put(e.getKey(), ids);
        });
        return GroupLookup.of(members);
    }

    /** config/application.properties with the given properties over it. */
    private static Settings settings(Map<String, String> overrides) {
        try {
            Properties p = defaults();
            overrides.forEach(p::setProperty);
            return new Settings(k -> Optional.ofNullable(p.getProperty(k)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Properties defaults() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("config/application.properties"))) {
            p.load(r);
        }
        return p;
    }
}
