package io.opcamel.scim.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.bridge.BridgeAnswer;
import io.opcamel.bridge.BridgeRequest;
import io.opcamel.scim.ScimError;
import io.opcamel.scim.ScimNodes;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of an IdP request: reads it from the HTTP exchange, checks it is a well-formed SCIM request
 * (path, id, method, size, media type, JSON, known attributes, paging), turns it into a bridge call, and writes the
 * answer (the bridge's, a dry run's, or a {@link ScimError}) back. What a PATCH and a filter may say is the
 * normaliser's to check ({@link IdpDialect}); what 1Password allows, the guardrails' ({@link GatewayGuardrails}).
 */
public final class ScimRequests {

    private static final Logger LOG = LoggerFactory.getLogger("io.opcamel.scim");
    public static final String SCIM_JSON = "application/scim+json";
    /** The gateway's JSON reader and writer. */
    static final ObjectMapper JSON = new ObjectMapper();
    /** What a resource id may look like (the bridge's are 26 base32 characters); anything else cannot exist. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> RESOURCES = Set.of("Users", "Groups");
    private static final Set<String> DISCOVERY = Set.of("ServiceProviderConfig", "Schemas", "ResourceTypes");
    /**
     * Each resource name by its lower case: Microsoft's validation requests ask for /users, and nothing else could be
     * meant by it; the request is then served (and the bridge called) under the canonical name.
     */
    private static final Map<String, String> CANONICAL = canonical();
    /** RFC 7643 s4.1 core User attributes (and the enterprise extension, by its URN prefix below), lower case. */
    private static final Set<String> USER_ATTRIBUTES = Set.of("schemas", "id", "externalid", "meta", "username",
            "name", "displayname", "nickname", "profileurl", "title", "usertype", "preferredlanguage", "locale",
            "timezone", "active", "password", "emails", "phonenumbers", "ims", "photos", "addresses", "groups",
            "entitlements", "roles", "x509certificates");
    private static final Set<String> GROUP_ATTRIBUTES = Set.of("schemas", "id", "externalid", "meta", "displayname",
            "members");
    private static final Set<String> LIST_PARAMETERS = Set.of("filter", "startIndex", "count", "attributes",
            "excludedAttributes", "sortBy", "sortOrder");
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private final String basePath;
    private final int maxBodyBytes;
    private final boolean dryRun;

    ScimRequests(String basePath, int maxBodyBytes, boolean dryRun) {
        this.basePath = basePath;
        this.maxBodyBytes = maxBodyBytes;
        this.dryRun = dryRun;
    }

    /** The request as the IdP sent it, read once; the route drops the HTTP headers right after. */
    public ScimRequest capture(Exchange exchange) {
        var in = exchange.getMessage();
        ScimRequest r = new ScimRequest(in.getHeader(Exchange.HTTP_METHOD, String.class),
                in.getHeader(Exchange.HTTP_URI, String.class), in.getHeader("Authorization", String.class),
                in.getHeader(Exchange.CONTENT_TYPE, String.class), in.getBody(byte[].class));
        r.dryRun = dryRun;
        return r;
    }

    /** What the request asks for, from its path and method; a 404 or 405 when it asks for nothing the gateway serves. */
    public void route(ScimRequest r) {
        int q = r.rawUri.indexOf('?');
        String rawPath = q < 0 ? r.rawUri : r.rawUri.substring(0, q);
        String rawQuery = q < 0 ? null : r.rawUri.substring(q + 1);
        if (!rawPath.startsWith(basePath + "/")) {
            throw notFound("no such path: " + printable(rawPath));
        }
        String[] raw = rawPath.substring(basePath.length() + 1).split("/", -1);
        List<String> segs = new ArrayList<>();
        for (String s : raw) {
            String d = decodePath(s);
            if (d.equals("..") || d.equals(".") || d.contains("/") || d.contains("\\")) {
                throw ScimError.invalidValue("the path may not step out of its resource: " + printable(rawPath))
                        .by("path");
            }
            segs.add(d);
        }
        if (segs.size() > 2 || segs.stream().anyMatch(String::isEmpty)) {
            throw notFound("no such path: " + printable(rawPath));
        }
        String resource = CANONICAL.getOrDefault(segs.get(0).toLowerCase(Locale.ROOT), segs.get(0));
        boolean withId = segs.size() == 2;
        if (RESOURCES.contains(resource)) {
            r.resource = resource;
            if (withId) {
                if (!ID.matcher(segs.get(1)).matches()) {
                    throw notFound(resource.substring(0, resource.length() - 1) + " "
                            + printable(segs.get(1)) + " not found");
                }
                r.id = segs.get(1);
            }
            r.operation = switch (r.method) {
                case "GET" -> withId ? ScimRequest.Operation.get : ScimRequest.Operation.list;
                case "POST" -> withId ? null : ScimRequest.Operation.create;
                case "PUT" -> withId ? ScimRequest.Operation.replace : null;
                case "PATCH" -> withId ? ScimRequest.Operation.patch : null;
                case "DELETE" -> withId ? ScimRequest.Operation.delete : null;
                default -> null;
            };
            if (r.operation == null) {
                throw new ScimError(405, null, r.method + " is not allowed on " + printable(rawPath)
                        + (withId ? " (GET, PUT, PATCH or DELETE)" : " (GET or POST)")).by("method");
            }
        } else if (DISCOVERY.contains(resource)) {
            r.resource = resource;
            if (withId && resource.equals("ServiceProviderConfig")) {
                throw notFound("no such path: " + printable(rawPath));
            }
            if (withId && !segs.get(1).matches("[A-Za-z0-9:._-]{1,200}")) {
                throw notFound(resource + " " + printable(segs.get(1)) + " not found");
            }
            r.id = withId ? segs.get(1) : null;
            if (!r.method.equals("GET")) {
                throw new ScimError(405, null, r.method + " is not allowed on " + printable(rawPath) + " (GET)")
                        .by("method");
            }
            r.operation = ScimRequest.Operation.discovery;
        } else {
            throw notFound("no such path: " + printable(rawPath));
        }
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
                String v = decodeQuery(eq < 0 ? "" : pair.substring(eq + 1));
                if (r.query.put(k, v) != null) {
                    throw ScimError.invalidValue("the query parameter '" + printable(k) + "' is given twice")
                            .by("query");
                }
            }
        }
    }

    /** A well-formed SCIM request, or the SCIM error that says what is not. */
    public void check(ScimRequest r) {
        if (r.body.length > maxBodyBytes) {
            throw new ScimError(413, null, "the request body is " + r.body.length + " bytes; at most "
                    + maxBodyBytes + " are accepted").by("body-size");
        }
        if (r.operation == ScimRequest.Operation.list) {
            checkListQuery(r);
        }
        boolean carriesBody = r.operation == ScimRequest.Operation.create
                || r.operation == ScimRequest.Operation.replace || r.operation == ScimRequest.Operation.patch;
        if (!carriesBody) {
            return;
        }
        String media = r.contentType == null ? "" : r.contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals(SCIM_JSON) && !media.equals("application/json")) {
            throw new ScimError(415, null, "Content-Type must be application/scim+json or application/json, got '"
                    + printable(r.contentType == null ? "" : r.contentType) + "'").by("content-type");
        }
        if (r.body.length == 0) {
            throw ScimError.invalidSyntax("the request body is empty; a JSON object is required").by("json");
        }
        JsonNode json;
        try {
            json = STRICT.readTree(r.body);
        } catch (IOException e) {
            String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw ScimError.invalidSyntax("the request body is not valid JSON: "
                    + printable(String.valueOf(m).lines().findFirst().orElse(""))).by("json");
        }
        if (json == null || !json.isObject()) {
            throw ScimError.invalidSyntax("the request body must be a JSON object").by("json");
        }
        r.json = json;
        if (r.operation != ScimRequest.Operation.patch) { // a PatchOp is the normaliser's to read
            checkResource(r.resource, json);
        }
    }

    private static void checkListQuery(ScimRequest r) {
        for (String k : r.query.keySet()) {
            if (!LIST_PARAMETERS.contains(k)) {
                throw ScimError.invalidValue("unknown query parameter '" + printable(k) + "' (one of "
                        + LIST_PARAMETERS + ")").by("query");
            }
        }
        for (String k : List.of("startIndex", "count")) {
            String v = r.query.get(k);
            if (v != null && !v.matches("-?[0-9]{1,9}")) {
                throw ScimError.invalidValue(k + " must be a whole number, got '" + printable(v) + "'").by("paging");
            }
        }
    }

    private static void checkResource(String resource, JsonNode json) {
        Set<String> known = resource.equals("Users") ? USER_ATTRIBUTES : GROUP_ATTRIBUTES;
        for (Iterator<String> it = json.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!known.contains(name.toLowerCase(Locale.ROOT)) && !name.toLowerCase(Locale.ROOT).startsWith("urn:")) {
                throw ScimError.invalidSyntax("'" + printable(name) + "' is not an attribute of a "
                        + resource.substring(0, resource.length() - 1)).by("attributes");
            }
        }
        String required = resource.equals("Users") ? "userName" : "displayName";
        JsonNode v = ScimNodes.field(json, required);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw ScimError.invalidValue("attribute '" + required + "' is required (a string)").by("attributes");
        }
    }

    /**
     * The call the bridge gets for this request: the same operation, below its own base URL, with the normalised body
     * (and filter); a user DELETE the user-delete guardrail turned into a suspend is that PATCH instead.
     */
    public BridgeRequest toBridge(ScimRequest r) throws JsonProcessingException {
        String path = "/" + r.resource + (r.id == null ? "" : "/" + r.id);
        r.action = r.userDelete == null ? r.operation.name() : r.userDelete.isSuspend() ? "suspend" : "delete";
        if (r.userDelete != null && r.userDelete.isSuspend()) {
            return BridgeRequest.of(r.userDelete.method(), path, null, JSON.writeValueAsBytes(r.userDelete.body()));
        }
        String query = null;
        if (r.operation == ScimRequest.Operation.list && !r.query.isEmpty()) {
            List<String> parts = new ArrayList<>();
            r.query.forEach((k, v) -> parts.add(enc(k) + "=" + enc(v)));
            query = String.join("&", parts);
        }
        byte[] body = r.json == null ? null : JSON.writeValueAsBytes(r.json);
        if (r.operation == ScimRequest.Operation.create) {
            String attr = r.resource.equals("Users") ? "userName" : "displayName";
            return new BridgeRequest("POST", path, null, body, attr, ScimNodes.field(r.json, attr).asText());
        }
        return BridgeRequest.of(r.method, path, query, body);
    }

    /**
     * A PATCH the normaliser emptied (Okta's rename to the same name, a password push): nothing would change, so the
     * bridge is not called and the IdP gets 204 No Content, which RFC 7644 s3.5.2 allows for a PATCH.
     */
    public void nothingChanged(ScimRequest r) {
        r.answerStatus = 204;
        r.answerBody = new byte[0];
    }

    /**
     * Dry run: what a change would have sent, without sending it. The answer is 202 Accepted with the body the bridge
     * would have received (after normalisation and the guardrails), or none for a DELETE, and an X-Dry-Run header
     * naming the call; the audit record says dry_run.
     */
    public void dryRun(ScimRequest r) throws JsonProcessingException {
        BridgeRequest call = toBridge(r);
        r.answerStatus = 202;
        r.answerBody = call.body();
        r.answerHeaders.put("X-Dry-Run", "not forwarded: " + call.method() + " " + basePath + call.path());
    }

    /**
     * The bridge's answer, passed on: its status and body (a bridge error keeps its SCIM error body). A suspend sent
     * for a DELETE is answered as the IdP's DELETE expects: 204 No Content.
     */
    public void forward(ScimRequest r, BridgeAnswer a) {
        if (!a.answered()) {
            throw new ScimError(502, null, "the SCIM bridge did not answer (" + a.failure() + ")")
                    .by("bridge-unreachable");
        }
        r.bridgeStatus = a.status();
        r.answerStatus = a.status();
        r.answerBody = a.body();
        String retryAfter = a.headers().get("Retry-After");
        if (retryAfter != null) {
            r.answerHeaders.put("Retry-After", retryAfter);
        }
        // a change's answer is read for its audit record (and a create's Location); a read's is passed on unread
        if (a.body().length > 0 && r.isMutating()) {
            try {
                JsonNode j = JSON.readTree(a.body());
                if (j != null && j.isObject()) {
                    r.answered = j;
                    if (a.status() == 201 && j.path("id").isTextual()) {
                        r.answerHeaders.put("Location", basePath + "/" + r.resource + "/" + j.path("id").asText());
                    }
                }
            } catch (IOException notJson) {
                // passed on as it came
            }
        }
        if (r.userDelete != null && r.userDelete.isSuspend() && a.status() / 100 == 2) {
            r.answerStatus = 204; // what the IdP's DELETE expects; the audit record says it was a suspend
            r.answerBody = new byte[0];
        }
    }

    /**
     * The one place a refusal or failure becomes the IdP's answer: a {@link ScimError} (the gateway's checks, the
     * normaliser, a guardrail, a bridge look-up) is rendered as it says; anything else is a 500.
     */
    public void fail(ScimRequest r, Throwable failure) {
        ScimError error = scimError(failure);
        if (error == null) {
            LOG.error("SCIM gateway failed on {} {}: {}", r.method, r.resource, failure.toString(), failure);
            error = new ScimError(500, null, "the gateway failed on this request; see its log").by("internal");
        }
        r.answerStatus = error.status();
        try {
            r.answerBody = JSON.writeValueAsBytes(error.toJson());
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        r.answerHeaders.clear();
        r.rejectedBy = error.rule();
        if (error.guardrail() != null) {
            r.guardrail = "rejected:" + error.guardrail();
        }
        if (error.status() == 401) {
            r.answerHeaders.put("WWW-Authenticate", "Bearer realm=\"scim\"");
        }
        if ((error.status() == 429 || error.status() == 503) && r.bridgeRetryAfter != null) {
            r.answerHeaders.put("Retry-After", r.bridgeRetryAfter);
        }
        if (error.status() == 405) {
            r.answerHeaders.put("Allow", r.id == null && RESOURCES.contains(r.resource) ? "GET, POST"
                    : RESOURCES.contains(r.resource) ? "GET, PUT, PATCH, DELETE" : "GET");
        }
    }

    private static ScimError scimError(Throwable failure) {
        return ObjectHelper.getException(ScimError.class, failure);
    }

    /**
     * Writes the answer onto the HTTP exchange: status, SCIM media type, the few headers it carries, body. The body
     * goes as a ByteBuffer: the Vert.x platform-http engine writes that at once with its Content-Length, but turns a
     * byte[] into an InputStream it pumps through blocking reads on other threads (about 0.1 ms more per answer).
     */
    public void respond(Exchange exchange, ScimRequest r) {
        var m = exchange.getMessage();
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, r.answerStatus);
        r.answerHeaders.forEach(m::setHeader);
        if (r.answerBody.length > 0) {
            m.setHeader(Exchange.CONTENT_TYPE, SCIM_JSON);
            m.setBody(ByteBuffer.wrap(r.answerBody));
        } else {
            m.setBody(null);
        }
    }

    private static ScimError notFound(String detail) {
        return new ScimError(404, null, detail).by("path");
    }

    /** A path segment: '+' is a plus there (RFC 3986), only %XX is decoded. */
    private static String decodePath(String s) {
        return decode(s.replace("+", "%2B"), "path");
    }

    /**
     * A query name or value as application/x-www-form-urlencoded, which is what the IdPs' HTTP stacks write: '+' is a
     * space (Entra's filter=userName+eq+%22...%22), and a plus in a value arrives as %2B.
     */
    private static String decodeQuery(String s) {
        return decode(s, "query");
    }

    private static String decode(String s, String rule) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ScimError.invalidValue("the " + rule + " is not valid percent-encoding").by(rule);
        }
    }

    private static Map<String, String> canonical() {
        Map<String, String> m = new HashMap<>();
        for (Set<String> names : List.of(RESOURCES, DISCOVERY)) {
            names.forEach(n -> m.put(n.toLowerCase(Locale.ROOT), n));
        }
        return Map.copyOf(m);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A value as it may appear in an answer or a log: control characters replaced, at most 200 characters. */
    public static String printable(String s) {
        return io.opcamel.http.Printable.of(s, 200);
    }
}
