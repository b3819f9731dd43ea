package io.opcamel.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on disk: what a restarted bundle still knows, and what it must not. */
class LifecycleLedgerTest {

    private static final LifecycleCommands COMMANDS = new LifecycleCommands(65536);

    private static LifecycleRun run(String json) {
        LifecycleRun run = COMMANDS.begin(json.getBytes(StandardCharsets.UTF_8), "rest");
        assertTrue(run.isOpen(), "a valid command: " + json);
        return run;
    }

    private static void finish(LifecycleLedger ledger, LifecycleRun run, LifecycleRun.Outcome outcome) throws Exception {
        run.outcome = outcome;
        run.changes.add("suspend");
        ledger.remember(run, new LifecyclePlanner(null, List.of()).result(run));
    }

    @Test
    void aRestartedLedgerStillReplaysKnownRequestIdsAndStillSetsAsideOlderCommands(@TempDir Path dir) throws Exception {
        LifecycleLedger first = new LifecycleLedger(dir, 1000);
        finish(first, run("{\"requestId\":\"a\",\"type\":\"leaver\",\"email\":\"Ada@example.com\","
                + "\"occurredAt\":\"2026-11-04T17:00:00Z\"}"), LifecycleRun.Outcome.APPLIED);
        // a failure is not remembered: sent again, it is tried again
        finish(first, run("{\"requestId\":\"b\",\"type\":\"leaver\",\"email\":\"bob@example.com\"}"),
                LifecycleRun.Outcome.FAILED);

        LifecycleLedger restarted = new LifecycleLedger(dir, 1000);
        LifecycleRun again = run("{\"requestId\":\"a\",\"type\":\"leaver\",\"email\":\"Ada@example.com\","
                + "\"occurredAt\":\"2026-11-04T17:00:00Z\"}");
        restarted.recall(again);
        assertEquals(LifecycleRun.Outcome.REPLAYED, again.outcome);
        assertEquals("applied", again.previousResult.path("outcome").asText());

        LifecycleRun other = run("{\"requestId\":\"a\",\"type\":\"leaver\",\"email\":\"eve@example.com\"}");
        LifecycleRejected reused = assertThrows(LifecycleRejected.class, () -> restarted.recall(other));
        assertEquals(409, reused.status());

        LifecycleRun late = run("{\"requestId\":\"c\",\"type\":\"mover\",\"email\":\"ada@EXAMPLE.com\","
                + "\"groups\":[],\"occurredAt\":\"2026-11-04T09:00:00Z\"}");
        restarted.supersede(late);
        assertEquals(LifecycleRun.Outcome.SUPERSEDED, late.outcome, "the person's clock is case-blind and survives");

        LifecycleRun failedBefore = run("{\"requestId\":\"b\",\"type\":\"leaver\",\"email\":\"bob@example.com\"}");
        restarted.recall(failedBefore);
        assertTrue(failedBefore.isOpen(), "a failed command runs again");
        assertNull(restarted.result("b"));
    }

    @Test
    void aLineCutShortByACrashIsSkippedAndTheNextCommandIsWrittenWhole(@TempDir Path dir) throws Exception {
        LifecycleLedger first = new LifecycleLedger(dir, 1000);
        finish(first, run("{\"requestId\":\"a\",\"type\":\"leaver\",\"email\":\"ada@example.com\"}"),
                LifecycleRun.Outcome.APPLIED);
        Files.writeString(dir.resolve("lifecycle-ledger.ndjson"), "{\"requestId\":\"half", StandardOpenOption.APPEND);

        LifecycleLedger restarted = new LifecycleLedger(dir, 1000);
        assertEquals("applied", restarted.result("a").path("outcome").asText());
        finish(restarted, run("{\"requestId\":\"d\",\"type\":\"leaver\",\"email\":\"dan@example.com\"}"),
                LifecycleRun.Outcome.APPLIED);
        LifecycleLedger third = new LifecycleLedger(dir, 1000);
        assertEquals("applied", third.result("d").path("outcome").asText(), "written after the torn line, readable");
    }

    @Test
    void onlyTheNewestKeepRequestIdsAreRememberedButEveryPersonsClockIs(@TempDir Path dir) throws Exception {
        LifecycleLedger ledger = new LifecycleLedger(dir, 2);
        for (int i = 0; i < 3; i++) {
            finish(ledger, run("{\"requestId\":\"r" + i + "\",\"type\":\"leaver\",\"email\":\"p" + i
                    + "@example.com\",\"occurredAt\":\"2026-11-0" + (i + 1) + "T00:00:00Z\"}"),
                    LifecycleRun.Outcome.APPLIED);
        }
        assertNull(ledger.result("r0"), "the oldest requestId was let go");
        assertEquals("applied", ledger.result("r2").path("outcome").asText());
        LifecycleRun late = run("{\"requestId\":\"x\",\"type\":\"leaver\",\"email\":\"p0@example.com\","
                + "\"occurredAt\":\"2026-10-01T00:00:00Z\"}");
        ledger.supersede(late);
        assertEquals(LifecycleRun.Outcome.SUPERSEDED, late.outcome);
    }
}
