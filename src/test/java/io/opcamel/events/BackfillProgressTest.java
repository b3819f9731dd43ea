package io.opcamel.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a catch-up says, line by line, as pages come in: position, how far behind, share of the way, rate. */
class BackfillProgressTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void aCatchUpSaysWhereItIsAtEachIntervalAndWhenItCaughtUp() {
        TestClock clock = new TestClock(NOW);
        List<String> lines = new ArrayList<>();
        BackfillProgress progress = new BackfillProgress(clock, Duration.ofSeconds(30), lines::add);
        Instant from = NOW.minus(Duration.ofDays(10));

        // ten pages of 1000 events, each a day further, 10 s apart; the interval lets every third one speak
        for (int day = 1; day <= 10; day++) {
            clock.advance(Duration.ofSeconds(10));
            progress.pageDelivered(page(from.plus(Duration.ofDays(day - 1)), from.plus(Duration.ofDays(day)),
                    1000, day < 10), "demo", "auditevents");
        }
        assertEquals(List.of(
                "feed demo/auditevents catching up: at 2026-11-19T12:00:00Z, 9d 0h behind, 0.0% of the way from "
                        + "2026-11-19T12:00:00Z; 1,000 events so far, - events/s",
                "feed demo/auditevents catching up: at 2026-11-22T12:00:00Z, 6d 0h behind, 33.3% of the way from "
                        + "2026-11-19T12:00:00Z; 4,000 events so far, 133 events/s",
                "feed demo/auditevents catching up: at 2026-11-25T12:00:00Z, 3d 0h behind, 66.7% of the way from "
                        + "2026-11-19T12:00:00Z; 7,000 events so far, 117 events/s",
                "feed demo/auditevents caught up: 10,000 events in 1m 30s (111 events/s), newest event "
                        + "2026-11-28T12:00:00Z"), lines);
    }

    @Test
    void aPollThatFitsInOnePageSaysNothing() {
        List<String> lines = new ArrayList<>();
        BackfillProgress progress = new BackfillProgress(new TestClock(NOW), Duration.ZERO, lines::add);
        progress.pageDelivered(page(NOW.minusSeconds(30), NOW, 20, false), "demo", "signinattempts");
        progress.pageDelivered(page(NOW, NOW, 0, false), "demo", "signinattempts");
        assertEquals(List.of(), lines);
    }

    @Test
    void humanDurationsShowTheTwoLargestUnits() {
        assertEquals("3d 4h", BackfillProgress.human(Duration.ofHours(76).plusMinutes(5)));
        assertEquals("5h 12m", BackfillProgress.human(Duration.ofMinutes(312)));
        assertEquals("7m 3s", BackfillProgress.human(Duration.ofSeconds(423)));
        assertEquals("12s", BackfillProgress.human(Duration.ofSeconds(12)));
    }

    /** A page of n events spread from first to last (timestamps only: all the progress reads). */
    private static EventPage page(Instant first, Instant last, int n, boolean hasMore) {
        List<JsonNode> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant t = n == 1 ? last : first.plus(Duration.between(first, last).multipliedBy(i).dividedBy(n - 1));
            items.add(JSON.createObjectNode().put("uuid", "E" + i).put("timestamp", t.toString()));
        }
        return new EventPage("c", hasMore, items);
    }
}
