package io.opcamel.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the normaliser is for, shown against the sandbox's strict bridge over HTTP: the IdP's body as sent is
 * refused (400), the normalised one is accepted and does what the IdP meant, nothing more (Entra's member
 * removal leaves the other members in place).
 */
class ScimNormalisedForBridgeTest {

    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private static Sandbox sandbox;
    private static HttpClient http;
    private final ScimRequestNormaliser normaliser = new ScimRequestNormaliser();

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start(new SandboxConfig());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void cleanSlate() {
        sandbox.reset();
    }

    @Test
    void entraDefaultDialectDisable() throws Exception {
        String id = createUser("ada@example.com").path("id").asText();
        JsonNode raw = json("""
                {"schemas":["%s"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}""".formatted(PATCH_OP));
        assertEquals(400, call("PATCH", "/Users/" + id, raw).statusCode());
        HttpResponse<String> r = call("PATCH", "/Users/" + id, normaliser.userPatch(raw));
        assertEquals(200, r.statusCode(), r.body());
        assertFalse(json(r.body()).path("active").asBoolean(true));
    }

    @Test
    void entraMemberRemovalRemovesOnlyTheListedMembers() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String u : List.of("ada@example.com", "grace@example.com", "alan@example.com")) {
            ids.add(createUser(u).path("id").asText());
        }
        String group = create("/Groups", json("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","%s"],"displayName":"Sales",
                 "members":[{"value":"%s"},{"value":"%s"},{"value":"%s"}]}"""
                .formatted(ScimRequestNormaliser.ENTRA_GROUP_SCHEMA, ids.get(0), ids.get(1), ids.get(2))))
                .path("id").asText();
        JsonNode raw = json("""
                {"schemas":["%s"],"Operations":[{"op":"Remove","path":"members","value":[{"value":"%s"},{"value":"%s"}]}]}"""
                .formatted(PATCH_OP, ids.get(0), ids.get(1)));
        assertEquals(400, call("PATCH", "/Groups/" + group, raw).statusCode());
        HttpResponse<String> r = call("PATCH", "/Groups/" + group, normaliser.groupPatch(raw, null));
        assertTrue(r.statusCode() / 100 == 2, r.body());
        assertEquals(List.of(), groupsOf(ids.get(0)));
        assertEquals(List.of(), groupsOf(ids.get(1)));
        assertEquals(List.of("Sales"), groupsOf(ids.get(2)), "the member not listed stays");
    }

    /** The sandbox reads dotted keys too: the split form must do exactly what the dotted one does. */
    @Test
    void entraFlagDottedReplace() throws Exception {
        String asSent = createUser("ada@example.com").path("id").asText();
        String split = createUser("ada.lovelace@example.com").path("id").asText();
        JsonNode raw = json("""
                {"schemas":["%s"],"Operations":[{"op":"replace","value":{"name.givenName":"Augusta",
                 "name.familyName":"King","emails[type eq \\"work\\"].value":"ada.king@example.com","active":false}}]}"""
                .formatted(PATCH_OP));
        HttpResponse<String> dotted = call("PATCH", "/Users/" + asSent, raw);
        HttpResponse<String> r = call("PATCH", "/Users/" + split, normaliser.userPatch(raw));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode u = json(r.body());
        for (String attribute : List.of("name", "emails", "active")) {
            assertEquals(json(dotted.body()).path(attribute), u.path(attribute), attribute);
        }
        assertEquals("Augusta", u.path("name").path("givenName").asText());
        assertEquals("King", u.path("name").path("familyName").asText());
        assertEquals("ada.king@example.com", u.path("emails").path(0).path("value").asText());
        assertFalse(u.path("active").asBoolean(true));
    }

    @Test
    void oktaMembershipUpdateWithItsSameNameRename() throws Exception {
        String ada = createUser("ada@example.com").path("id").asText();
        String grace = createUser("grace@example.com").path("id").asText();
        JsonNode current = create("/Groups", normaliser.group(json("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering",
                 "members":[{"value":"%s"}]}""".formatted(ada))));
        String group = current.path("id").asText();
        JsonNode raw = json("""
                {"schemas":["%s"],"Operations":[{"op":"replace","value":{"id":"%s","displayName":"Engineering"}},
                 {"op":"remove","path":"members[value eq \\"%s\\"]"},
                 {"op":"add","path":"members","value":[{"value":"%s","display":"grace@example.com"}]}]}"""
                .formatted(PATCH_OP, group, ada, grace));
        JsonNode normalised = normaliser.groupPatch(raw, current);
        assertEquals(2, normalised.path("Operations").size(), "the same-name rename is dropped");
        HttpResponse<String> r = call("PATCH", "/Groups/" + group, normalised);
        assertTrue(r.statusCode() / 100 == 2, r.body());
        assertEquals(List.of(), groupsOf(ada));
        assertEquals(List.of("Engineering"), groupsOf(grace));
    }

    @Test
    void entraUnquotedFilter() throws Exception {
        create("/Users", normaliser.user(json("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jyoung@example.com",
                 "externalId":"jyoung","name":{"givenName":"J","familyName":"Young"},"active":"True"}""")));
        String raw = "externalId eq jyoung";
        assertEquals(400, get("/Users?filter=" + URLEncoder.encode(raw, StandardCharsets.UTF_8)).statusCode());
        HttpResponse<String> r = get("/Users?filter="
                + URLEncoder.encode(ScimFilters.normalise(raw, ScimFilters.Endpoint.USERS), StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, json(r.body()).path("totalResults").asInt());
    }

    private JsonNode createUser(String userName) throws Exception {
        return create("/Users", json("""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s",
                 "name":{"givenName":"Ada","familyName":"Lovelace"},"active":true}""".formatted(userName)));
    }

    private JsonNode create(String path, JsonNode body) throws Exception {
        HttpResponse<String> r = call("POST", path, body);
        assertTrue(r.statusCode() / 100 == 2, r.body());
        return json(r.body());
    }

    private List<String> groupsOf(String userId) throws Exception {
        List<String> names = new ArrayList<>();
        json(get("/Users/" + userId).body()).path("groups").forEach(g -> names.add(g.path("display").asText()));
        return names;
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> call(String method, String path, JsonNode body)
            throws IOException, InterruptedException {
        return http.send(request(path).header("Content-Type", "application/scim+json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(sandbox.bridgeUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + sandbox.bridgeToken());
    }

    private static JsonNode json(String text) throws IOException {
        return Golden.JSON.readTree(text);
    }
}
