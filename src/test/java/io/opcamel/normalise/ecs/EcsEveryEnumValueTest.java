package io.opcamel.normalise.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.GoldenJson;
import io.opcamel.normalise.Mapped;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every documented enum value (the sandbox's copy of the reference's enums.json) in a synthetic item of its feed: it
 * maps cleanly, to valid ECS, with Elastic's action, outcome and categories, and for audit events the related users
 * and targets its object type calls for. Hand-checked documents for representative values are the golden folders.
 */
class EcsEveryEnumValueTest {

    private static final Path ENUMS = Path.of("src/test/resources/sandbox/events/enums.json");
    private static final Instant READ = Instant.parse("2026-12-07T12:00:00Z");
    private static final EcsSchema ECS = new EcsSchema("8.11.0", false);

    private static JsonNode enums;
    private static EcsFieldTypes types;

    @BeforeAll
    static void load() throws IOException {
        enums = GoldenJson.JSON.readTree(ENUMS.toFile());
        types = EcsFieldTypes.load();
    }

    @Test
    void everySignInCategoryAndType() throws IOException {
        for (JsonNode category : enums.get("signinattempts.category")) {
            for (JsonNode type : enums.get("signinattempts.type")) {
                ObjectNode item = item("""
                        {"uuid": "HGIF4OEWXDTVWKEQDIWTKV26HU", "timestamp": "2021-08-11T14:28:03Z",
                         "target_user": {"uuid": "OJQGU46KAPROEJLCK674RHSAY5", "name": "Name", "email": "e@x.com"},
                         "client": {"ip_address": "1.1.1.1"}}""");
                item.set("category", category);
                item.set("type", type);
                JsonNode doc = clean(item, "signinattempts");
                String what = category + "/" + type;
                assertEquals(category.asText(), doc.at("/event/action").asText(), what);
                assertEquals(List.of("success", "firewall_reported_success").contains(category.asText())
                        ? "success" : "failure", doc.at("/event/outcome").asText(), what);
                assertEquals("[\"authentication\"]", doc.at("/event/category").toString(), what);
                assertEquals("[\"info\"]", doc.at("/event/type").toString(), what);
                assertEquals(type, doc.at("/onepassword/type"), what);
            }
        }
    }

    @Test
    void everyItemUsageAction() throws IOException {
        for (JsonNode action : enums.get("itemusages.action")) {
            ObjectNode item = item("""
                    {"uuid": "MCQODBBWJD5HISKYNP3HJPV2DV", "timestamp": "2021-08-30T18:57:42.484Z", "used_version": 1,
                     "vault_uuid": "jaqxqf5qylslqiitnduawrndc5", "item_uuid": "bvwmmwxisuca7wbehrbyqhag54",
                     "user": {"uuid": "OJQGU46KAPROEJLCK674RHSAY5"}}""");
            item.set("action", action);
            JsonNode doc = clean(item, "itemusages");
            assertEquals(action, doc.at("/event/action"), action.asText());
            assertEquals("[\"file\"]", doc.at("/event/category").toString(), action.asText());
            assertEquals("[\"access\"]", doc.at("/event/type").toString(), action.asText());
            assertEquals(true, doc.at("/event/outcome").isMissingNode(), action + ": Elastic sets no outcome");
        }
    }

    @Test
    void everyAuditActionWithEveryObjectType() throws IOException {
        for (JsonNode objectType : enums.get("auditevents.object_type")) {
            for (JsonNode action : enums.get("auditevents.action")) {
                ObjectNode item = item("""
                        {"uuid": "56YE2TYN2VFYRLNSHKPW5NVT5E", "timestamp": "2023-03-15T16:33:50-03:00",
                         "actor_uuid": "ACTORACTORACTORACTORACTORA",
                         "actor_details": {"uuid": "ACTORACTORACTORACTORACTORA", "name": "Actor", "email": "a@x.com"},
                         "object_uuid": "OBJECTOBJECTOBJECTOBJECTOB",
                         "object_details": {"uuid": "OBJECTOBJECTOBJECTOBJECTOB", "name": "Object", "email": "o@x.com"},
                         "aux_id": 9277034, "aux_uuid": "AUXAUXAUXAUXAUXAUXAUXAUXAU",
                         "aux_details": {"uuid": "AUXAUXAUXAUXAUXAUXAUXAUXAU", "name": "Aux", "email": "x@x.com"},
                         "aux_info": "A", "session": {"uuid": "A5K6COGVRVEJXJW3XQZGS7VAMM", "ip": "192.0.2.254"}}""");
                item.set("action", action);
                item.set("object_type", objectType);
                JsonNode doc = clean(item, "auditevents");
                String what = action + "/" + objectType;
                assertEquals(action, doc.at("/event/action"), what);
                assertEquals("[\"configuration\"]", doc.at("/event/category").toString(), what);
                assertEquals("[\"access\"]", doc.at("/event/type").toString(), what);
                assertEquals(objectType, doc.at("/onepassword/object_type"), what);
                assertEquals("OBJECTOBJECTOBJECTOBJECTOB", doc.at("/onepassword/object_uuid").asText(), what);
                assertEquals("AUXAUXAUXAUXAUXAUXAUXAUXAU", doc.at("/onepassword/aux_uuid").asText(), what);
                assertTargets(objectType.asText(), doc, what);
            }
        }
    }

    /** Elastic's related.user rule and the reference's section 3e targets, per object type. */
    private static void assertTargets(String objectType, JsonNode doc, String what) {
        List<String> related = new ArrayList<>(List.of("Actor", "ACTORACTORACTORACTORACTORA"));
        String target = null;
        String targetName = null;
        String group = null;
        switch (objectType) {
            case "user" -> {
                related.add("OBJECTOBJECTOBJECTOBJECTOB");
                target = "OBJECTOBJECTOBJECTOBJECTOB";
                targetName = "Object";
            }
            case "gm" -> {
                related.add("AUXAUXAUXAUXAUXAUXAUXAUXAU");
                target = "AUXAUXAUXAUXAUXAUXAUXAUXAU";
                targetName = "Aux";
                group = "OBJECTOBJECTOBJECTOBJECTOB";
            }
            case "uva" -> {
                related.add("AUXAUXAUXAUXAUXAUXAUXAUXAU");
                target = "AUXAUXAUXAUXAUXAUXAUXAUXAU";
                targetName = "Aux";
            }
            case "device" -> related.add("AUXAUXAUXAUXAUXAUXAUXAUXAU");
            case "gva" -> group = "AUXAUXAUXAUXAUXAUXAUXAUXAU";
            default -> { }
        }
        List<String> actual = new ArrayList<>();
        doc.at("/related/user").forEach(u -> actual.add(u.asText()));
        assertEquals(related, actual, what + ": related.user");
        assertEquals(target, text(doc.at("/user/target/id")), what + ": user.target.id");
        assertEquals(targetName, text(doc.at("/user/target/name")), what + ": user.target.name");
        assertEquals(targetName, text(doc.at("/user/target/full_name")), what + ": user.target.full_name");
        assertEquals(group, text(doc.at("/group/id")), what + ": group.id");
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() ? null : node.asText();
    }

    private static ObjectNode item(String json) throws IOException {
        return (ObjectNode) GoldenJson.JSON.readTree(json);
    }

    /** Maps the item, which must map without a problem, to valid ECS. */
    private static JsonNode clean(ObjectNode item, String feature) {
        Mapped mapped = ECS.map(item, "demo", feature, READ);
        assertNull(mapped.problem(), item + ": " + mapped.document());
        assertEquals("event", mapped.document().at("/event/kind").asText());
        assertEquals(List.of(), types.violations(mapped.document()), item.toString());
        return mapped.document();
    }
}
