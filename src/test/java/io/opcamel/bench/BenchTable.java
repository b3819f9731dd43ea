package io.opcamel.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The one results table of a benchmark run: every *Bench class adds its rows, and the whole table is rewritten to
 * {@code bench.results} (the profile sets {@code ${build.dir}/bench/results.md}) and printed each time. The first
 * row added in a JVM starts the file afresh, so the file always holds exactly one run.
 *
 * <p>A verdict is {@code pass} or {@code falls short}; a speed never fails the build.
 */
public final class BenchTable {

    /** Sections, in the order of the issue; a row sorts by its section, then by when it was added. */
    public static final int PIPELINE = 1;
    public static final int RATE = 2;
    public static final int GATEWAY = 3;
    public static final int RECONCILE = 4;
    public static final int MEMORY = 5;
    /** The kill -9 soak of the reliability suite (CrashSoakBench). */
    public static final int SOAK = 6;
    /** From the start of the JVM to ready (StartupBench). */
    public static final int STARTUP = 7;
    /** 1, 10 and 100 accounts in one bundle, a backfill and a failing API beside them (ManyAccountsBench). */
    public static final int ACCOUNTS = 8;

    public static final String PASS = "pass";
    public static final String FALLS_SHORT = "falls short";

    private record Row(int section, long order, String measure, String value, String target, String verdict) {
    }

    private static final List<Row> ROWS = new ArrayList<>();
    private static final TreeMap<Integer, List<String>> NOTES = new TreeMap<>();
    private static final String STARTED = ZonedDateTime.now(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    private static final double LOAD_AT_START = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    private static long added;

    private BenchTable() {
    }

    public static String verdict(boolean pass) {
        return pass ? PASS : FALLS_SHORT;
    }

    public static synchronized void row(int section, String measure, String value, String target, String verdict) {
        ROWS.add(new Row(section, ++added, measure, value, target, verdict));
        write();
    }

    /** A line printed under the table, in the section's order (how a number was made). */
    public static synchronized void note(int section, String text) {
        NOTES.computeIfAbsent(section, k -> new ArrayList<>()).add(text);
        write();
    }

    public static synchronized String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("Run ").append(STARTED).append(", ").append(machine()).append('\n').append('\n');
        b.append("| measure | value | target | verdict |\n");
        b.append("|---|---|---|---|\n");
        ROWS.stream().sorted(Comparator.comparingInt(Row::section).thenComparingLong(Row::order))
                .forEach(r -> b.append("| ").append(r.measure()).append(" | ").append(r.value()).append(" | ")
                        .append(r.target()).append(" | ").append(r.verdict()).append(" |\n"));
        if (!NOTES.isEmpty()) {
            b.append('\n');
            NOTES.values().forEach(list -> list.forEach(n -> b.append("- ").append(n).append('\n')));
        }
        return b.toString();
    }

    public static Path file() {
        return Path.of(System.getProperty("bench.results", "target/bench/results.md"));
    }

    private static void write() {
        String md = markdown();
        try {
            Path f = file();
            if (f.getParent() != null) {
                Files.createDirectories(f.getParent());
            }
            Files.writeString(f, md, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark results to " + file(), e);
        }
    }

    /** Prints the table as it stands (each benchmark class does after its last row: the last one prints it all). */
    public static synchronized void print() {
        System.out.println();
        System.out.println("---- " + file() + " ----");
        System.out.println(markdown());
    }

    /** What the numbers were measured on: they only compare with runs on the same kind of machine. */
    static String machine() {
        String cpu = "";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim() + ", ").orElse("");
        } catch (IOException | RuntimeException ignored) {
            // not Linux: the core count says enough
        }
        long maxHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
        return String.format(Locale.ROOT, "%s%d cores (load average %.1f at start: the machine may be shared), "
                + "Java %s, max heap %d MiB; sandbox, Kafka broker and bundle in one JVM", cpu,
                Runtime.getRuntime().availableProcessors(), LOAD_AT_START, System.getProperty("java.version"),
                maxHeap >> 20);
    }

    // ---- small statistics shared by the benchmarks ------------------------------------------------------

    public static double median(List<Double> values) {
        List<Double> s = values.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** The nearest-rank percentile {@code q} (0..1) of sorted values. */
    public static double percentile(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** The JVM's used heap after {@code System.gc()}: the least of three tries (a collection may be in flight). */
    public static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    public static String number(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    public static String ratio(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    public static String percent(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
    }
}
