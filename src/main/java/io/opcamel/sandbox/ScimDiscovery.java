package io.opcamel.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The bridge's self-description (ServiceProviderConfig, ResourceTypes, Schemas) and its /health report, with the
 * quirks recorded from a real v2.9 bridge reproduced on purpose: ResourceTypes lists with startIndex 0 and names
 * the User endpoint "/scim/v2/User" (singular); /Schemas publishes only the core User and Group schemas and leaves
 * out {@code active} and {@code displayName} although resources carry them.
 */
final class ScimDiscovery {

    static final String SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
    static final String RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    static final String SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";
    static final List<String> HEALTH_SOURCES =
            List.of("ConfirmationWatcher", "RedisCache", "SCIMServer", "StartProvisionWatcher");
    private static final Duration HEALTH_TTL = Duration.ofMinutes(10);
    private static final Duration STALE_AGE = Duration.ofMinutes(15);

    private ScimDiscovery() {
    }

    static ObjectNode serviceProviderConfig() {
        ObjectNode o = ScimJson.object();
        o.putArray("schemas").add(SPC_SCHEMA);
        o.put("documentationUri", "");
        o.putObject("patch").put("supported", true);
        o.putObject("bulk").put("supported", false).put("maxOperations", 0).put("maxPayloadSize", 0);
        o.putObject("filter").put("supported", true).put("maxResults", ScimPage.MAX_RESULTS);
        o.putObject("changePassword").put("supported", false);
        o.putObject("sort").put("supported", false);
        o.putObject("etag").put("supported", false);
        o.putArray("authenticationSchemes").addObject()
                .put("type", "oauthbearertoken")
                .put("name", "OAuth Bearer Token")
                .put("description", "Authentication scheme using the OAuth Bearer Token Standard")
                .put("specUri", "https://www.rfc-editor.org/info/rfc6750")
                .put("documentationUri", "");
        o.putObject("meta").put("resourceType", "ServiceProviderConfig")
                .put("location", "/scim/v2/ServiceProviderConfig");
        return o;
    }

    /** The ResourceTypes list; startIndex 0 is the real bridge's, not RFC 7644's 1. */
    static ObjectNode resourceTypes() {
        List<ObjectNode> types = List.of(resourceType("User"), resourceType("Group"));
        return ScimJson.listResponse(types.size(), 0, types, true);
    }

    /** One resource type, or null for an unknown name. */
    static ObjectNode resourceType(String name) {
        ObjectNode o = ScimJson.object();
        o.putArray("schemas").add(RESOURCE_TYPE_SCHEMA);
        switch (name) {
            case "User" -> o.put("id", "User").put("name", "User")
                    .put("endpoint", "/scim/v2/User") // singular, as the real bridge publishes it
                    .put("description", "User Account").put("schema", ScimJson.USER_SCHEMA);
            case "Group" -> o.put("id", "Group").put("name", "Group")
                    .put("endpoint", "/scim/v2/Groups")
                    .put("description", "Group").put("schema", ScimJson.GROUP_SCHEMA);
            default -> {
                return null;
            }
        }
        o.putObject("meta").put("resourceType", "ResourceType").put("location", "/scim/v2/ResourceTypes/" + name);
        return o;
    }

    static ObjectNode schemas() {
        List<ObjectNode> all = List.of(userSchema(), groupSchema());
        return ScimJson.listResponse(all.size(), 1, all, true);
    }

    /** One schema by its URN, or null. */
    static ObjectNode schema(String urn) {
        if (urn.equals(ScimJson.USER_SCHEMA)) {
            return userSchema();
        }
        if (urn.equals(ScimJson.GROUP_SCHEMA)) {
            return groupSchema();
        }
        return null;
    }

    /**
     * The report as the bridge's docker/README.md shows it: one entry per component, each stamped when it last
     * reported and valid for ten minutes after. A stale component is one whose last (healthy) report is fifteen
     * minutes old, so it expired before retrievedAt. The status of an unhealthy answer is not documented: it stays
     * 200, the report saying what is wrong.
     */
    static ObjectNode health(String build, String version, Instant now, Faults faults) {
        ObjectNode o = ScimJson.object();
        o.put("build", build);
        o.put("version", version);
        ArrayNode reports = o.putArray("reports");
        for (String source : HEALTH_SOURCES) {
            Instant time = faults.getStaleComponents().contains(source) ? now.minus(STALE_AGE) : now;
            reports.addObject().put("source", source).put("time", ScimJson.time(time))
                    .put("expires", ScimJson.time(time.plus(HEALTH_TTL)))
                    .put("state", faults.getUnhealthyComponents().getOrDefault(source, "healthy"));
        }
        o.put("retrievedAt", ScimJson.time(now));
        return o;
    }

    // --- the published schemas: only what the real bridge lists (no active, no displayName on User) ---

    private static ObjectNode userSchema() {
        ObjectNode s = schema(ScimJson.USER_SCHEMA, "User", "User Account");
        ArrayNode a = s.putArray("attributes");
        a.add(attr("userName", "string", false, true, false, "readWrite", "always", "server")
                .put("description", "Unique identifier for the User, the email address they sign in with."));
        ObjectNode name = attr("name", "complex", false, true, false, "readWrite", "default", "none")
                .put("description", "The components of the user's name.");
        name.putArray("subAttributes")
                .add(attr("givenName", "string", false, true, false, "readWrite", "default", "none"))
                .add(attr("familyName", "string", false, true, false, "readWrite", "default", "none"))
                .add(attr("formatted", "string", false, false, false, "readWrite", "default", "none"));
        a.add(name);
        ObjectNode emails = attr("emails", "complex", true, false, false, "readWrite", "default", "none")
                .put("description", "Email addresses for the user.");
        ObjectNode type = attr("type", "string", false, false, false, "readWrite", "default", "none");
        type.putArray("canonicalValues").add("work").add("home").add("other");
        emails.putArray("subAttributes")
                .add(attr("primary", "boolean", false, false, false, "readWrite", "default", "none"))
                .add(type)
                .add(attr("value", "string", false, false, false, "readWrite", "default", "none"));
        a.add(emails);
        a.add(attr("externalId", "string", false, false, true, "readWrite", "default", "none"));
        a.add(attr("preferredLanguage", "string", false, false, false, "readWrite", "default", "none"));
        ObjectNode groups = attr("groups", "complex", true, false, false, "readOnly", "default", "none")
                .put("description", "The groups the user belongs to.");
        ObjectNode ref = attr("$ref", "reference", false, false, false, "readOnly", "default", "none");
        ref.putArray("referenceTypes").add("Group");
        groups.putArray("subAttributes")
                .add(ref)
                .add(attr("value", "string", false, false, false, "readOnly", "default", "none"))
                .add(attr("display", "string", false, false, false, "readOnly", "default", "none"));
        a.add(groups);
        return s;
    }

    private static ObjectNode groupSchema() {
        ObjectNode s = schema(ScimJson.GROUP_SCHEMA, "Group", "Group");
        ArrayNode a = s.putArray("attributes");
        a.add(attr("displayName", "string", false, true, false, "readWrite", "default", "server"));
        ObjectNode members = attr("members", "complex", true, false, false, "readWrite", "default", "none");
        ObjectNode ref = attr("$ref", "reference", false, false, false, "immutable", "default", "none");
        ref.putArray("referenceTypes").add("User");
        ObjectNode type = attr("type", "string", false, false, false, "immutable", "default", "none");
        type.putArray("canonicalValues").add("User");
        members.putArray("subAttributes")
                .add(attr("value", "string", false, false, false, "immutable", "default", "none"))
                .add(ref)
                .add(type);
        a.add(members);
        a.add(attr("externalId", "string", false, false, true, "readWrite", "default", "none"));
        return s;
    }

    private static ObjectNode schema(String id, String name, String description) {
        ObjectNode s = ScimJson.object();
        s.putArray("schemas").add(SCHEMA_SCHEMA);
        s.put("id", id).put("name", name).put("description", description);
        s.putObject("meta").put("resourceType", "Schema").put("location", "/scim/v2/Schemas/" + id);
        return s;
    }

    private static ObjectNode attr(String name, String type, boolean multiValued, boolean required,
            boolean caseExact, String mutability, String returned, String uniqueness) {
        return ScimJson.object().put("name", name).put("type", type).put("multiValued", multiValued)
                .put("required", required).put("caseExact", caseExact).put("mutability", mutability)
                .put("returned", returned).put("uniqueness", uniqueness);
    }
}
