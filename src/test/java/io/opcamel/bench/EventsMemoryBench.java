package io.opcamel.bench;

import static io.opcamel.bench.BenchTable.MEMORY;

import io.opcamel.BundleHarness;
import io.opcamel.EmbeddedKafka;
import io.opcamel.TestClock;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory: one bundle streams one feed into Kafka; the sandbox's clock shows 100,000 events first, then 1,000,000 in
 * all. After each poll: System.gc(), then the used heap (MemoryMXBean). Flat means the heap after a million events
 * is within {@code max(16 MiB, 10%)} of the heap after 100,000: nothing grows with the events streamed (the dedupe
 * repository holds its capacity, 100,000 uuids, from the first measure on).
 */
class EventsMemoryBench {

    private static final String FEATURE = "auditevents";
    private static final int FIRST = Integer.getInteger("bench.memory.first", 100_000);
    private static final int TOTAL = Integer.getInteger("bench.memory.total", 1_000_000);
    private static final int PER_SECOND = 1_000; // sandbox time: event i happens i ms after the origin

    private static Sandbox sandbox;
    private static TestClock clock;
    private static Instant origin;

    @BeforeAll
    static void start() {
        origin = Instant.now().minus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        clock = new TestClock(visibleUpTo(FIRST));
        SandboxConfig c = new SandboxConfig();
        c.origin = origin;
        c.clock = clock;
        c.eventsPerSecond = PER_SECOND;
        c.maxEvents = TOTAL;
        c.eventsRateLimitEnabled = false;
        sandbox = Sandbox.start(c);
        EmbeddedKafka.bootstrapServers();
    }

    /** The sandbox time at which exactly the first n events have happened. */
    private static Instant visibleUpTo(int n) {
        return origin.plusMillis((long) n * 1000 / PER_SECOND - 1);
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
        BenchTable.print();
    }

    @Test
    void heapAfterAMillionEventsIsHeapAfterAHundredThousand(@TempDir Path dir) throws Exception {
        String prefix = "mem" + System.nanoTime() + ".";
        BenchKafka.create(List.of(prefix + FEATURE));
        Map<String, String> p = BundleHarness.sandboxProperties(sandbox, dir);
        p.put("onepassword.events.features", FEATURE);
        p.put("onepassword.sink.type", "kafka");
        p.put("onepassword.sink.kafka.brokers", EmbeddedKafka.bootstrapServers());
        p.put("onepassword.sink.kafka.topic-prefix", prefix);
        p.put("onepassword.events.start-window", "P1D");
        long afterFirst;
        long afterTotal;
        String rates;
        try (BundleHarness bundle = BundleHarness.start(p, dir, true)) {
            long t0 = System.nanoTime();
            bundle.poll("demo", FEATURE);
            long t1 = System.nanoTime();
            afterFirst = usedHeapAfterGc();
            clock.set(visibleUpTo(TOTAL));
            long t2 = System.nanoTime();
            bundle.poll("demo", FEATURE);
            long t3 = System.nanoTime();
            afterTotal = usedHeapAfterGc();
            rates = String.format(Locale.ROOT, "%,.0f ev/s, then %,.0f ev/s", FIRST / ((t1 - t0) / 1e9),
                    (TOTAL - FIRST) / ((t3 - t2) / 1e9));
            System.out.println("memory: streamed " + rates);
        }
        BenchKafka.checkAndDrop(List.of(prefix + FEATURE), TOTAL);
        long tolerance = Math.max(16L << 20, afterFirst / 10);
        boolean flat = afterTotal - afterFirst <= tolerance;
        BenchTable.row(MEMORY, String.format(Locale.ROOT, "heap after %,d events / after %,d (used, after System.gc())",
                TOTAL, FIRST), String.format(Locale.ROOT, "%.1f MiB / %.1f MiB (%+.1f MiB)", afterTotal / 1048576.0,
                afterFirst / 1048576.0, (afterTotal - afterFirst) / 1048576.0),
                String.format(Locale.ROOT, "flat: within +%.0f MiB", tolerance / 1048576.0), BenchTable.verdict(flat));
        BenchTable.note(MEMORY, "Memory: one feed, one bundle, Kafka sink, dedupe capacity 100,000 (default), streamed "
                + "at " + rates + "; the heap is the whole JVM's (bundle, sandbox with its request log cleared, "
                + "broker).");
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        sandbox.requests().clear(); // the sandbox's log is the test double's memory, not the bundle's
        return BenchTable.usedHeapAfterGc();
    }
}
