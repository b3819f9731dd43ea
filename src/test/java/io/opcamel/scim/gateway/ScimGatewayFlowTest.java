package io.opcamel.scim.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.opcamel.sandbox.LoggedRequest;
import io.opcamel.sandbox.ScimUserState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's life through the gateway over real HTTP, into the sandbox bridge: create, read, patch, suspend (DELETE,
 * sent as a suspend), reactivate, find by filter. The bridge's own state is checked after each step, the bridge
 * never sees the IdP's token (nor the IdP the bridge's), the guardrails' look-ups go through the same bridge client,
 * and each change leaves exactly one audit record.
 */
class ScimGatewayFlowTest {

    private static final String ADA = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada@example.com",
             "name":{"givenName":"Ada","familyName":"Lovelace"},"emails":[{"value":"ada@example.com","primary":true}],
             "active":true}""";

    @Test
    void aUserIsCreatedReadPatchedSuspendedReactivatedAndFoundThroughTheGateway(@TempDir Path dir) throws Exception {
        try (GatewayRig rig = GatewayRig.start(dir, Map.of())) {
            RawHttp.Response created = rig.call("POST", "/Users", GatewayRig.OKTA, ADA);
            assertEquals(201, created.status(), created.text());
            assertEquals("application/scim+json", created.header("Content-Type"));
            String id = created.json().path("id").asText();
            assertEquals("/scim/v2/Users/" + id, created.header("Location"));
            assertEquals("ada@example.com", rig.sandbox.bridge().user(id).userName());

            RawHttp.Response read = rig.call("GET", "/Users/" + id, GatewayRig.ENTRA, null);
            assertEquals(200, read.status());
            assertEquals("Ada", read.json().path("name").path("givenName").asText());

            RawHttp.Response patched = rig.call("PATCH", "/Users/" + id, GatewayRig.OKTA, """
                    {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                     "Operations":[{"op":"replace","path":"displayName","value":"Countess Lovelace"}]}""");
            assertEquals(200, patched.status(), patched.text());
            assertEquals("Countess Lovelace", rig.sandbox.bridge().user(id).displayName());

            // the user-delete guardrail: the bridge gets a suspend PATCH, the IdP the 204 a DELETE expects
            RawHttp.Response deleted = rig.call("DELETE", "/Users/" + id, GatewayRig.OKTA, null);
            assertEquals(204, deleted.status(), deleted.text());
            assertEquals(0, deleted.body().length);
            assertEquals(ScimUserState.SUSPENDED, rig.sandbox.bridge().state(id));

            RawHttp.Response reactivated = rig.call("PATCH", "/Users/" + id, GatewayRig.OKTA, """
                    {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                     "Operations":[{"op":"replace","path":"active","value":true}]}""");
            assertEquals(200, reactivated.status(), reactivated.text());
            assertTrue(rig.sandbox.bridge().user(id).active());

            RawHttp.Response found = rig.call("GET", "/Users?filter=userName%20eq%20%22ada@example.com%22&count=10",
                    GatewayRig.ENTRA, null);
            assertEquals(200, found.status(), found.text());
            assertEquals(1, found.json().path("totalResults").asInt());
            assertEquals(id, found.json().path("Resources").path(0).path("id").asText());

            // the bridge saw its own token only, and the query as the IdP meant it; before a create, the
            // duplicate-create look-up; before a user PATCH, the current user (suspended-user-identity)
            List<LoggedRequest> calls = rig.sandbox.requests().matching(r -> r.api().equals("scim"));
            assertEquals(List.of("GET /scim/v2/Users", "POST /scim/v2/Users", "GET /scim/v2/Users/" + id,
                    "GET /scim/v2/Users/" + id, "PATCH /scim/v2/Users/" + id, "PATCH /scim/v2/Users/" + id,
                    "GET /scim/v2/Users/" + id, "PATCH /scim/v2/Users/" + id, "GET /scim/v2/Users"),
                    calls.stream().map(r -> r.method() + " " + r.path()).toList());
            assertEquals("filter=userName eq \"ada@example.com\"",
                    java.net.URLDecoder.decode(calls.get(0).query(), java.nio.charset.StandardCharsets.UTF_8));
            assertTrue(calls.get(5).body().contains("\"path\":\"active\",\"value\":false"),
                    "DELETE sent as a suspend: " + calls.get(5));
            assertEquals(1, calls.stream().map(LoggedRequest::tokenFingerprint).distinct().count());
            assertEquals("filter=userName eq \"ada@example.com\"&count=10",
                    java.net.URLDecoder.decode(calls.get(8).query(), java.nio.charset.StandardCharsets.UTF_8));
            for (RawHttp.Response r : List.of(created, read, patched, reactivated, found)) {
                assertFalse(r.headers().containsKey("authorization"), "an Authorization header came back");
                assertFalse(r.text().contains(rig.sandbox.bridgeToken()));
            }

            // one record per change (reads are not audited), naming the IdP and the fields, never a value
            List<JsonNode> audit = rig.audit();
            assertEquals(List.of("create", "patch", "delete", "patch"),
                    audit.stream().map(a -> a.path("operation").asText()).toList());
            JsonNode create = audit.get(0);
            assertEquals("okta", create.path("idp").asText());
            assertEquals("User", create.path("resource_type").asText());
            assertEquals(id, create.path("target").path("id").asText());
            assertEquals("ada@example.com", create.path("target").path("userName").asText());
            assertEquals(List.of("userName", "name", "emails", "active"), names(create.path("fields_changed")));
            assertEquals(201, create.path("bridge_status").asInt());
            assertEquals(201, create.path("status").asInt());
            assertFalse(create.path("dry_run").asBoolean());
            assertTrue(create.path("latency_ms").isIntegralNumber());
            assertEquals(List.of("displayName"), names(audit.get(1).path("fields_changed")));
            assertEquals("ada@example.com", audit.get(1).path("target").path("userName").asText());
            assertEquals("create", create.path("action").asText());
            assertEquals("passed", create.path("guardrail").asText());
            assertEquals("suspend", audit.get(2).path("action").asText(), "the DELETE is recorded as the suspend it was");
            assertEquals(200, audit.get(2).path("bridge_status").asInt());
            assertEquals(204, audit.get(2).path("status").asInt());
            assertEquals(List.of("active"), names(audit.get(3).path("fields_changed")));
            String trail = Files.readString(dir.resolve("audit").resolve("scim-gateway.ndjson"));
            assertFalse(trail.contains(GatewayRig.OKTA) || trail.contains(rig.sandbox.bridgeToken())
                    || trail.contains("Lovelace"), "the trail holds a token or a value: " + trail);

            MeterRegistry meters = rig.bundle.context.getRegistry().lookupByNameAndType("metricsRegistry",
                    MeterRegistry.class);
            assertEquals(1.0, meters.counter(ScimGatewayMetrics.REQUESTS, "operation", "create", "resource", "Users",
                    "status", "201").count());
            assertNotNull(meters.find(io.opcamel.bridge.ScimBridge.LATENCY).tags("method", "POST", "status", "201")
                    .timer());
            assertEquals(9, meters.find(io.opcamel.bridge.ScimBridge.LATENCY).timers().stream()
                    .mapToLong(t -> t.count()).sum());
        }
    }

    @Test
    void groupsAndTheDiscoveryEndpointsAreServed(@TempDir Path dir) throws Exception {
        try (GatewayRig rig = GatewayRig.start(dir, Map.of())) {
            RawHttp.Response group = rig.call("POST", "/Groups", GatewayRig.ENTRA,
                    "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Engineering\"}");
            assertEquals(201, group.status(), group.text());
            String gid = group.json().path("id").asText();
            assertEquals("Engineering", rig.sandbox.bridge().group(gid).displayName());
            assertEquals(200, rig.call("GET", "/Groups?filter=displayName%20eq%20%22Engineering%22", GatewayRig.ENTRA,
                    null).status());
            for (String p : List.of("/ServiceProviderConfig", "/Schemas", "/ResourceTypes", "/ResourceTypes/User")) {
                RawHttp.Response r = rig.call("GET", p, GatewayRig.OKTA, null);
                assertEquals(200, r.status(), p + ": " + r.text());
                assertEquals("application/scim+json", r.header("Content-Type"));
            }
            JsonNode rec = rig.audit().get(0);
            assertEquals("entra", rec.path("idp").asText());
            assertEquals("Group", rec.path("resource_type").asText());
            assertEquals("Engineering", rec.path("target").path("displayName").asText());
        }
    }

    @Test
    void aDryRunChecksAndAuditsAChangeButDoesNotForwardIt(@TempDir Path dir) throws Exception {
        try (GatewayRig rig = GatewayRig.start(dir, Map.of("onepassword.scim.gateway.dry-run", "true"))) {
            RawHttp.Response r = rig.call("POST", "/Users", GatewayRig.OKTA, ADA);
            assertEquals(202, r.status(), r.text());
            assertEquals("ada@example.com", r.json().path("userName").asText(), "the request is echoed");
            assertTrue(r.header("X-Dry-Run").contains("POST /scim/v2/Users"));
            assertTrue(rig.sandbox.bridge().users().isEmpty(), "nothing was created");
            // the guardrails still read what they need (is the userName taken?); no change reaches the bridge
            assertEquals(List.of("GET"), rig.sandbox.requests().matching(x -> x.api().equals("scim")).stream()
                    .map(LoggedRequest::method).toList(), "only the duplicate-create look-up reached the bridge");
            // reads still go through, so an IdP being onboarded sees the real state
            assertEquals(200, rig.call("GET", "/Users", GatewayRig.OKTA, null).status());
            // a bad change is still refused as it would be for real
            assertEquals(400, rig.call("POST", "/Users", GatewayRig.OKTA, "{\"schemas\":[]}").status());
            List<JsonNode> audit = rig.audit();
            assertEquals(2, audit.size());
            assertTrue(audit.get(0).path("dry_run").asBoolean());
            assertEquals(202, audit.get(0).path("status").asInt());
            assertTrue(audit.get(0).path("bridge_status").isNull());
            assertEquals("create", audit.get(0).path("action").asText(), "what would have been sent");
            assertEquals("passed", audit.get(0).path("guardrail").asText());
            assertEquals("attributes", audit.get(1).path("rejected_by").asText());
            assertEquals("not-reached", audit.get(1).path("guardrail").asText());
        }
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
