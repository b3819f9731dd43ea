package io.opcamel.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.BundleHarness;
import io.opcamel.BundleProcess;
import io.opcamel.SandboxExtension;
import io.opcamel.sandbox.EventStream;
import io.opcamel.sink.RecordingHttpSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 5, stopping within the promise: the shipped main class in a JVM of its own (as ops run it) gets a
 * SIGTERM while its feed waits, once per kind of wait: its budget spent (the throttle), a long Retry-After, a
 * backoff after 5xx (both in the redelivery), a slow HTTP sink. Each cell asserts the JVM exits within
 * camel.main.shutdown-timeout (10 s here, against waits of a minute or more), with no ERROR line and no forced
 * shutdown, and that a restart on the same files then delivers every event exactly once, in order. The measured
 * exit time goes into the reliability summary.
 *
 * <p>A cell sends the SIGTERM once its feed is in the wait: the sandbox saw the request that started it (or the
 * sink the batch), and a second went by with nothing more (Awaitility's poll delay), so the poll's thread is in the
 * wait, not on its way to it. They are reliability cells rather than *Tests: two JVM starts each, some 20 s a cell
 * on a shared machine, and they belong beside the fault matrix and its summary.
 */
@ExtendWith(PrintTheSummaryAtTheEnd.class)
class SigtermDuringWaitsReliability {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FEED = "itemusages";
    private static final int PAGE = 100;
    private static final int EVENTS = 4 * PAGE;
    private static final int SHUTDOWN_TIMEOUT_SECONDS = 10;
    /** How long after the SIGTERM a JVM still running is killed (the cell has failed by then). */
    private static final int GIVE_UP_SECONDS = 60;

    @TempDir
    static Path dir;
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.finite(EVENTS).with(c -> c.eventsRateLimitEnabled = false);

    /** One kind of wait: the settings that make it long, how it is started, and how the cell knows it has begun. */
    record Wait(String name, boolean httpSink, Map<String, String> settings, Runnable arm, Callable<Boolean> begun) {
    }

    /** The HTTP sink of the slow-sink cell: Elasticsearch's _bulk, whose 409 on a re-sent record keeps it once. */
    static final RecordingHttpSink.ElasticsearchBulk ES = new RecordingHttpSink.ElasticsearchBulk();
    static final AtomicInteger SLOW_ANSWERS = new AtomicInteger();
    static final RecordingHttpSink SINK = RecordingHttpSink.start(r -> {
        // decided before the batch is stored: the cell arms the slow answer once it sees the first page stored
        boolean slow = SLOW_ANSWERS.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        RecordingHttpSink.Answer good = ES.answer(r);
        return slow ? good.after(120_000) : good;
    });

    static List<Wait> waits() {
        return List.of(
                new Wait("budget spent (3 requests a minute: the 4th waits for a place)", false,
                        Map.of("onepassword.events.rate.minute.requests", "3",
                                "onepassword.events.rate.minute.period", "PT60S"),
                        () -> { }, () -> requests(null) >= 3),
                new Wait("a long Retry-After (429, Retry-After: 120)", false, Map.of(),
                        () -> SANDBOX.get().eventsFaults().setTooManyRequestsRetryAfterSeconds(120).setTooManyRequestsNext(1),
                        () -> requests("too-many-requests") >= 1),
                new Wait("backoff after 5xx (503s, backoff up to 20 s each)", false,
                        Map.of("onepassword.events.retry.base", "PT20S", "onepassword.events.retry.cap", "PT20S"),
                        () -> SANDBOX.get().eventsFaults().setServerErrorStatus(503).setServerErrorNext(1000),
                        () -> requests("server-error") >= 1),
                new Wait("a slow HTTP sink (its answer 120 s late; response timeout 60 s)", true, Map.of(),
                        () -> SLOW_ANSWERS.set(1), () -> SINK.requests().size() >= 2));
    }

    @TestFactory
    Stream<DynamicTest> sigtermDuringEachWaitExitsWithinTheShutdownTimeoutAndLosesNothing() {
        List<DynamicTest> tests = new ArrayList<>();
        AtomicInteger n = new AtomicInteger();
        // -Dsigterm.waits=budget,slow runs only the cells whose name contains one of those words
        List<String> only = List.of(System.getProperty("sigterm.waits", "").split(",")).stream()
                .filter(w -> !w.isBlank()).toList();
        for (Wait wait : waits()) {
            if (!only.isEmpty() && only.stream().noneMatch(wait.name()::contains)) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(wait.name(), () -> runCell(wait, dir.resolve("stop-" + n.incrementAndGet()))));
        }
        return tests.stream();
    }

    private void runCell(Wait wait, Path cellDir) throws Exception {
        SANDBOX.get().reset();
        SLOW_ANSWERS.set(0);
        // answers a little late, so the fault is armed after the first page and before the next request
        SANDBOX.get().eventsFaults().setLatencyMillis(100);
        Path data = cellDir.resolve("data");
        Map<String, String> env = environment(wait, cellDir, data);
        Supplier<List<String>> delivered = () -> wait.httpSink() ? ES.stored() : fileUuids(data);
        int before = delivered.get().size(); // the Elasticsearch store is the class's: count from here

        // 1. the backfill gets going; the wait begins; SIGTERM
        Path firstLog = cellDir.resolve("first.log");
        Process first = BundleProcess.start(cellDir.resolve("work"), firstLog, List.of("-Xmx256m"), env);
        long signalled;
        try {
            awaitOrShow(firstLog, Duration.ofSeconds(90), () -> delivered.get().size() - before >= PAGE);
            wait.arm().run();
            awaitOrShow(firstLog, Duration.ofSeconds(60), wait.begun());
            // in the wait, not on its way to it: a second with no page more
            AtomicInteger seen = new AtomicInteger(-1);
            await().pollInterval(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                    .until(() -> seen.getAndSet(delivered.get().size()) == delivered.get().size());
        } finally {
            signalled = System.nanoTime();
            first.destroy(); // SIGTERM
        }
        boolean exited = first.waitFor(GIVE_UP_SECONDS, TimeUnit.SECONDS);
        Duration exit = Duration.ofNanos(System.nanoTime() - signalled);
        if (!exited) {
            first.destroyForcibly().waitFor();
        }
        String log = Files.readString(firstLog);
        long errors = log.lines().filter(l -> l.contains("ERROR")).count();
        boolean forced = log.contains("Timeout occurred during graceful shutdown") || log.contains("Forcing shutdown");
        boolean stoppedAtOnce = log.contains("stops at once: the bundle is stopping");

        // 2. restart on the same files, the fault over: the rest, once
        SANDBOX.get().eventsFaults().clear();
        SANDBOX.get().eventsFaults().setLatencyMillis(0);
        SLOW_ANSWERS.set(0);
        List<String> got = List.of();
        boolean withinTimeout = exited && exit.toSeconds() < SHUTDOWN_TIMEOUT_SECONDS;
        if (withinTimeout) {
            Path secondLog = cellDir.resolve("second.log");
            Process second = BundleProcess.start(cellDir.resolve("work"), secondLog, List.of("-Xmx256m"), env);
            try {
                awaitOrShow(secondLog, Duration.ofSeconds(120), () -> delivered.get().size() - before >= EVENTS);
            } finally {
                second.destroy();
                if (!second.waitFor(GIVE_UP_SECONDS, TimeUnit.SECONDS)) {
                    second.destroyForcibly().waitFor();
                }
            }
            got = delivered.get().subList(before, delivered.get().size());
        }
        List<String> expected = expected();
        List<String> received = got;
        long lost = expected.stream().filter(u -> !received.contains(u)).count();
        long duplicated = got.size() - got.stream().distinct().count();
        ReliabilitySummary.stopCell(new ReliabilitySummary.StopCell(wait.name(), FEED, exited ? exit : null,
                SHUTDOWN_TIMEOUT_SECONDS, errors, forced, withinTimeout ? lost : -1, duplicated));

        assertTrue(withinTimeout, "exit " + (exited ? exit.toMillis() + " ms" : "not within " + GIVE_UP_SECONDS
                + " s") + " after SIGTERM, the shutdown timeout is " + SHUTDOWN_TIMEOUT_SECONDS + " s:\n" + log);
        assertEquals(0, errors, "ERROR lines:\n" + log);
        assertTrue(!forced, "a forced shutdown:\n" + log);
        assertTrue(stoppedAtOnce, "the feed said the stop ended its wait:\n" + log);
        if (wait.name().startsWith("budget")) {
            // issue 16 point 6: the progress line says the feed waits for its budget, and until when
            assertTrue(log.lines().anyMatch(l -> l.contains("catching up") && l.contains("waiting for its budget")
                    && l.contains(" until ")), "a progress line while the budget was spent:\n" + log);
        }
        assertEquals(0, lost, "events lost");
        assertEquals(0, duplicated, "events duplicated");
        assertEquals(expected, got, "every event once, in order, across the stop");
    }

    private static Map<String, String> environment(Wait wait, Path cellDir, Path data) throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("onepassword.events.accounts", "demo");
        props.put("onepassword.events.demo.features", FEED);
        props.put("onepassword.events.limit", Integer.toString(PAGE));
        props.put("onepassword.events.cron", "0/1 * * * * ?");
        props.put("onepassword.events.progress-interval", "PT1S");
        props.put("camel.main.shutdown-timeout", Integer.toString(SHUTDOWN_TIMEOUT_SECONDS));
        if (wait.httpSink()) {
            props.put("onepassword.sink.type", "http");
            props.put("onepassword.sink.http.url", SINK.url("/_bulk"));
            props.put("onepassword.sink.http.format", "elasticsearch-bulk");
            props.put("onepassword.sink.http.batch-size", Integer.toString(PAGE));
        }
        props.putAll(wait.settings());
        Path config = cellDir.resolve("onepassword.properties");
        Files.createDirectories(cellDir);
        StringBuilder text = new StringBuilder();
        props.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(config, text);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ONEPASSWORD_CONFIG", config.toString());
        env.put("ONEPASSWORD_DATA_DIR", data.toString());
        env.put("ONEPASSWORD_EVENTS_DEMO_HOST", SANDBOX.get().baseUrl());
        env.put("ONEPASSWORD_EVENTS_DEMO_TOKEN", SANDBOX.get().issueEventsToken("demo", FEED));
        env.put("CAMEL_MANAGEMENT_ENABLED", "false");
        return env;
    }

    /** The feed's requests the sandbox answered, with this fault (null: all). */
    private static long requests(String fault) {
        return SANDBOX.get().requests().all().stream().filter(r -> r.path().endsWith("/" + FEED))
                .filter(r -> fault == null || fault.equals(r.fault())).count();
    }

    private static List<String> fileUuids(Path data) {
        try {
            List<String> out = new ArrayList<>();
            for (String line : BundleHarness.wholeLines(data.resolve("events").resolve("demo-" + FEED + ".ndjson"))) {
                out.add(JSON.readTree(line).path("event").path("uuid").asText());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> expected() {
        EventStream stream = SANDBOX.get().events().stream("demo", FEED);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            out.add(stream.uuid(i));
        }
        return out;
    }

    private static void awaitOrShow(Path log, Duration atMost, Callable<Boolean> condition) throws IOException {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; the bundle's log:\n" + Files.readString(log), e);
        }
    }
}
