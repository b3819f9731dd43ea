package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
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
 * field the 1Password docs show for that feed; started again on the same folder, it resumes where it stopped.
 */
class RunCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theRunCommandStreamsAllThreeFeedsToTheFileSink(@TempDir Path dir) throws Exception {
        int serverPort = freePort();
        Main main = runCommand(dir, freePort(), serverPort);
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

    /**
     * Stopped and started again on the same data folder, the demo goes on like a real account: the first poll or the
     * second after the restart brings new events (what happened while it was down), and nothing delivered before the
     * restart is delivered again.
     */
    @Test
    void aRestartedRunCommandResumesTheSameStream(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events").resolve("demo-signinattempts.ndjson");
        Instant started = Instant.now();
        Main first = runCommand(dir, freePort(), freePort());
        first.start();
        try {
            // the backlog, then events generated while it runs: the saved cursor is past where a new account starts
            Awaitility.await().atMost(Duration.ofSeconds(120))
                    .until(() -> eventTimes(file).stream().filter(t -> t.isAfter(started)).count() >= 20);
        } finally {
            first.stop();
        }
        List<String> before = uuids(file);

        int sandboxPort = freePort();
        Main second = runCommand(dir, sandboxPort, freePort());
        second.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> uuids(file).size() > before.size());
            long polls = feedRequests(sandboxPort, "/api/v2/signinattempts");
            assertTrue(polls <= 3, "new events should come with the first poll or the second after the restart, "
                    + "took " + polls + " requests");
            List<String> all = uuids(file);
            assertEquals(all.size(), new TreeSet<>(all).size(), "an event was delivered twice across the restart");
        } finally {
            second.stop();
        }
    }

    /**
     * Restarted against another account (the sandbox's seed changed, its state is another one's), the saved cursor is
     * one the API cannot read: the feed starts again a start window before that cursor was saved instead of being
     * refused for ever.
     */
    @Test
    void aSavedCursorTheApiRefusesDoesNotWedgeTheFeed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("events").resolve("demo-signinattempts.ndjson");
        Main first = runCommand(dir, freePort(), freePort());
        first.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(120))
                    .until(() -> Files.exists(dir.resolve("cursors").resolve("demo-signinattempts.cursor.json")));
        } finally {
            first.stop();
        }
        List<String> before = uuids(file);
        Instant savedAt = Instant.parse(JSON.readTree(dir.resolve("cursors").resolve("demo-signinattempts.cursor.json")
                .toFile()).path("saved_at").asText());

        int sandboxPort = freePort();
        Main second = runCommand(dir, sandboxPort, freePort());
        second.addOverrideProperty("onepassword.sandbox.seed", "7");
        second.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> uuids(file).size() > before.size());
            long polls = feedRequests(sandboxPort, "/api/v2/signinattempts");
            assertTrue(polls <= 3, "the refused cursor should be given up at once, took " + polls + " requests");
            // started again one start window (the profile's default, PT1H) before the refused cursor was saved
            assertEquals(List.of(savedAt.minus(Duration.ofHours(1)).toString()),
                    feedRequestBodies(sandboxPort, "/api/v2/signinattempts").stream()
                            .filter(b -> b.has("start_time")).map(b -> b.path("start_time").asText()).toList());
        } finally {
            second.stop();
        }
    }

    /** The run command's configuration: the sandbox profile, then the defaults; free ports, a scratch folder. */
    private static Main runCommand(Path dir, int sandboxPort, int serverPort) throws IOException {
        Main main = OnePasswordMain.configure(new String[] {"--sandbox"}, Map.of(), new ArrayList<>());
        main.addOverrideProperty("onepassword.sandbox.port", Integer.toString(sandboxPort));
        main.addOverrideProperty("onepassword.data-dir", dir.toString());
        main.addOverrideProperty("camel.server.port", Integer.toString(serverPort)); // the SCIM gateway's
        main.addOverrideProperty("camel.management.port", Integer.toString(freePort())); // metrics and health
        main.addOverrideProperty("onepassword.events.cron", "0/1 * * * * ?");
        return main;
    }

    private static List<String> uuids(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : BundleHarness.wholeLines(file)) {
            out.add(JSON.readTree(line).path("event").path("uuid").asText());
        }
        return out;
    }

    private static List<Instant> eventTimes(Path file) throws IOException {
        List<Instant> out = new ArrayList<>();
        for (String line : BundleHarness.wholeLines(file)) {
            out.add(OffsetDateTime.parse(JSON.readTree(line).path("event").path("timestamp").asText()).toInstant());
        }
        return out;
    }

    /** How many requests to the path the sandbox has had (its admin request log). */
    private static List<JsonNode> feedRequestBodies(int sandboxPort, String path) throws Exception {
        HttpResponse<String> log = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + sandboxPort + "/__sandbox/requests")).build(),
                HttpResponse.BodyHandlers.ofString());
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : JSON.readTree(log.body())) {
            if (r.path("path").asText().equals(path)) {
                out.add(JSON.readTree(r.path("body").asText("{}")));
            }
        }
        return out;
    }

    private static long feedRequests(int sandboxPort, String path) throws Exception {
        HttpResponse<String> log = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + sandboxPort + "/__sandbox/requests")).build(),
                HttpResponse.BodyHandlers.ofString());
        long n = 0;
        for (JsonNode r : JSON.readTree(log.body())) {
            if (r.path("path").asText().equals(path)) {
                n++;
            }
        }
        return n;
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
