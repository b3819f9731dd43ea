package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.sandbox.EventStream;
import io.opcamel.sandbox.EventsApi;
import io.opcamel.sandbox.LoggedRequest;
import io.opcamel.sandbox.SandboxCursors;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar's entry point ({@link OnePasswordMain}, the manifest's Main-Class) in a JVM of its own, on the
 * test classpath (the jar is built by mvn package, which CI does not run), configured the way ops configure it: the
 * packaged production defaults, an external properties file named by ONEPASSWORD_CONFIG, and environment variables
 * for the rest (the account's host and token, the data folder, the management port). It backfills a large backlog
 * from the sandbox (in this JVM, on loopback, every answer slowed down) into the file sink, and gets a SIGTERM
 * (Process.destroy) mid-backfill: it must exit within camel.main.shutdown-timeout and a margin, having finished the
 * page in flight and saved its cursor; a restart then delivers the rest: every event exactly once, in order.
 */
class SigtermDuringBackfillTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 10_000;
    private static final int LIMIT = 200;
    private static final int SHUTDOWN_TIMEOUT_SECONDS = 10;
    /** A JVM's own shutdown beyond Camel's (hooks, log flush): the exit must come within the timeout plus this. */
    private static final int MARGIN_SECONDS = 10;
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.finite(EVENTS).with(c -> c.eventsRateLimitEnabled = false);

    @Test
    void sigtermMidBackfillSavesTheDeliveredPageAndARestartDeliversTheRestOnce(@TempDir Path dir) throws Exception {
        // about 50 pages per feed, each answer 60 ms late: a backfill of several seconds, three feeds at once
        SANDBOX.get().eventsFaults().setLatencyMillis(60);
        Path config = dir.resolve("onepassword.properties");
        Files.writeString(config, String.join("\n",
                "# what ops put in the file ONEPASSWORD_CONFIG names; tokens stay in the environment",
                "onepassword.events.accounts=demo",
                "onepassword.events.limit=" + LIMIT,
                "onepassword.events.cron=0/1 * * * * ?",
                "camel.main.shutdown-timeout=" + SHUTDOWN_TIMEOUT_SECONDS, ""));
        Path data = dir.resolve("data");
        int management = freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ONEPASSWORD_CONFIG", config.toString());
        env.put("ONEPASSWORD_DATA_DIR", data.toString());
        env.put("ONEPASSWORD_EVENTS_DEMO_HOST", SANDBOX.get().baseUrl());
        env.put("ONEPASSWORD_EVENTS_DEMO_TOKEN", SANDBOX.get().issueEventsToken("demo", EventsApi.FEATURES));
        env.put("CAMEL_MANAGEMENT_HOST", "127.0.0.1");
        env.put("CAMEL_MANAGEMENT_PORT", Integer.toString(management));

        // 1. start, let the backfill get going, SIGTERM
        Process first = start(env, dir.resolve("first.log"));
        try {
            awaitOrShow(dir.resolve("first.log"), Duration.ofSeconds(90), Duration.ofMillis(50),
                    () -> EventsApi.FEATURES.stream().anyMatch(f -> lines(data, f).size() >= 2 * LIMIT));
            // the management port came from CAMEL_MANAGEMENT_PORT (Camel Main alone would not read it there)
            assertEquals(200, get("http://127.0.0.1:" + management + "/observe/health/live"));
        } finally {
            first.destroy(); // SIGTERM
        }
        long signalled = System.nanoTime();
        assertTrue(first.waitFor(SHUTDOWN_TIMEOUT_SECONDS + MARGIN_SECONDS, TimeUnit.SECONDS),
                "still running " + (SHUTDOWN_TIMEOUT_SECONDS + MARGIN_SECONDS) + " s after SIGTERM");
        long tookMillis = (System.nanoTime() - signalled) / 1_000_000;
        String log = Files.readString(dir.resolve("first.log"));
        assertTrue(log.contains("JVM shutdown hook triggered by SIGTERM"), "Camel Main saw the SIGTERM:\n" + log);
        // after the page it delivered and saved, or at once if the stop cut its next request short
        assertTrue(log.contains("stops: the bundle is stopping; its cursor was saved after")
                || log.contains("stops at once: the bundle is stopping"), "a feed ended its poll:\n" + log);
        assertFalse(log.contains("Timeout occurred during graceful shutdown") || log.contains("Forcing shutdown"),
                "the shutdown was forced (took " + tookMillis + " ms):\n" + log);

        int delivered = 0;
        Map<String, Integer> before = new LinkedHashMap<>();
        for (String feature : EventsApi.FEATURES) {
            List<String> uuids = uuids(data, feature);
            before.put(feature, uuids.size());
            delivered += uuids.size();
            assertEquals(expected(feature, uuids.size()), uuids, feature + ": the events delivered before the stop");
            Path cursor = data.resolve("cursors").resolve("demo-" + feature + ".cursor.json");
            if (!uuids.isEmpty()) {
                // the cursor of the last delivered page was saved: the next page starts right after it
                String saved = JSON.readTree(cursor.toFile()).path("cursor").asText();
                assertEquals(uuids.size(), SandboxCursors.next(SANDBOX.get(), saved),
                        feature + ": the saved cursor points past exactly the events in the sink");
            }
        }
        assertTrue(delivered > 0 && before.values().stream().anyMatch(n -> n < EVENTS),
                "the SIGTERM should have come mid-backfill: " + before);
        System.out.println("SIGTERM mid-backfill: exited in " + tookMillis + " ms (shutdown-timeout "
                + SHUTDOWN_TIMEOUT_SECONDS + " s) with " + before + " of " + EVENTS + " events per feed delivered");

        // 2. restart on the same files: the rest, once
        long seen = SANDBOX.get().requests().lastSeq();
        Process second = start(env, dir.resolve("second.log"));
        try {
            awaitOrShow(dir.resolve("second.log"), Duration.ofSeconds(120), Duration.ofMillis(200),
                    () -> EventsApi.FEATURES.stream().allMatch(f -> lines(data, f).size() >= EVENTS));
        } finally {
            second.destroy();
        }
        assertTrue(second.waitFor(SHUTDOWN_TIMEOUT_SECONDS + MARGIN_SECONDS, TimeUnit.SECONDS));
        for (String feature : EventsApi.FEATURES) {
            assertEquals(expected(feature, EVENTS), uuids(data, feature),
                    feature + ": every event exactly once, in order, across the stop");
            if (before.get(feature) > 0) {
                List<LoggedRequest> after = SANDBOX.get().requests()
                        .matching(r -> r.seq() > seen && r.path().endsWith("/" + feature));
                assertTrue(after.get(0).body().contains("\"cursor\""), feature + ": the restart goes on from the cursor");
            }
        }
    }

    /** Waits for the condition; if it never comes, fails with the child's log. */
    private static void awaitOrShow(Path log, Duration atMost, Duration every, Callable<Boolean> condition)
            throws IOException {
        try {
            Awaitility.await().atMost(atMost).pollInterval(every).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; the bundle's log:\n" + Files.readString(log), e);
        }
    }

    private static Process start(Map<String, String> env, Path log) throws IOException {
        return BundleProcess.start(log.getParent().resolve("work"), log, List.of("-Xmx256m"), env);
    }

    private static List<String> lines(Path data, String feature) {
        try {
            return BundleHarness.wholeLines(data.resolve("events").resolve("demo-" + feature + ".ndjson"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<String> uuids(Path data, String feature) throws IOException {
        List<String> out = new ArrayList<>();
        Path file = data.resolve("events").resolve("demo-" + feature + ".ndjson");
        if (Files.exists(file)) {
            String text = Files.readString(file);
            assertTrue(text.isEmpty() || text.endsWith("\n"), feature + ": a torn last line");
        }
        for (String line : lines(data, feature)) {
            out.add(JSON.readTree(line).path("event").path("uuid").asText());
        }
        return out;
    }

    private static List<String> expected(String feature, int n) {
        EventStream stream = SANDBOX.get().events().stream("demo", feature);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(stream.uuid(i));
        }
        return out;
    }

    private static int get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
