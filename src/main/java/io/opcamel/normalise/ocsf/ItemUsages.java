package io.opcamel.normalise.ocsf;

import io.opcamel.normalise.DocArray;
import io.opcamel.normalise.Doc;
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

    Doc map(SourceFields src, String account, Instant receivedAt) {
        String action = src.text(null, "action");
        // no action is normal (clients before 1Password 8.4 send none); an undocumented one is worth a look
        if (action != null && !routes.knownItemAction(action)) {
            src.problem(Problems.UNKNOWN_ITEM_ACTION);
        }
        Integer activity = routes.itemActivity(action);
        Doc doc = document.start(routes.itemClass(), activity == null ? OcsfRoutes.OTHER : activity, action, 1);
        document.occurrence(doc, src, account, FEATURE, action, receivedAt);
        Doc actor = actors.client(src, Users.nested(src, "user"));
        if (actor != null) {
            doc.set("actor", actor);
        }
        doc.set("web_resources", resources(src));
        Doc endpoint = endpoints.client(src, false);
        if (endpoint != null) {
            doc.set("src_endpoint", endpoint);
        }
        return doc;
    }

    /** The item (with its vault and version as data) and its vault; item and vault names never leave 1Password. */
    private static DocArray resources(SourceFields src) {
        DocArray resources = new DocArray();
        String item = src.text(null, "item_uuid");
        String vault = src.text(null, "vault_uuid");
        if (item != null) {
            Doc resource = resources.addObject().put("uid", item).put("type", "item");
            Doc data = new Doc();
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
