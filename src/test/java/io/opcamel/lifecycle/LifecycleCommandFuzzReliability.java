package io.opcamel.lifecycle;

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
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.SecretScanner;
import io.opcamel.reliability.Fuzz;
import io.opcamel.reliability.Fuzz.Req;
import io.opcamel.reliability.Fuzz.Gen;
import io.opcamel.reliability.FuzzTally;
import io.opcamel.reliability.FuzzTarget;
import io.opcamel.reliability.PrintTheSummaryAtTheEnd;
import io.opcamel.sandbox.LoggedRequest;
import io.opcamel.scim.gateway.RawHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, fuzzing the lifecycle command API ({@code POST /lifecycle/v1/commands}, {@code GET .../commands/{id}}):
 * generated commands (every field missing, of the wrong type, out of its range, unknown fields, requestIds reused,
 * emails outside the allowed domain, groups 1Password does not have or must not be touched), bodies that are not
 * JSON or too large, and Authorization headers that must be refused, against the lifecycle route in front of the
 * sandbox bridge (LifecycleRig). For every case: never a 5xx; a rejection is the JSON result with
 * {@code "outcome":"rejected"}, a rule and a reason (a 401 also with {@code WWW-Authenticate}); a rejected command
 * wrote nothing to the bridge (reads before the refusal are allowed: every check comes before the first write; a
 * write the bridge itself refused, such as a new email another user has, changed nothing either); an
 * accepted one says applied, unchanged, replayed or superseded; no token in any answer or log line.
 */
@ExtendWith(PrintTheSummaryAtTheEnd.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleCommandFuzzReliability {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> ACCEPTED = Set.of("applied", "unchanged", "replayed", "superseded");
    private static final List<String> PEOPLE = List.of("ada", "grace", "linus", "margaret", "alan", "barbara");

    @TempDir
    static Path dir;
    static LifecycleRig rig;
    static FuzzTarget fuzz;
    static FuzzTally tally;
    static SecretScanner scanner;

    @BeforeAll
    static void start() throws Exception {
        fuzz = new FuzzTarget("lifecycle", "lifecycle API");
        tally = fuzz.tally();
        scanner = fuzz.scanner();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("onepassword.scim.guardrails.allowed-email-domains", "example.com");
        p.put("onepassword.scim.bridge.rate.requests", "20000");
        rig = LifecycleRig.start(dir, p);
        fuzz.aimAt(rig.port, rig.sandbox, LifecycleRig.HR);
        for (String g : List.of("Engineering", "Sales", "Everyone", "Owners")) {
            rig.sandbox.bridge().addGroup(g);
        }
        rig.sandbox.bridge().addUser("ada@example.com", "Ada", "Lovelace");
        scanner.secret("lifecycle caller token", LifecycleRig.HR);
        scanner.secret("SCIM bridge token", rig.sandbox.bridgeToken());
        scanner.secret("Events API token", rig.bundle.context.getPropertiesComponent()
                .resolveProperty("onepassword.events.demo.token").orElseThrow());
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

    @Test
    @Order(1)
    void generatedCommandsAreCarriedOutOrRejectedAndARejectedOneWritesNothing() {
        run("commands", Fuzz.tries(1_500), commands(), false);
    }

    @Test
    @Order(2)
    void generatedRequestIdsAreAnsweredOrRejected() {
        run("recall", Fuzz.tries(300), recalls(), false);
    }

    @Test
    @Order(3)
    void everyAuthorizationHeaderButTheCallersOwnTokenIsRefused() {
        run("lifecycle-auth", Fuzz.tries(400), auth(), true);
    }

    @Test
    @Order(9)
    void noTokenInAnyAnswerLogLineOrFile() throws Exception {
        rig.close();
        rig = null;
        List<String> findings = fuzz.scanLogAndFiles("the lifecycle route's log (stderr)", dir); // the ledger and the dead letters
        assertEquals(List.of(), findings, "a token in an answer, a log line or a file");
    }

    private static void run(String property, int tries, Gen<Req> gen, boolean mustBeUnauthorized) {
        fuzz.run(property, tries, gen, req -> judge(property, req, mustBeUnauthorized));
    }

    private static String judge(String property, Req req, boolean mustBeUnauthorized) {
        FuzzTarget.Sent sent = fuzz.send(property, req, mustBeUnauthorized);
        if (sent.settled()) {
            return sent.problem();
        }
        RawHttp.Response r = sent.response();
        List<LoggedRequest> bridge = sent.bridge();
        // a write the bridge took; one it refused itself (a 409: a userName in use) changed nothing
        List<LoggedRequest> writes = bridge.stream().filter(l -> !l.method().equals("GET") && l.status() < 300)
                .toList();
        JsonNode result;
        try {
            result = Fuzz.parse(r.text());
        } catch (IllegalArgumentException e) {
            tally.malformedError();
            return "a " + r.status() + " whose body is not JSON: " + Fuzz.abbreviate(r.text(), 200);
        }
        String outcome = result.path("outcome").asText();
        if (r.status() < 400) {
            return ACCEPTED.contains(outcome) || property.equals("recall") ? null
                    : "a " + r.status() + " with outcome " + outcome;
        }
        tally.rejected();
        if (!outcome.equals("rejected") || !result.path("rule").isTextual() || !result.path("reason").isTextual()
                || result.path("reason").asText().isBlank()) {
            tally.malformedError();
            return "a " + r.status() + " that is not a rejection with its rule and reason: "
                    + Fuzz.abbreviate(r.text(), 200);
        }
        if (r.status() == 401 && !String.valueOf(r.header("WWW-Authenticate")).startsWith("Bearer")) {
            tally.malformedError();
            return "a 401 without WWW-Authenticate";
        }
        if (!writes.isEmpty() || (r.status() == 401 && !bridge.isEmpty())) {
            tally.forwardedOnReject();
            return "rejected (" + result.path("rule").asText() + ") after writing to the bridge: " + writes.stream()
                    .map(l -> l.method() + " " + l.path() + " -> " + l.status()).toList();
        }
        return null;
    }

    // ---- generators ---------------------------------------------------------------------------------------

    private static Map<String, String> hr(String contentType) {
        Map<String, String> h = new TreeMap<>();
        h.put("Authorization", "Bearer " + LifecycleRig.HR);
        if (contentType != null) {
            h.put("Content-Type", contentType);
        }
        return h;
    }

    private static Gen<String> email() {
        return weighted(w(8, r -> oneOf(PEOPLE.toArray(new String[0])).next(r) + "@example.com"),
                w(1, r -> oneOf(PEOPLE.toArray(new String[0])).next(r) + "@elsewhere.org"),
                w(1, oneOf("", "not-an-email", "a@b", "@example.com", "ada@@example.com", "ADA@EXAMPLE.COM",
                        "ada @example.com", "ada@example.com\n", "\u00e9l\u00e8ve@example.com")));
    }

    private static Gen<JsonNode> likely() {
        return weighted(w(3, r -> NODES.textNode(email().next(r))),
                w(2, r -> NODES.textNode(oneOf("joiner", "mover", "leaver", "rejoiner", "JOINER", "hire", "",
                        "2026-11-28T09:30:00Z", "2999-01-01T00:00:00Z", "yesterday", "2026-13-01T00:00:00Z",
                        "2026-11-28T09:30:00+02:00", "Engineering", "Owners").next(r))),
                w(2, r -> {
                    var a = NODES.arrayNode();
                    for (int i = r.nextInt(3); i > 0; i--) {
                        a.add(oneOf("Engineering", "Sales", "Everyone", "Owners", "Nope", "").next(r));
                    }
                    return a;
                }),
                w(2, anyJson(2)),
                w(1, r -> NODES.textNode(string(ALNUM, 257, 400).next(r))));
    }

    private static Gen<JsonNode> command() {
        return r -> {
            ObjectNode c = NODES.objectNode();
            String type = oneOf("joiner", "mover", "leaver", "rejoiner").next(r);
            c.put("requestId", r.nextInt(10) == 0 ? "fuzz-reused-" + r.nextInt(5)
                    : "fuzz-" + string(ALNUM + "._:@/+=-", 4, 40).next(r));
            c.put("type", type);
            c.put("email", email().next(r));
            if (type.equals("mover") && r.nextBoolean()) {
                c.put("newEmail", email().next(r));
            }
            if (!type.equals("leaver") || r.nextInt(4) == 0) {
                c.put("givenName", oneOf("Ada", "Grace", "L\u00e9a", "").next(r));
                c.put("familyName", oneOf("Lovelace", "Hopper", "Fuzz").next(r));
            }
            if (r.nextBoolean()) {
                var g = c.putArray("groups");
                for (int i = r.nextInt(3); i > 0; i--) {
                    g.add(oneOf("Engineering", "Sales", "Everyone", "Owners", "Nope").next(r));
                }
            }
            if (r.nextInt(3) == 0) {
                c.put("occurredAt", oneOf("2026-11-28T09:30:00Z", "2026-11-27T09:30:00Z", "2999-01-01T00:00:00Z")
                        .next(r));
            }
            return c;
        };
    }

    static Gen<Req> commands() {
        Gen<String> body = weighted(w(5, r -> Fuzz.json(command().next(r))),
                w(4, r -> Fuzz.json(Fuzz.mutated(command().next(r), likely()).next(r))),
                w(1, brokenJson(command())), w(1, r -> Fuzz.json(anyJson(3).next(r))),
                w(1, r -> "{\"requestId\":\"big\",\"type\":\"joiner\",\"email\":\"ada@example.com\",\"givenName\":\""
                        + "x".repeat(70_000) + "\",\"familyName\":\"L\"}"));
        return r -> new Req("POST", "/lifecycle/v1/commands", hr(oneOf("application/json", "application/json",
                "application/json; charset=utf-8", "text/plain", "application/xml", "").next(r)),
                body.next(r).getBytes(StandardCharsets.UTF_8));
    }

    static Gen<Req> recalls() {
        return r -> new Req("GET", "/lifecycle/v1/commands/" + weighted(w(3, r2 -> "fuzz-reused-" + r2.nextInt(5)),
                w(3, string(ALNUM + "._:@+=-", 1, 140)), w(2, r2 -> URLEncoder.encode(anyString().next(r2),
                        StandardCharsets.UTF_8).replace("+", "%20"))).next(r), hr(null), null);
    }

    static Gen<Req> auth() {
        Gen<String> authorization = Fuzz.wrongAuthorization(LifecycleRig.HR, List.of(rig.sandbox.bridgeToken(),
                rig.bundle.context.getPropertiesComponent().resolveProperty("onepassword.events.demo.token")
                        .orElseThrow()));
        return r -> {
            Map<String, String> h = new TreeMap<>();
            String a = authorization.next(r);
            if (a != null) {
                h.put("Authorization", a);
            }
            if (r.nextBoolean()) {
                h.put("Content-Type", "application/json");
                return new Req("POST", "/lifecycle/v1/commands", h, Fuzz.json(command().next(r))
                        .getBytes(StandardCharsets.UTF_8));
            }
            return new Req("GET", "/lifecycle/v1/commands/fuzz-reused-" + r.nextInt(5), h, null);
        };
    }
}
