package io.opcamel.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opcamel.TeeStream;
import io.opcamel.config.Settings;
import io.opcamel.events.EventPage;
import io.opcamel.normalise.EventSchemas;
import io.opcamel.normalise.MappingProblems;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A page on its way to the sinks: each sink gets it in its schema for the page's account, mapped once per schema;
 * events a schema cannot place are delivered all the same, counted per kind, and logged once per kind.
 */
class EventRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private EventRecords records(Map<String, String> properties) {
        Map<String, String> p = new java.util.HashMap<>(Map.of("onepassword.sink.file.schema", "raw",
                "onepassword.sink.kafka.schema", "raw", "onepassword.sink.http.schema", "raw",
                "onepassword.normalise.ecs.version", "8.11.0", "onepassword.normalise.ecs.original", "false",
                "onepassword.normalise.ocsf.version", "1.8.0", "onepassword.normalise.ocsf.raw-data", "false"));
        p.putAll(properties);
        return new EventRecords(new EventSchemas(new Settings(k -> Optional.ofNullable(p.get(k)))),
                new MappingProblems(meters), Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC));
    }

    private static EventPage page(String... items) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String i : items) {
            nodes.add(JSON.readTree(i));
        }
        return new EventPage("c", false, nodes);
    }

    @Test
    void eachSinkTakesThePageInItsSchemaForTheAccountMappedOncePerSchema() throws Exception {
        EventRecords records = records(Map.of("onepassword.sink.kafka.schema", "ocsf",
                "onepassword.events.acme.sink.file.schema", "ecs", "onepassword.sink.http.schema", "ecs"));
        EventPage page = page("{\"uuid\":\"A\",\"timestamp\":\"2026-12-07T11:00:00.123456Z\",\"category\":\"success\"}");

        EventRecords.PageRecords acme = records.page(page, "acme", "signinattempts");
        SinkRecord file = records.forSink(acme, "file").get(0);
        SinkRecord kafka = records.forSink(acme, "kafka").get(0);
        assertEquals("1password", JSON.readTree(file.json()).path("event").path("module").asText(), "acme's file: ECS");
        assertEquals(3002, JSON.readTree(kafka.json()).path("class_uid").asInt(), "every account's Kafka: OCSF");
        assertEquals("3002", kafka.eventClass());
        assertEquals("A", kafka.uuid());
        assertEquals("2026-12-07T11:00:00.123456Z", kafka.time(), "the event's own time, as the API wrote it");
        assertSame(records.forSink(acme, "file"), records.forSink(acme, "http"), "ECS mapped once for both sinks");
        assertEquals("ecs", file.schema());

        SinkRecord other = records.forSink(records.page(page, "other", "signinattempts"), "file").get(0);
        assertEquals("other", JSON.readTree(other.json()).path("account").asText(), "another account's file: raw");
    }

    @Test
    void eventsASchemaCannotPlaceAreDeliveredCountedAndLoggedOncePerKind() throws Exception {
        EventRecords records = records(Map.of("onepassword.sink.file.schema", "ocsf"));
        String user = ",\"category\":\"success\",\"target_user\":{\"uuid\":\"U\"}}";
        EventPage page = page("{\"uuid\":\"A\"" + user, "{\"uuid\":\"B\"" + user,
                "{\"uuid\":\"C\",\"timestamp\":\"2026-12-07T11:00:00Z\"" + user);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(new TeeStream(stderr, log), true, StandardCharsets.UTF_8));
        List<SinkRecord> out;
        try {
            out = records.forSink(records.page(page, "demo", "signinattempts"), "file");
            records.forSink(records.page(page, "demo", "signinattempts"), "file");
        } finally {
            System.setErr(stderr);
        }
        assertEquals(List.of("A", "B", "C"), out.stream().map(SinkRecord::uuid).toList(), "none dropped");
        assertEquals(4.0, meters.get("onepassword.events.unmapped").tags("schema", "ocsf", "feature",
                "signinattempts", "problem", "missing-timestamp").counter().count());
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.split("could not be fully placed", -1).length - 1, "logged once: " + text);
        assertEquals(true, text.contains("missing-timestamp") && text.contains("event A"), text);
    }
}
