package io.opcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** A User resource on the wire: the full representation POST and PUT carry in, and what the bridge sends out. */
final class ScimUserJson {

    private ScimUserJson() {
    }

    /**
     * The resource in the shape the real bridge returns it (see the bridge facts: no emails type, no location);
     * without {@code groupDisplay} (a fault switch), each of {@code groups} carries only its {@code value}.
     */
    static ObjectNode render(ScimUser u, boolean groupDisplay) {
        ObjectNode o = ScimJson.object();
        o.putArray("schemas").add(ScimJson.USER_SCHEMA);
        o.put("id", u.id());
        o.put("userName", u.userName());
        o.put("displayName", u.displayName());
        ObjectNode name = o.putObject("name");
        name.put("formatted", u.formatted());
        name.put("givenName", u.givenName());
        name.put("familyName", u.familyName());
        ArrayNode emails = o.putArray("emails");
        for (ScimEmail e : u.emails()) {
            emails.addObject().put("value", e.value()).put("primary", e.primary());
        }
        o.put("active", u.active());
        o.put("preferredLanguage", u.preferredLanguage());
        if (u.externalId() != null) {
            o.put("externalId", u.externalId());
        }
        if (!u.groups().isEmpty()) {
            ArrayNode groups = o.putArray("groups");
            for (ScimGroupRef g : u.groups()) {
                ObjectNode ref = groups.addObject().put("value", g.id());
                if (groupDisplay) {
                    ref.put("display", g.displayName());
                }
            }
        }
        ObjectNode meta = o.putObject("meta");
        meta.put("resourceType", "User");
        meta.put("created", ScimJson.time(u.created()));
        meta.put("lastModified", ScimJson.time(u.lastModified()));
        return o;
    }

    /**
     * Assigns a full representation (POST, or PUT onto an existing user). Attributes the client may leave out are
     * "not asserted" (RFC 7644 §3.5.1): displayName, name.formatted and emails fall back to being derived;
     * externalId, preferredLanguage and active keep their current value on PUT. Unknown attributes (password,
     * roles, extension schemas) are ignored, as RFC 7643 lets a service provider do.
     */
    static void assign(ScimUser u, ObjectNode body, ScimUserRules rules, boolean create) {
        ScimJson.requireSchema(body, ScimJson.USER_SCHEMA);
        String userName = ScimJson.optionalText(body, "userName");
        if (userName == null || userName.isBlank()) {
            throw ScimException.invalidValue("attribute 'userName' is required");
        }
        u.userName = rules.userName(userName.trim());
        JsonNode name = ScimJson.field(body, "name");
        if (name != null && !name.isNull() && !name.isObject()) {
            throw ScimException.invalidValue("attribute 'name' must be an object");
        }
        u.givenName = requiredName(name, "givenName");
        u.familyName = requiredName(name, "familyName");
        u.formatted = blankToNull(ScimJson.optionalText(name, "formatted"));
        u.displayName = blankToNull(ScimJson.optionalText(body, "displayName"));
        u.emails = emails(ScimJson.field(body, "emails"), rules);
        String externalId = ScimJson.optionalText(body, "externalId");
        if (externalId != null || create) {
            u.externalId = externalId;
        }
        String lang = ScimJson.optionalText(body, "preferredLanguage");
        if (lang != null && !lang.isBlank()) {
            u.preferredLanguage = lang;
        }
        JsonNode active = ScimJson.field(body, "active");
        if (!ScimJson.absent(active)) {
            u.setActive(bool(active, "active"));
        }
    }

    /** A JSON boolean; Entra's string "False" is the gateway's to convert, so it is a 400 here. */
    static boolean bool(JsonNode v, String attribute) {
        if (v == null || !v.isBoolean()) {
            throw ScimException.invalidValue(attribute + " must be a JSON boolean, got " + v);
        }
        return v.booleanValue();
    }

    /**
     * The emails array: each {value, primary?, type?}; at most one primary, the first becomes primary when none is
     * marked. Null (derive from userName) when absent or empty.
     */
    static List<ScimEmail> emails(JsonNode node, ScimUserRules rules) {
        if (ScimJson.absent(node)) {
            return null;
        }
        if (!node.isArray()) {
            throw ScimException.invalidValue("attribute 'emails' must be an array");
        }
        List<String> values = new ArrayList<>();
        int primary = -1;
        for (JsonNode e : node) {
            if (!e.isObject()) {
                throw ScimException.invalidValue("each of 'emails' must be an object");
            }
            String value = ScimJson.optionalText(e, "value");
            values.add(rules.email(value == null ? null : value.trim(), "emails.value"));
            JsonNode p = ScimJson.field(e, "primary");
            if (!ScimJson.absent(p) && bool(p, "emails.primary")) {
                if (primary >= 0) {
                    throw ScimException.invalidValue("only one of 'emails' may be primary");
                }
                primary = values.size() - 1;
            }
        }
        return withPrimary(values, Math.max(0, primary));
    }

    static List<ScimEmail> withPrimary(List<String> values, int primary) {
        if (values.isEmpty()) {
            return null;
        }
        List<ScimEmail> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            out.add(new ScimEmail(values.get(i), i == primary));
        }
        return List.copyOf(out);
    }

    private static String requiredName(JsonNode name, String part) {
        String v = ScimJson.optionalText(name, part);
        if (v == null || v.isBlank()) {
            throw ScimException.invalidValue("attribute 'name." + part + "' is required");
        }
        return v;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
