package io.opcamel.sandbox;

import io.opcamel.TestClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SCIM bridge simulator's contract, driven over real HTTP against a sandbox on loopback: what an IdP (through
 * the gateway) and the bundle's own routes may rely on, including the real bridge's quirks and the strictness
 * that makes un-normalised IdP requests fail here.
 */
class ScimBridgeContractTest {

    private static final String V2 = "/scim/v2";
    private static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Sandbox sandbox;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        SandboxConfig cfg = new SandboxConfig();
        cfg.scimAllowedDomains = List.of("example.com");
        cfg.clock = new TestClock(Instant.parse("2026-05-21T09:00:00Z"), Duration.ofSeconds(1)); // every reading is one second later: created/lastModified are distinguishable
        sandbox = Sandbox.start(cfg);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void cleanSlate() {
        sandbox.reset(); // faults, request log, users and groups
    }

    // ------------------------------------------------------------------------------------------------ auth

    @Test
    void pingAnswersWithoutAuthentication() {
        HttpResponse<String> r = exchange("GET", "/ping", null, null, null);
        assertEquals(200, r.statusCode());
        assertEquals("pong", r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    }

    @Test
    void everythingElseNeedsTheBridgeToken() {
        for (String path : List.of(V2 + "/Users", "/scim/Groups", V2 + "/ServiceProviderConfig", "/health")) {
            HttpResponse<String> missing = exchange("GET", path, null, null, null);
            assertScimError(missing, 401, null);
            assertTrue(missing.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), path);
            assertScimError(exchange("GET", path, null, null, "Bearer not-the-token"), 401, null);
            assertScimError(exchange("GET", path, null, null, "Basic " + sandbox.bridgeToken()), 401, null);
        }
        // a token that merely starts like the real one is still wrong
        assertScimError(exchange("GET", V2 + "/Users", null, null, "Bearer " + sandbox.bridgeToken() + "x"), 401, null);
        assertEquals(200, call("GET", V2 + "/Users", null).statusCode());
    }

    @Test
    void requestLogKeepsPathAndStatusButNeverTheToken() {
        String id = createUser("ada@example.com", "Ada", "Lovelace");
        exchange("GET", V2 + "/Users", null, null, "Bearer wrong-token");
        List<LoggedRequest> log = sandbox.requests().all();
        LoggedRequest created = log.stream().filter(e -> e.method().equals("POST")).findFirst().orElseThrow();
        assertEquals("scim", created.api());
        assertEquals(V2 + "/Users", created.path());
        assertEquals(201, created.status());
        assertTrue(log.stream().anyMatch(e -> e.status() == 401 && e.path().equals(V2 + "/Users")));
        assertNotNull(created.tokenFingerprint());
        for (LoggedRequest e : log) {
            assertFalse(e.toString().contains(sandbox.bridgeToken()), "token leaked into the request log: " + e);
            assertFalse(e.toString().contains("wrong-token"), "a rejected token leaked into the request log");
        }
        assertEquals(id, sandbox.bridge().users().get(0).id());
    }

    // ------------------------------------------------------------------------------------------------ create

    @Test
    void createdUserIs201WithDerivedNamesPrimaryEmailAndMeta() {
        HttpResponse<String> r = call("POST", V2 + "/Users", userBody("ada@example.com", "Ada", "Lovelace"));
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("application/scim+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode u = json(r);
        String id = u.get("id").asText();
        assertTrue(id.matches("[A-Z2-7]{26}"), "26-char upper-case base32 id, got " + id);
        assertEquals("urn:ietf:params:scim:schemas:core:2.0:User", u.get("schemas").get(0).asText());
        assertEquals("ada@example.com", u.get("userName").asText());
        assertEquals("Ada Lovelace", u.get("displayName").asText());
        assertEquals("Ada Lovelace", u.at("/name/formatted").asText());
        assertEquals("Ada", u.at("/name/givenName").asText());
        assertEquals("Lovelace", u.at("/name/familyName").asText());
        assertEquals(1, u.get("emails").size());
        assertEquals("ada@example.com", u.at("/emails/0/value").asText());
        assertTrue(u.at("/emails/0/primary").asBoolean());
        assertTrue(u.get("active").asBoolean(), "an invitation still reads active:true");
        assertEquals("en", u.get("preferredLanguage").asText());
        assertFalse(u.has("groups"), "no groups array for a user in no group");
        assertFalse(u.has("externalId"));
        assertEquals("User", u.at("/meta/resourceType").asText());
        Instant created = Instant.parse(u.at("/meta/created").asText());
        assertEquals(created, Instant.parse(u.at("/meta/lastModified").asText()));
        assertEquals(V2 + "/Users/" + id, r.headers().firstValue("Location").orElse(""));
        assertEquals(ScimUserState.INVITED, sandbox.bridge().state(id));
        assertEquals(u, json(call("GET", V2 + "/Users/" + id, null)), "GET returns what POST returned");
    }

    @Test
    void createKeepsExplicitDisplayNameEmailsExternalIdAndLanguageButNeverEchoesEmailType() {
        String body = """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",
                            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                 "userName":"grace@example.com","externalId":"00u1grace","displayName":"Amazing Grace",
                 "name":{"givenName":"Grace","familyName":"Hopper","formatted":"Rear Admiral Hopper"},
                 "emails":[{"value":"gh@example.com","type":"home"},
                           {"value":"grace@example.com","type":"work","primary":true}],
                 "preferredLanguage":"en-GB","active":true,"password":"ignored","roles":[]}
                """;
        JsonNode u = json(expect(201, call("POST", V2 + "/Users", body)));
        assertEquals("Amazing Grace", u.get("displayName").asText());
        assertEquals("Rear Admiral Hopper", u.at("/name/formatted").asText());
        assertEquals("00u1grace", u.get("externalId").asText());
        assertEquals("en-GB", u.get("preferredLanguage").asText());
        assertEquals(2, u.get("emails").size());
        assertFalse(u.at("/emails/0/primary").asBoolean());
        assertEquals("grace@example.com", u.at("/emails/1/value").asText());
        assertTrue(u.at("/emails/1/primary").asBoolean());
        assertFalse(u.at("/emails/1").has("type"), "the bridge does not echo email type");
        assertFalse(u.has("password"));
    }

    @Test
    void createRejectsMissingRequiredAttributesAndWrongSchemas() {
        assertScimError(call("POST", V2 + "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"name":{"givenName":"A","familyName":"B"}}
                """), 400, "invalidValue");
        assertScimError(call("POST", V2 + "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com",
                 "name":{"familyName":"B"}}"""), 400, "invalidValue");
        assertScimError(call("POST", V2 + "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com",
                 "name":{"givenName":"A"}}"""), 400, "invalidValue");
        assertScimError(call("POST", V2 + "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com"}"""),
                400, "invalidValue");
        assertScimError(call("POST", V2 + "/Users", """
                {"userName":"a@example.com","name":{"givenName":"A","familyName":"B"}}"""), 400, "invalidSyntax");
        assertScimError(call("POST", V2 + "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"userName":"a@example.com",
                 "name":{"givenName":"A","familyName":"B"}}"""), 400, "invalidSyntax");
        assertScimError(call("POST", V2 + "/Users", userBody("not-an-email", "A", "B")), 400, "invalidValue");
        assertScimError(call("POST", V2 + "/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@example.com",
                 "name":{"givenName":"A","familyName":"B"},"active":"True"}"""), 400, "invalidValue");
        assertTrue(sandbox.bridge().users().isEmpty(), "no rejected create left a user behind");
    }

    @Test
    void duplicateUserNameIs409UniquenessIgnoringCase() {
        createUser("ada@example.com", "Ada", "Lovelace");
        HttpResponse<String> r = call("POST", V2 + "/Users", userBody("ADA@Example.com", "Ada", "Byron"));
        assertScimError(r, 409, "uniqueness");
        assertTrue(json(r).get("detail").asText().contains("ADA@Example.com"));
        assertEquals(1, sandbox.bridge().users().size());
    }

    @Test
    void emailDomainOutsideTheAllowedListIs400NamingTheDomain() {
        HttpResponse<String> r = call("POST", V2 + "/Users", userBody("eve@evil.org", "Eve", "Adams"));
        assertScimError(r, 400, "invalidValue");
        assertTrue(json(r).get("detail").asText().contains("evil.org"), r.body());
        // a subdomain is a different domain
        assertScimError(call("POST", V2 + "/Users", userBody("eve@mail.example.com", "Eve", "Adams")),
                400, "invalidValue");
        // the domain is case-insensitive
        expect(201, call("POST", V2 + "/Users", userBody("eve@EXAMPLE.com", "Eve", "Adams")));
    }

    // ------------------------------------------------------------------------------------------------ filter

    @Test
    void filterMatchesEachAttributeAndJoinsWithAnd() {
        String ada = createUser(userBodyWithExternalId("ada@example.com", "Ada", "Lovelace", "ext-ada"));
        String grace = createUser(userBodyWithExternalId("grace@example.com", "Grace", "Hopper", "ext-grace"));

        assertEquals(List.of(ada), ids(list("/Users", "userName eq \"ada@example.com\"")));
        assertEquals(List.of(ada), ids(list("/Users", "userName eq \"ADA@EXAMPLE.COM\"")), "userName ignores case");
        assertEquals(List.of(ada), ids(list("/Users", "USERNAME EQ \"ada@example.com\"")),
                "attribute names and operators ignore case");
        assertEquals(List.of(grace), ids(list("/Users", "externalId eq \"ext-grace\"")));
        assertEquals(List.of(), ids(list("/Users", "externalId eq \"EXT-GRACE\"")), "externalId is case-exact");
        assertEquals(List.of(grace), ids(list("/Users", "id eq \"" + grace + "\"")));
        assertEquals(List.of(ada), ids(list("/Users", "userName eq \"ada@example.com\" and externalId eq \"ext-ada\"")));
        JsonNode none = list("/Users", "userName eq \"ada@example.com\" and externalId eq \"ext-grace\"");
        assertEquals(0, none.get("totalResults").asInt());
        assertTrue(none.get("Resources").isArray() && none.get("Resources").isEmpty());
        assertEquals(List.of(ada, grace), ids(list("/Users", null)), "no filter lists everyone in creation order");
    }

    @Test
    void filterRejectsWhatTheGatewayMustNormalise() {
        createUser("ada@example.com", "Ada", "Lovelace");
        for (String bad : List.of(
                "externalId eq jyoung",                         // Entra's unquoted value
                "userName eq ada@example.com",
                "nickName eq \"x\"",                            // unknown attribute
                "userName co \"ada\"",                          // unsupported operator
                "userName zz \"ada\"",                          // unknown operator
                "userName eq \"a\" or userName eq \"b\"",
                "emails[type eq \"work\"].value eq \"ada@example.com\"",
                "userName eq \"unterminated",
                "userName eq \"a\" and",
                "")) {
            HttpResponse<String> r = call("GET", V2 + "/Users?filter=" + enc(bad), null);
            assertScimError(r, 400, "invalidFilter");
        }
        assertScimError(call("GET", V2 + "/Groups?filter=" + enc("displayName sw \"S\""), null), 400, "invalidFilter");
        assertScimError(call("GET", V2 + "/Groups?filter=" + enc("meta.lastModified ge \"2026-01-01T00:00:00Z\""),
                null), 400, "invalidFilter");
    }

    @Test
    void groupFilterMatchesDisplayNameIgnoringCaseAndAcceptsIgnoredParameters() {
        String sales = createGroup("Sales");
        createGroup("Support");
        JsonNode r = json(expect(200, call("GET", V2 + "/Groups?excludedAttributes=members&sortBy=meta.lastModified"
                + "&sortOrder=ascending&attributes=displayName&filter=" + enc("displayName eq \"sales\""), null)));
        assertEquals(List.of(sales), ids(r));
        assertEquals(List.of(sales), ids(list("/Groups", "id eq \"" + sales + "\"")));
        assertEquals(2, list("/Groups", null).get("totalResults").asInt());
    }

    // ------------------------------------------------------------------------------------------------ paging

    @Test
    void pagingWalksTwoHundredFiftyUsersInCreationOrder() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            created.add(sandbox.bridge().addUser("user" + i + "@example.com", "User", "No" + i).id());
        }
        JsonNode first = json(expect(200, call("GET", V2 + "/Users", null)));
        assertEquals(250, first.get("totalResults").asInt());
        assertEquals(100, first.get("itemsPerPage").asInt(), "default count is 100");
        assertEquals(1, first.get("startIndex").asInt());
        assertEquals("urn:ietf:params:scim:api:messages:2.0:ListResponse", first.get("schemas").get(0).asText());

        List<String> walked = new ArrayList<>();
        for (int start = 1; start <= 250; start += 100) {
            JsonNode page = json(expect(200, call("GET", V2 + "/Users?startIndex=" + start + "&count=100", null)));
            assertEquals(250, page.get("totalResults").asInt());
            assertEquals(start, page.get("startIndex").asInt());
            assertEquals(Math.min(100, 251 - start), page.get("itemsPerPage").asInt());
            walked.addAll(ids(page));
        }
        assertEquals(created, walked, "every user exactly once, in creation order");

        JsonNode fromZero = json(call("GET", V2 + "/Users?startIndex=0&count=5", null));
        assertEquals(1, fromZero.get("startIndex").asInt(), "startIndex below 1 counts as 1");
        assertEquals(created.subList(0, 5), ids(fromZero));
        JsonNode middle = json(call("GET", V2 + "/Users?startIndex=248&count=10", null));
        assertEquals(created.subList(247, 250), ids(middle));
        JsonNode past = json(call("GET", V2 + "/Users?startIndex=300", null));
        assertEquals(250, past.get("totalResults").asInt());
        assertEquals(0, past.get("itemsPerPage").asInt());

        JsonNode countOnly = json(expect(200, call("GET", V2 + "/Users?count=0", null)));
        assertEquals(250, countOnly.get("totalResults").asInt());
        assertEquals(0, countOnly.get("itemsPerPage").asInt());
        assertFalse(countOnly.has("Resources"), "count=0 asks for totalResults only");

        assertEquals(250, json(call("GET", V2 + "/Users?count=50000", null)).get("itemsPerPage").asInt(),
                "count above maxResults is capped, not refused");
        assertScimError(call("GET", V2 + "/Users?count=ten", null), 400, "invalidValue");
        assertScimError(call("GET", V2 + "/Users?startIndex=1.5", null), 400, "invalidValue");
    }

    @Test
    void wrongTotalResultsFaultReportsThePageSizeLikeBridge290() {
        for (int i = 0; i < 150; i++) {
            sandbox.bridge().addUser("user" + i + "@example.com", "User", "No" + i);
        }
        sandbox.bridgeFaults().setWrongTotalResults(true);
        JsonNode page = json(expect(200, call("GET", V2 + "/Users?startIndex=1&count=100", null)));
        assertEquals(100, page.get("totalResults").asInt(), "the bug: totalResults counts the page");
        assertEquals(100, page.get("Resources").size());
        sandbox.bridgeFaults().clear();
        assertEquals(150, json(call("GET", V2 + "/Users?startIndex=1&count=100", null)).get("totalResults").asInt());
    }

    @Test
    void groupNameFaultsLeaveOutOnlyWhatTheySay() {
        ScimUser ada = sandbox.bridge().addUser("ada@example.com", "Ada", "Lovelace");
        ScimGroup owners = sandbox.bridge().addGroup("Owners", ada.id());
        String user = V2 + "/Users/" + ada.id();
        String group = V2 + "/Groups/" + owners.id();
        String list = V2 + "/Groups";
        assertEquals("Owners", json(call("GET", user, null)).at("/groups/0/display").asText());

        sandbox.bridgeFaults().setGroupRefsWithoutDisplay(true);
        JsonNode ref = json(expect(200, call("GET", user, null))).at("/groups/0");
        assertEquals(owners.id(), ref.path("value").asText());
        assertFalse(ref.has("display"), "users' groups without display");
        assertEquals("Owners", json(call("GET", group, null)).path("displayName").asText());

        sandbox.bridgeFaults().clear();
        sandbox.bridgeFaults().setGroupListsWithoutDisplayName(true);
        assertFalse(json(expect(200, call("GET", list, null))).at("/Resources/0").has("displayName"));
        assertEquals("Owners", json(call("GET", group, null)).path("displayName").asText(), "by id it is named");

        sandbox.bridgeFaults().clear();
        sandbox.bridgeFaults().setGroupWithoutDisplayName(true);
        assertFalse(json(expect(200, call("GET", group, null))).has("displayName"));
        assertEquals("Owners", json(call("GET", list, null)).at("/Resources/0/displayName").asText());
        assertEquals("Owners", json(call("GET", user, null)).at("/groups/0/display").asText());
    }

    // ------------------------------------------------------------------------------------------------ PATCH user

    @Test
    void patchAcceptsEveryDocumentedUserPath() {
        String id = createUser("ada@example.com", "Ada", "Lovelace");
        JsonNode before = json(call("GET", V2 + "/Users/" + id, null));
        JsonNode u = json(expect(200, call("PATCH", V2 + "/Users/" + id, patch("""
                {"op":"replace","path":"displayName","value":"Countess"},
                {"op":"replace","path":"userName","value":"augusta@example.com"},
                {"op":"add","path":"externalId","value":"00u-ada"},
                {"op":"replace","path":"preferredLanguage","value":"fr"},
                {"op":"replace","path":"name.givenName","value":"Augusta"},
                {"op":"replace","path":"name.familyName","value":"King"},
                {"op":"replace","path":"name.formatted","value":"Augusta Ada King"},
                {"op":"replace","path":"emails","value":[{"value":"old@example.com","primary":true},
                                                         {"value":"other@example.com"}]},
                {"op":"replace","path":"emails[type eq \\"work\\"].value","value":"work@example.com"},
                {"op":"replace","path":"active","value":true}"""))));
        assertEquals(id, u.get("id").asText());
        assertEquals("Countess", u.get("displayName").asText());
        assertEquals("augusta@example.com", u.get("userName").asText());
        assertEquals("00u-ada", u.get("externalId").asText());
        assertEquals("fr", u.get("preferredLanguage").asText());
        assertEquals("Augusta", u.at("/name/givenName").asText());
        assertEquals("King", u.at("/name/familyName").asText());
        assertEquals("Augusta Ada King", u.at("/name/formatted").asText());
        assertEquals("work@example.com", u.at("/emails/0/value").asText(), "the work path sets the primary email");
        assertTrue(u.at("/emails/0/primary").asBoolean());
        assertEquals("other@example.com", u.at("/emails/1/value").asText());
        assertTrue(u.get("active").asBoolean());
        assertEquals(before.at("/meta/created"), u.at("/meta/created"));
        assertTrue(Instant.parse(u.at("/meta/lastModified").asText())
                .isAfter(Instant.parse(before.at("/meta/lastModified").asText())));

        // removing the optional attributes falls back to the derived / default values
        JsonNode cleared = json(expect(200, call("PATCH", V2 + "/Users/" + id, patch("""
                {"op":"remove","path":"displayName"},
                {"op":"remove","path":"name.formatted"},
                {"op":"remove","path":"externalId"},
                {"op":"remove","path":"preferredLanguage"},
                {"op":"remove","path":"emails"}"""))));
        assertEquals("Augusta King", cleared.get("displayName").asText());
        assertEquals("Augusta King", cleared.at("/name/formatted").asText());
        assertFalse(cleared.has("externalId"));
        assertEquals("en", cleared.get("preferredLanguage").asText());
        assertEquals("augusta@example.com", cleared.at("/emails/0/value").asText());
        // the new userName is what filters find now
        assertEquals(List.of(id), ids(list("/Users", "userName eq \"augusta@example.com\"")));
        assertEquals(List.of(), ids(list("/Users", "userName eq \"ada@example.com\"")));
    }

    @Test
    void patchWithoutPathTakesAValueObject() {
        String id = createUser("ada@example.com", "Ada", "Lovelace");
        JsonNode off = json(expect(200, call("PATCH", V2 + "/Users/" + id,
                patch("{\"op\":\"replace\",\"value\":{\"active\":false}}")))); // Okta's deactivate
        assertFalse(off.get("active").asBoolean());
        assertEquals(ScimUserState.SUSPENDED, sandbox.bridge().state(id));

        JsonNode renamed = json(expect(200, call("PATCH", V2 + "/Users/" + id,
                patch("{\"op\":\"replace\",\"value\":{\"name\":{\"givenName\":\"Augusta\"},\"externalId\":\"e1\"}}"))));
        assertEquals("Augusta", renamed.at("/name/givenName").asText());
        assertEquals("Lovelace", renamed.at("/name/familyName").asText(), "sub-attributes not sent stay");
        assertEquals("Augusta Lovelace", renamed.get("displayName").asText());
        assertEquals("e1", renamed.get("externalId").asText());
        assertFalse(renamed.get("active").asBoolean(), "a PATCH on a suspended user works and keeps it suspended");
    }

    @Test
    void patchIsStrictAboutEntrasDefaultDialect() {
        String id = createUser("ada@example.com", "Ada", "Lovelace");
        HttpResponse<String> capitalised = call("PATCH", V2 + "/Users/" + id,
                patch("{\"op\":\"Replace\",\"path\":\"displayName\",\"value\":\"X\"}"));
        assertScimError(capitalised, 400, "invalidSyntax");
        assertTrue(json(capitalised).get("detail").asText().contains("lower-case"));
        assertScimError(call("PATCH", V2 + "/Users/" + id,
                patch("{\"op\":\"replace\",\"path\":\"active\",\"value\":\"False\"}")), 400, "invalidValue");
        assertEquals(ScimUserState.INVITED, sandbox.bridge().state(id), "a rejected PATCH changes nothing");
        assertEquals("Ada Lovelace", sandbox.bridge().user(id).displayName());
    }

    @Test
    void patchRejectsUnknownPathsBadEnvelopesAndAppliesAllOrNothing() {
        String id = createUser("ada@example.com", "Ada", "Lovelace");
        String path = V2 + "/Users/" + id;
        assertScimError(call("PATCH", path, patch("{\"op\":\"replace\",\"path\":\"nickName\",\"value\":\"x\"}")),
                400, "invalidPath");
        assertScimError(call("PATCH", path, patch("{\"op\":\"replace\",\"path\":"
                + "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber\",\"value\":\"7\"}")),
                400, "invalidPath");
        assertScimError(call("PATCH", path, patch("{\"op\":\"replace\",\"value\":{\"nickName\":\"x\"}}")),
                400, "invalidPath");
        assertScimError(call("PATCH", path, "{\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\","
                + "\"value\":\"x\"}]}"), 400, "invalidSyntax");
        assertScimError(call("PATCH", path, "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[]}"),
                400, "invalidSyntax");
        assertScimError(call("PATCH", path, patch("{\"op\":\"remove\"}")), 400, "noTarget");
        assertScimError(call("PATCH", path, patch("{\"op\":\"remove\",\"path\":\"userName\"}")), 400, "invalidValue");
        assertScimError(call("PATCH", path, patch("{\"op\":\"replace\",\"path\":\"userName\",\"value\":\"x@evil.org\"}")),
                400, "invalidValue");
        // the first op is fine, the second is not: neither is applied
        assertScimError(call("PATCH", path, patch("""
                {"op":"replace","path":"displayName","value":"Changed"},
                {"op":"replace","path":"bogus","value":"x"}""")), 400, "invalidPath");
        assertEquals("Ada Lovelace", json(call("GET", path, null)).get("displayName").asText());
        assertScimError(call("PATCH", V2 + "/Users/AAAAAAAAAAAAAAAAAAAAAAAAAA",
                patch("{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"x\"}")), 404, null);
    }

    @Test
    void patchUserNameToAnExistingOneIs409() {
        createUser("ada@example.com", "Ada", "Lovelace");
        String grace = createUser("grace@example.com", "Grace", "Hopper");
        assertScimError(call("PATCH", V2 + "/Users/" + grace,
                patch("{\"op\":\"replace\",\"path\":\"userName\",\"value\":\"Ada@example.com\"}")), 409, "uniqueness");
        assertEquals("grace@example.com", sandbox.bridge().user(grace).userName());
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    @Test
    void deleteSuspendsTheUserWhoStaysListed() {
        String id = createUser("ada@example.com", "Ada", "Lovelace");
        HttpResponse<String> r = call("DELETE", V2 + "/Users/" + id, null);
        assertEquals(204, r.statusCode());
        assertEquals("", r.body());
        assertEquals(ScimUserState.SUSPENDED, sandbox.bridge().state(id));
        JsonNode got = json(expect(200, call("GET", V2 + "/Users/" + id, null)));
        assertFalse(got.get("active").asBoolean());
        JsonNode listed = list("/Users", null);
        assertEquals(1, listed.get("totalResults").asInt());
        assertFalse(listed.at("/Resources/0/active").asBoolean());
        assertEquals(204, call("DELETE", V2 + "/Users/" + id, null).statusCode(), "deleting again is harmless");
        assertScimError(call("DELETE", V2 + "/Users/AAAAAAAAAAAAAAAAAAAAAAAAAA", null), 404, null);
    }

    @Test
    void reactivationReturnsToWhereTheInvitationWas() {
        String invited = createUser("ada@example.com", "Ada", "Lovelace");
        String accepted = createUser("grace@example.com", "Grace", "Hopper");
        assertEquals(ScimUserState.ACTIVE, sandbox.bridge().acceptInvitation(accepted).state());
        assertTrue(json(call("GET", V2 + "/Users/" + accepted, null)).get("active").asBoolean());

        for (String id : List.of(invited, accepted)) {
            expect(200, call("PATCH", V2 + "/Users/" + id, patch("{\"op\":\"replace\",\"path\":\"active\",\"value\":false}")));
            assertEquals(ScimUserState.SUSPENDED, sandbox.bridge().state(id));
            JsonNode back = json(expect(200, call("PATCH", V2 + "/Users/" + id,
                    patch("{\"op\":\"replace\",\"path\":\"active\",\"value\":true}"))));
            assertTrue(back.get("active").asBoolean());
        }
        assertEquals(ScimUserState.INVITED, sandbox.bridge().state(invited), "never accepted: back to the invitation");
        assertEquals(ScimUserState.ACTIVE, sandbox.bridge().state(accepted));
        assertThrows(IllegalStateException.class, () -> sandbox.bridge().acceptInvitation(accepted));
        assertThrows(IllegalArgumentException.class, () -> sandbox.bridge().state("AAAAAAAAAAAAAAAAAAAAAAAAAA"));
    }

    @Test
    void putReplacesTheUser() {
        String id = createUser(userBodyWithExternalId("ada@example.com", "Ada", "Lovelace", "ext-ada"));
        expect(200, call("PATCH", V2 + "/Users/" + id, patch("{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"Countess\"}")));
        JsonNode u = json(expect(200, call("PUT", V2 + "/Users/" + id, """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"%s",
                 "userName":"augusta@example.com","name":{"givenName":"Augusta","familyName":"King"},
                 "emails":[{"value":"augusta@example.com","primary":true,"type":"work"}],
                 "active":false,"preferredLanguage":"de"}""".formatted(id))));
        assertEquals("augusta@example.com", u.get("userName").asText());
        assertEquals("Augusta King", u.get("displayName").asText(), "displayName not sent: derived again");
        assertEquals("Augusta King", u.at("/name/formatted").asText());
        assertEquals("ext-ada", u.get("externalId").asText(), "externalId not sent: not asserted, kept");
        assertEquals("de", u.get("preferredLanguage").asText());
        assertFalse(u.get("active").asBoolean());
        assertEquals(ScimUserState.SUSPENDED, sandbox.bridge().state(id));

        createUser("grace@example.com", "Grace", "Hopper");
        assertScimError(call("PUT", V2 + "/Users/" + id, userBody("GRACE@example.com", "A", "B")), 409, "uniqueness");
        assertScimError(call("PUT", V2 + "/Users/" + id, userBody("ada@evil.org", "A", "B")), 400, "invalidValue");
        assertScimError(call("PUT", V2 + "/Users/" + id, "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                + "\"userName\":\"ada@example.com\"}"), 400, "invalidValue");
        assertScimError(call("PUT", V2 + "/Users/AAAAAAAAAAAAAAAAAAAAAAAAAA", userBody("x@example.com", "A", "B")),
                404, null);
        assertEquals("augusta@example.com", sandbox.bridge().user(id).userName());
    }

    // ------------------------------------------------------------------------------------------------ groups

    @Test
    void groupsAreCreatedAndListedWithoutMembers() {
        String ada = createUser("ada@example.com", "Ada", "Lovelace");
        HttpResponse<String> r = call("POST", V2 + "/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group",
                            "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
                 "displayName":"Engineering","externalId":"grp-1","members":[{"value":"%s","display":"ada"}]}
                """.formatted(ada));
        JsonNode g = json(expect(201, r));
        String id = g.get("id").asText();
        assertTrue(id.matches("[a-z2-7]{26}"), "26-char lower-case base32 group id, got " + id);
        assertEquals("Engineering", g.get("displayName").asText());
        assertEquals("grp-1", g.get("externalId").asText());
        assertEquals("Group", g.at("/meta/resourceType").asText());
        assertNotNull(Instant.parse(g.at("/meta/created").asText()));
        assertNotNull(Instant.parse(g.at("/meta/lastModified").asText()));
        assertFalse(g.has("members"), "the bridge never returns members");
        assertFalse(json(call("GET", V2 + "/Groups/" + id, null)).has("members"));
        JsonNode listed = list("/Groups", null);
        assertEquals(List.of(id), ids(listed));
        assertFalse(listed.at("/Resources/0").has("members"));
        assertEquals(List.of(ada), sandbox.bridge().groupMembers(id));

        JsonNode user = json(call("GET", V2 + "/Users/" + ada, null));
        assertEquals(id, user.at("/groups/0/value").asText());
        assertEquals("Engineering", user.at("/groups/0/display").asText());

        assertScimError(call("POST", V2 + "/Groups", groupBody("engineering")), 409, "uniqueness");
        assertScimError(call("POST", V2 + "/Groups", "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"]}"),
                400, "invalidValue");
        assertScimError(call("POST", V2 + "/Groups", "{\"displayName\":\"NoSchemas\"}"), 400, "invalidSyntax");
        assertScimError(call("POST", V2 + "/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Ghosts",
                 "members":[{"value":"NOSUCHUSER"}]}"""), 400, "invalidValue");
        assertEquals(1, sandbox.bridge().groups().size());
    }

    @Test
    void groupPatchAddsAndRemovesMembersTheOktaWay() {
        String ada = createUser("ada@example.com", "Ada", "Lovelace");
        String grace = createUser("grace@example.com", "Grace", "Hopper");
        String alan = createUser("alan@example.com", "Alan", "Turing");
        String g = createGroup("Engineering");

        JsonNode after = json(expect(200, call("PATCH", V2 + "/Groups/" + g, patch("""
                {"op":"add","path":"members","value":[{"value":"%s","display":"ada@example.com"},{"value":"%s"}]}"""
                .formatted(ada, grace)))));
        assertFalse(after.has("members"));
        assertEquals("Engineering", after.get("displayName").asText());
        assertEquals(List.of(ada, grace), sandbox.bridge().groupMembers(g));

        // Okta mixes a filtered remove and an add in one request
        expect(200, call("PATCH", V2 + "/Groups/" + g, patch("""
                {"op":"remove","path":"members[value eq \\"%s\\"]"},
                {"op":"add","path":"members","value":[{"value":"%s","display":"alan@example.com"}]}"""
                .formatted(ada, alan))));
        assertEquals(List.of(grace, alan), sandbox.bridge().groupMembers(g));
        assertFalse(json(call("GET", V2 + "/Users/" + ada, null)).has("groups"), "ada lost the group");

        // adding someone twice keeps one membership; removing a non-member is a no-op
        expect(200, call("PATCH", V2 + "/Groups/" + g, patch("""
                {"op":"add","path":"members","value":[{"value":"%s"}]},
                {"op":"remove","path":"members[value eq \\"%s\\"]"}""".formatted(grace, ada))));
        assertEquals(List.of(grace, alan), sandbox.bridge().groupMembers(g));
    }

    @Test
    void groupPatchWithAnUnknownMemberIs400NamingItAndChangesNothing() {
        String ada = createUser("ada@example.com", "Ada", "Lovelace");
        String g = createGroup("Engineering");
        HttpResponse<String> r = call("PATCH", V2 + "/Groups/" + g, patch("""
                {"op":"add","path":"members","value":[{"value":"%s"},{"value":"ZZZZZZZZZZZZZZZZZZZZZZZZZZ"}]}"""
                .formatted(ada)));
        assertScimError(r, 400, "invalidValue");
        assertTrue(json(r).get("detail").asText().contains("ZZZZZZZZZZZZZZZZZZZZZZZZZZ"));
        assertEquals(List.of(), sandbox.bridge().groupMembers(g));
        assertScimError(call("PATCH", V2 + "/Groups/" + g, patch("""
                {"op":"add","path":"members","value":[{"value":"%s","type":"Group"}]}""".formatted(ada))),
                400, "invalidValue");
    }

    @Test
    void groupPatchRemoveOnMembersWithoutValueRemovesEveryone() {
        String g = groupWithMembers("Engineering", 3);
        expect(200, call("PATCH", V2 + "/Groups/" + g, patch("{\"op\":\"remove\",\"path\":\"members\"}")));
        assertEquals(List.of(), sandbox.bridge().groupMembers(g));
        assertEquals(3, sandbox.bridge().users().size(), "removing members never removes users");
    }

    @Test
    void groupPatchReplaceOnMembersSetsTheFullSet() {
        String g = groupWithMembers("Engineering", 3);
        List<String> before = sandbox.bridge().groupMembers(g);
        String newcomer = createUser("new@example.com", "New", "Comer");
        expect(200, call("PATCH", V2 + "/Groups/" + g, patch("""
                {"op":"replace","path":"members","value":[{"value":"%s"},{"value":"%s"}]}"""
                .formatted(newcomer, before.get(1)))));
        assertEquals(List.of(newcomer, before.get(1)), sandbox.bridge().groupMembers(g));
        expect(200, call("PATCH", V2 + "/Groups/" + g, patch("{\"op\":\"replace\",\"path\":\"members\",\"value\":[]}")));
        assertEquals(List.of(), sandbox.bridge().groupMembers(g));
    }

    @Test
    void groupRenameWorksWithPathAndWithOktasValueObject() {
        String ada = createUser("ada@example.com", "Ada", "Lovelace");
        String g = createGroup("Engineering");
        sandbox.bridge().addGroup("Taken");
        expect(200, call("PATCH", V2 + "/Groups/" + g, patch("""
                {"op":"add","path":"members","value":[{"value":"%s"}]}""".formatted(ada))));

        JsonNode byPath = json(expect(200, call("PATCH", V2 + "/Groups/" + g,
                patch("{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"R&D\"}"))));
        assertEquals("R&D", byPath.get("displayName").asText());
        assertFalse(byPath.has("members"));

        JsonNode okta = json(expect(200, call("PATCH", V2 + "/Groups/" + g,
                patch("{\"op\":\"replace\",\"value\":{\"id\":\"" + g + "\",\"displayName\":\"Research\"}}"))));
        assertEquals("Research", okta.get("displayName").asText());
        JsonNode plain = json(expect(200, call("PATCH", V2 + "/Groups/" + g,
                patch("{\"op\":\"replace\",\"value\":{\"displayName\":\"Research & Development\"}}"))));
        assertEquals("Research & Development", plain.get("displayName").asText());
        assertEquals("Research & Development", json(call("GET", V2 + "/Users/" + ada, null)).at("/groups/0/display")
                .asText(), "members see the new name");
        assertEquals(List.of(ada), sandbox.bridge().groupMembers(g), "a rename keeps the members");

        assertScimError(call("PATCH", V2 + "/Groups/" + g,
                patch("{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"taken\"}")), 409, "uniqueness");
        assertScimError(call("PATCH", V2 + "/Groups/" + g,
                patch("{\"op\":\"replace\",\"value\":{\"id\":\"someoneelse\",\"displayName\":\"X\"}}")), 400, "mutability");
        assertScimError(call("PATCH", V2 + "/Groups/" + g,
                patch("{\"op\":\"Replace\",\"path\":\"displayName\",\"value\":\"X\"}")), 400, "invalidSyntax");
        assertScimError(call("PATCH", V2 + "/Groups/" + g,
                patch("{\"op\":\"replace\",\"path\":\"description\",\"value\":\"X\"}")), 400, "invalidPath");
        assertEquals("Research & Development", sandbox.bridge().group(g).displayName());
    }

    @Test
    void entrasRemoveWithValueIsRejectedUnlessTheBugFaultIsOn() {
        String g = groupWithMembers("Engineering", 3);
        List<String> members = sandbox.bridge().groupMembers(g);
        String entraRemove = patch("""
                {"op":"remove","path":"members","value":[{"value":"%s"}]}""".formatted(members.get(0)));

        assertScimError(call("PATCH", V2 + "/Groups/" + g, entraRemove), 400, "invalidSyntax");
        assertEquals(members, sandbox.bridge().groupMembers(g), "strict: nothing removed");

        sandbox.bridgeFaults().setRemoveWithValueRemovesAllMembers(true);
        expect(200, call("PATCH", V2 + "/Groups/" + g, entraRemove));
        assertEquals(List.of(), sandbox.bridge().groupMembers(g), "the bug: every member is gone, not just one");
    }

    @Test
    void putReplacesDisplayNameAndMembersOfAGroup() {
        String g = groupWithMembers("Engineering", 2);
        String other = createUser("other@example.com", "Other", "Person");
        JsonNode put = json(expect(200, call("PUT", V2 + "/Groups/" + g, """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Platform",
                 "members":[{"value":"%s"}]}""".formatted(other))));
        assertEquals("Platform", put.get("displayName").asText());
        assertFalse(put.has("members"));
        assertEquals(List.of(other), sandbox.bridge().groupMembers(g));
        expect(200, call("PUT", V2 + "/Groups/" + g,
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Platform Team\"}"));
        assertEquals(List.of(other), sandbox.bridge().groupMembers(g), "members not sent: not asserted, kept");
        assertEquals("Platform Team", sandbox.bridge().group(g).displayName());
        expect(200, call("PUT", V2 + "/Groups/" + g, groupBody("Platform Team"))); // "members":[]
        assertEquals(List.of(), sandbox.bridge().groupMembers(g), "an empty members array clears the group");
    }

    @Test
    void deletingAGroupRemovesItFromItsMembers() {
        String g = groupWithMembers("Engineering", 1);
        String keep = createGroup("Keep");
        String member = sandbox.bridge().groupMembers(g).get(0);
        expect(200, call("PATCH", V2 + "/Groups/" + keep, patch("""
                {"op":"add","path":"members","value":[{"value":"%s"}]}""".formatted(member))));
        assertEquals(2, json(call("GET", V2 + "/Users/" + member, null)).get("groups").size());

        assertEquals(204, call("DELETE", V2 + "/Groups/" + g, null).statusCode());
        assertScimError(call("GET", V2 + "/Groups/" + g, null), 404, null);
        JsonNode user = json(call("GET", V2 + "/Users/" + member, null));
        assertEquals(1, user.get("groups").size());
        assertEquals(keep, user.at("/groups/0/value").asText());
        assertEquals(ScimUserState.INVITED, sandbox.bridge().state(member), "the user is untouched");
        assertScimError(call("DELETE", V2 + "/Groups/" + g, null), 404, null);
    }

    @Test
    void concurrentMembershipPatchesLoseNothing() {
        String g = createGroup("Everyone");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(sandbox.bridge().addUser("u" + i + "@example.com", "U", "N" + i).id());
        }
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (String id : ids) {
            String body = patch("{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + id + "\"}]}");
            inFlight.add(http.sendAsync(request("PATCH", V2 + "/Groups/" + g, body, "application/scim+json",
                    "Bearer " + sandbox.bridgeToken()), HttpResponse.BodyHandlers.ofString()));
        }
        inFlight.forEach(f -> assertEquals(200, f.join().statusCode()));
        assertEquals(new HashSet<>(ids), new HashSet<>(sandbox.bridge().groupMembers(g)));
    }

    // ------------------------------------------------------------------------------------------------ discovery

    @Test
    void serviceProviderConfigAdvertisesWhatTheBridgeDoes() {
        HttpResponse<String> r = expect(200, call("GET", V2 + "/ServiceProviderConfig", null));
        assertEquals("application/scim+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode spc = json(r);
        assertTrue(spc.at("/patch/supported").asBoolean());
        assertFalse(spc.at("/bulk/supported").asBoolean());
        assertEquals(0, spc.at("/bulk/maxOperations").asInt());
        assertTrue(spc.at("/filter/supported").asBoolean());
        assertEquals(10000, spc.at("/filter/maxResults").asInt());
        assertFalse(spc.at("/changePassword/supported").asBoolean());
        assertFalse(spc.at("/sort/supported").asBoolean());
        assertFalse(spc.at("/etag/supported").asBoolean());
        assertEquals("oauthbearertoken", spc.at("/authenticationSchemes/0/type").asText());
        assertEquals("OAuth Bearer Token", spc.at("/authenticationSchemes/0/name").asText());
        assertTrue(spc.at("/authenticationSchemes/0/specUri").asText().contains("rfc6750"));
        assertEquals("/scim/v2/ServiceProviderConfig", spc.at("/meta/location").asText());
    }

    @Test
    void schemasListOnlyCoreUserAndGroupWithoutActiveOrDisplayName() {
        JsonNode s = json(expect(200, call("GET", V2 + "/Schemas", null)));
        assertEquals(2, s.get("totalResults").asInt());
        List<String> ids = ids(s);
        assertEquals(List.of("urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:core:2.0:Group"),
                ids);
        Set<String> userAttrs = attributeNames(s.at("/Resources/0/attributes"));
        assertEquals(Set.of("userName", "name", "emails", "externalId", "preferredLanguage", "groups"), userAttrs);
        assertFalse(userAttrs.contains("active"), "quirk: active is returned but not published");
        assertFalse(userAttrs.contains("displayName"), "quirk: displayName is returned but not published");
        JsonNode userName = s.at("/Resources/0/attributes/0");
        assertEquals("userName", userName.get("name").asText());
        assertTrue(userName.get("required").asBoolean());
        assertEquals("server", userName.get("uniqueness").asText());
        assertEquals("always", userName.get("returned").asText());
        assertEquals(Set.of("displayName", "members", "externalId"), attributeNames(s.at("/Resources/1/attributes")));

        JsonNode one = json(expect(200, call("GET", V2 + "/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group", null)));
        assertEquals("Group", one.get("name").asText());
        assertEquals("Group", json(call("GET", V2 + "/Schemas/" + enc("urn:ietf:params:scim:schemas:core:2.0:Group"),
                null)).get("name").asText());
        assertScimError(call("GET", V2 + "/Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", null),
                404, null);
    }

    @Test
    void resourceTypesKeepTheRecordedQuirks() {
        JsonNode rt = json(expect(200, call("GET", V2 + "/ResourceTypes", null)));
        assertEquals(0, rt.get("startIndex").asInt(), "quirk: startIndex 0");
        assertEquals(2, rt.get("totalResults").asInt());
        assertEquals("/scim/v2/User", rt.at("/Resources/0/endpoint").asText(), "quirk: singular User endpoint");
        assertEquals("/scim/v2/Groups", rt.at("/Resources/1/endpoint").asText());
        assertEquals("urn:ietf:params:scim:schemas:core:2.0:User", rt.at("/Resources/0/schema").asText());
        assertEquals("/scim/v2/ResourceTypes/User", rt.at("/Resources/0/meta/location").asText());
        assertEquals("/scim/v2/ResourceTypes/Group", rt.at("/Resources/1/meta/location").asText());
        assertEquals("/scim/v2/User", json(call("GET", V2 + "/ResourceTypes/User", null)).get("endpoint").asText());
        assertScimError(call("GET", V2 + "/ResourceTypes/Device", null), 404, null);
    }

    @Test
    void healthReportsBuildVersionAndFourHealthyComponents() {
        JsonNode h = json(expect(200, call("GET", "/health", null)));
        assertEquals("209163", h.get("build").asText());
        assertEquals("2.9.16", h.get("version").asText());
        List<String> sources = new ArrayList<>();
        for (JsonNode report : h.get("reports")) {
            sources.add(report.get("source").asText());
            assertEquals("healthy", report.get("state").asText());
            Instant time = Instant.parse(report.get("time").asText());
            assertEquals(time.plus(Duration.ofMinutes(10)), Instant.parse(report.get("expires").asText()));
        }
        assertEquals(List.of("ConfirmationWatcher", "RedisCache", "SCIMServer", "StartProvisionWatcher"), sources);
        assertNotNull(Instant.parse(h.get("retrievedAt").asText()));
    }

    @Test
    void anUnhealthyOrStaleComponentKeepsTheDocumentedShapeAndSaysSoInItsReport() {
        sandbox.bridgeFaults().setUnhealthyComponents(java.util.Map.of("ConfirmationWatcher", "Disconnected"))
                .setStaleComponents(List.of("RedisCache"));
        HttpResponse<String> r = expect(200, call("GET", "/health", null));
        JsonNode h = json(r);
        assertEquals(Set.of("build", "version", "reports", "retrievedAt"), fieldNames(h));
        Instant retrieved = Instant.parse(h.get("retrievedAt").asText());
        java.util.Map<String, JsonNode> bySource = new java.util.LinkedHashMap<>();
        for (JsonNode report : h.get("reports")) {
            assertEquals(Set.of("source", "time", "expires", "state"), fieldNames(report), report.toString());
            Instant time = Instant.parse(report.get("time").asText());
            assertEquals(time.plus(Duration.ofMinutes(10)), Instant.parse(report.get("expires").asText()));
            bySource.put(report.get("source").asText(), report);
        }
        assertEquals(List.of("ConfirmationWatcher", "RedisCache", "SCIMServer", "StartProvisionWatcher"),
                List.copyOf(bySource.keySet()));
        // the disconnected watcher reports fresh, in its own words; the stale cache's last (healthy) report expired
        assertEquals("Disconnected", bySource.get("ConfirmationWatcher").get("state").asText());
        assertTrue(Instant.parse(bySource.get("ConfirmationWatcher").get("expires").asText()).isAfter(retrieved));
        assertEquals("healthy", bySource.get("RedisCache").get("state").asText());
        assertTrue(Instant.parse(bySource.get("RedisCache").get("expires").asText()).isBefore(retrieved));
        for (String fine : List.of("SCIMServer", "StartProvisionWatcher")) {
            assertEquals("healthy", bySource.get(fine).get("state").asText());
            assertTrue(Instant.parse(bySource.get(fine).get("expires").asText()).isAfter(retrieved));
        }
        // and the bundle's reading of it names both, and nothing else
        List<String> problems = io.opcamel.health.BridgeHealthReport.parse(r.body().getBytes(StandardCharsets.UTF_8))
                .problems();
        assertEquals(2, problems.size(), problems.toString());
        assertEquals("ConfirmationWatcher is Disconnected", problems.get(0));
        assertTrue(problems.get(1).startsWith("RedisCache's report expired at ") && problems.get(1).endsWith("(stale)"),
                problems.get(1));

        sandbox.bridgeFaults().clear();
        assertTrue(io.opcamel.health.BridgeHealthReport.parse(expect(200, call("GET", "/health", null)).body()
                .getBytes(StandardCharsets.UTF_8)).healthy());
    }

    private static Set<String> fieldNames(JsonNode o) {
        Set<String> names = new HashSet<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ------------------------------------------------------------------------------------------------ HTTP surface

    @Test
    void bothPrefixesServeTheSameAccount() {
        JsonNode created = json(expect(201, call("POST", "/scim/Users", userBody("ada@example.com", "Ada", "Lovelace"))));
        String id = created.get("id").asText();
        assertEquals(created, json(expect(200, call("GET", V2 + "/Users/" + id, null))));
        assertEquals(created, json(expect(200, call("GET", "/scim/Users/" + id, null))));
        assertEquals(List.of(id), ids(json(call("GET", "/scim/Users?filter=" + enc("userName eq \"ada@example.com\""), null))));
        assertEquals(10000, json(expect(200, call("GET", "/scim/ServiceProviderConfig", null))).at("/filter/maxResults").asInt());
        assertEquals(0, json(expect(200, call("GET", "/scim/ResourceTypes", null))).get("startIndex").asInt());
        assertEquals(2, json(expect(200, call("GET", "/scim/Schemas", null))).get("totalResults").asInt());
        String g = json(expect(201, call("POST", "/scim/Groups", groupBody("Ops")))).get("id").asText();
        assertEquals("Ops", json(call("GET", V2 + "/Groups/" + g, null)).get("displayName").asText());
        assertEquals(200, call("GET", V2 + "/Users/", null).statusCode(), "a trailing slash is tolerated");
    }

    @Test
    void unknownIdsPathsAndTraversalAttemptsAre404() {
        String id = createUser("ada@example.com", "Ada", "Lovelace");
        assertScimError(call("GET", V2 + "/Users/AAAAAAAAAAAAAAAAAAAAAAAAAA", null), 404, null);
        assertScimError(call("GET", V2 + "/Users/" + id.toLowerCase(), null), 404, null);
        assertScimError(call("GET", V2 + "/Groups/nosuchgroup", null), 404, null);
        for (String path : List.of(V2 + "/Users/..%2F..%2Fetc", V2 + "/Users/..%2F..%2Fetc%2Fpasswd",
                V2 + "/Users/%2e%2e", V2 + "/Users/" + id + "/extra", V2 + "/Users/" + "A".repeat(65),
                V2 + "/Users/a%00b", V2 + "/Bulk", V2 + "/Me", V2 + "/Nope", "/scim", "/scim/v2", "/scimx/Users",
                "/health/x", "/scim/v2/Users//x")) {
            assertScimError(call("GET", path, null), 404, null);
        }
    }

    @Test
    void wrongMethodsAre405WithAllow() {
        String id = createUser("ada@example.com", "Ada", "Lovelace");
        HttpResponse<String> r = call("DELETE", V2 + "/Users", null);
        assertScimError(r, 405, null);
        assertEquals("GET, POST", r.headers().firstValue("Allow").orElse(""));
        assertScimError(call("POST", V2 + "/Users/" + id, userBody("x@example.com", "A", "B")), 405, null);
        assertScimError(call("POST", V2 + "/ServiceProviderConfig", "{}"), 405, null);
        assertScimError(call("PUT", "/health", "{}"), 405, null);
        assertEquals(405, exchange("POST", "/ping", "x", "text/plain", null).statusCode());
    }

    @Test
    void bodiesMustBeJsonInAJsonMediaType() {
        assertScimError(call("POST", V2 + "/Users", "{not json"), 400, "invalidSyntax");
        assertScimError(call("POST", V2 + "/Users", "[1,2]"), 400, "invalidSyntax");
        assertScimError(call("POST", V2 + "/Users", ""), 400, "invalidSyntax");
        String ok = userBody("ada@example.com", "Ada", "Lovelace");
        assertScimError(exchange("POST", V2 + "/Users", ok, "text/plain", "Bearer " + sandbox.bridgeToken()), 415, null);
        assertTrue(sandbox.bridge().users().isEmpty());
        assertEquals(201, exchange("POST", V2 + "/Users", ok, "application/json; charset=utf-8",
                "Bearer " + sandbox.bridgeToken()).statusCode(), "plain application/json is accepted too");
    }

    @Test
    void javaHooksSeeWhatScimHides() {
        ScimUser ada = sandbox.bridge().addUser("ada@example.com", "Ada", "Lovelace");
        ScimGroup g = sandbox.bridge().addGroup("Engineering", ada.id());
        assertEquals(List.of(ada.id()), sandbox.bridge().groupMembers(g.id()));
        assertEquals(List.of(g.id()), sandbox.bridge().user(ada.id()).groupIds());
        assertEquals(ScimUserState.INVITED, ada.state());
        assertTrue(ada.active());
        assertThrows(IllegalArgumentException.class, () -> sandbox.bridge().addUser("ada@example.com", "A", "L"));
        assertThrows(IllegalArgumentException.class, () -> sandbox.bridge().addUser("x@evil.org", "A", "L"));
        assertThrows(IllegalArgumentException.class, () -> sandbox.bridge().addGroup("Other", "NOSUCHUSER"));
        assertThrows(IllegalArgumentException.class, () -> sandbox.bridge().groupMembers("nosuchgroup"));
        sandbox.bridge().clear();
        assertTrue(sandbox.bridge().users().isEmpty() && sandbox.bridge().groups().isEmpty());
        assertEquals(ada.id(), sandbox.bridge().addUser("ada@example.com", "Ada", "Lovelace").id(),
                "ids restart after clear: same seed, same ids");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static HttpResponse<String> call(String method, String path, String body) {
        return exchange(method, path, body, "application/scim+json", "Bearer " + sandbox.bridgeToken());
    }

    private static HttpResponse<String> exchange(String method, String path, String body, String contentType,
            String authorization) {
        try {
            return http.send(request(method, path, body, contentType, authorization), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest request(String method, String path, String body, String contentType,
            String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body != null && contentType != null) {
            b.header("Content-Type", contentType);
        }
        return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), () -> r.request().method() + " " + r.uri() + " -> " + r.body());
        return r;
    }

    private static void assertScimError(HttpResponse<String> r, int status, String scimType) {
        String where = r.request().method() + " " + r.uri() + " -> " + r.body();
        assertEquals(status, r.statusCode(), where);
        assertEquals("application/scim+json", r.headers().firstValue("Content-Type").orElse(""), where);
        JsonNode e = json(r);
        assertEquals(ERROR, e.get("schemas").get(0).asText(), where);
        assertTrue(e.get("status").isTextual(), "status is a string in RFC 7644 errors: " + where);
        assertEquals(Integer.toString(status), e.get("status").asText(), where);
        if (scimType == null) {
            assertNull(e.get("scimType"), where);
        } else {
            assertEquals(scimType, e.path("scimType").asText(null), where);
        }
        assertFalse(e.path("detail").asText("").isBlank(), "an error says why: " + where);
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    private static JsonNode list(String resource, String filter) {
        String q = filter == null ? "" : "?filter=" + enc(filter);
        return json(expect(200, call("GET", V2 + resource + q, null)));
    }

    private static List<String> ids(JsonNode listResponse) {
        List<String> out = new ArrayList<>();
        listResponse.path("Resources").forEach(r -> out.add(r.get("id").asText()));
        return out;
    }

    private static Set<String> attributeNames(JsonNode attributes) {
        Set<String> out = new HashSet<>();
        attributes.forEach(a -> out.add(a.get("name").asText()));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String userBody(String userName, String given, String family) {
        return """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s",
                 "name":{"givenName":"%s","familyName":"%s"}}""".formatted(userName, given, family);
    }

    private static String userBodyWithExternalId(String userName, String given, String family, String externalId) {
        return """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s","externalId":"%s",
                 "name":{"givenName":"%s","familyName":"%s"}}""".formatted(userName, externalId, given, family);
    }

    private static String groupBody(String displayName) {
        return """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"%s","members":[]}"""
                .formatted(displayName);
    }

    private static String patch(String operations) {
        return "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[" + operations + "]}";
    }

    private static String createUser(String userName, String given, String family) {
        return createUser(userBody(userName, given, family));
    }

    private static String createUser(String body) {
        return json(expect(201, call("POST", V2 + "/Users", body))).get("id").asText();
    }

    private static String createGroup(String displayName) {
        return json(expect(201, call("POST", V2 + "/Groups", groupBody(displayName)))).get("id").asText();
    }

    private static String groupWithMembers(String displayName, int members) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            ids.add(createUser("member" + i + "@example.com", "Member", "No" + i));
        }
        StringBuilder m = new StringBuilder();
        for (String id : ids) {
            m.append(m.length() == 0 ? "" : ",").append("{\"value\":\"").append(id).append("\"}");
        }
        String g = json(expect(201, call("POST", V2 + "/Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"%s","members":[%s]}"""
                .formatted(displayName, m)))).get("id").asText();
        assertEquals(ids, sandbox.bridge().groupMembers(g));
        return g;
    }
}
