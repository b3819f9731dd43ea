package io.opcamel.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opcamel.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file sink's rolling: where a page goes, what the rolled files are called, what is kept and read back. */
class NdjsonFileSinkRollingTest {

    /** Every record is exactly 100 bytes with its newline. */
    private static List<SinkRecord> page(int first, int n) {
        List<SinkRecord> out = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
            String uuid = String.format("U%05d", i);
            String head = "{\"account\":\"demo\",\"event\":{\"uuid\":\"" + uuid + "\",\"pad\":\"";
            out.add(new SinkRecord(uuid, head + "x".repeat(99 - head.length() - 3) + "\"}}"));
        }
        return out;
    }

    @Test
    void aPageThatWouldOverflowTheFileGoesToANewOneAndTheOldOneIsStamped(@TempDir Path dir) throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-11-28T12:00:00Z"));
        NdjsonFileSink sink = new NdjsonFileSink(dir, 1000, 2, clock); // room for ten records
        int next = 0;
        for (int pageSize : new int[] {4, 4, 4, 10, 3, 12, 1}) {
            sink.append(page(next, pageSize), "demo", "auditevents");
            next += pageSize;
            clock.advance(Duration.ofSeconds(1));
        }
        // 4+4 | 4 | 10 | 3 | 12 (a page bigger than the limit still stays whole) | 1, keeping the newest two rolled
        assertEquals(List.of(
                "demo-auditevents.20261128-120005-000.ndjson: U00022..U00024",
                "demo-auditevents.20261128-120006-000.ndjson: U00025..U00036",
                "demo-auditevents.ndjson: U00037..U00037"), listing(dir));
        // the tail read for deduplication crosses into rolled files when the current one is short
        assertEquals(List.of("U00033", "U00034", "U00035", "U00036", "U00037"),
                sink.recentUuids("demo", "auditevents", 5));
        assertEquals(List.of(), sink.recentUuids("demo", "itemusages", 5), "another feed's files are not read");
    }

    @Test
    void keepZeroKeepsEveryRolledFileAndRollZeroNeverRolls(@TempDir Path dir) throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-11-28T12:00:00Z"));
        NdjsonFileSink rolling = new NdjsonFileSink(dir.resolve("a"), 300, 0, clock);
        NdjsonFileSink never = new NdjsonFileSink(dir.resolve("b"), 0, 0, clock);
        for (int i = 0; i < 6; i++) {
            rolling.append(page(i * 2, 2), "demo", "signinattempts"); // rolls before every page but the first
            never.append(page(i * 2, 2), "demo", "signinattempts");
        }
        assertEquals(List.of(
                // the same stamp each time (the clock stands still): numbered
                "demo-signinattempts.20261128-120000-000-1.ndjson: U00002..U00003",
                "demo-signinattempts.20261128-120000-000-2.ndjson: U00004..U00005",
                "demo-signinattempts.20261128-120000-000-3.ndjson: U00006..U00007",
                "demo-signinattempts.20261128-120000-000-4.ndjson: U00008..U00009",
                "demo-signinattempts.20261128-120000-000.ndjson: U00000..U00001",
                "demo-signinattempts.ndjson: U00010..U00011"), listing(dir.resolve("a")));
        assertEquals(List.of("demo-signinattempts.ndjson: U00000..U00011"), listing(dir.resolve("b")));
        assertEquals(List.of("U00000", "U00001", "U00002", "U00003"), rolling.recentUuids("demo", "signinattempts", 99)
                .subList(0, 4), "every rolled file is read back, in time order");
    }

    /** Each file's name and the first and last uuid in it, sorted by name. */
    private static List<String> listing(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                out.add(f.getFileName() + ": " + uuid(lines.get(0)) + ".." + uuid(lines.get(lines.size() - 1)));
            }
        }
        return out;
    }

    private static String uuid(String line) {
        int i = line.indexOf("\"uuid\":\"") + 8;
        return line.substring(i, i + 6);
    }
}
