package io.opcamel.scim.gateway;

import static io.opcamel.reliability.Fuzz.ALNUM;
import static io.opcamel.reliability.Fuzz.anyJson;
import static io.opcamel.reliability.Fuzz.anyString;
import static io.opcamel.reliability.Fuzz.brokenJson;
import static io.opcamel.reliability.Fuzz.oneOf;
import static io.opcamel.reliability.Fuzz.string;
import static io.opcamel.reliability.Fuzz.w;
import static io.opcamel.reliability.Fuzz.weighted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.opcamel.SecretScanner;
import io.opcamel.reliability.Fuzz;
import io.opcamel.reliability.Fuzz.Req;
import io.opcamel.reliability.Fuzz.Gen;
import io.opcamel.reliability.FuzzTally;
import io.opcamel.reliability.FuzzTarget;
import io.opcamel.reliability.PrintTheSummaryAtTheEnd;
import io.opcamel.sandbox.LoggedRequest;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, fuzzing the SCIM gateway: generated bodies, filters, headers, paths and ids, and Authorization headers,
 * and (issue 16) the requests of the IdP conformance corpus and the golden sequences mutated (target bytes, body
 * values and types, header values), each sent byte for byte over a socket (RawHttp) to the gateway in front of the
 * sandbox bridge (GatewayRig). For every case: never a 5xx; a rejection (4xx) is a well-formed SCIM Error
 * (application/scim+json, the Error schema, status as a string equal to the HTTP status, a detail); nothing of a
 * rejected request reaches the bridge (the sandbox's request log: no call at all, or only the reads a guardrail makes before it refuses a change, or the
 * bridge's own refusal relayed); every refused Authorization header is a 401 with nothing forwarded; no token of
 * the IdPs, the bridge or the Events API in any answer or log line.
 *
 * <p>Each property tries a bounded number of cases ({@code -Dreliability.fuzz.tries} overrides), every case from a
 * seed of its own derived from the run's ({@code -Dreliability.seed}, printed), so a failure names the case to rerun.
 */
@ExtendWith(PrintTheSummaryAtTheEnd.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScimGatewayFuzzReliability {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    @TempDir
    static Path dir;
    static GatewayRig rig;
    static FuzzTarget fuzz;
    static FuzzTally tally;
    static SecretScanner scanner;
    static final List<String> USERS = new ArrayList<>();
    static final List<String> GROUPS = new ArrayList<>();
    static final List<Seed> SEEDS = new ArrayList<>();
    /** The IdP conformance corpus and the gateway's golden sequences (ScimGatewaySequencesTest runs them as written). */
    private static final Path CORPORA = Path.of("src/test/resources/scim/gateway");
    private static final Pattern ID_REF = Pattern.compile("(Users/|Groups/)?<id-\\d+>");

    @BeforeAll
    static void start() throws Exception {
        fuzz = new FuzzTarget("gateway", "SCIM gateway");
        tally = fuzz.tally();
        scanner = fuzz.scanner();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("onepassword.scim.guardrails.allowed-email-domains", "example.com");
        // the shipped 300 calls a minute would pace the fuzzing, not test it
        p.put("onepassword.scim.bridge.rate.requests", "20000");
        rig = GatewayRig.start(dir, p);
        fuzz.aimAt(rig.port, rig.sandbox, GatewayRig.OKTA);
        scanner.secret("okta IdP token", GatewayRig.OKTA);
        scanner.secret("entra IdP token", GatewayRig.ENTRA);
        scanner.secret("SCIM bridge token", rig.sandbox.bridgeToken());
        scanner.secret("Events API token", rig.bundle.context.getPropertiesComponent()
                .resolveProperty("onepassword.events.demo.token").orElseThrow());
        for (int i = 0; i < 4; i++) {
            RawHttp.Response r = rig.call("POST", "/Users", GatewayRig.OKTA, "{\"schemas\":"
                    + "[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"seed" + i + "@example.com\","
                    + "\"name\":{\"givenName\":\"Seed\",\"familyName\":\"User" + i + "\"},\"emails\":[{\"value\":"
                    + "\"seed" + i + "@example.com\",\"primary\":true}],\"active\":true}");
            assertEquals(201, r.status(), r.text());
            USERS.add(r.json().path("id").asText());
        }
        SEEDS.addAll(seeds());
        seedGroups();
    }

    private static void seedGroups() {
        for (int i = 0; i < 3; i++) {
            RawHttp.Response r = rig.call("POST", "/Groups", GatewayRig.OKTA, "{\"schemas\":"
                    + "[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Seed group " + i + "\"}");
            assertEquals(201, r.status(), r.text());
            GROUPS.add(r.json().path("id").asText());
        }
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
        if (fuzz != null) {
            fuzz.restoreStderr();
        }
    }

    // ---- the properties -----------------------------------------------------------------------------------

    @Test
    @Order(1)
    void generatedBodiesAreAnsweredOrRefusedWithAScimErrorAndRefusalsForwardNothing() {
        run("bodies", Fuzz.tries(1_500), bodies(), false);
    }

    @Test
    @Order(2)
    void generatedFiltersAndPagingAreAnsweredOrRefusedWithAScimError() {
        run("filters", Fuzz.tries(1_000), filters(), false);
    }

    @Test
    @Order(3)
    void generatedHeadersAreAnsweredOrRefusedWithAScimError() {
        run("headers", Fuzz.tries(600), headers(), false);
    }

    @Test
    @Order(4)
    void generatedPathsIdsAndMethodsAreAnsweredOrRefusedWithAScimError() {
        run("paths", Fuzz.tries(1_000), paths(), false);
    }

    @Test
    @Order(5)
    void everyAuthorizationHeaderButAnIdpsOwnTokenIsRefusedAndReachesNothing() {
        run("auth", Fuzz.tries(600), auth(), true);
    }

    @Test
    @Order(6)
    void theIdpsRequestsMutatedAreAnsweredOrRefusedWithAScimError() {
        // the bodies' DELETEs removed the seed groups: the corpus's group requests need groups to work on
        GROUPS.clear();
        seedGroups();
        run("corpus", Fuzz.tries(3_400), corpus(), false);
    }

    @Test
    @Order(9)
    void noTokenInAnyAnswerOrLogLine() throws Exception {
        rig.close(); // the last log lines (route shutdown) are scanned too
        rig = null;
        List<String> findings = fuzz.scanLogAndFiles("the gateway's log (stderr)", dir);
        assertEquals(List.of(), findings, "a token in an answer, a log line or a file");
    }

    private static void run(String property, int tries, Gen<Req> gen, boolean mustBeUnauthorized) {
        fuzz.run(property, tries, gen, req -> judge(property, req, mustBeUnauthorized));
    }

    // ---- the invariants -----------------------------------------------------------------------------------

    private static String judge(String property, Req req, boolean mustBeUnauthorized) {
        FuzzTarget.Sent sent = fuzz.send(property, req, mustBeUnauthorized);
        if (sent.settled()) {
            return sent.problem();
        }
        RawHttp.Response r = sent.response();
        List<LoggedRequest> bridge = sent.bridge();
        if (r.status() < 400) {
            return null;
        }
        tally.rejected();
        String malformed = req.method().equals("HEAD") ? null : scimErrorProblem(r);
        if (malformed != null) {
            tally.malformedError();
            return malformed;
        }
        if (r.status() == 401 && !"Bearer realm=\"scim\"".equals(r.header("WWW-Authenticate"))) {
            tally.malformedError();
            return "a 401 without WWW-Authenticate: Bearer realm=\"scim\"";
        }
        String forwarded = forwardedOnReject(req, r, bridge);
        if (forwarded != null) {
            tally.forwardedOnReject();
        }
        return forwarded;
    }

    /** Null when the answer is a well-formed RFC 7644 Error for its status. */
    static String scimErrorProblem(RawHttp.Response r) {
        String type = r.header("Content-Type");
        if (type == null || !type.startsWith("application/scim+json")) {
            return "a " + r.status() + " with Content-Type " + type + ": " + Fuzz.abbreviate(r.text(), 200);
        }
        JsonNode e;
        try {
            e = Fuzz.parse(r.text());
        } catch (IllegalArgumentException ex) {
            return "a " + r.status() + " whose body is not JSON: " + Fuzz.abbreviate(r.text(), 200);
        }
        if (!ERROR_SCHEMA.equals(e.path("schemas").path(0).asText())) {
            return "a " + r.status() + " without the Error schema: " + Fuzz.abbreviate(r.text(), 200);
        }
        if (!e.path("status").isTextual() || !e.path("status").asText().equals(Integer.toString(r.status()))) {
            return "a " + r.status() + " whose status is " + e.path("status");
        }
        if (!e.path("detail").isTextual() || e.path("detail").asText().isBlank()) {
            return "a " + r.status() + " without a detail";
        }
        return null;
    }

    /**
     * Null when nothing of the refused request reached the bridge: no call at all; only reads before refusing a
     * change (the guardrails' look-ups); or the bridge's own refusal, relayed (its status is the IdP's answer).
     */
    private static String forwardedOnReject(Req req, RawHttp.Response r, List<LoggedRequest> bridge) {
        if (bridge.isEmpty()) {
            return null;
        }
        LoggedRequest last = bridge.get(bridge.size() - 1);
        if (last.status() == r.status()) {
            return null; // the bridge refused it, and the IdP got the bridge's answer
        }
        boolean onlyReads = bridge.stream().allMatch(l -> l.method().equals("GET"));
        if (onlyReads && MUTATING.contains(req.method())) {
            return null; // a guardrail read what it needed, then refused the change
        }
        return "refused with " + r.status() + " after " + bridge.size() + " bridge call(s), the last "
                + last.method() + " " + last.path() + " -> " + last.status();
    }

    // ---- generators ---------------------------------------------------------------------------------------

    private static Map<String, String> okta(String contentType) {
        Map<String, String> h = new TreeMap<>();
        h.put("Authorization", "Bearer " + GatewayRig.OKTA);
        if (contentType != null) {
            h.put("Content-Type", contentType);
        }
        return h;
    }

    private static Gen<String> userId() {
        return weighted(w(6, r -> USERS.get(r.nextInt(USERS.size()))),
                w(2, string("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 26, 26)), w(1, string(ALNUM + "-_", 1, 64)),
                w(1, r -> encode(anyString().next(r))));
    }

    private static Gen<String> groupId() {
        return weighted(w(6, r -> GROUPS.get(r.nextInt(GROUPS.size()))),
                w(2, string("abcdefghijklmnopqrstuvwxyz234567", 26, 26)), w(1, string(ALNUM + "-_", 1, 64)),
                w(1, r -> encode(anyString().next(r))));
    }

    /** Values the gateway is picky about: booleans as strings, guests, other domains, ids, any JSON. */
    private static Gen<JsonNode> userValues() {
        return weighted(w(3, r -> NODES.textNode(oneOf("False", "True", "false", "", "Guest", "Member",
                        "a@elsewhere.org", "x#EXT#@example.com", "ADA@EXAMPLE.COM", "ada@example.com",
                        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "work", "home").next(r))),
                w(2, r -> NODES.textNode(string(ALNUM, 1, 10).next(r) + "@example.com")),
                w(2, anyJson(2)),
                w(1, r -> NODES.textNode(USERS.get(r.nextInt(USERS.size())))),
                w(1, r -> NODES.textNode(GROUPS.get(r.nextInt(GROUPS.size())))));
    }

    private static Gen<JsonNode> user() {
        return r -> {
            String name = string(ALNUM, 3, 10).next(r).toLowerCase(Locale.ROOT) + "@example.com";
            return Fuzz.parse("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"" + name
                    + "\",\"externalId\":\"" + string(ALNUM, 4, 8).next(r) + "\",\"name\":{\"givenName\":\"Ada\","
                    + "\"familyName\":\"Fuzz\"},\"displayName\":\"Ada Fuzz\",\"emails\":[{\"value\":\"" + name
                    + "\",\"type\":\"work\",\"primary\":true}],\"active\":true}");
        };
    }

    private static Gen<JsonNode> group() {
        return r -> Fuzz.parse("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":"
                + "\"Fuzz " + string(ALNUM, 3, 8).next(r) + "\",\"members\":[{\"value\":\""
                + USERS.get(r.nextInt(USERS.size())) + "\"}]}");
    }

    private static Gen<JsonNode> patch() {
        return r -> {
            String op = oneOf("replace", "add", "remove", "Replace", "Add", "REMOVE").next(r);
            String path = oneOf("active", "userName", "name.givenName", "name.familyName", "displayName",
                    "emails[type eq \"work\"].value", "members", "members[value eq \"" + USERS.get(0) + "\"]",
                    "externalId", "title").next(r);
            JsonNode value = userValues().next(r);
            return Fuzz.parse("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":"
                    + "[{\"op\":\"" + op + "\",\"path\":" + NODES.textNode(path) + ",\"value\":" + value + "}]}");
        };
    }

    private static Gen<String> body(Gen<JsonNode> template) {
        return weighted(w(6, r -> Fuzz.json(Fuzz.mutated(template.next(r), userValues()).next(r))),
                w(2, r -> Fuzz.json(template.next(r))), w(1, brokenJson(template)),
                w(1, r -> Fuzz.json(anyJson(3).next(r))));
    }

    static Gen<Req> bodies() {
        return r -> {
            int shape = r.nextInt(8);
            String method = List.of("POST", "POST", "PUT", "PUT", "PATCH", "PATCH", "DELETE", "DELETE").get(shape);
            boolean users = shape % 2 == 0;
            String resource = users ? "/Users" : "/Groups";
            String target = "/scim/v2" + resource + (method.equals("POST") ? "" : "/" + (users ? userId() : groupId())
                    .next(r));
            Gen<JsonNode> template = method.equals("PATCH") ? patch() : users ? user() : group();
            String text = method.equals("DELETE") && r.nextInt(3) > 0 ? null : body(template).next(r);
            return new Req(method, target, okta(text == null ? null : "application/scim+json"),
                    text == null ? null : text.getBytes(StandardCharsets.UTF_8));
        };
    }

    private static Gen<String> filter() {
        Gen<String> attr = oneOf("userName", "externalId", "id", "displayName", "emails.value",
                "emails[type eq \"work\"].value", "name.givenName", "meta.lastModified", "active", "members.value",
                "USERNAME", "userName.x", "");
        Gen<String> op = oneOf("eq", "EQ", "Eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", "", "==",
                "like");
        Gen<String> value = weighted(w(3, r -> "\"" + oneOf("seed0@example.com", "Seed group 0", USERS.get(0),
                "nobody@example.com").next(r) + "\""), w(2, r -> "\"" + anyString().next(r).replace("\\", "\\\\")
                .replace("\"", "\\\"") + "\""), w(1, oneOf("seed0@example.com", "true", "null", "123", "\"open", "''",
                "\"a\\\"b\"", "\"\\u0000\"")), w(1, anyString()));
        Gen<String> clause = weighted(w(8, r -> attr.next(r) + " " + op.next(r) + " " + value.next(r)),
                w(1, r -> attr.next(r) + " pr"), w(1, r -> "(" + attr.next(r) + " eq " + value.next(r) + ")"));
        return weighted(w(8, r -> {
            StringBuilder b = new StringBuilder(clause.next(r));
            for (int i = r.nextInt(3); i > 0; i--) {
                b.append(' ').append(oneOf("and", "or", "AND", "and not", "&&").next(r)).append(' ')
                        .append(clause.next(r));
            }
            return b.toString();
        }), w(2, anyString()));
    }

    /** Filters of the bridge's kind: eq clauses on its attributes, joined by and, some of them with odd values. */
    private static Gen<String> runnable(boolean users) {
        Gen<String> attr = users ? oneOf("userName", "externalId", "id", "UserName") : oneOf("displayName",
                "externalId", "id");
        Gen<String> value = weighted(w(3, oneOf("seed0@example.com", "Seed group 0", "nobody@example.com",
                USERS.get(0), GROUPS.get(0))), w(1, r -> anyString().next(r).replace("\\", "\\\\")
                .replace("\"", "\\\"")));
        return r -> {
            StringBuilder b = new StringBuilder();
            for (int i = 1 + r.nextInt(2); i > 0; i--) {
                b.append(b.length() == 0 ? "" : " and ").append(attr.next(r)).append(' ')
                        .append(oneOf("eq", "eq", "EQ").next(r)).append(" \"").append(value.next(r)).append('"');
            }
            return b.toString();
        };
    }

    static Gen<Req> filters() {
        return r -> {
            boolean users = r.nextBoolean();
            StringBuilder q = new StringBuilder();
            if (r.nextInt(10) > 0) {
                // about a third are filters the bridge can run (eq, and, its attributes), with odd values
                String f = r.nextInt(3) == 0 ? runnable(users).next(r) : filter().next(r);
                q.append("filter=").append(r.nextInt(10) > 0 ? encode(f) : f.replace(" ", "%20")
                        + oneOf("", "%", "%2", "%ZZ", "%00").next(r));
            }
            if (r.nextBoolean()) {
                q.append(q.length() > 0 ? "&" : "").append("startIndex=").append(oneOf("1", "0", "-1", "2",
                        "2147483648", "x", "", "1.5").next(r));
            }
            if (r.nextBoolean()) {
                q.append(q.length() > 0 ? "&" : "").append("count=").append(oneOf("0", "1", "100", "1000", "-5",
                        "ten", "99999999999", "").next(r));
            }
            if (r.nextInt(4) == 0) {
                q.append(q.length() > 0 ? "&" : "").append(oneOf("attributes", "excludedAttributes", "sortBy",
                        "sortOrder", "filter", "access_token", encode(anyString().next(r))).next(r)).append('=')
                        .append(encode(anyString().next(r)));
            }
            String resource = users ? "/Users" : "/Groups";
            return new Req("GET", "/scim/v2" + resource + (q.length() == 0 ? "" : "?" + q), okta(null), null);
        };
    }

    static Gen<Req> headers() {
        Gen<String> contentType = oneOf("application/scim+json", "application/json",
                "application/scim+json; charset=utf-8", "application/json;charset=UTF-8", "APPLICATION/SCIM+JSON",
                "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "", "application/scim+json; charset=latin1", "application/json-patch+json", "*/*", "scim", null);
        Gen<String> headerValue = weighted(w(6, string(ALNUM + " ;=,/*.-_\"'()", 0, 40)), w(2, string(ALNUM, 1_000,
                6_000)), w(1, string("\u00e9\u00df\u00ff\u00a0", 1, 20)));
        return r -> {
            int shape = r.nextInt(4);
            String method = List.of("GET", "POST", "PATCH", "PUT").get(shape);
            String target = switch (shape) {
                case 0 -> "/scim/v2/Users";
                case 1 -> "/scim/v2/Users";
                case 2 -> "/scim/v2/Users/" + USERS.get(r.nextInt(USERS.size()));
                default -> "/scim/v2/Groups/" + GROUPS.get(r.nextInt(GROUPS.size()));
            };
            String text = shape == 0 ? null : Fuzz.json(switch (shape) {
                case 1 -> user().next(r);
                case 2 -> patch().next(r);
                default -> group().next(r);
            });
            Map<String, String> h = okta(contentType.next(r));
            if (r.nextBoolean()) {
                h.put("Accept", oneOf("*/*", "application/scim+json", "application/json", "text/html",
                        "application/xml", "garbage", "").next(r));
            }
            for (int i = r.nextInt(4); i > 0; i--) {
                String name = oneOf("X-Forwarded-For", "X-Request-Id", "Cookie", "Accept-Charset", "Accept-Encoding",
                        "If-Match", "Prefer", "X-" + string(ALNUM, 1, 20).next(r), "Origin").next(r);
                h.put(name, headerValue.next(r));
            }
            return new Req(method, target, h, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
        };
    }

    static Gen<Req> paths() {
        Gen<String> segment = weighted(w(4, oneOf("Users", "Groups", "Schemas", "ResourceTypes",
                        "ServiceProviderConfig", "Me", "Bulk", ".search", "users", "GROUPS", "", ".", "..", "%2e%2e",
                        "%2F", "%5C", "%00", ";x=1", "Users;jsessionid=1")),
                w(3, r -> r.nextBoolean() ? USERS.get(r.nextInt(USERS.size())) : GROUPS.get(r.nextInt(GROUPS.size()))),
                w(2, string(ALNUM + "-_", 1, 70)), w(1, string(ALNUM, 65, 400)),
                w(2, r -> encode(anyString().next(r))), w(1, string(ALNUM + "-._~!$&'()*+,;=:@", 1, 20)));
        return r -> {
            String method = oneOf("GET", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE",
                    "FOO").next(r);
            StringBuilder target = new StringBuilder("/scim/v2");
            for (int i = r.nextInt(4); i > 0; i--) {
                target.append('/').append(segment.next(r));
            }
            if (r.nextInt(6) == 0) {
                target.append(oneOf("/", "//", "?", "#frag", "?filter=userName%20eq%20%22x%22").next(r));
            }
            boolean withBody = Set.of("POST", "PUT", "PATCH").contains(method) && r.nextBoolean();
            String text = withBody ? Fuzz.json(user().next(r)) : null;
            return new Req(method, target.toString(), okta(withBody ? "application/scim+json" : null),
                    text == null ? null : text.getBytes(StandardCharsets.UTF_8));
        };
    }

    static Gen<Req> auth() {
        // the bridge's own token sent by an IdP, and an Events API token (entra's is an IdP token: it is let in)
        Gen<String> authorization = r -> Fuzz.wrongAuthorization(GatewayRig.OKTA, List.of(rig.sandbox.bridgeToken(),
                rig.bundle.context.getPropertiesComponent().resolveProperty("onepassword.events.demo.token")
                        .orElseThrow())).next(r);
        return r -> {
            int shape = r.nextInt(6);
            String user = USERS.get(r.nextInt(USERS.size()));
            String method = List.of("GET", "GET", "POST", "PATCH", "DELETE", "PUT").get(shape);
            String target = switch (shape) {
                case 0 -> "/scim/v2/Users?filter=" + encode("userName eq \"seed0@example.com\"");
                case 1 -> "/scim/v2/Users/" + user;
                case 2 -> "/scim/v2/Users";
                case 5 -> "/scim/v2/Groups/" + GROUPS.get(0);
                default -> "/scim/v2/Users/" + user;
            };
            String text = switch (shape) {
                case 2 -> Fuzz.json(user().next(r));
                case 3 -> Fuzz.json(patch().next(r));
                case 5 -> Fuzz.json(group().next(r));
                default -> null;
            };
            Map<String, String> h = new TreeMap<>();
            String a = authorization.next(r);
            if (a != null) {
                h.put("Authorization", a);
            }
            if (r.nextInt(8) == 0) {
                h.put("X-Authorization", "Bearer " + GatewayRig.OKTA); // the right token in the wrong header
            }
            if (text != null) {
                h.put("Content-Type", "application/scim+json");
            }
            return new Req(method, target + (r.nextInt(8) == 0 ? (target.contains("?") ? "&" : "?")
                    + "access_token=" + GatewayRig.OKTA : ""), h, text == null ? null
                    : text.getBytes(StandardCharsets.UTF_8));
        };
    }

    /**
     * A request of the corpus as written: its request line's method and target (or the short form's method and path
     * below the base path), its headers ({@code {{token}}} for the IdP's token), its body; ids as {@code <id-N>}.
     */
    record Seed(String idp, String method, String target, Map<String, String> headers, JsonNode body) {
    }

    static List<Seed> seeds() throws IOException {
        List<Seed> seeds = new ArrayList<>();
        for (String corpus : List.of("conformance", "sequences")) {
            List<Path> cases;
            try (Stream<Path> dirs = Files.list(CORPORA.resolve(corpus))) {
                cases = dirs.filter(d -> Files.exists(d.resolve("in.json"))).sorted().toList();
            }
            for (Path c : cases) {
                for (JsonNode call : Fuzz.parse(Files.readString(c.resolve("in.json"))).path("requests")) {
                    Map<String, String> headers = new LinkedHashMap<>();
                    JsonNode body = call.get("body");
                    String method;
                    String target;
                    if (call.has("requestLine")) {
                        String[] line = call.path("requestLine").asText().split(" ");
                        method = line[0];
                        target = line[1];
                        call.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
                    } else {
                        method = call.path("method").asText();
                        target = "/scim/v2" + call.path("path").asText();
                        headers.put("Authorization", "Bearer {{token}}");
                        if (body != null) {
                            headers.put("Content-Type", "application/scim+json");
                        }
                    }
                    seeds.add(new Seed(call.path("idp").asText("okta"), method, target, headers, body));
                }
            }
        }
        assertTrue(seeds.size() >= 50, "the corpus has requests: " + seeds.size());
        seeds.forEach(seed -> assertTrue(seed.target().startsWith(BASE), seed.target()));
        return seeds;
    }

    /**
     * What a mutation leaves alone: the gateway's base path. Another path is not the gateway's (paths are
     * case-sensitive) and gets the HTTP server's own 404, as UnroutedRequests leaves what is not the bundle's.
     */
    private static final String BASE = "/scim/v2/";
    /** Words of the corpus's targets whose case a mutation changes: resource names, filter words. */
    private static final List<String> TARGET_WORDS = List.of("Users", "Groups", "filter", "userName", "externalId",
            "displayName", "eq", "excludedAttributes", "members");

    /**
     * The corpus's requests with their ids filled in (this run's users and groups; now and then one left as written)
     * and mutated: the target's bytes below the base path (escapes, '+', case of resource names), the body's values
     * and types, the headers' values; one, two or all three of them.
     */
    static Gen<Req> corpus() {
        return r -> {
            Seed seed = SEEDS.get(r.nextInt(SEEDS.size()));
            String token = seed.idp().equals("entra") ? GatewayRig.ENTRA : GatewayRig.OKTA;
            int parts = 1 + r.nextInt(7); // which of target, body and headers are mutated: never none
            // a group deleted stays gone: a corpus DELETE goes to a group the bridge does not have, so the others
            // keep theirs (the bodies' DELETEs hit real groups)
            String target = seed.method().equals("DELETE") && seed.target().contains("/Groups/")
                    ? seed.target().replaceAll("<id-\\d+>", string("abcdefghijklmnopqrstuvwxyz234567", 26, 26).next(r))
                    : withIds(seed.target(), r);
            if ((parts & 1) != 0 || seed.body() == null && parts == 2) {
                target = BASE + Fuzz.mutatedTarget(target.substring(BASE.length()), TARGET_WORDS).next(r);
            }
            String text = null;
            if (seed.body() != null) {
                JsonNode body = Fuzz.parse(withIds(Fuzz.json(seed.body()), r));
                text = Fuzz.json((parts & 2) != 0 ? Fuzz.mutated(body, userValues()).next(r) : body);
            }
            Map<String, String> written = new LinkedHashMap<>();
            seed.headers().forEach((k, v) -> written.put(k, v.replace("{{token}}", token)));
            Map<String, String> headers = (parts & 4) != 0 ? Fuzz.mutatedHeaders(written).next(r) : written;
            return new Req(seed.method(), target, headers, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
        };
    }

    /** Each {@code <id-N>} replaced by an id of this run: a user's or a group's as its path says, else mostly a user's. */
    private static String withIds(String text, java.util.Random r) {
        Matcher m = ID_REF.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String before = m.group(1) == null ? "" : m.group(1);
            String id;
            if (r.nextInt(20) == 0) {
                id = m.group().substring(before.length()); // an id the bridge cannot have, as written
            } else if (before.equals("Groups/") || before.isEmpty() && r.nextInt(4) == 0) {
                id = GROUPS.get(r.nextInt(GROUPS.size()));
            } else {
                id = USERS.get(r.nextInt(USERS.size()));
            }
            m.appendReplacement(b, Matcher.quoteReplacement(before + id));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
