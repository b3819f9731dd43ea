package io.opcamel.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.BundleHarness;
import io.opcamel.TeeStream;
import io.opcamel.SandboxExtension;
import io.opcamel.sandbox.LoggedRequest;
import io.opcamel.sandbox.ScriptedFeed;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A feed the API answers badly (a malformed page, a 400 for its cursor) on its real Quartz schedule: it logs why
 * with its account and feature, keeps its cursor, asks again on the next tick (a refused cursor: from the account's
 * start), and recovers once the API does; meanwhile the account's other feed runs as if nothing happened.
 */
class FeedFailuresTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 1_500;
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.finite(EVENTS);
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream stderr;

    @BeforeEach
    void teeStderr() {
        // slf4j-simple writes to whatever System.err is at the time of the call
        stderr = System.err;
        System.setErr(new PrintStream(new TeeStream(stderr, log), true, StandardCharsets.UTF_8));
        SANDBOX.get().reset();
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(stderr);
    }

    @Test
    void aMalformedPageHoldsTheCursorWhileTheOtherFeedRuns(@TempDir Path dir) throws Exception {
        // every answer to the audit feed's first request is a page without a cursor
        SANDBOX.get().events().script("demo", "auditevents", script("""
                {"exchanges":[{"request":{"body":{}},"response":{"status":200,
                  "body":{"has_more":false,"items":[{"uuid":"LOST1","timestamp":"2026-11-28T10:00:00Z"}]}}}]}"""));
        try (BundleHarness bundle = BundleHarness.start(props(dir), dir, false)) {
            awaitAllItemUsages(bundle);
            await().atMost(Duration.ofSeconds(20)).until(() -> requests("auditevents").size() >= 2);
            assertTrue(logged("feed demo/auditevents stopped this poll, cursor not advanced: ",
                    "malformed page from the Events API for demo/auditevents: no cursor"), "the failure is logged with account and feature:\n" + log);
            assertTrue(requests("auditevents").stream().allMatch(r -> !r.body().contains("cursor")),
                    "every retry starts over from the same position");
            assertEquals(List.of(), bundle.records("demo", "auditevents"), "nothing of a malformed page is delivered");
            assertFalse(Files.exists(dir.resolve("cursors/demo-auditevents.cursor.json")));

            // the API mends: the next tick delivers
            SANDBOX.get().events().script("demo", "auditevents", script("""
                    {"exchanges":[{"request":{"body":{}},"response":{"status":200,"body":{"cursor":"c1",
                      "has_more":false,"items":[{"uuid":"GOOD1","timestamp":"2026-11-28T10:00:00Z"}]}}}]}"""));
            await().atMost(Duration.ofSeconds(20)).until(() -> bundle.records("demo", "auditevents").size() == 1);
            assertEquals("GOOD1", bundle.records("demo", "auditevents").get(0).path("event").path("uuid").asText());
        }
    }

    @Test
    void aRefusedCursorIsGivenUpForAResetCursorAndNothingIsDeliveredTwice(@TempDir Path dir) throws Exception {
        SANDBOX.get().events().script("demo", "auditevents", script("""
                {"exchanges":[
                  {"request":{"body":{}},"response":{"status":200,"body":{"cursor":"c1","has_more":false,
                    "items":[{"uuid":"FIRST","timestamp":"2026-11-28T10:00:00Z"}]}}},
                  {"request":{"body":{"cursor":"c1"}},"response":{"status":400,
                    "body":{"Error":{"Message":"Invalid cursor"}}}}]}"""));
        try (BundleHarness bundle = BundleHarness.start(props(dir), dir, false)) {
            awaitAllItemUsages(bundle);
            // asked with c1, refused; then started again with a ResetCursor (no cursor in the body), and so on
            await().atMost(Duration.ofSeconds(20)).until(() -> requests("auditevents").stream()
                    .filter(r -> r.status() == 400).count() >= 2);
            assertTrue(logged("feed demo/auditevents stopped this poll, cursor not advanced: HTTP 400 from "
                    + SANDBOX.get().baseUrl() + "/api/v2/auditevents: {\"Error\":{\"Message\":\"Invalid cursor\"}}"),
                    "the 400 is logged with account and feature:\n" + log);
            List<LoggedRequest> asked = requests("auditevents");
            for (int i = 0; i < asked.size() - 1; i++) {
                if (asked.get(i).status() == 400) {
                    assertFalse(asked.get(i + 1).body().contains("\"cursor\""),
                            "the poll after a refusal starts again instead of asking with the refused cursor");
                }
            }
            assertEquals(1, bundle.records("demo", "auditevents").size(), "what the reset reads again is dropped");
        }
    }

    private static Map<String, String> props(Path dir) {
        Map<String, String> p = BundleHarness.sandboxProperties(SANDBOX.get(), dir);
        p.put("onepassword.events.demo.features", "auditevents,itemusages");
        p.put("onepassword.events.cron", "0/1 * * * * ?");
        p.put("onepassword.events.start-window", "P7D");
        return p;
    }

    /** The other feed is not held up: it delivers its whole backlog while the audit feed keeps failing. */
    private static void awaitAllItemUsages(BundleHarness bundle) {
        await().atMost(Duration.ofSeconds(30)).until(() -> bundle.records("demo", "itemusages").size() == EVENTS);
    }

    private static ScriptedFeed script(String json) throws Exception {
        return ScriptedFeed.fromJson(JSON.readTree(json));
    }

    private static List<LoggedRequest> requests(String feature) {
        return SANDBOX.get().requests().all().stream().filter(r -> r.path().endsWith("/" + feature)).toList();
    }

    private boolean logged(String... parts) {
        for (String line : log.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.contains("WARN") && List.of(parts).stream().allMatch(line::contains)) {
                return true;
            }
        }
        return false;
    }
}
