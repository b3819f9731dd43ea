package io.opcamel.bench;

import static io.opcamel.bench.BenchTable.RECONCILE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.opcamel.OnePasswordBundle;
import io.opcamel.reconcile.InjectedDrift;
import io.opcamel.reconcile.ReconcileTrigger;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconciliation of 100,000 users: the sandbox (in this JVM) holds 100,000 users in three departments, seeded
 * through its Java hooks, with its wrong-totalResults bug on; a JSON desired-state file of 100,000 people carries a
 * little drift. The bundle runs in a JVM of its own with {@code -Xmx256m} (the target is the heap, so the bundle
 * gets no more), and does one run, report only, through the real routes: the file source streamed, every page of
 * users read over HTTP through call-scim-bridge (with the shipped limiter: its 102 calls fit in 300 a minute), the
 * comparison, the report to a file. Measured there: wall time of the run, peak used heap sampled every 50 ms after
 * a System.gc() (garbage included), and the peak heap left after a collection (what the run holds). The drift found
 * must be exactly the injected drift. The same run then again with half the heap, to show how far within it is.
 */
class ReconcileBench {

    private static final int USERS = Integer.getInteger("bench.reconcile.users", 100_000);
    /** The bundle JVM's heap: the target's 256 MiB (smaller shows how much the run really needs). */
    private static final String HEAP = System.getProperty("bench.reconcile.heap", "256m");
    private static final String HALF = System.getProperty("bench.reconcile.half-heap", "128m");
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterAll
    static void print() {
        BenchTable.print();
    }

    @Test
    void reconcilesAHundredThousandUsersInAMinuteAndAQuarterGigabyte(@TempDir Path dir) throws Exception {
        InjectedDrift drift = new InjectedDrift(USERS, 10, 5, 8, 10, 10);
        Path desired = dir.resolve("hr").resolve("people.json");
        SandboxConfig config = new SandboxConfig();
        config.requestLogCapacity = 1_000;
        try (Sandbox sandbox = Sandbox.start(config)) {
            long seedStart = System.nanoTime();
            drift.seed(sandbox.bridge());
            sandbox.bridgeFaults().setWrongTotalResults(true);
            drift.writeDesired(desired, 0);
            double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
            Path token = dir.resolve("bridge.token");
            Files.writeString(token, sandbox.bridgeToken());

            JsonNode r = runBundle(HEAP, sandbox, token, desired, dir.resolve("data"));
            if (r == null) {
                BenchTable.row(RECONCILE, "reconcile " + number(USERS) + " users: wall time / peak heap",
                        "the run failed (see " + log() + ")", "<= 60 s / <= 256 MiB", BenchTable.FALLS_SHORT);
                return;
            }
            JsonNode report = JSON.readTree(Files.readString(Path.of(r.path("reportFile").asText())));
            boolean exact = InjectedDrift.found(report).equals(drift.expected());
            double seconds = r.path("wallMs").asDouble() / 1000;
            double peak = r.path("peakUsedMiB").asDouble();
            double live = r.path("peakAfterGcMiB").asDouble();
            String measure = "reconcile " + number(USERS) + " users (report only, -Xmx" + HEAP + ")";
            BenchTable.row(RECONCILE, measure + ": wall time", String.format(Locale.ROOT, "%.1f s", seconds),
                    "<= 60 s", BenchTable.verdict(seconds <= 60 && exact));
            BenchTable.row(RECONCILE, measure + ": peak used heap (sampled every 50 ms) / peak after a GC",
                    String.format(Locale.ROOT, "%.0f MiB / %.0f MiB", peak, live), "<= 256 MiB",
                    BenchTable.verdict(peak <= 256 && live <= 256 && exact));
            // how far within the target: the same run with half the heap
            JsonNode half = runBundle(HALF, sandbox, token, desired, dir.resolve("data-half"));
            BenchTable.row(RECONCILE, "the same run with -Xmx" + HALF, half == null ? "fails (out of memory)"
                    : String.format(Locale.ROOT, "completes in %.1f s (%d collections)",
                            half.path("wallMs").asDouble() / 1000, half.path("collections").asInt()), "-", "-");
            BenchTable.note(RECONCILE, String.format(Locale.ROOT, "Reconcile: %s users in the sandbox (seeded and the "
                    + "desired file written in %.1f s, in the bench JVM), wrong-totalResults on; the bundle in a JVM "
                    + "of its own, -Xmx%s, G1; %d pages of users over HTTP; heap before the run %.0f MiB (after "
                    + "System.gc()); %d collections during it; drift found %s the injected drift (%s); the report "
                    + "is %,d bytes.", number(USERS), seedSeconds, HEAP, r.path("userPages").asInt(),
                    r.path("baselineMiB").asDouble(), r.path("collections").asInt(),
                    exact ? "is exactly" : "DIFFERS from", report.path("counts").toString(),
                    r.path("reportBytes").asLong()));
        }
    }

    /** One run in a bundle JVM of {@code heap}; its measures, or null when it failed (its log says why). */
    private static JsonNode runBundle(String heap, Sandbox sandbox, Path token, Path desired, Path data)
            throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseG1GC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Run.class.getName(), sandbox.bridgeUrl(), token.toString(), desired.toString(), data.toString());
        Files.createDirectories(data);
        Files.createDirectories(log().getParent());
        // a scratch working folder: a classpath entry that means "here" must not find the source tree's routes/
        Process child = new ProcessBuilder(command).directory(data.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
        String out = new String(child.getInputStream().readAllBytes());
        int exit = child.waitFor();
        String last = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
        return exit != 0 || last == null ? null : JSON.readTree(last);
    }

    private static Path log() {
        return BenchTable.file().resolveSibling("reconcile-run.log");
    }

    private static String number(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * The bundle's side, in its own JVM: one run through direct:run-reconciliation, measured; prints one JSON line.
     * Arguments: the bridge URL, the bridge token's file, the desired-state file, the data folder.
     */
    public static final class Run {

        public static void main(String[] args) throws Exception {
            Properties p = new Properties();
            p.setProperty("onepassword.data-dir", args[3]);
            p.setProperty("onepassword.scim.bridge.url", args[0]);
            p.setProperty("onepassword.scim.bridge.token-file", args[1]);
            p.setProperty("onepassword.reconcile.source.file", args[2]);
            DefaultCamelContext context = new DefaultCamelContext();
            context.getPropertiesComponent().setInitialProperties(p);
            OnePasswordBundle.install(context);
            context.start();
            try {
                MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
                System.gc();
                long baseline = memory.getHeapMemoryUsage().getUsed();
                AtomicLong peak = new AtomicLong(baseline);
                AtomicLong peakAfterGc = new AtomicLong(baseline);
                AtomicLong collections = new AtomicLong();
                for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                    ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                                    (CompositeData) n.getUserData());
                            long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                                    .mapToLong(MemoryUsage::getUsed).sum();
                            peakAfterGc.accumulateAndGet(after, Math::max);
                            collections.incrementAndGet();
                        }
                    }, null, null);
                }
                Thread sampler = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                sampler.setDaemon(true);
                sampler.start();
                long t0 = System.nanoTime();
                String report = context.createProducerTemplate().requestBody("direct:run-reconciliation",
                        new ReconcileTrigger("bench", false), String.class);
                long wall = System.nanoTime() - t0;
                sampler.interrupt();
                sampler.join();
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                JsonNode r = JSON.readTree(report);
                if (!"completed".equals(r.path("status").asText())) {
                    throw new IllegalStateException("the run failed: " + r.path("error").asText());
                }
                Path file = Path.of(args[3], "reconcile", "drift-" + r.path("runId").asText() + ".json");
                System.out.println(JSON.createObjectNode().put("wallMs", wall / 1_000_000)
                        .put("peakUsedMiB", peak.get() / 1048576.0).put("peakAfterGcMiB", peakAfterGc.get() / 1048576.0)
                        .put("baselineMiB", baseline / 1048576.0).put("collections", collections.get())
                        .put("userPages", r.path("bridge").path("userPages").asInt())
                        .put("reportBytes", report.length()).put("reportFile", file.toString()));
            } finally {
                context.stop();
            }
        }
    }
}
