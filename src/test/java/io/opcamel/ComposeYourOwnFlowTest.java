package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.sandbox.EventStream;
import io.opcamel.sandbox.EventsApi;
import io.opcamel.sink.RecordingHttpSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Route;
import org.apache.camel.main.Main;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docs' "Compose your own flow" (docs/building-blocks.md), as printed: its YAML block is written to a flows folder
 * and its properties block to a file, both verbatim, and Camel Main runs them with the packaged defaults against the
 * sandbox. Only what points the example at this test's world is set apart, in a file that wins over the docs': the
 * account's host and token, the data folder, the HTTP receiver's URL (a loopback RecordingHttpSink), the flows
 * folder's absolute path, a poll every second, and no management port.
 */
class ComposeYourOwnFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final int EVENTS = 1200; // two pages of 1000 and 200
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.finite(EVENTS);

    @Test
    void theReadmeFlowPostsEveryEventOfTheFeedToTheEndpointOnce(@TempDir Path dir) throws Exception {
        String section = Docs.section("Compose your own flow");
        String yaml = block(section, "yaml");
        String properties = block(section, "properties");
        Path flows = Files.createDirectories(dir.resolve("flows"));
        Files.writeString(flows.resolve("audit-to-webhook.camel.yaml"), yaml);
        Files.writeString(dir.resolve("flows.properties"), properties);

        try (RecordingHttpSink receiver = RecordingHttpSink.start(RecordingHttpSink.accepting())) {
            String pattern = value(properties, "camel.main.routes-include-pattern");
            assertTrue(pattern.contains("file:flows/"), "the docs' flow loads the flows folder: " + pattern);
            // as the docs run it (--config flows.properties), with this test's sandbox, folders and receiver
            Main main = OnePasswordMain.configure(new String[] {"--config", dir.resolve("flows.properties").toString()},
                    Map.of(), new ArrayList<>());
            main.addOverrideProperty("onepassword.events.demo.host", SANDBOX.get().baseUrl());
            main.addOverrideProperty("onepassword.events.demo.token", SANDBOX.get().issueEventsToken("demo",
                    EventsApi.FEATURES));
            main.addOverrideProperty("onepassword.data-dir", dir.resolve("data").toString());
            main.addOverrideProperty("onepassword.events.cron", "0/1 * * * * ?");
            main.addOverrideProperty("flows.webhook.url", receiver.url("/ingest"));
            main.addOverrideProperty("camel.main.routes-include-pattern", pattern.replace("file:flows/", "file:"
                    + flows + "/"));
            main.addOverrideProperty("camel.management.enabled", "false");
            main.start();
            try {
                List<String> routes = main.getCamelContext().getRoutes().stream().map(Route::getRouteId)
                        .filter(id -> id.startsWith("poll-")).toList();
                assertEquals(List.of("poll-demo-auditevents"), routes, "only the flow polls (feed-routes=false)");
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> uuids(receiver).size() >= EVENTS);
                // two more polls that find nothing new: nothing more is sent
                long seen = SANDBOX.get().requests().lastSeq();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> SANDBOX.get().requests()
                        .matching(r -> r.seq() > seen && r.path().endsWith("/auditevents")).size() >= 2);
            } finally {
                main.stop();
            }
            assertEquals(expected(EVENTS), uuids(receiver), "every event of the feed, in order, once");
            assertEquals(2, receiver.requests().size(), "one POST per page with events, none for the empty polls");
            for (RecordingHttpSink.Request r : receiver.requests()) {
                assertEquals("POST", r.method());
                assertEquals("/ingest", r.path());
                assertTrue(r.header("content-type").startsWith("application/json"), r.header("content-type"));
                assertTrue(r.header("authorization") == null, "the Events API token reached the endpoint");
                for (JsonNode doc : JSON.readTree(r.bodyText())) { // the flow's schema: OCSF documents
                    assertEquals("auditevents", doc.path("metadata").path("log_name").asText(), r.bodyText());
                    assertEquals(doc.path("class_uid").asInt() * 100 + doc.path("activity_id").asInt(),
                            doc.path("type_uid").asInt(), doc.toString());
                }
            }
        }
    }

    private static List<String> uuids(RecordingHttpSink receiver) {
        List<String> out = new ArrayList<>();
        receiver.requests().forEach(r -> out.addAll(r.eventUuids()));
        return out;
    }

    private static List<String> expected(int n) {
        EventStream stream = SANDBOX.get().events().stream("demo", "auditevents");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(stream.uuid(i));
        }
        return out;
    }

    /** The first fenced block of this language in the text, verbatim. */
    static String block(String text, String language) {
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(text);
        assertTrue(m.find(), "a ```" + language + " block");
        return m.group(1);
    }

    private static String value(String properties, String key) {
        return properties.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("the docs' properties set no " + key));
    }
}
