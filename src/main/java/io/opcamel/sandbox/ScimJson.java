package io.opcamel.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** The bridge's JSON vocabulary: reading request bodies, SCIM-typed responses, errors and list envelopes. */
final class ScimJson {

    static final String ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
    static final String LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    static final String PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

    static final ObjectMapper MAPPER = new ObjectMapper();

    private ScimJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** The request body as a JSON object; anything else is the client's syntax error. */
    static ObjectNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw ScimException.invalidSyntax("request body is empty; a JSON object is required");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (IOException e) {
            throw ScimException.invalidSyntax("request body is not valid JSON: " + firstLine(e));
        }
        if (!(node instanceof ObjectNode o)) {
            throw ScimException.invalidSyntax("request body must be a JSON object");
        }
        return o;
    }

    /**
     * A member of an object by name, ignoring case: RFC 7643 §2.1 makes attribute names case-insensitive, so
     * {@code "UserName"} is {@code userName}. Null when absent.
     */
    static JsonNode field(JsonNode obj, String name) {
        if (obj == null || !obj.isObject()) {
            return null;
        }
        JsonNode exact = obj.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Absent and JSON null alike: the client did not assert the attribute. */
    static boolean absent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    /** An optional string attribute: null when absent, 400 invalidValue when present but not a string. */
    static String optionalText(JsonNode obj, String name) {
        JsonNode n = field(obj, name);
        if (absent(n)) {
            return null;
        }
        if (!n.isTextual()) {
            throw ScimException.invalidValue("attribute '" + name + "' must be a string");
        }
        return n.textValue();
    }

    /** A required, non-blank string attribute. */
    static String requiredText(JsonNode obj, String name) {
        String v = optionalText(obj, name);
        if (v == null || v.isBlank()) {
            throw ScimException.invalidValue("attribute '" + name + "' is required");
        }
        return v;
    }

    /** True when the object's {@code schemas} array names the given schema URN (compared ignoring case). */
    static boolean declaresSchema(JsonNode obj, String urn) {
        JsonNode schemas = field(obj, "schemas");
        if (schemas == null || !schemas.isArray()) {
            return false;
        }
        for (JsonNode s : schemas) {
            if (s.isTextual() && s.textValue().equalsIgnoreCase(urn)) {
                return true;
            }
        }
        return false;
    }

    static void requireSchema(JsonNode obj, String urn) {
        if (!declaresSchema(obj, urn)) {
            throw ScimException.invalidSyntax("'schemas' must contain " + urn);
        }
    }

    /** RFC 3339 in UTC, to the millisecond. */
    static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    static ObjectNode error(int status, String scimType, String detail) {
        ObjectNode e = object();
        e.putArray("schemas").add(ERROR_SCHEMA);
        e.put("status", Integer.toString(status)); // RFC 7644 §3.12: a string, not a number
        if (scimType != null) {
            e.put("scimType", scimType);
        }
        if (detail != null) {
            e.put("detail", detail);
        }
        return e;
    }

    static ObjectNode listResponse(long totalResults, int startIndex, List<? extends JsonNode> resources,
            boolean includeResources) {
        ObjectNode l = object();
        l.putArray("schemas").add(LIST_SCHEMA);
        l.put("totalResults", totalResults);
        l.put("startIndex", startIndex);
        l.put("itemsPerPage", resources.size());
        if (includeResources) {
            l.putArray("Resources").addAll(resources);
        }
        return l;
    }

    static SandboxResponse respond(int status, JsonNode body) {
        try {
            return SandboxResponse.of(status, SandboxResponse.SCIM_JSON, MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a SCIM response", e);
        }
    }

    static SandboxResponse respond(ScimException e) {
        return respond(e.status(), error(e.status(), e.scimType(), e.getMessage()));
    }

    private static String firstLine(IOException e) {
        String m = String.valueOf(e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
