package io.opcamel.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.BundleHarness;
import io.opcamel.SandboxExtension;
import io.opcamel.normalise.EventSchemas;
import io.opcamel.sandbox.EventStream;
import io.opcamel.sink.NdjsonFileSink;
import io.opcamel.sink.SinkRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash at the worst moments, then a restart on the same files: every event reaches the sink exactly once.
 * The crash is a hook woven into the feed route that aborts the poll at the chosen step, after which the context
 * is stopped and a new one started, as a restarted process would be.
 */
class CrashRecoveryTest {

    private static final int EVENTS = 750; // two pages of 500 and 250
    private static final String FEATURE = "itemusages";
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.finite(EVENTS);

    /** Thrown by the hook: the process "dies" here. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash");
        }
    }

    /** In every schema the file sink may write: what was delivered is read back from each one's own uuid field. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"raw", "ecs", "ocsf"})
    void crashBetweenSinkAckAndCursorSaveLosesNothingAndDuplicatesNothing(String schema, @TempDir Path dir)
            throws Exception {
        Map<String, String> props = props(dir, schema);
        String route = EventsFeedRoutes.routeId("demo", Feature.itemusages);
        try (BundleHarness crashing = BundleHarness.start(props, dir, true, ctx -> AdviceWith.adviceWith(ctx, route,
                r -> r.weaveById("deliver-the-page").after().process(e -> {
                    throw new SimulatedCrash();
                })))) {
            crashing.poll("demo", FEATURE);
            assertEquals(500, crashing.records("demo", FEATURE).size(), "the first page reached the sink");
            assertFalse(Files.exists(dir.resolve("cursors/demo-itemusages.cursor.json")), "no cursor was saved");
        }
        try (BundleHarness restarted = BundleHarness.start(props, dir, true)) {
            restarted.poll("demo", FEATURE);
            assertExactlyOnce(restarted.records("demo", FEATURE));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"raw", "ecs", "ocsf"})
    void crashMidPageWithATornLastLineLosesNothingAndDuplicatesNothing(String schema, @TempDir Path dir)
            throws Exception {
        Map<String, String> props = props(dir, schema);
        try (BundleHarness crashing = BundleHarness.start(props, dir, true, ctx -> AdviceWith.adviceWith(ctx,
                "sink-file", r -> r.weaveById("append-and-fsync-the-records").replace().process(e -> {
                    // the process dies while writing: half the page is on disk, then half a line
                    @SuppressWarnings("unchecked")
                    List<SinkRecord> records = e.getMessage().getBody(List.class);
                    NdjsonFileSink sink = new NdjsonFileSink(dir.resolve("events"));
                    sink.append(new ArrayList<>(records.subList(0, records.size() / 2)), "demo", FEATURE);
                    String torn = records.get(records.size() / 2).json();
                    Files.writeString(sink.file("demo", FEATURE), torn.substring(0, torn.length() / 2),
                            StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                    throw new SimulatedCrash();
                })))) {
            crashing.poll("demo", FEATURE);
        }
        List<String> lines = Files.readAllLines(dir.resolve("events/demo-itemusages.ndjson"));
        assertEquals(251, lines.size(), "250 whole records and one torn line");

        try (BundleHarness restarted = BundleHarness.start(props, dir, true)) {
            restarted.poll("demo", FEATURE);
            // the torn half line was cut before the restart appended: every line is a whole record
            assertExactlyOnce(restarted.records("demo", FEATURE));
        }
    }

    private static Map<String, String> props(Path dir, String schema) {
        Map<String, String> props = BundleHarness.sandboxProperties(SANDBOX.get(), dir);
        props.put("onepassword.sink.file.schema", schema);
        props.put("onepassword.events.demo.features", FEATURE);
        props.put("onepassword.events.limit", "500");
        return props;
    }

    private static void assertExactlyOnce(List<JsonNode> records) {
        EventStream stream = SANDBOX.get().events().stream("demo", FEATURE);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            expected.add(stream.uuid(i));
        }
        List<String> delivered = records.stream().map(EventSchemas::uuidOf).toList();
        assertEquals(expected, delivered, "every event once, in order");
    }
}
