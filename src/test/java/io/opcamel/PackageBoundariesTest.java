package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The architecture's boundaries, read from the sources (an import or a fully qualified name both count): the sandbox
 * is a profile the product never names (issue 18.4), the generic HTTP plumbing knows no API of the bundle, and the
 * bridge client none of its users.
 */
class PackageBoundariesTest {

    private static final Path MAIN = Path.of("src/main/java/io/opcamel");

    /** Package (a folder under io/opcamel) -> the packages its classes must not name. */
    private static final Map<String, List<String>> MUST_NOT_NAME = Map.of(
            "*", List.of("io.opcamel.sandbox"),
            "http", List.of("io.opcamel.scim", "io.opcamel.lifecycle", "io.opcamel.reconcile", "io.opcamel.events",
                    "io.opcamel.bridge"),
            // the bridge client serves the gateway, lifecycle and reconciliation alike
            "bridge", List.of("io.opcamel.scim.gateway", "io.opcamel.lifecycle", "io.opcamel.reconcile"));

    @Test
    void noPackageNamesWhatItMustNot() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(MAIN)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertTrue(sources.size() > 100, "the sources were not found: " + sources.size());
        for (Path source : sources) {
            String pkg = MAIN.relativize(source.getParent()).toString().replace('/', '.');
            if (pkg.equals("sandbox") || pkg.startsWith("sandbox.")) {
                continue; // the sandbox may name itself
            }
            String text = Files.readString(source);
            for (Map.Entry<String, List<String>> rule : MUST_NOT_NAME.entrySet()) {
                if (!rule.getKey().equals("*") && !pkg.equals(rule.getKey())) {
                    continue;
                }
                for (String forbidden : rule.getValue()) {
                    if (text.contains(forbidden + ".")) {
                        found.add(MAIN.relativize(source) + " names " + forbidden);
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void theProductionDefaultsHaveNoSandboxKey() throws IOException {
        List<String> sandboxKeys = Files.readAllLines(Path.of("config/application.properties")).stream()
                .filter(l -> l.startsWith("onepassword.sandbox.")).toList();
        assertEquals(List.of(), sandboxKeys, "the sandbox's keys belong in config/application-sandbox.properties");
    }
}
