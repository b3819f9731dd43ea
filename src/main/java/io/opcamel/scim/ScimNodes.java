package io.opcamel.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** The small JSON vocabulary the normaliser and the guardrails share. */
public final class ScimNodes {

    static final String PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private ScimNodes() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** A member by name ignoring case (RFC 7643 §2.1: attribute names are case-insensitive); null when absent. */
    public static JsonNode field(JsonNode obj, String name) {
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

    /** The key as the object spells it, or null. */
    static String key(JsonNode obj, String name) {
        if (obj == null || !obj.isObject()) {
            return null;
        }
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Absent and JSON null alike: RFC 7643 §2.5 treats null as unassigned. */
    static boolean absent(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode();
    }

    /** A string member, or null when absent or not a string. */
    static String text(JsonNode obj, String name) {
        JsonNode n = field(obj, name);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

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
}
