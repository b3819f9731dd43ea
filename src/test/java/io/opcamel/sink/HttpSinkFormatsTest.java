package io.opcamel.sink;

import static org.apache.camel.builder.Builder.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.BundleHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opcamel.config.Settings;
import io.opcamel.events.CursorStore;
import io.opcamel.normalise.EventSchemas;
import io.opcamel.normalise.MappingProblems;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden fixtures of the HTTP sink: each folder under src/test/resources/sink/http holds a case (case.json: the
 * feed, the sink's path and its onepassword.sink.http.* settings) and every request the sink must receive for a
 * page of five sandbox events, exactly (expected-requests.http: request line, headers, body byte for byte, with
 * the test's secrets shown as {@code <token>} / {@code <password>}). Time is fixed on both sides (the sandbox's
 * clock and event origin, the bundle's received_at), so the bodies are stable. The exchange carries headers of its
 * own into the sink route, which must not reach the sink. Regenerate with -Dgolden.update=true and review the diff.
 */
class HttpSinkFormatsTest {

    private static final Path ROOT = Path.of("src/test/resources/sink/http");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    static final String TOKEN = "test-sink-token-5b7e0c";
    static final String PASSWORD = "test-sink-password-91d4";
    private static final Instant ORIGIN = Instant.parse("2026-03-02T09:30:00.123456789Z");
    private static final Clock RECEIVED = Clock.fixed(Instant.parse("2026-03-02T09:31:00.250Z"), ZoneOffset.UTC);
    private static final Set<String> TRANSPORT_HEADERS = Set.of("host", "content-length", "connection", "user-agent",
            "accept-encoding", "transfer-encoding");

    private static Sandbox sandbox;

    @BeforeAll
    static void startSandbox() {
        SandboxConfig c = new SandboxConfig();
        c.origin = ORIGIN;
        c.clock = Clock.fixed(ORIGIN.plusSeconds(60), ZoneOffset.UTC);
        c.eventsPerSecond = 1;
        c.backlog = 5;
        c.maxEvents = 5;
        sandbox = Sandbox.start(c);
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(d -> Files.exists(d.resolve("case.json"))).map(p -> p.getFileName().toString())
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pageBecomesExactlyTheseRequests(String name, @TempDir Path dir) throws Exception {
        Path caseDir = ROOT.resolve(name);
        JsonNode spec = JSON.readTree(caseDir.resolve("case.json").toFile());
        String feature = spec.path("feature").asText();
        Map<String, String> settings = JSON.convertValue(spec.path("properties"), Map.class);
        HttpSinkFormat format = HttpSinkFormat.of("case.json", settings.get("onepassword.sink.http.format"));

        List<Set<String>> headersAfterPost = Collections.synchronizedList(new ArrayList<>());
        try (RecordingHttpSink sink = RecordingHttpSink.start(receiver(format))) {
            Map<String, String> props = props(dir, feature, sink.url(spec.path("path").asText()));
            props.putAll(settings);
            try (BundleHarness bundle = BundleHarness.start(props, dir, true, ctx -> {
                ctx.getRegistry().bind("eventRecords", new EventRecords(new EventSchemas(new Settings(
                        ctx.getPropertiesComponent()::resolveProperty)), new MappingProblems(new SimpleMeterRegistry()),
                        RECEIVED));
                AdviceWith.adviceWith(ctx, "deliver-events-page", r -> r.weaveAddFirst()
                        .setHeader("X-Exchange-Header", constant("must-not-leak"))
                        .setHeader("Authorization", constant("Bearer must-not-leak")));
                AdviceWith.adviceWith(ctx, "sink-http", r -> r.weaveById("check-the-answer-acknowledges-every-record")
                        .before().process(e -> headersAfterPost.add(new TreeSet<>(e.getMessage().getHeaders().keySet()))));
            })) {
                bundle.poll("demo", feature);
                CursorStore cursors = bundle.context.getRegistry().lookupByNameAndType("cursorStore", CursorStore.class);
                assertTrue(cursors.load("demo", feature).isPresent(), "the page was delivered, so its cursor was saved");
                bundle.poll("demo", feature); // nothing new: no request
            }
            List<RecordingHttpSink.Request> requests = sink.requests();
            assertFalse(requests.isEmpty(), "the sink received nothing");
            String expectedAuth = expectedAuthorization(settings);
            for (RecordingHttpSink.Request r : requests) {
                assertEquals("POST", r.method());
                assertEquals(format.contentType(), r.header("Content-Type"));
                assertEquals(expectedAuth, r.header("Authorization"), "the Authorization header, with the real secret");
                assertEquals(null, r.header("X-Exchange-Header"), "an exchange header reached the sink");
            }
            for (Set<String> h : headersAfterPost) {
                assertEquals(Set.of("CamelHttpResponseCode"), h, "headers left on the exchange after the POST");
            }
            assertEquals(requests.size(), headersAfterPost.size());
            compare(caseDir.resolve("expected-requests.http"), render(requests));
        }
    }

    static Map<String, String> props(Path dir, String feature, String url) {
        Map<String, String> props = BundleHarness.sandboxProperties(sandbox, dir);
        props.put("onepassword.events.demo.features", feature);
        props.put("onepassword.events.demo.start-time", "2026-03-02T09:29:00Z");
        props.put("onepassword.sink.type", "http");
        props.put("onepassword.sink.http.url", url);
        props.put("onepassword.sink.http.token", TOKEN);
        props.put("onepassword.sink.http.password", PASSWORD);
        return props;
    }

    private static RecordingHttpSink.Responder receiver(HttpSinkFormat format) {
        return switch (format) {
            case SPLUNK_HEC -> RecordingHttpSink.splunkSuccess();
            case ELASTICSEARCH_BULK -> new RecordingHttpSink.ElasticsearchBulk();
            default -> RecordingHttpSink.accepting();
        };
    }

    private static String expectedAuthorization(Map<String, String> settings) {
        return switch (settings.getOrDefault("onepassword.sink.http.auth", "none")) {
            case "bearer" -> "Bearer " + TOKEN;
            case "splunk" -> "Splunk " + TOKEN;
            case "apikey" -> "ApiKey " + TOKEN;
            case "basic" -> "Basic " + Base64.getEncoder().encodeToString((settings.get("onepassword.sink.http.username")
                    + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            default -> null;
        };
    }

    /** The requests as a reviewer reads them: line, headers (not the transport's), body verbatim; secrets masked. */
    static String render(List<RecordingHttpSink.Request> requests) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < requests.size(); i++) {
            RecordingHttpSink.Request r = requests.get(i);
            sb.append("### request ").append(i + 1).append(" of ").append(requests.size()).append('\n');
            sb.append(r.method()).append(' ').append(r.path()).append('\n');
            r.headers().forEach((name, values) -> {
                if (!TRANSPORT_HEADERS.contains(name)) {
                    values.forEach(v -> sb.append(name).append(": ").append(mask(v)).append('\n'));
                }
            });
            String body = r.bodyText();
            sb.append('\n').append(body);
            if (!body.endsWith("\n")) {
                sb.append("\n\\ no newline at end of body\n");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String mask(String value) {
        if (value.startsWith("Basic ")) {
            String decoded = new String(Base64.getDecoder().decode(value.substring(6)), StandardCharsets.UTF_8);
            return "Basic base64(" + decoded.replace(PASSWORD, "<password>") + ")";
        }
        return value.replace(TOKEN, "<token>");
    }

    private static void compare(Path expectedFile, String actual) throws IOException {
        if (UPDATE) {
            Files.writeString(expectedFile, actual);
            return;
        }
        assertEquals(Files.readString(expectedFile), actual, "differs from " + expectedFile);
    }
}
