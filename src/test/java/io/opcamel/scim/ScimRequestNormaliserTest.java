package io.opcamel.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden fixtures of what Okta and Entra ID send (src/test/resources/scim/normalise/&lt;case&gt;/input.json) and what
 * the bridge must get (expected.json) or the IdP must be answered (expected-error.json). input.json says which call
 * it is ("call": user, group, userPatch, groupPatch, filter) and carries the body, the current group for
 * groupPatch, or the filter and its endpoint. A new case is a new folder; -Dgolden.update=true rewrites the
 * expected files.
 */
class ScimRequestNormaliserTest {

    private static final Path ROOT = Path.of("src/test/resources/scim/normalise");

    static List<String> cases() throws IOException {
        return Golden.cases(ROOT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void normalisesAsTheFixtureSays(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        JsonNode input = Golden.read(dir.resolve("input.json"));
        ScimRequestNormaliser normaliser = new ScimRequestNormaliser();
        JsonNode body = input.get("body");
        String call = input.path("call").asText();
        Golden.Outcome outcome = Golden.Outcome.of(() -> switch (call) {
            case "user" -> normaliser.user(body);
            case "group" -> normaliser.group(body);
            case "userPatch" -> normaliser.userPatch(body);
            case "groupPatch" -> normaliser.groupPatch(body, input.get("currentGroup"));
            case "filter" -> Golden.JSON.createObjectNode().put("filter", input.has("endpoint")
                    ? ScimFilters.normalise(input.get("filter").asText(),
                            ScimFilters.Endpoint.valueOf(input.get("endpoint").asText()))
                    : ScimFilters.normalise(input.get("filter").asText()));
            default -> throw new IllegalArgumentException(dir + ": unknown call '" + call + "'");
        });
        Golden.check(dir, outcome);
        boolean emptyPatch = call.endsWith("Patch") && outcome.error() == null
                && ScimRequestNormaliser.isEmpty(outcome.body());
        if (outcome.error() == null && !call.equals("filter") && !emptyPatch) {
            // normalising is idempotent: the bridge's form is already normal
            JsonNode again = switch (call) {
                case "user" -> normaliser.user(outcome.body());
                case "group" -> normaliser.group(outcome.body());
                case "userPatch" -> normaliser.userPatch(outcome.body());
                default -> normaliser.groupPatch(outcome.body(), input.get("currentGroup"));
            };
            assertEquals(outcome.body(), again, "normalising " + name + "'s output again changed it");
        }
    }
}
