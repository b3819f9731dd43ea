package io.opcamel.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opcamel.sandbox.EventsApi;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9, crash consistency: 200,001 events (three feeds of 66,667) streamed by the bundle in a JVM of its own,
 * with the production defaults (file cursor store, file dedupe store) and the Kafka sink, killed with SIGKILL at
 * 20 seeded random moments and restarted each time: every event is in Kafka exactly once, in order per feed, and
 * no saved cursor ever went backwards or ahead of what Kafka held. See {@link CrashRun}.
 *
 * <p>Knobs: {@code -Dreliability.seed} (printed), {@code -Dreliability.crash.per-feed}, {@code
 * -Dreliability.crash.kills}. The soak (a million events, 100 kills) is {@code CrashSoakBench} in {@code -Pbench}.
 */
@ExtendWith(PrintTheSummaryAtTheEnd.class)
class CrashConsistencyReliability {

    @Test
    void everyEventIsInKafkaExactlyOnceAfterTwentyKillNines() throws Exception {
        crashRun("crash", Integer.getInteger("reliability.crash.per-feed", 66_667),
                Integer.getInteger("reliability.crash.kills", 20), false);
    }

    /**
     * The same with the stores a failover set-up needs (onepassword.cluster.*): cursors and delivered uuids in Kafka
     * topics, and at the end every uuid of the stream in the dedupe topic (the sink's tail also seeds the dedupe at
     * start, so this is what shows the store itself held on). Shorter: 60,000 events and 10 kills
     * ({@code -Dreliability.crash.kafka.per-feed}, {@code -Dreliability.crash.kafka.kills}).
     */
    @Test
    void everyEventIsInKafkaExactlyOnceAfterKillNinesWithTheKafkaStores() throws Exception {
        CrashRun run = crashRun("crash-kafka-stores", Integer.getInteger("reliability.crash.kafka.per-feed", 20_000),
                Integer.getInteger("reliability.crash.kafka.kills", 10), true);
        assertEquals(0, run.notInTheDedupeTopic(), "delivered events the dedupe store did not remember (seed "
                + ReliabilitySummary.SEED + ")");
    }

    /** One crash run into the summary, and every count that must be zero is. */
    private static CrashRun crashRun(String folder, int perFeed, int kills, boolean kafkaStores) throws Exception {
        long seed = ReliabilitySummary.SEED;
        Path dir = Path.of(System.getProperty("reliability.dir", "target/reliability")).resolve(folder)
                .toAbsolutePath();
        CrashRun.clean(dir);
        System.out.println("crash consistency (" + (kafkaStores ? "Kafka" : "file") + " stores): seed " + seed
                + " (rerun with -Dreliability.seed=" + seed + "), " + perFeed + " events per feed, " + kills
                + " kills, files in " + dir);
        CrashRun run = new CrashRun(new CrashRun.Settings(perFeed, EventsApi.FEATURES, kills, seed, dir, 0.2,
                Duration.ofMinutes(3), kafkaStores), System.out);
        ReliabilitySummary.Crash r = run.run();
        ReliabilitySummary.crash(r);
        assertEquals(0, r.lost(), "events lost (seed " + seed + "; see " + dir.resolve("lives.txt") + ")");
        assertEquals(0, r.duplicated(), "events duplicated (seed " + seed + ")");
        assertEquals(0, r.cursorRegressions(), "a saved cursor went backwards (seed " + seed + ")");
        assertEquals(0, r.cursorAheadOfKafka(), "a saved cursor was ahead of what Kafka held (seed " + seed + ")");
        assertEquals(0, r.outOfOrder(), "records out of order or not of the stream (seed " + seed + ")");
        assertEquals(0, r.tokensSeen(), "the Events API token in a log or file (seed " + seed + ")");
        assertEquals(r.expected(), r.unique());
        return run;
    }
}
