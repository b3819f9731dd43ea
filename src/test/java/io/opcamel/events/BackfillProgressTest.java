package io.opcamel.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** What a catch-up says, line by line, as pages come in: position, how far behind, share of the way, rate. */
class BackfillProgressTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final BiFunction<String, String, Optional<FeedWaits.Wait>> NOT_WAITING = (a, f) -> Optional.empty();

    @Test
    void aCatchUpSaysWhereItIsAtEachIntervalAndWhenItCaughtUp() {
        TestClock clock = new TestClock(NOW);
        List<String> lines = new ArrayList<>();
        BackfillProgress progress = new BackfillProgress(clock, Duration.ofSeconds(30), NOT_WAITING, lines::add);
        Instant from = NOW.minus(Duration.ofDays(10));

        // ten pages of 1000 events, each a day further, 10 s apart; the interval lets every third one speak
        for (int day = 1; day <= 10; day++) {
            clock.advance(Duration.ofSeconds(10));
            progress.pageDelivered(page(from.plus(Duration.ofDays(day - 1)), from.plus(Duration.ofDays(day)),
                    1000, day < 10), "demo", "auditevents");
        }
        assertEquals(List.of(
                // no start time given: from the first event, not the end of the first page
                "feed demo/auditevents catching up: at 2026-11-19T12:00:00Z, 9d 0h behind, 10.0% of the way from "
                        + "2026-11-18T12:00:00Z; 1,000 events so far, - events/s",
                "feed demo/auditevents catching up: at 2026-11-22T12:00:00Z, 6d 0h behind, 40.0% of the way from "
                        + "2026-11-18T12:00:00Z; 4,000 events so far, 133 events/s",
                "feed demo/auditevents catching up: at 2026-11-25T12:00:00Z, 3d 0h behind, 70.0% of the way from "
                        + "2026-11-18T12:00:00Z; 7,000 events so far, 117 events/s",
                "feed demo/auditevents caught up: 10,000 events in 1m 30s (111 events/s), newest event "
                        + "2026-11-28T12:00:00Z"), lines);
    }

    /** Where a catch-up counts from: the page request's start time (a ResetCursor's, or start-time), else its first event. */
    record Start(String name, Instant requestStart, String expectedLine) {
    }

    @Test
    void theShareOfTheWayCountsFromTheFeedsStartTime() {
        Instant firstEvent = NOW.minus(Duration.ofDays(10));
        List<Start> cases = List.of(
                new Start("a ResetCursor 20 days back, whose first events came 10 days back", NOW.minus(Duration.ofDays(20)),
                        "feed demo/auditevents catching up: at 2026-11-19T12:00:00Z, 9d 0h behind, 55.0% of the way "
                                + "from 2026-11-08T12:00:00Z; 1,000 events so far, - events/s"),
                new Start("going on from a cursor with no start-time: the first event", null,
                        "feed demo/auditevents catching up: at 2026-11-19T12:00:00Z, 9d 0h behind, 10.0% of the way "
                                + "from 2026-11-18T12:00:00Z; 1,000 events so far, - events/s"));
        for (Start c : cases) {
            List<String> lines = new ArrayList<>();
            BackfillProgress progress = new BackfillProgress(new TestClock(NOW), Duration.ofSeconds(30), NOT_WAITING,
                    lines::add);
            progress.startsFrom(new PageRequest("POST", "u", "{}", c.requestStart()), "demo", "auditevents");
            progress.pageDelivered(page(firstEvent, firstEvent.plus(Duration.ofDays(1)), 1000, true), "demo",
                    "auditevents");
            assertEquals(List.of(c.expectedLine()), lines, c.name());
        }
    }

    /** A progress line between pages: at its interval, saying what the feed waits for and until when. */
    record Quiet(String name, Optional<FeedWaits.Wait> waiting, List<Integer> secondsOfTicks, List<String> expected) {
    }

    @Test
    void aFeedThatWaitsKeepsSayingWhereItIsAndWhatItWaitsFor() {
        Instant until = NOW.plusSeconds(45);
        String at = "feed demo/itemusages catching up: at 2026-11-28T11:00:00Z, 1h 0m behind, ";
        List<Quiet> cases = List.of(
                new Quiet("waiting for its budget: every 30 s, until when", Optional.of(new FeedWaits.Wait(
                        "its budget (600 per 1m1s and 30000 per 1h1m, per token)", until)),
                        List.of(1, 29, 30, 31, 59, 60),
                        List.of(at + "0.0% of the way from 2026-11-28T11:00:00Z; 1 events so far, - events/s",
                                at.replace("1h 0m", "1h 0m") + "0.0% of the way from 2026-11-28T11:00:00Z; 1 events so "
                                        + "far, 0 events/s; waiting for its budget (600 per 1m1s and 30000 per 1h1m, "
                                        + "per token) until 2026-11-28T12:00:45Z",
                                at.replace("1h 0m", "1h 1m") + "0.0% of the way from 2026-11-28T11:00:00Z; 1 events so "
                                        + "far, 0 events/s; waiting for its budget (600 per 1m1s and 30000 per 1h1m, "
                                        + "per token) until 2026-11-28T12:00:45Z")),
                new Quiet("a page on its way: the line all the same, at its interval", Optional.empty(),
                        List.of(10, 30),
                        List.of(at + "0.0% of the way from 2026-11-28T11:00:00Z; 1 events so far, - events/s",
                                at + "0.0% of the way from 2026-11-28T11:00:00Z; 1 events so far, 0 events/s")));
        for (Quiet c : cases) {
            TestClock clock = new TestClock(NOW);
            List<String> lines = new ArrayList<>();
            BackfillProgress progress = new BackfillProgress(clock, Duration.ofSeconds(30), (a, f) -> c.waiting(),
                    lines::add);
            Instant hourAgo = NOW.minus(Duration.ofHours(1));
            progress.pageDelivered(page(hourAgo, hourAgo, 1, true), "demo", "itemusages");
            int elapsed = 0;
            for (int second : c.secondsOfTicks()) {
                clock.advance(Duration.ofSeconds(second - elapsed));
                elapsed = second;
                progress.tick();
            }
            assertEquals(c.expected(), lines, c.name());
        }
    }

    @Test
    void aPollThatFitsInOnePageSaysNothing() {
        List<String> lines = new ArrayList<>();
        BackfillProgress progress = new BackfillProgress(new TestClock(NOW), Duration.ZERO, NOT_WAITING, lines::add);
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
