package io.opcamel.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns what Okta and Entra ID really send into the strict RFC 7644 form the 1Password bridge accepts
 * (see reference/scim/idp-request-patterns.md). Inputs are never modified; each method returns a new body.
 *
 * <ul>
 * <li>ops in any case ({@code "Replace"}) become lower case;</li>
 * <li>{@code "True"}/{@code "False"} strings for booleans ({@code active}, {@code primary}) become booleans;</li>
 * <li>a path-less add/replace whose value has path keys ({@code "name.givenName"}, extension URNs) becomes one op
 *     per path; plain keys stay together in one path-less op, as Okta's {@code {"active":false}} is RFC;</li>
 * <li>a remove with a value ({@code path "members", value [{"value":"id"}]}) becomes one
 *     {@code members[value eq "id"]} op per member: never a path-less or value-less members removal, which a
 *     strict server reads as "remove every member";</li>
 * <li>Okta's rename to the same displayName, sent with every membership change, is dropped when the caller
 *     passes the current group;</li>
 * <li>Entra's extra group schema {@value #ENTRA_GROUP_SCHEMA} is removed;</li>
 * <li>a password (Okta's password push) is dropped: 1Password takes none over SCIM (changePassword=false);</li>
 * <li>paths and their value filters are written canonically (core schema URN dropped, values quoted).</li>
 * </ul>
 * Anything that cannot be read unambiguously is a {@link ScimError} 400 naming the operation at fault.
 */
public final class ScimRequestNormaliser {

    public static final String ENTRA_GROUP_SCHEMA = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

    private static final Set<String> OPS = Set.of("add", "replace", "remove");
    private static final Pattern PLAIN_NAME = Pattern.compile("\\$?[A-Za-z][A-Za-z0-9_$-]*");

    /** A User for POST /Users or PUT /Users/{id}. */
    public JsonNode user(JsonNode body) {
        ObjectNode out = requireObject(body, "a User").deepCopy();
        schemas(out, ScimNodes.USER_SCHEMA);
        removeKeys(out, "password");
        return booleans(null, out, true);
    }

    /** A Group for POST /Groups or PUT /Groups/{id}. */
    public JsonNode group(JsonNode body) {
        ObjectNode out = requireObject(body, "a Group").deepCopy();
        schemas(out, ScimNodes.GROUP_SCHEMA);
        ArrayNode schemas = (ArrayNode) out.get("schemas");
        for (Iterator<JsonNode> it = schemas.elements(); it.hasNext();) {
            JsonNode s = it.next();
            if (s.isTextual() && s.textValue().equalsIgnoreCase(ENTRA_GROUP_SCHEMA)) {
                it.remove(); // Entra's own schema: the bridge publishes only the core Group schema
            }
        }
        String members = ScimNodes.key(out, "members");
        if (members != null && !ScimNodes.absent(out.get(members))) {
            out.set(members, members(out.get(members), "members"));
        }
        return out;
    }

    /** A PatchOp for PATCH /Users/{id}. */
    public JsonNode userPatch(JsonNode body) {
        return patch(body, false, null);
    }

    /**
     * A PatchOp for PATCH /Groups/{id}. With the current group (as the bridge returns it; null when the caller did
     * not fetch it) a replace of displayName by the same name is dropped: Okta sends it with every membership
     * change. The result may then have no operations: see {@link #isEmpty(JsonNode)}.
     */
    public JsonNode groupPatch(JsonNode body, JsonNode currentGroup) {
        return patch(body, true, currentGroup);
    }

    /** True when a normalised PatchOp has nothing left to do: answer the IdP without calling the bridge. */
    public static boolean isEmpty(JsonNode patch) {
        JsonNode ops = ScimNodes.field(patch, "Operations");
        return ops == null || ops.isEmpty();
    }

    private ObjectNode patch(JsonNode body, boolean group, JsonNode currentGroup) {
        ObjectNode in = requireObject(body, "a PatchOp");
        schemas(in.deepCopy(), ScimNodes.PATCH_SCHEMA); // checks only: the result names PatchOp alone
        JsonNode ops = ScimNodes.field(in, "Operations");
        if (ops == null || !ops.isArray() || ops.isEmpty()) {
            throw ScimError.invalidSyntax("'Operations' must be a non-empty array of operations");
        }
        ArrayNode out = ScimNodes.array();
        int n = 0;
        for (JsonNode o : ops) {
            new Op(++n, group).normalise(o, out);
        }
        if (group && currentGroup != null) {
            dropSameNameRename(out, ScimNodes.text(currentGroup, "displayName"));
        }
        ObjectNode result = ScimNodes.object();
        result.putArray("schemas").add(ScimNodes.PATCH_SCHEMA);
        result.set("Operations", out);
        return result;
    }

    /** One operation of a PatchOp, numbered from 1 for the error details. */
    private static final class Op {
        private final int n;
        private final boolean group;
        private String op;

        Op(int n, boolean group) {
            this.n = n;
            this.group = group;
        }

        void normalise(JsonNode o, ArrayNode out) {
            if (!o.isObject()) {
                throw ScimError.invalidSyntax(where() + "must be a JSON object, got " + o);
            }
            JsonNode opNode = ScimNodes.field(o, "op");
            op = opNode != null && opNode.isTextual() ? opNode.textValue().trim().toLowerCase(Locale.ROOT) : null;
            if (op == null || !OPS.contains(op)) { // Set.of(...).contains(null) throws: a missing op was a 500
                throw ScimError.invalidSyntax(where() + "'op' must be add, replace or remove, got " + opNode);
            }
            JsonNode pathNode = ScimNodes.field(o, "path");
            JsonNode value = ScimNodes.field(o, "value");
            ScimPath path = null;
            if (!ScimNodes.absent(pathNode)) {
                if (!pathNode.isTextual()) {
                    throw ScimError.invalidPath(where() + "'path' must be a string, got " + pathNode);
                }
                if (!pathNode.textValue().isBlank()) {
                    path = path(pathNode.textValue());
                }
            }
            if (path != null) {
                emit(path, value, out);
                return;
            }
            if (op.equals("remove")) {
                // RFC 7644 §3.5.2.2; a strict server would otherwise be asked to remove the resource's attributes
                throw ScimError.noTarget(where() + "remove needs a path");
            }
            if (ScimNodes.absent(value) || !value.isObject()) {
                throw ScimError.invalidValue(where() + op + " without a path needs an object value whose keys name "
                        + "attributes, got " + value);
            }
            ObjectNode plain = null; // consecutive plain keys stay together, in the order sent
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                String key = e.getKey();
                if (PLAIN_NAME.matcher(key).matches()) {
                    if (key.equalsIgnoreCase("password")) {
                        continue;
                    }
                    if (plain == null) {
                        ObjectNode pathless = out.addObject().put("op", op);
                        plain = pathless.putObject("value");
                    }
                    plain.set(key, attributeValue(key, e.getValue(), true));
                } else {
                    plain = null;
                    emit(path(key), e.getValue(), out);
                }
            }
        }

        private void emit(ScimPath path, JsonNode value, ArrayNode out) {
            if (path.isAttribute("password")) {
                return; // 1Password sets no password over SCIM
            }
            if (op.equals("remove")) {
                remove(path, value, out);
                return;
            }
            if (ScimNodes.absent(value)) {
                throw ScimError.invalidValue(where() + op + " of '" + path + "' needs a value (to clear it, use remove)");
            }
            boolean topLevel = path.urn() == null && path.filter() == null && path.sub() == null;
            ObjectNode o = out.addObject().put("op", op).put("path", path.render());
            o.set("value", attributeValue(path.leaf(), value, topLevel));
        }

        /** A remove; one carrying values (Entra's member removal) becomes one filtered remove per value. */
        private void remove(ScimPath path, JsonNode value, ArrayNode out) {
            boolean values = value != null && (value.isArray() || (value.isObject() && ScimNodes.field(value, "value") != null));
            if (ScimNodes.absent(value) || path.filter() != null || path.sub() != null || !values) {
                if (!ScimNodes.absent(value) && path.is("members")) {
                    throw ScimError.invalidValue(where() + "remove from 'members' must list {\"value\": \"<id>\"} "
                            + "objects, got " + value);
                }
                out.addObject().put("op", "remove").put("path", path.render()); // RFC 7644: a remove has no value
                return;
            }
            Set<String> ids = new LinkedHashSet<>();
            for (JsonNode m : value.isArray() ? value : List.of(value)) {
                ids.add(memberId(m, path.attribute()));
            }
            for (String id : ids) {
                ScimPath one = new ScimPath(path.urn(), path.attribute(),
                        List.of(new ScimFilters.Clause("value", TextNode.valueOf(id))), null);
                out.addObject().put("op", "remove").put("path", one.render());
            }
        }

        private JsonNode attributeValue(String name, JsonNode value, boolean topLevel) {
            if (group && topLevel && name.equalsIgnoreCase("members") && !ScimNodes.absent(value)) {
                return members(value, where() + "'members'");
            }
            try {
                return booleans(name, value, topLevel);
            } catch (ScimError e) {
                throw ScimError.invalidValue(where() + e.detail());
            }
        }

        private ScimPath path(String text) {
            try {
                return ScimPath.parse(text);
            } catch (ScimError e) {
                throw ScimError.invalidPath(where() + e.detail());
            }
        }

        private String memberId(JsonNode m, String attribute) {
            String id = ScimNodes.text(m, "value");
            if (id == null || id.isBlank()) {
                throw ScimError.invalidValue(where() + "remove from '" + attribute + "' must list {\"value\": \"<id>\"} "
                        + "objects, got " + m);
            }
            return id.trim();
        }

        private String where() {
            return "operation " + n + ": ";
        }
    }

    /** Members as the bridge reads them: objects with a value; RFC 7643 §2.5 null members ("$ref": null) dropped. */
    private static ArrayNode members(JsonNode value, String what) {
        if (!value.isArray()) {
            throw ScimError.invalidValue(what + " must be an array of {\"value\": \"<id>\"}, got " + value);
        }
        ArrayNode out = ScimNodes.array();
        for (JsonNode m : value) {
            String id = ScimNodes.text(m, "value");
            if (id == null || id.isBlank()) {
                throw ScimError.invalidValue(what + ": each member must be an object with a 'value' (the id), got " + m);
            }
            ObjectNode clean = ScimNodes.object();
            for (Map.Entry<String, JsonNode> e : m.properties()) {
                if (!e.getValue().isNull()) {
                    clean.set(e.getKey(), e.getValue());
                }
            }
            out.add(clean);
        }
        return out;
    }

    /**
     * Converts "True"/"False" strings of boolean attributes: {@code active} at the resource's top level and
     * {@code primary} of multi-valued attributes. Other attributes are left exactly as sent.
     */
    private static JsonNode booleans(String name, JsonNode value, boolean topLevel) {
        if (name != null && (name.equalsIgnoreCase("primary") || (topLevel && name.equalsIgnoreCase("active")))) {
            return bool(value, name);
        }
        if (value instanceof ArrayNode a) {
            ArrayNode out = ScimNodes.array();
            for (JsonNode e : a) {
                out.add(booleans(null, e, false));
            }
            return out;
        }
        if (value instanceof ObjectNode o) {
            ObjectNode out = ScimNodes.object();
            boolean resource = name == null && topLevel; // the keys of a resource (or path-less value) are top level
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                out.set(e.getKey(), booleans(e.getKey(), e.getValue(), resource));
            }
            return out;
        }
        return value;
    }

    private static JsonNode bool(JsonNode v, String name) {
        if (v.isBoolean() || v.isNull()) {
            return v;
        }
        if (v.isTextual()) {
            String t = v.textValue().trim();
            if (t.equalsIgnoreCase("true")) {
                return BooleanNode.TRUE;
            }
            if (t.equalsIgnoreCase("false")) {
                return BooleanNode.FALSE; // Entra's default dialect sends "False"
            }
        }
        throw ScimError.invalidValue("'" + name + "' must be a boolean, got " + v);
    }

    private static void dropSameNameRename(ArrayNode ops, String current) {
        if (current == null) {
            return;
        }
        for (Iterator<JsonNode> it = ops.elements(); it.hasNext();) {
            JsonNode o = it.next();
            if (o.get("op").textValue().equals("remove")) {
                continue;
            }
            JsonNode path = o.get("path");
            JsonNode value = o.get("value");
            if (path != null) {
                if (ScimPath.parse(path.textValue()).is("displayName") && current.equals(value.asText(null))) {
                    it.remove();
                }
                continue;
            }
            String key = ScimNodes.key(value, "displayName");
            if (key != null && current.equals(value.get(key).asText(null))) {
                ((ObjectNode) value).remove(key);
                List<String> left = new ArrayList<>();
                value.fieldNames().forEachRemaining(left::add);
                // Okta's rename also carries the group's own id: alone it changes nothing
                if (left.stream().allMatch(k -> k.equalsIgnoreCase("id") || k.equalsIgnoreCase("schemas"))) {
                    it.remove();
                }
            }
        }
    }

    private static ObjectNode requireObject(JsonNode body, String what) {
        if (!(body instanceof ObjectNode o)) {
            throw ScimError.invalidSyntax("the request body must be a JSON object (" + what + "), got "
                    + (body == null || body.isMissingNode() ? "nothing" : body.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        return o;
    }

    /** schemas must name the expected core schema; an IdP that sent none gets it added (the intent is plain). */
    private static void schemas(ObjectNode o, String urn) {
        String key = ScimNodes.key(o, "schemas");
        JsonNode schemas = key == null ? null : o.get(key);
        if (ScimNodes.absent(schemas)) {
            if (key != null) {
                o.remove(key);
            }
            o.putArray("schemas").add(urn);
            return;
        }
        if (!schemas.isArray()) {
            throw ScimError.invalidSyntax("'schemas' must be an array of schema URNs, got " + schemas);
        }
        if (!ScimNodes.declaresSchema(o, urn)) {
            throw ScimError.invalidSyntax("'schemas' must contain " + urn + ", got " + schemas);
        }
        if (!key.equals("schemas")) {
            o.remove(key);
            o.set("schemas", schemas);
        }
    }

    private static void removeKeys(ObjectNode o, String name) {
        String key;
        while ((key = ScimNodes.key(o, name)) != null) {
            o.remove(key);
        }
    }
}
