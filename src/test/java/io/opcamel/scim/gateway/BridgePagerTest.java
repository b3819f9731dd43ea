package io.opcamel.scim.gateway;

import io.opcamel.bridge.BridgeAnswer;
import io.opcamel.bridge.BridgePager;
import io.opcamel.bridge.BridgeRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link BridgePager} against a scripted bridge: it reads until a short page whatever totalResults says, stops on a
 * page that brings nothing new (a bridge that ignores startIndex), hands each resource on once, and turns an answer
 * that is no page into the caller's error.
 */
class BridgePagerTest {

    /** {@code users} users u1..uN; totalResults is the page's size (the bug), or the answer is scripted. */
    private static final class Bridge implements Function<BridgeRequest, BridgeAnswer> {
        final List<String> calls = new ArrayList<>();
        final int users;
        boolean ignoreStartIndex;
        BridgeAnswer scripted;

        Bridge(int users) {
            this.users = users;
        }

        @Override
        public BridgeAnswer apply(BridgeRequest r) {
            calls.add(r.toString());
            if (scripted != null) {
                return scripted;
            }
            Map<String, String> q = new java.util.HashMap<>();
            for (String p : r.query().split("&")) {
                q.put(p.split("=")[0], p.split("=")[1]);
            }
            int start = ignoreStartIndex ? 1 : Integer.parseInt(q.get("startIndex"));
            int count = Integer.parseInt(q.get("count"));
            ObjectNode page = ScimRequests.JSON.createObjectNode();
            ArrayNode res = page.putArray("Resources");
            for (int i = start; i < start + count && i <= users; i++) {
                res.addObject().put("id", "u" + i);
            }
            page.put("totalResults", res.size());
            return new BridgeAnswer(200, Map.of(), page.toString().getBytes(StandardCharsets.UTF_8), null);
        }
    }

    private static RuntimeException failure(String call, BridgeAnswer a) {
        return new IllegalStateException(call + " -> " + a);
    }

    @Test
    void readsUntilAShortPageAndNeverTrustsTotalResults() {
        Bridge bridge = new Bridge(25);
        List<String> ids = new ArrayList<>();
        int pages = new BridgePager(bridge, 10, BridgePagerTest::failure).readAll("/Users",
                u -> ids.add(u.get("id").asText()));
        assertEquals(3, pages);
        assertEquals(25, ids.size());
        assertEquals(List.of("GET /Users?startIndex=1&count=10", "GET /Users?startIndex=11&count=10",
                "GET /Users?startIndex=21&count=10"), bridge.calls);
    }

    @Test
    void anExactMultipleEndsOnAnEmptyPage() {
        Bridge bridge = new Bridge(20);
        List<String> ids = new ArrayList<>();
        assertEquals(3, new BridgePager(bridge, 10, BridgePagerTest::failure).readAll("/Groups",
                g -> ids.add(g.get("id").asText())));
        assertEquals(20, ids.size());
    }

    @Test
    void aBridgeThatIgnoresStartIndexIsReadOnceNotForever() {
        Bridge bridge = new Bridge(25);
        bridge.ignoreStartIndex = true;
        List<String> ids = new ArrayList<>();
        assertEquals(2, new BridgePager(bridge, 10, BridgePagerTest::failure).readAll("/Users",
                u -> ids.add(u.get("id").asText())));
        assertEquals(List.of("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "u10"), ids);
    }

    @Test
    void anAnswerThatIsNoPageIsTheCallersError() {
        Bridge bridge = new Bridge(5);
        bridge.scripted = new BridgeAnswer(503, Map.of(), new byte[0], null);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new BridgePager(bridge, 10, BridgePagerTest::failure).readAll("/Users", u -> { }));
        assertEquals("GET /Users?startIndex=1&count=10 -> HTTP 503", e.getMessage());
        bridge.scripted = new BridgeAnswer(200, Map.of(), "[]".getBytes(StandardCharsets.UTF_8), null);
        assertThrows(IllegalStateException.class,
                () -> new BridgePager(bridge, 10, BridgePagerTest::failure).readAll("/Users", u -> { }));
    }
}
