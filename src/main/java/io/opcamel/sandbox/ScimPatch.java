package io.opcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An RFC 7644 §3.5.2 PatchOp message, checked strictly. Strictness is deliberate: in production an IdP gateway
 * sits in front of the bridge and normalises Entra's non-RFC dialect (capitalised {@code "Replace"}, string
 * {@code "False"}, member remove with a value). The simulator must therefore reject those shapes, so a test that
 * forgets to normalise fails here instead of passing against a forgiving double.
 */
final class ScimPatch {

    /** One operation: op is add, replace or remove; path null when the value object names the attributes. */
    record Op(String op, Path path, JsonNode value) {

        boolean hasValue() {
            return !ScimJson.absent(value);
        }
    }

    /**
     * A parsed attribute path {@code attr[valueFilter].sub}: attr and sub as sent (compare ignoring case),
     * filter the text inside the brackets or null.
     */
    record Path(String text, String attribute, String filter, String sub) {

        boolean is(String attr) {
            return filter == null && sub == null && attribute.equalsIgnoreCase(attr);
        }

        boolean is(String attr, String subAttr) {
            return filter == null && sub != null && attribute.equalsIgnoreCase(attr) && sub.equalsIgnoreCase(subAttr);
        }
    }

    private static final Set<String> OPS = Set.of("add", "replace", "remove");
    private static final String CORE_URN_PREFIX = "urn:ietf:params:scim:schemas:core:2.0:";

    private ScimPatch() {
    }

    static List<Op> parse(ObjectNode body) {
        ScimJson.requireSchema(body, ScimJson.PATCH_SCHEMA);
        JsonNode ops = ScimJson.field(body, "Operations");
        if (ops == null || !ops.isArray() || ops.isEmpty()) {
            throw ScimException.invalidSyntax("'Operations' must be a non-empty array");
        }
        List<Op> out = new ArrayList<>();
        for (JsonNode o : ops) {
            if (!o.isObject()) {
                throw ScimException.invalidSyntax("each operation must be a JSON object");
            }
            out.add(op(o));
        }
        return out;
    }

    private static Op op(JsonNode o) {
        JsonNode opNode = ScimJson.field(o, "op");
        String op = opNode != null && opNode.isTextual() ? opNode.textValue() : null;
        if (op == null || !OPS.contains(op)) {
            if (op != null && OPS.contains(op.toLowerCase(Locale.ROOT))) {
                // Entra's default dialect capitalises ops; the gateway lower-cases them before they reach us
                throw ScimException.invalidSyntax("op '" + op + "' must be lower-case (add, replace or remove)");
            }
            throw ScimException.invalidSyntax("op must be one of add, replace, remove; got " + opNode);
        }
        JsonNode pathNode = ScimJson.field(o, "path");
        Path path = null;
        if (!ScimJson.absent(pathNode)) {
            if (!pathNode.isTextual() || pathNode.textValue().isBlank()) {
                throw ScimException.invalidPath("path must be a non-empty string");
            }
            path = parsePath(pathNode.textValue().trim());
        }
        JsonNode value = ScimJson.field(o, "value");
        if (op.equals("remove") && path == null) {
            throw ScimException.badRequest("noTarget", "remove needs a path (RFC 7644 §3.5.2.2)");
        }
        if (!op.equals("remove") && ScimJson.absent(value)) {
            throw ScimException.invalidValue(op + " needs a value");
        }
        return new Op(op, path, value);
    }

    /** Splits {@code attr[filter].sub}; the core schema URN prefix may precede the attribute. */
    static Path parsePath(String text) {
        String p = text;
        if (p.regionMatches(true, 0, CORE_URN_PREFIX, 0, CORE_URN_PREFIX.length())) {
            int colon = p.indexOf(':', CORE_URN_PREFIX.length());
            p = colon < 0 ? p : p.substring(colon + 1); // urn:...:core:2.0:User:name.givenName is name.givenName
        }
        String attr;
        String filter = null;
        String rest;
        int bracket = p.indexOf('[');
        if (bracket >= 0) {
            attr = p.substring(0, bracket);
            int close = closingBracket(p, bracket);
            filter = p.substring(bracket + 1, close).trim();
            rest = p.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(".")) {
                throw ScimException.invalidPath("unexpected text after ']' in path '" + text + "'");
            }
            rest = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int dot = p.indexOf('.');
            attr = dot < 0 ? p : p.substring(0, dot);
            rest = dot < 0 ? null : p.substring(dot + 1);
        }
        if (!attr.matches("[A-Za-z][A-Za-z0-9_$-]*") || (rest != null && !rest.matches("[A-Za-z][A-Za-z0-9_$-]*"))) {
            throw ScimException.invalidPath("path '" + text + "' is not a valid attribute path");
        }
        return new Path(text, attr, filter, rest);
    }

    private static int closingBracket(String p, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < p.length(); i++) {
            char c = p.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ']' && !quoted) {
                return i;
            }
        }
        throw ScimException.invalidPath("unclosed '[' in path '" + p + "'");
    }
}
