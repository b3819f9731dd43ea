package io.opcamel.bench;

import static io.opcamel.bench.BenchTable.STARTUP;

import io.opcamel.BundleProcess;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up (issue 19.4): the bundle in a JVM of its own, started as every run path starts it (OnePasswordMain, the
 * jar's Main-Class, on the test classpath, which is the jar's lib/ as folders), timed from the process's start to the
 * first 200 of /observe/health/ready; then the used heap after a full GC (jcmd GC.run, GC.heap_info). Two ways: the
 * README's run command (--sandbox: the sandbox starts inside too) and production (accounts from the environment,
 * the Events API a sandbox in this JVM). Each the median of 5 starts.
 */
class StartupBench {

    private static final int STARTS = Integer.getInteger("bench.startups", 5);
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterAll
    static void print() {
        BenchTable.print();
    }

    @Test
    void fromTheStartOfTheJvmToReady(@TempDir Path dir) throws Exception {
        measure("the README's run command (--sandbox)", dir.resolve("sandbox"), Map.of(), "--sandbox");
        SandboxConfig c = new SandboxConfig();
        c.maxEvents = 1_000;
        try (Sandbox sandbox = Sandbox.start(c)) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("ONEPASSWORD_EVENTS_ACCOUNTS", "demo");
            env.put("ONEPASSWORD_EVENTS_DEMO_HOST", sandbox.baseUrl());
            env.put("ONEPASSWORD_EVENTS_DEMO_TOKEN", sandbox.issueEventsToken("demo", "signinattempts", "itemusages",
                    "auditevents"));
            measure("production (one account, 3 feeds, file sink)", dir.resolve("production"), env);
        }
        BenchTable.note(STARTUP, "Start-up: wall time from the child JVM's start to the first 200 of "
                + "/observe/health/ready (polled every 20 ms), then the used heap after jcmd GC.run; java -Xmx512m, "
                + "the test classpath (the jar's lib/ as folders and jars), " + STARTS + " starts each, median.");
    }

    private void measure(String what, Path dir, Map<String, String> env, String... args) throws Exception {
        List<Double> seconds = new ArrayList<>();
        List<Double> heaps = new ArrayList<>();
        for (int i = 0; i < STARTS; i++) {
            int management = freePort();
            Map<String, String> e = new LinkedHashMap<>(env);
            e.put("CAMEL_SERVER_PORT", Integer.toString(freePort()));
            e.put("CAMEL_MANAGEMENT_PORT", Integer.toString(management));
            e.put("ONEPASSWORD_SANDBOX_PORT", Integer.toString(freePort()));
            e.put("ONEPASSWORD_DATA_DIR", dir.resolve("data" + i).toString());
            Path work = dir.resolve("work" + i);
            long t0 = System.nanoTime();
            Process p = BundleProcess.start(work, work.resolve("run.log"), List.of("-Xmx512m"), e, args);
            try {
                URI ready = URI.create("http://127.0.0.1:" + management + "/observe/health/ready");
                while (!ready(ready)) {
                    if (!p.isAlive()) {
                        throw new IllegalStateException(what + ": the bundle exited with " + p.exitValue() + ", see "
                                + work.resolve("run.log"));
                    }
                    if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(120)) {
                        throw new IllegalStateException(what + ": not ready in 120 s, see " + work.resolve("run.log"));
                    }
                    Thread.sleep(20);
                }
                seconds.add((System.nanoTime() - t0) / 1e9);
                heaps.add(usedHeapAfterGc(p.pid()));
            } finally {
                p.destroy();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        double s = BenchTable.median(seconds);
        double heap = BenchTable.median(heaps);
        BenchTable.row(STARTUP, "start to ready: " + what, String.format(Locale.ROOT, "%.2f s (%s)", s,
                String.join(", ", seconds.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList())),
                "<= 5 s", BenchTable.verdict(s <= 5));
        BenchTable.row(STARTUP, "heap after start: " + what, String.format(Locale.ROOT, "%.1f MiB used after a full GC",
                heap), "-", "-");
    }

    private boolean ready(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double usedHeapAfterGc(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("no used heap in jcmd GC.heap_info: " + info);
        }
        return Long.parseLong(m.group(1)) / 1024.0;
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process j = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(j.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!j.waitFor(30, TimeUnit.SECONDS) || j.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + out);
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
