package io.opcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** A Group resource on the wire. Responses never carry {@code members}: the real bridge omits them. */
final class ScimGroupJson {

    private ScimGroupJson() {
    }

    static ObjectNode render(ScimGroup g) {
        ObjectNode o = ScimJson.object();
        o.putArray("schemas").add(ScimJson.GROUP_SCHEMA);
        o.put("id", g.id());
        o.put("displayName", g.displayName());
        if (g.externalId() != null) {
            o.put("externalId", g.externalId());
        }
        ObjectNode meta = o.putObject("meta");
        meta.put("resourceType", "Group");
        meta.put("created", ScimJson.time(g.created()));
        meta.put("lastModified", ScimJson.time(g.lastModified()));
        return o;
    }

    /**
     * Assigns a full representation (POST, or PUT onto an existing group). On PUT, absent externalId and members
     * are "not asserted" and kept: a client that read the group back never saw its members (the bridge does not
     * return them), so treating their absence as "no members" would wipe the group on every rename.
     */
    static void assign(ScimGroup g, ObjectNode body, boolean create) {
        ScimJson.requireSchema(body, ScimJson.GROUP_SCHEMA); // Entra's extra ADSCIM schema may come along: fine
        g.displayName = ScimJson.requiredText(body, "displayName").trim();
        String externalId = ScimJson.optionalText(body, "externalId");
        if (externalId != null || create) {
            g.externalId = externalId;
        }
        JsonNode members = ScimJson.field(body, "members");
        if (!ScimJson.absent(members)) {
            g.members = new LinkedHashSet<>(memberIds(members));
        }
    }

    /**
     * The user ids of a members value: an array of {value, display?, $ref?, type?}. Okta omits type; when sent it
     * must be User, since 1Password groups do not nest.
     */
    static List<String> memberIds(JsonNode members) {
        if (members == null || !members.isArray()) {
            throw ScimException.invalidValue("members must be an array of {\"value\": \"<user id>\"}");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode m : members) {
            if (!m.isObject()) {
                throw ScimException.invalidValue("each member must be an object with a 'value'");
            }
            String value = ScimJson.optionalText(m, "value");
            if (value == null || value.isBlank()) {
                throw ScimException.invalidValue("each member needs a 'value' (the user id)");
            }
            String type = ScimJson.optionalText(m, "type");
            if (type != null && !type.equalsIgnoreCase("User")) {
                throw ScimException.invalidValue("member type '" + type + "' is not supported; groups do not nest");
            }
            ids.add(value.trim());
        }
        return ids;
    }
}
