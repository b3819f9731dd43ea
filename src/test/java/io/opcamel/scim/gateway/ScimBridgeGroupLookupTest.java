package io.opcamel.scim.gateway;

import io.opcamel.bridge.BridgeAnswer;
import io.opcamel.bridge.BridgeRequest;
import io.opcamel.bridge.BridgeGroupLookup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.scim.ScimError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@link BridgeGroupLookup} against a scripted bridge: what it asks, how it pages, what it concludes. */
class ScimBridgeGroupLookupTest {

    /** A bridge with {@code users} users; user i is in group "g" when i is even, "h" when i is a multiple of 3. */
    private static final class FakeBridge implements Function<BridgeRequest, BridgeAnswer> {
        final List<String> calls = new ArrayList<>();
        final int users;
        final Set<String> groups = Set.of("g", "h", "empty");
        boolean ignoreStartIndex;
        boolean lieAboutTotal = true;

        FakeBridge(int users) {
            this.users = users;
        }

        @Override
        public BridgeAnswer apply(BridgeRequest r) {
            calls.add(r.toString());
            if (r.path().startsWith("/Groups/")) {
                return groups.contains(r.path().substring(8)) ? answer(200, "{\"id\":\"x\"}") : answer(404, "{}");
            }
            Map<String, String> q = new java.util.HashMap<>();
            for (String p : r.query().split("&")) {
                q.put(p.split("=")[0], p.split("=")[1]);
            }
            int start = ignoreStartIndex ? 1 : Integer.parseInt(q.get("startIndex"));
            int count = ignoreStartIndex ? users : Integer.parseInt(q.get("count"));
            ObjectNode page = ScimRequests.JSON.createObjectNode();
            page.put("totalResults", lieAboutTotal ? Math.min(count, Math.max(0, users - start + 1)) : users);
            ArrayNode res = page.putArray("Resources");
            for (int i = start; i < start + count && i <= users; i++) {
                ObjectNode u = res.addObject().put("id", "u" + i);
                ArrayNode gs = u.putArray("groups");
                if (i % 2 == 0) {
                    gs.addObject().put("value", "g").put("display", "G");
                }
                if (i % 3 == 0) {
                    gs.addObject().put("value", "h").put("display", "H");
                }
            }
            return answer(200, page.toString());
        }

        private static BridgeAnswer answer(int status, String body) {
            return new BridgeAnswer(status, Map.of(), body.getBytes(StandardCharsets.UTF_8), null);
        }
    }

    @Test
    void pagesUntilAShortPageWithoutTrustingTotalResultsAndReadsTheUsersOnce() {
        FakeBridge bridge = new FakeBridge(250);
        BridgeGroupLookup lookup = new BridgeGroupLookup(bridge);
        List<String> g = lookup.members("g").orElseThrow();
        assertEquals(125, g.size());
        assertEquals("u2", g.get(0));
        assertEquals("u250", g.get(124));
        assertEquals(83, lookup.members("h").orElseThrow().size()); // u3, u6 .. u249
        assertEquals(List.of(), lookup.members("empty").orElseThrow());
        assertEquals(Optional.empty(), lookup.members("u4"));
        assertEquals(Optional.empty(), lookup.members("../Users"), "not an id: never put in a path");
        lookup.members("g");
        assertEquals(List.of("GET /Groups/g", "GET /Users?startIndex=1&count=100",
                "GET /Users?startIndex=101&count=100", "GET /Users?startIndex=201&count=100", "GET /Groups/h",
                "GET /Groups/empty", "GET /Groups/u4"), bridge.calls);
        assertFalse(lookup.mayBeGroup("QK3V7N2M5XJ4ZP6TB2RW8YCLHA".replace('8', 'A')),
                "a 1Password user id (26 upper-case base32) is not worth a bridge call");
        assertTrue(lookup.mayBeGroup("qk3v7n2m5xj4zp6tb2rwaycla7"), "a group id (lower-case base32) is");
        assertFalse(lookup.mayBeGroup("../Users"), "not an id: never put in a path");
    }

    @Test
    void aFullPageThatRepeatsWhatCameEndsTheRead() {
        FakeBridge bridge = new FakeBridge(150);
        bridge.ignoreStartIndex = true; // the whole list on every page, as the real bridge was seen to answer
        assertEquals(75, new BridgeGroupLookup(bridge).members("g").orElseThrow().size());
        assertEquals(3, bridge.calls.size());
    }

    @Test
    void aBridgeFailureIsA502NotAGuess() {
        BridgeGroupLookup down = new BridgeGroupLookup(r -> BridgeAnswer.noAnswer("ConnectException"));
        assertEquals(502, assertThrows(ScimError.class, () -> down.members("g")).status());
        BridgeGroupLookup failing = new BridgeGroupLookup(r -> r.path().startsWith("/Groups/")
                ? new BridgeAnswer(200, Map.of(), "{}".getBytes(StandardCharsets.UTF_8), null)
                : new BridgeAnswer(500, Map.of(), new byte[0], null));
        assertEquals(502, assertThrows(ScimError.class, () -> failing.members("g")).status());
    }
}
