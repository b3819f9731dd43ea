package io.opcamel.normalise.ocsf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Item usages as Web Resources Activity (6001), the activity from the action (reference section 5b). */
final class ItemUsages {

    static final String FEATURE = "itemusages";

    private final OcsfRoutes routes;
    private final OcsfDocument document;
    private final Endpoints endpoints;
    private final Actors actors;

    ItemUsages(OcsfRoutes routes, OcsfDocument document, Endpoints endpoints, Actors actors) {
        this.routes = routes;
        this.document = document;
        this.endpoints = endpoints;
        this.actors = actors;
    }

    ObjectNode map(SourceFields src, String account, Instant receivedAt) {
        String action = src.text(null, "action");
        // no action is normal (clients before 1Password 8.4 send none); an undocumented one is worth a look
        if (action != null && !routes.knownItemAction(action)) {
            src.problem(Problems.UNKNOWN_ITEM_ACTION);
        }
        Integer activity = routes.itemActivity(action);
        ObjectNode doc = document.start(routes.itemClass(), activity == null ? OcsfRoutes.OTHER : activity, action, 1);
        document.occurrence(doc, src, account, FEATURE, action, receivedAt);
        ObjectNode actor = actors.client(src, Users.nested(src, "user"));
        if (actor != null) {
            doc.set("actor", actor);
        }
        doc.set("web_resources", resources(src));
        ObjectNode endpoint = endpoints.client(src, false);
        if (endpoint != null) {
            doc.set("src_endpoint", endpoint);
        }
        return doc;
    }

    /** The item (with its vault and version as data) and its vault; item and vault names never leave 1Password. */
    private static ArrayNode resources(SourceFields src) {
        ArrayNode resources = OcsfDocument.JSON.arrayNode();
        String item = src.text(null, "item_uuid");
        String vault = src.text(null, "vault_uuid");
        if (item != null) {
            ObjectNode resource = resources.addObject().put("uid", item).put("type", "item");
            ObjectNode data = OcsfDocument.JSON.objectNode();
            OcsfDocument.put(data, "vault_uuid", vault);
            if (src.integer(null, "used_version") != null) {
                data.set("used_version", src.peek(null, "used_version"));
            }
            if (!data.isEmpty()) {
                resource.set("data", data);
            }
        }
        if (vault != null) {
            resources.addObject().put("uid", vault).put("type", "vault");
        }
        if (resources.isEmpty()) {
            src.problem(Problems.MISSING_TARGET);
            resources.addObject().put("name", OcsfDocument.UNKNOWN).put("type", "item");
        }
        return resources;
    }
}
