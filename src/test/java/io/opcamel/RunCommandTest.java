package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.main.Main;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, in-process: OnePasswordMain's Main with --sandbox (the sandbox profile, then
 * the defaults), on a free port and a scratch folder. All three feeds must reach the NDJSON file sink with every
 * field the 1Password docs show for that feed.
 */
class RunCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theRunCommandStreamsAllThreeFeedsToTheFileSink(@TempDir Path dir) throws Exception {
        Main main = OnePasswordMain.configure(new String[] {"--sandbox"}, Map.of(), new ArrayList<>());
        main.addOverrideProperty("onepassword.sandbox.port", Integer.toString(freePort()));
        main.addOverrideProperty("onepassword.data-dir", dir.toString());
        int serverPort = freePort();
        main.addOverrideProperty("camel.server.port", Integer.toString(serverPort)); // the SCIM gateway's
        main.addOverrideProperty("camel.management.port", Integer.toString(freePort())); // metrics and health
        main.addOverrideProperty("onepassword.events.cron", "0/1 * * * * ?");
        main.start();
        try {
            for (String feature : List.of("signinattempts", "itemusages", "auditevents")) {
                Path file = dir.resolve("events").resolve("demo-" + feature + ".ndjson");
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file) && Files.size(file) > 0);
                Set<String> documented = documentedFields(feature);
                Set<String> seen = new TreeSet<>();
                List<String> lines = BundleHarness.wholeLines(file);
                assertTrue(lines.size() >= 100, feature + ": the sandbox backlog should arrive, got " + lines.size());
                for (String line : lines) {
                    paths("", JSON.readTree(line).path("event"), seen);
                }
                Set<String> missing = new TreeSet<>(documented);
                missing.removeAll(seen);
                assertTrue(missing.isEmpty(), feature + " records lack documented fields " + missing);
            }
            assertFalse(Files.readString(dir.resolve("sandbox").resolve("demo-events.token")).isBlank());
            // Camel Main's own server answers a path no route has (dot segments out of the base path) in SCIM too
            io.opcamel.scim.gateway.RawHttp.Response unrouted = io.opcamel.scim.gateway.RawHttp.send(serverPort,
                    "GET", "/scim/v2/..", (String) null, null);
            assertEquals(404, unrouted.status(), unrouted.text());
            assertEquals("application/scim+json", unrouted.header("Content-Type"));
        } finally {
            main.stop();
        }
    }

    /** Every field path of the docs' v2 example item of the feed (kept in the golden fixtures). */
    private static Set<String> documentedFields(String feature) throws IOException {
        Path input = Path.of("src/test/resources/events/golden",
                feature.equals("auditevents") ? "auditevents-docs-and-elastic-v2" : feature + "-docs-v2", "input.json");
        JsonNode items = JSON.readTree(input.toFile()).path("exchanges").get(0).path("response").path("body").path("items");
        Set<String> out = new TreeSet<>();
        paths("", items.get(0), out);
        if (feature.equals("auditevents")) {
            out.addAll(Set.of("action", "object_type", "actor_type")); // the docs' rendered example omits these
        }
        return out;
    }

    private static void paths(String prefix, JsonNode node, Set<String> out) {
        if (node == null || !node.isObject()) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String name = it.next();
            out.add(prefix + name);
            paths(prefix + name + ".", node.get(name), out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
