package io.opcamel.normalise.ocsf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.GoldenJson;
import io.opcamel.normalise.Mapped;
import io.opcamel.normalise.ocsf.OcsfRoutes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every audit action 1Password documents, with every object type it documents (enums.json) and with an unknown one,
 * lands in a class of the routing table or in the documented fallback (Entity Management, 99), as a valid document.
 */
class OcsfAuditRoutesTest {

    static final Path ENUMS = Path.of("src/test/resources/sandbox/events/enums.json");
    static final Path ROUTES = Path.of("src/main/resources/normalise/ocsf-routes.json");
    static final Instant RECEIVED = Instant.parse("2026-12-07T12:00:00Z");

    private final JsonNode enums = GoldenJson.JSON.readTree(ENUMS.toFile());
    private final JsonNode table = GoldenJson.JSON.readTree(ROUTES.toFile()).path("auditevents");
    private final OcsfValidator validator = new OcsfValidator();

    OcsfAuditRoutesTest() throws IOException {
    }

    @Test
    void theTableKnowsEveryDocumentedObjectTypeAndAction() {
        Set<String> types = new TreeSet<>();
        enums.path("auditevents.object_type").forEach(t -> types.add(t.asText()));
        assertEquals(30, types.size());
        assertEquals(types, new TreeSet<>(OcsfRoutes.standard().auditObjectTypes()), "object_types of " + ROUTES);
        Set<String> actions = new TreeSet<>();
        enums.path("auditevents.action").forEach(a -> actions.add(a.asText()));
        assertEquals(actions, new TreeSet<>(OcsfRoutes.standard().auditActions()), "actions of " + ROUTES);
    }

    @Test
    void everyDocumentedActionWithEveryObjectTypeLandsInItsClass() {
        Map<String, Set<Integer>> reached = new java.util.TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (String version : List.of("1.8.0", "1.1.0")) {
            OcsfSchema schema = new OcsfSchema(version, false);
            for (JsonNode type : enums.path("auditevents.object_type")) {
                JsonNode route = table.path("object_types").path(type.asText());
                for (JsonNode action : enums.path("auditevents.action")) {
                    Mapped mapped = schema.map(item(type.asText(), action.asText()), "demo", "auditevents", RECEIVED);
                    ObjectNode doc = mapped.document();
                    String what = version + " " + type.asText() + "/" + action.asText();
                    List<String> errors = validator.validate(doc);
                    if (!errors.isEmpty()) {
                        failures.add(what + ": " + errors);
                    }
                    if (mapped.problem() != null) {
                        failures.add(what + ": problem " + mapped.problem());
                    }
                    if (doc.path("class_uid").asInt() != route.path("class_uid").asInt()) {
                        failures.add(what + ": class " + doc.path("class_uid") + ", the table says " + route.path("class_uid"));
                    }
                    int activity = doc.path("activity_id").asInt();
                    JsonNode listed = route.path("actions").path(action.asText());
                    if (version.equals("1.8.0") && listed.isInt() && activity != listed.asInt()) {
                        failures.add(what + ": activity " + activity + ", the table says " + listed);
                    }
                    if (activity == OcsfRoutes.OTHER && !listed.isInt() && !route.path("verbs").asBoolean()
                            && !action.asText().equals(doc.path("activity_name").asText())) {
                        failures.add(what + ": Other without the raw action as activity_name");
                    }
                    // the IAM classes define src_endpoint from 1.2 on, Web Resources Activity always did
                    if (doc.has("src_endpoint") != (version.equals("1.8.0") || doc.path("category_uid").asInt() != 3)) {
                        failures.add(what + ": src_endpoint " + (doc.has("src_endpoint") ? "written" : "missing"));
                    }
                    if (version.equals("1.8.0")) {
                        reached.computeIfAbsent(type.asText(), t -> new TreeSet<>()).add(activity);
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
        // every activity the table names is reached by some documented action
        table.path("object_types").fields().forEachRemaining(t -> t.getValue().path("actions").forEach(a ->
                assertTrue(reached.get(t.getKey()).contains(a.asInt()), t.getKey() + " never reaches activity " + a)));
        Set<Integer> classes = new TreeSet<>();
        table.path("object_types").forEach(r -> classes.add(r.path("class_uid").asInt()));
        assertEquals(Set.of(3001, 3004, 3005, 3006, 6001), classes);
    }

    @Test
    void theVerbRulePlacesTheEntityTypes() {
        OcsfSchema schema = new OcsfSchema("1.8.0", false);
        Map<String, Integer> expected = Map.ofEntries(Map.entry("create", 1), Map.entry("provsn", 1), Map.entry("addgsso", 1),
                Map.entry("view", 2), Map.entry("update", 3), Map.entry("updatfw", 3), Map.entry("changenm", 3),
                Map.entry("chngpsso", 3), Map.entry("patch", 3), Map.entry("replace", 3), Map.entry("convert", 3),
                Map.entry("trename", 3), Map.entry("propose", 3), Map.entry("delete", 4), Map.entry("purge", 4),
                Map.entry("delgsso", 4), Map.entry("delshare", 4), Map.entry("enblsso", 8), Map.entry("activate", 8),
                Map.entry("reactive", 8), Map.entry("disblsso", 9), Map.entry("expire", 9), Map.entry("trevoke", 9),
                Map.entry("suspend", 12), Map.entry("trvlaway", 99), Map.entry("join", 99), Map.entry("verify", 99));
        expected.forEach((action, activity) -> {
            ObjectNode doc = schema.map(item("vault", action), "demo", "auditevents", RECEIVED).document();
            assertEquals(3004, doc.path("class_uid").asInt(), action);
            assertEquals(activity, doc.path("activity_id").asInt(), action);
            assertEquals("vault", doc.path("entity").path("type").asText(), action);
        });
    }

    @Test
    void unknownObjectTypesAndDottedActionsFallBackToEntityManagement() {
        OcsfSchema schema = new OcsfSchema("1.8.0", false);
        for (JsonNode action : enums.path("auditevents.action")) {
            Mapped mapped = schema.map(item("passkey", action.asText()), "demo", "auditevents", RECEIVED);
            assertEquals("3004", mapped.eventClass(), action.asText());
            assertEquals("unknown-object-type", mapped.problem(), action.asText());
            assertEquals(List.of(), validator.validate(mapped.document()), action.asText());
            assertEquals("passkey", mapped.document().path("entity").path("type").asText());
            assertEquals(99, mapped.document().path("entity").path("type_id").asInt());
        }
        Map<String, Integer> dotted = Map.of("service-account.token.create", 1, "user.mfa.disable", 99,
                "vault.item.delete", 4, "group.membership.update", 3, "account.sso.enblsso", 8);
        dotted.forEach((action, activity) -> {
            Mapped mapped = schema.map(item("user", action), "demo", "auditevents", RECEIVED);
            assertEquals("3004", mapped.eventClass(), action);
            assertEquals(activity, mapped.document().path("activity_id").asInt(), action);
            assertEquals(activity == 99 ? "unknown-audit-action" : null, mapped.problem(), action);
            assertEquals(action.substring(0, action.lastIndexOf('.')), mapped.document().path("entity").path("type").asText());
            assertEquals("user", mapped.document().path("unmapped").path("object_type").asText(), "object_type kept");
            assertEquals(List.of(), validator.validate(mapped.document()), action);
        });
        Mapped unknown = schema.map(item("user", "teleport"), "demo", "auditevents", RECEIVED);
        assertEquals(99, unknown.document().path("activity_id").asInt());
        assertEquals("teleport", unknown.document().path("activity_name").asText());
        assertEquals("unknown-audit-action", unknown.problem());
        assertNull(schema.map(item("user", "suspend"), "demo", "auditevents", RECEIVED).problem());
    }

    /** An audit item with every field an object type's class may read: actor, object, aux, session, location. */
    static ObjectNode item(String objectType, String action) {
        ObjectNode item = GoldenJson.JSON.createObjectNode();
        item.put("uuid", "56YE2TYN2VFYRLNSHKPW5NVT5E");
        item.put("timestamp", "2023-03-15T16:33:50.123456789-03:00");
        item.put("actor_uuid", "4HCGRGYCTRQFBMGVEGTABYDU2V");
        item.putObject("actor_details").put("uuid", "4HCGRGYCTRQFBMGVEGTABYDU2V").put("name", "Jeff Shiner")
                .put("email", "jeff_shiner@agilebits.com");
        item.put("action", action);
        item.put("object_type", objectType);
        item.put("object_uuid", "pf8soyakgngrphytsyjed4ae3u");
        item.putObject("object_details").put("uuid", "pf8soyakgngrphytsyjed4ae3u").put("name", "Object Name");
        item.put("aux_id", 9277034);
        item.put("aux_uuid", "K6VFYDCJKHGGDI7QFAXX65LCDY");
        item.putObject("aux_details").put("uuid", "K6VFYDCJKHGGDI7QFAXX65LCDY").put("name", "Wendy Appleseed")
                .put("email", "wendy_appleseed@agilebits.com");
        item.put("aux_info", "A");
        item.putObject("session").put("uuid", "A5K6COGVRVEJXJW3XQZGS7VAMM").put("login_time", "2023-03-15T16:33:50-03:00")
                .put("device_uuid", "lc5fqgbrcm4plajd8mwncv2b3u").put("ip", "192.0.2.254");
        item.putObject("location").put("country", "Canada").put("region", "Ontario").put("city", "Toronto")
                .put("latitude", 43.5991).put("longitude", -79.4988);
        return item;
    }
}
