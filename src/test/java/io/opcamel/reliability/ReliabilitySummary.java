package io.opcamel.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one summary of a reliability run: the crash-consistency run, every cell of the fault matrix and every fuzz
 * target add their counts here, and {@link ReliabilitySummaryListener} prints it and writes it to
 * {@code reliability.summary} ({@code ${build.dir}/reliability/summary.md}) when the run ends. The counts that must
 * be zero (lost, duplicated, 5xx, forwarded on a rejection, tokens seen) are asserted by the tests themselves; the
 * summary shows them side by side.
 */
public final class ReliabilitySummary {

    /** One crash-consistency run: a bundle JVM killed with SIGKILL and restarted. */
    public record Crash(String stream, long expected, long unique, long records, int kills, int startupKills,
            int afterTheEnd, long reread, long lost, long duplicated, int cursorRegressions, int cursorAheadOfKafka,
            long outOfOrder, long tokensSeen, long seed, Duration wall) {
    }

    /** One cell of the fault matrix: a fault against a feed. */
    public record FaultCell(String fault, String feed, int injected, boolean survived, long lost, long duplicated,
            Duration recovery) {
    }

    /**
     * One SIGTERM while a feed waits (issue 16): how long the JVM took to exit (null: not within the cell's limit,
     * killed), against the shutdown timeout; ERROR lines and a forced shutdown in its log; what a restart found
     * lost (-1: no restart, the exit already failed) and duplicated.
     */
    public record StopCell(String kind, String feed, Duration exit, int shutdownTimeoutSeconds, long errorLines,
            boolean forced, long lost, long duplicated) {
        boolean passed() {
            return exit != null && exit.toSeconds() < shutdownTimeoutSeconds && errorLines == 0 && !forced
                    && lost == 0 && duplicated == 0;
        }
    }

    /** One fuzz target: requests tried and what was seen. */
    public record Fuzz(String target, long cases, long rejected, long fiveXx, long forwardedOnReject,
            long malformedErrors, long tokensSeen, long seed, Map<String, Long> refusedByTheHttpServer) {
    }

    /**
     * The run's seed, one for every part of it: {@code -Dreliability.seed}, or the time the run started. Printed at
     * the top of the summary; the same seed generates the same kill plan and the same fuzz cases.
     */
    public static final long SEED = Long.getLong("reliability.seed", System.currentTimeMillis());

    private static final List<Crash> CRASHES = new ArrayList<>();
    private static final List<FaultCell> CELLS = new ArrayList<>();
    private static final List<StopCell> STOPS = new ArrayList<>();
    private static final Map<String, Fuzz> FUZZ = new LinkedHashMap<>();
    private static final String STARTED = ZonedDateTime.now(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    private static final long STARTED_NANOS = System.nanoTime();

    private ReliabilitySummary() {
    }

    public static synchronized void crash(Crash c) {
        CRASHES.add(c);
    }

    public static synchronized void faultCell(FaultCell c) {
        CELLS.add(c);
    }

    public static synchronized void stopCell(StopCell c) {
        STOPS.add(c);
    }

    /** Adds to the target's counts (a target may be fuzzed by several properties). */
    public static synchronized void fuzz(Fuzz f) {
        FUZZ.merge(f.target(), f, (a, b) -> new Fuzz(a.target(), a.cases() + b.cases(), a.rejected() + b.rejected(),
                a.fiveXx() + b.fiveXx(), a.forwardedOnReject() + b.forwardedOnReject(),
                a.malformedErrors() + b.malformedErrors(), a.tokensSeen() + b.tokensSeen(), a.seed(),
                merged(a.refusedByTheHttpServer(), b.refusedByTheHttpServer())));
    }

    public static synchronized boolean isEmpty() {
        return CRASHES.isEmpty() && CELLS.isEmpty() && FUZZ.isEmpty() && STOPS.isEmpty();
    }

    /** The summary as markdown: the totals table docs/reliability.md quotes, then one line per fault. */
    public static synchronized String markdown() {
        StringBuilder b = new StringBuilder();
        long seconds = Duration.ofNanos(System.nanoTime() - STARTED_NANOS).toSeconds();
        b.append("Reliability run ").append(STARTED).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(String.format(Locale.ROOT,
                        " (load average %.1f at the end); the suite's JVM ran %dm %02ds; seed %d "
                        + "(-Dreliability.seed=%d repeats the kill plan and the fuzz cases)", ManagementFactory
                                .getOperatingSystemMXBean().getSystemLoadAverage(), seconds / 60, seconds % 60, SEED,
                        SEED))
                .append("\n\n");
        b.append("| area | measure | value |\n|---|---|---|\n");
        for (Crash c : CRASHES) {
            b.append(row("crash consistency", "events streamed to Kafka (" + c.stream() + ")",
                    n(c.unique()) + " of " + n(c.expected())));
            b.append(row("", "kill -9 of the bundle's JVM, each followed by a restart (mid-stream / at start-up, "
                    + "before it delivered anything / once the stream was done)", c.kills() + " (" + (c.kills()
                    - c.startupKills() - c.afterTheEnd()) + " / " + c.startupKills() + " / " + c.afterTheEnd() + ")"));
            b.append(row("", "events the sandbox served again after a kill (dropped by the dedupe or the Kafka "
                    + "tail, or not delivered before the kill)", n(c.reread())));
            b.append(row("", "**lost / duplicated**", "**" + c.lost() + " / " + c.duplicated() + "**"));
            b.append(row("", "cursor moved back / cursor ahead of what Kafka held / out of order", c.cursorRegressions()
                    + " / " + c.cursorAheadOfKafka() + " / " + c.outOfOrder()));
            b.append(row("", "wall time (21 JVM starts included)".replace("21", Integer.toString(c.kills() + 1)),
                    c.wall().toSeconds() + " s"));
        }
        if (!CELLS.isEmpty()) {
            long injected = CELLS.stream().mapToLong(FaultCell::injected).sum();
            long survived = CELLS.stream().filter(FaultCell::survived).count();
            long faults = CELLS.stream().map(FaultCell::fault).distinct().count();
            long feeds = CELLS.stream().map(FaultCell::feed).distinct().count();
            b.append(row("fault matrix", "faults x feeds injected / survived (recovered on the schedule alone)",
                    faults + " x " + feeds + " = " + CELLS.size() + " / " + survived));
            b.append(row("", "fault events injected (faulted answers, broker outages; per kind below)",
                    n(injected)));
            b.append(row("", "**lost / duplicated**", "**" + CELLS.stream().mapToLong(FaultCell::lost).sum() + " / "
                    + CELLS.stream().mapToLong(FaultCell::duplicated).sum() + "**"));
        }
        if (!STOPS.isEmpty()) {
            b.append(row("SIGTERM during a wait", "kinds of wait / exited within the shutdown timeout, no ERROR line, "
                    + "nothing lost or duplicated after a restart", STOPS.size() + " / "
                    + STOPS.stream().filter(StopCell::passed).count()));
            b.append(row("", "slowest exit after SIGTERM (shutdown timeout " + STOPS.get(0).shutdownTimeoutSeconds()
                    + " s)", STOPS.stream().anyMatch(c -> c.exit() == null) ? "not exited (killed)"
                    : seconds(STOPS.stream().map(StopCell::exit).max(Duration::compareTo).orElseThrow())));
        }
        if (!FUZZ.isEmpty()) {
            long cases = FUZZ.values().stream().mapToLong(Fuzz::cases).sum();
            StringBuilder per = new StringBuilder();
            FUZZ.values().forEach(f -> per.append(per.length() == 0 ? "" : ", ").append(f.target()).append(' ')
                    .append(n(f.cases())));
            b.append(row("fuzzing", "cases tried (" + per + ")", n(cases)));
            b.append(row("", "rejected (each a well-formed SCIM error or lifecycle result)",
                    n(FUZZ.values().stream().mapToLong(Fuzz::rejected).sum())));
            b.append(row("", "**5xx seen / forwarded to the bridge on a rejection**", "**"
                    + FUZZ.values().stream().mapToLong(Fuzz::fiveXx).sum() + " / "
                    + FUZZ.values().stream().mapToLong(Fuzz::forwardedOnReject).sum() + "**"));
            b.append(row("", "malformed error answers / tokens seen in an answer or the log", FUZZ.values().stream()
                    .mapToLong(Fuzz::malformedErrors).sum() + " / " + FUZZ.values().stream()
                    .mapToLong(Fuzz::tokensSeen).sum()));
            Map<String, Long> engine = new java.util.TreeMap<>();
            FUZZ.values().forEach(f -> engine.putAll(merged(engine, f.refusedByTheHttpServer())));
            long engineTotal = engine.values().stream().mapToLong(Long::longValue).sum();
            b.append(row("", "refused by the HTTP server itself, before its router, without a body (Vert.x: 400 "
                    + "a path that does not decode, 414 request line > 4 KB, 417 unknown Expect, 431 headers > 8 KB); "
                    + "nothing forwarded",
                    engineTotal == 0 ? "0" : n(engineTotal) + " " + engine));
        }
        if (!CELLS.isEmpty()) {
            b.append("\nFault matrix, one line per fault (each against every feed; recovery = from the fault to the "
                    + "last event delivered, slowest feed):\n\n");
            Map<String, List<FaultCell>> byFault = new LinkedHashMap<>();
            CELLS.forEach(c -> byFault.computeIfAbsent(c.fault(), k -> new ArrayList<>()).add(c));
            byFault.forEach((fault, cells) -> b.append("- ").append(fault).append(": ")
                    .append(cells.stream().filter(FaultCell::survived).count()).append('/').append(cells.size())
                    .append(" feeds survived, ").append(cells.stream().mapToLong(FaultCell::injected).sum())
                    .append(" injected, lost ").append(cells.stream().mapToLong(FaultCell::lost).sum())
                    .append(", duplicated ").append(cells.stream().mapToLong(FaultCell::duplicated).sum())
                    .append(String.format(Locale.ROOT, ", recovery %.1f s%n", cells.stream()
                            .mapToLong(c -> c.recovery().toMillis()).max().orElse(0) / 1000.0)));
        }
        if (!STOPS.isEmpty()) {
            b.append("\nSIGTERM during a wait, one line per kind of wait (exit = from the SIGTERM to the JVM's exit):"
                    + "\n\n| wait | feed | exit | shutdown timeout | ERROR lines | forced | lost / duplicated |\n"
                    + "|---|---|---|---|---|---|---|\n");
            STOPS.forEach(c -> b.append("| ").append(c.kind()).append(" | ").append(c.feed()).append(" | ")
                    .append(c.exit() == null ? "not exited (killed)" : seconds(c.exit())).append(" | ")
                    .append(c.shutdownTimeoutSeconds()).append(" s | ").append(c.errorLines()).append(" | ")
                    .append(c.forced() ? "yes" : "no").append(" | ")
                    .append(c.lost() < 0 ? "not restarted" : c.lost() + " / " + c.duplicated()).append(" |\n"));
        }
        return b.toString();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** Writes the summary to {@code file}. */
    public static void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, markdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Long> merged(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> m = new java.util.TreeMap<>(a);
        b.forEach((k, v) -> m.merge(k, v, Long::sum));
        return m;
    }

    private static String row(String area, String measure, String value) {
        return "| " + area + " | " + measure + " | " + value + " |\n";
    }

    static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}
