package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One pattern for every call that carries a credential (the Events API's token, the bridge's, the HTTP sink's,
 * reconciliation's HTTP source's): the
 * credential goes on inside a {@code doTry} whose {@code doFinally} takes every header off again, so no token is left
 * on an exchange whatever the call did (sent on to the next endpoint, logged by an error handler, echoed in an
 * answer). Read from the YAML: every step that sets {@code Authorization} must sit in such a try.
 */
class AuthorizedCallsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyCredentialIsSetInsideATryThatForgetsEveryHeader() throws Exception {
        List<String> found = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList()) {
                walk(YAML.readTree(f.toFile()), new ArrayDeque<>(), f, found, wrong);
            }
        }
        assertEquals(5, found.size(), "the calls with a credential (Events API, bridge, bridge health, HTTP sink, "
                + "reconciliation's HTTP source): " + found);
        assertEquals(List.of(), wrong);
    }

    /** {@code tries}: the doTry nodes whose steps enclose the node, innermost first. */
    private static void walk(JsonNode node, Deque<JsonNode> tries, Path file, List<String> found, List<String> wrong) {
        if (node.isObject()) {
            JsonNode set = node.get("setHeader");
            if (set != null && "Authorization".equalsIgnoreCase(set.path("name").asText())) {
                String where = file + " " + set.path("id").asText();
                found.add(where);
                if (tries.isEmpty() || !forgetsEveryHeader(tries.peek())) {
                    wrong.add(where + ": not inside a doTry whose doFinally removes every header");
                }
            }
            JsonNode doTry = node.get("doTry");
            if (doTry != null) {
                tries.push(doTry);
                walk(doTry.path("steps"), tries, file, found, wrong);
                tries.pop();
                doTry.fields().forEachRemaining(e -> {
                    if (!e.getKey().equals("steps")) {
                        walk(e.getValue(), tries, file, found, wrong);
                    }
                });
                node.fields().forEachRemaining(e -> {
                    if (!e.getKey().equals("doTry")) {
                        walk(e.getValue(), tries, file, found, wrong);
                    }
                });
                return;
            }
        }
        node.elements().forEachRemaining(child -> walk(child, tries, file, found, wrong));
    }

    private static boolean forgetsEveryHeader(JsonNode doTry) {
        for (JsonNode step : doTry.path("doFinally").path("steps")) {
            JsonNode remove = step.get("removeHeaders");
            if (remove != null && "*".equals(remove.path("pattern").asText())) {
                return true;
            }
        }
        return false;
    }
}
