package io.opcamel.bench;

import static io.opcamel.bench.BenchTable.SOAK;

import io.opcamel.reliability.CrashRun;
import io.opcamel.reliability.ReliabilitySummary;
import io.opcamel.sandbox.EventsApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The reliability suite's crash-consistency run (CrashConsistencyReliability, 200,001 events and 20 kills in
 * {@code mvn -Preliability test}) as a soak: a million events (three feeds of 333,334) and 100 kill -9s of the
 * bundle's JVM at seeded random moments, each followed by a restart on the same files. The verdict is the
 * invariant, not a speed: every event in Kafka exactly once, no cursor ever behind the one saved before or ahead of
 * what Kafka held. Knobs: {@code -Dbench.soak.per-feed}, {@code -Dbench.soak.kills}, {@code -Dreliability.seed}.
 */
class CrashSoakBench {

    private static final int PER_FEED = Integer.getInteger("bench.soak.per-feed", 333_334);
    private static final int KILLS = Integer.getInteger("bench.soak.kills", 100);

    @AfterAll
    static void print() {
        BenchTable.print();
    }

    @Test
    void aMillionEventsAndAHundredKillNinesLoseNothingAndDuplicateNothing() throws Exception {
        long seed = ReliabilitySummary.SEED;
        Path dir = BenchTable.file().toAbsolutePath().resolveSibling("soak");
        CrashRun.clean(dir);
        ReliabilitySummary.Crash r = new CrashRun(new CrashRun.Settings(PER_FEED, EventsApi.FEATURES, KILLS, seed,
                dir, 0.2, Duration.ofMinutes(5), false), System.out).run();
        boolean exact = r.lost() == 0 && r.duplicated() == 0 && r.cursorRegressions() == 0
                && r.cursorAheadOfKafka() == 0 && r.outOfOrder() == 0 && r.tokensSeen() == 0;
        String measure = "kill -9 soak, " + String.format(Locale.ROOT, "%,d", r.expected()) + " events (" + r.stream()
                + "), " + r.kills() + " kills (" + (r.kills() - r.startupKills() - r.afterTheEnd()) + " mid-stream)";
        BenchTable.row(SOAK, measure + ": lost / duplicated", r.lost() + " / " + r.duplicated(), "0 / 0",
                BenchTable.verdict(exact));
        BenchTable.row(SOAK, measure + ": cursor moved back / ahead of Kafka / out of order", r.cursorRegressions()
                + " / " + r.cursorAheadOfKafka() + " / " + r.outOfOrder(), "0 / 0 / 0", BenchTable.verdict(exact));
        BenchTable.row(SOAK, measure + ": wall time, events served again after a kill", String.format(Locale.ROOT,
                "%d s, %,d", r.wall().toSeconds(), r.reread()), "-", "-");
        BenchTable.note(SOAK, "Soak: seed " + seed + " (-Dreliability.seed to repeat); the bundle in a JVM of its own "
                + "(-Xmx384m, file cursors and dedupe, Kafka sink), the sandbox and the broker in the bench JVM; each "
                + "life's log and the kill moments are in " + dir + " (lives.txt).");
    }
}
