package io.opcamel.sink;

import static org.apache.camel.builder.Builder.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.BundleHarness;
import io.opcamel.SandboxExtension;
import io.opcamel.sandbox.EventStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a page of 250 events is cut into requests: by record count (batch-size), by body size (batch-bytes), in
 * page order, each request sent only after the one before it was acknowledged.
 */
class HttpSinkBatchingTest {

    private static final int EVENTS = 250;
    private static final String FEATURE = "signinattempts";
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.finite(EVENTS);

    @Test
    void aPageOf250InBatchesOf100IsThreeRequestsInOrder(@TempDir Path dir) throws Exception {
        try (RecordingHttpSink sink = RecordingHttpSink.start(RecordingHttpSink.accepting())) {
            Map<String, String> props = props(dir, sink.url("/hook"));
            props.put("onepassword.sink.http.batch-size", "100");
            // an ESB's exchange may carry an Authorization of its own: with auth=none the sink must get none
            try (BundleHarness bundle = BundleHarness.start(props, dir, true, ctx -> AdviceWith.adviceWith(ctx,
                    "deliver-events-page", r -> r.weaveAddFirst().setHeader("Authorization",
                            constant("Bearer 1password-events-token-must-not-leak"))))) {
                bundle.poll("demo", FEATURE);
            }
            List<RecordingHttpSink.Request> requests = sink.requests();
            assertEquals(List.of(100, 100, 50), requests.stream().map(r -> r.eventUuids().size()).toList());
            assertEquals(all(), requests.stream().flatMap(r -> r.eventUuids().stream()).toList(), "out of order");
            for (RecordingHttpSink.Request r : requests) {
                assertNull(r.header("Authorization"), "the exchange's Authorization header reached the sink");
            }
        }
    }

    @Test
    void batchBytesCutsEachRequestAsLargeAsFitsAndNoLarger(@TempDir Path dir) throws Exception {
        int limit = 20_000;
        try (RecordingHttpSink sink = RecordingHttpSink.start(RecordingHttpSink.accepting())) {
            Map<String, String> props = props(dir, sink.url("/hook"));
            props.put("onepassword.sink.http.batch-bytes", String.valueOf(limit));
            try (BundleHarness bundle = BundleHarness.start(props, dir, true)) {
                bundle.poll("demo", FEATURE);
            }
            List<RecordingHttpSink.Request> requests = sink.requests();
            assertTrue(requests.size() > 2, "expected the page to need several requests, got " + requests.size());
            for (int i = 0; i < requests.size(); i++) {
                byte[] body = requests.get(i).body();
                assertTrue(body.length <= limit, "request " + (i + 1) + " has " + body.length + " bytes");
                if (i + 1 < requests.size()) {
                    String next = requests.get(i + 1).bodyText();
                    int firstLineOfNext = next.substring(0, next.indexOf('\n') + 1).getBytes().length;
                    assertTrue(body.length + firstLineOfNext > limit, "request " + (i + 1) + " could have taken one more");
                }
            }
            assertEquals(all(), requests.stream().flatMap(r -> r.eventUuids().stream()).toList(), "lost or reordered");
        }
    }

    @Test
    void aRecordLargerThanBatchBytesGoesAlone(@TempDir Path dir) throws Exception {
        try (RecordingHttpSink sink = RecordingHttpSink.start(RecordingHttpSink.accepting())) {
            Map<String, String> props = props(dir, sink.url("/hook"));
            props.put("onepassword.sink.http.format", "json-array");
            props.put("onepassword.sink.http.batch-bytes", "1");
            props.put("onepassword.events.limit", "20");
            try (BundleHarness bundle = BundleHarness.start(props, dir, true)) {
                bundle.poll("demo", FEATURE);
            }
            List<RecordingHttpSink.Request> requests = sink.requests();
            assertEquals(EVENTS, requests.size(), "one request per record");
            assertEquals(all(), requests.stream().flatMap(r -> r.eventUuids().stream()).toList());
        }
    }

    private static Map<String, String> props(Path dir, String url) {
        Map<String, String> props = BundleHarness.sandboxProperties(SANDBOX.get(), dir);
        props.put("onepassword.events.demo.features", FEATURE);
        props.put("onepassword.events.limit", String.valueOf(EVENTS));
        props.put("onepassword.sink.type", "http");
        props.put("onepassword.sink.http.url", url);
        return props;
    }

    private static List<String> all() {
        EventStream stream = SANDBOX.get().events().stream("demo", FEATURE);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            out.add(stream.uuid(i));
        }
        return out;
    }
}
