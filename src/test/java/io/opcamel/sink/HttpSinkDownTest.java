package io.opcamel.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.BundleHarness;
import io.opcamel.SandboxExtension;
import io.opcamel.events.CursorStore;
import io.opcamel.sandbox.EventStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP sink failing: whatever is not an acknowledgement (a non-2xx status, a 3xx included, a refused
 * connection, a timeout, a refused Elasticsearch item, a Splunk code other than 0) fails the page, the feed keeps
 * its cursor, and once the sink takes pages again every event arrives, in order, and none is lost.
 * 25 sandbox events in pages of 10, batches of 4: a page is 3 requests (4 + 4 + 2), the last page 2 (4 + 1).
 */
class HttpSinkDownTest {

    private static final int EVENTS = 25;
    private static final String FEATURE = "itemusages";
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.finite(EVENTS);

    @Test
    void sinkDownForSeveralPollsHoldsTheCursorThenEveryEventArrivesOnce(@TempDir Path dir) throws Exception {
        List<String> all = uuids(0, EVENTS);
        String firstOfPage2 = all.get(10);
        try (RecordingHttpSink sink = RecordingHttpSink.start(r -> r.eventUuids().contains(firstOfPage2)
                ? RecordingHttpSink.Answer.json(503, "{\"error\":\"down for maintenance\"}")
                : RecordingHttpSink.Answer.status(200))) {
            // the http sink beside the file sink: it is written first, so the file never holds what it refused
            Map<String, String> props = props(dir, sink.url("/hook"), "file,http");
            try (BundleHarness bundle = BundleHarness.start(props, dir, true)) {
                bundle.poll("demo", FEATURE);
                Optional<String> afterPage1 = cursor(bundle);
                assertTrue(afterPage1.isPresent(), "page 1 was taken, its cursor saved");
                assertEquals(4, sink.requests().size(), "page 1 in 3 batches, then the first batch of page 2 failed");
                for (int poll = 2; poll <= 4; poll++) {
                    bundle.poll("demo", FEATURE);
                    assertEquals(afterPage1, cursor(bundle), "the cursor moved while the sink was down (poll " + poll + ")");
                    assertEquals(3 + poll, sink.requests().size(), "one failed request per poll: no retry, no later batch");
                    assertEquals(all.subList(0, 10), fileUuids(bundle), "the file got a page the http sink refused");
                }

                sink.answerWith(RecordingHttpSink.accepting());
                bundle.poll("demo", FEATURE);
                assertNotEquals(afterPage1, cursor(bundle), "the cursor did not move once the sink was back");
                assertEquals(all, acknowledgedUuids(sink), "every event once, in order, at the http sink");
                assertEquals(all, fileUuids(bundle), "every event once, in order, in the file");

                int requests = sink.requests().size();
                bundle.poll("demo", FEATURE);
                assertEquals(requests, sink.requests().size(), "a poll with nothing new sent something");
            }
        }
    }

    @Test
    void elasticsearchItemFailureHoldsTheCursorAndConflictsCountAsDelivered(@TempDir Path dir) throws Exception {
        List<String> all = uuids(0, EVENTS);
        RecordingHttpSink.ElasticsearchBulk es = new RecordingHttpSink.ElasticsearchBulk().failOnce(all.get(6), 500);
        try (RecordingHttpSink sink = RecordingHttpSink.start(es)) {
            Map<String, String> props = props(dir, sink.url("/_bulk"), "http");
            props.put("onepassword.sink.http.format", "elasticsearch-bulk");
            try (BundleHarness bundle = BundleHarness.start(props, dir, true)) {
                bundle.poll("demo", FEATURE);
                assertEquals(Optional.empty(), cursor(bundle), "a failed item let the cursor be saved");
                assertEquals(2, sink.requests().size(), "the batch after the refused one was sent");
                assertEquals(List.of(all.get(0), all.get(1), all.get(2), all.get(3), all.get(4), all.get(5), all.get(7)),
                        es.stored(), "what Elasticsearch stored before the refused item");

                // the page is sent again whole: what is stored answers 409 and counts as delivered
                bundle.poll("demo", FEATURE);
                assertTrue(cursor(bundle).isPresent(), "409s were not counted as delivered");
                List<String> stored = es.stored();
                assertEquals(EVENTS, stored.size(), "a document stored twice, or one missing");
                assertEquals(new HashSet<>(all), new HashSet<>(stored), "every event stored, once");
                String resent = sink.recorded().get(2).answer().body();
                assertTrue(resent.contains("\"status\":409"), "the re-sent batch was not answered with conflicts");
            }
        }
    }

    @Test
    void splunkCodeOtherThanZeroHoldsTheCursor(@TempDir Path dir) throws Exception {
        try (RecordingHttpSink sink = RecordingHttpSink.start(RecordingHttpSink.splunkRefusing(6, "Invalid data format"))) {
            Map<String, String> props = props(dir, sink.url("/services/collector/event"), "http");
            props.put("onepassword.sink.http.format", "splunk-hec");
            props.put("onepassword.sink.http.auth", "splunk");
            props.put("onepassword.sink.http.token", "hec-token-for-the-test");
            try (BundleHarness bundle = BundleHarness.start(props, dir, true)) {
                bundle.poll("demo", FEATURE);
                bundle.poll("demo", FEATURE);
                assertEquals(Optional.empty(), cursor(bundle), "a Splunk code 6 let the cursor be saved");
                assertEquals(2, sink.requests().size(), "one refused batch per poll, nothing after it");

                sink.answerWith(RecordingHttpSink.splunkSuccess());
                bundle.poll("demo", FEATURE);
                assertTrue(cursor(bundle).isPresent());
                assertEquals(uuids(0, EVENTS), acknowledgedUuids(sink), "every event once, in order");
            }
        }
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("503", (Consumer<RecordingHttpSink>) s -> s.answerWith(RecordingHttpSink.answering(503))),
                Arguments.of("400", (Consumer<RecordingHttpSink>) s -> s.answerWith(RecordingHttpSink.answering(400))),
                // followed, the redirect would reach a 200 and the page would count as delivered
                Arguments.of("302", (Consumer<RecordingHttpSink>) s -> s.answerWith(r -> r.path().equals("/moved")
                        ? RecordingHttpSink.Answer.status(200)
                        : RecordingHttpSink.Answer.status(302).withHeader("Location", s.url("/moved")))),
                Arguments.of("timeout", (Consumer<RecordingHttpSink>) s -> s.answerWith(
                        r -> RecordingHttpSink.Answer.status(200).after(3000))),
                Arguments.of("refused", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void anythingButA2xxHoldsTheCursor(String name, Consumer<RecordingHttpSink> setUp, @TempDir Path dir)
            throws Exception {
        try (RecordingHttpSink sink = RecordingHttpSink.start(RecordingHttpSink.accepting())) {
            String url = sink.url("/hook");
            if (setUp == null) {
                try (ServerSocket free = new ServerSocket(0)) {
                    url = "http://127.0.0.1:" + free.getLocalPort() + "/hook"; // nothing listens there once closed
                }
            } else {
                setUp.accept(sink);
            }
            Map<String, String> props = props(dir, url, "http");
            props.put("onepassword.sink.http.response-timeout", "PT0.3S");
            props.put("onepassword.sink.http.connect-timeout", "PT1S");
            try (BundleHarness bundle = BundleHarness.start(props, dir, true)) {
                bundle.poll("demo", FEATURE);
                assertEquals(Optional.empty(), cursor(bundle), name + " let the cursor be saved");
                assertEquals(setUp == null ? 0 : 1, sink.requests().size(), "requests after a " + name);
            }
        }
    }

    private static Map<String, String> props(Path dir, String url, String sinkTypes) {
        Map<String, String> props = BundleHarness.sandboxProperties(SANDBOX.get(), dir);
        props.put("onepassword.events.demo.features", FEATURE);
        props.put("onepassword.events.limit", "10");
        props.put("onepassword.sink.type", sinkTypes);
        props.put("onepassword.sink.http.url", url);
        props.put("onepassword.sink.http.batch-size", "4");
        return props;
    }

    private static Optional<String> cursor(BundleHarness bundle) {
        return bundle.context.getRegistry().lookupByNameAndType("cursorStore", CursorStore.class).load("demo", FEATURE);
    }

    static List<String> uuids(int from, int to) {
        EventStream stream = SANDBOX.get().events().stream("demo", FEATURE);
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(stream.uuid(i));
        }
        return out;
    }

    private static List<String> acknowledgedUuids(RecordingHttpSink sink) {
        return sink.acknowledged().stream().flatMap(r -> r.eventUuids().stream()).toList();
    }

    private static List<String> fileUuids(BundleHarness bundle) {
        return bundle.records("demo", FEATURE).stream().map(r -> r.path("event").path("uuid").asText()).toList();
    }
}
