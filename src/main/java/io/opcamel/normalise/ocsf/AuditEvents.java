package io.opcamel.normalise.ocsf;

import static io.opcamel.normalise.ocsf.OcsfDocument.put;

import io.opcamel.normalise.Doc;
import io.opcamel.normalise.ocsf.OcsfRoutes.AuditPlacement;
import java.time.Instant;

/**
 * Audit events, routed by object type and action through {@link OcsfRoutes} to Account Change, Entity Management,
 * User Access Management, Group Management or Web Resources Activity (reference section 5c). The aux fields and
 * object_type stay under {@code unmapped} where the class has no place for them.
 */
final class AuditEvents {

    static final String FEATURE = "auditevents";
    private static final OcsfVersion ENTITY_TYPE_ID = new OcsfVersion(1, 3, 0);
    private static final OcsfVersion RESOURCES = new OcsfVersion(1, 5, 0);
    private static final OcsfVersion IAM_SRC_ENDPOINT = new OcsfVersion(1, 2, 0);
    private static final int IAM = 3;

    private final OcsfRoutes routes;
    private final OcsfDocument document;
    private final Endpoints endpoints;
    private final Actors actors;
    private final boolean entityTypeId;
    private final boolean resourcesArray;
    private final boolean iamSrcEndpoint;

    AuditEvents(OcsfRoutes routes, OcsfDocument document, Endpoints endpoints, Actors actors) {
        this.routes = routes;
        this.document = document;
        this.endpoints = endpoints;
        this.actors = actors;
        this.entityTypeId = document.version().atLeast(ENTITY_TYPE_ID);
        this.resourcesArray = document.version().atLeast(RESOURCES);
        this.iamSrcEndpoint = document.version().atLeast(IAM_SRC_ENDPOINT);
    }

    Doc map(SourceFields src, String account, Instant receivedAt) {
        String action = src.text(null, "action");
        String objectType = src.peekText(null, "object_type");
        AuditPlacement placement = routes.audit(objectType, action);
        src.problem(placement.problem());
        Doc doc = document.start(placement.route().ocsfClass(), placement.activityId(), action, 1);
        document.occurrence(doc, src, account, FEATURE, action, receivedAt);
        Doc actor = actors.audit(src);
        if (actor != null) {
            doc.set("actor", actor);
        }
        switch (placement.route().target()) {
            case ACCOUNT_USER -> doc.set("user", Users.required(object(src), src));
            case GROUP_MEMBER -> {
                doc.set("group", group(src, "object_uuid", "object_details"));
                Doc member = aux(src);
                if (member != null) {
                    doc.set("user", member);
                }
                if ("role".equals(action)) {
                    privileges(doc, src, action);
                }
            }
            case GROUP -> doc.set("group", group(src, "object_uuid", "object_details"));
            case USER_VAULT -> {
                doc.set("user", Users.required(aux(src), src));
                vault(doc, src, resourcesArray);
                privileges(doc, src, action);
            }
            case GROUP_VAULT -> {
                doc.set("group", group(src, "aux_uuid", "aux_details"));
                vault(doc, src, false); // Group Management has only resource, up to 1.8
                privileges(doc, src, action);
            }
            case WEB_RESOURCE -> doc.putArray("web_resources").add(resource(src, placement));
            case ENTITY -> doc.set("entity", entity(src, placement));
        }
        // the IAM classes have src_endpoint only from 1.2 (Web Resources Activity always had it): before, the
        // session's ip and device and the location stay under unmapped
        if (iamSrcEndpoint || placement.route().ocsfClass().categoryUid() != IAM) {
            Doc endpoint = endpoints.session(src);
            if (endpoint != null) {
                doc.set("src_endpoint", endpoint);
            }
        }
        return doc;
    }

    private static Doc object(SourceFields src) {
        return Users.flat(src, "object_uuid", "object_details");
    }

    private static Doc aux(SourceFields src) {
        return Users.flat(src, "aux_uuid", "aux_details");
    }

    private static Doc group(SourceFields src, String uidField, String detailsField) {
        Doc group = new Doc();
        put(group, "uid", src.text(null, uidField));
        put(group, "name", src.text(detailsField, "name"));
        return named(group, src);
    }

    /** uva/gva: the vault the grant is about, as resource_details (resources from 1.5, where resource is deprecated). */
    private static void vault(Doc doc, SourceFields src, boolean array) {
        Doc vault = new Doc();
        put(vault, "uid", src.text(null, "object_uuid"));
        named(vault, src).put("type", "vault");
        if (array) {
            doc.putArray("resources").add(vault);
        } else {
            doc.set("resource", vault);
        }
    }

    /** Required and never empty in User Access Management: aux_info (such as "A") when 1Password gives one, else the action. */
    private static void privileges(Doc doc, SourceFields src, String action) {
        String info = src.text(null, "aux_info");
        doc.putArray("privileges").add(info != null ? info : action != null ? action : OcsfDocument.UNKNOWN);
    }

    private static Doc resource(SourceFields src, AuditPlacement placement) {
        Doc resource = new Doc();
        put(resource, "uid", src.text(null, "object_uuid"));
        put(resource, "name", src.text("object_details", "name"));
        typeOf(resource, src, placement);
        return named(resource, src);
    }

    private Doc entity(SourceFields src, AuditPlacement placement) {
        Doc entity = new Doc();
        put(entity, "uid", src.text(null, "object_uuid"));
        put(entity, "name", src.text("object_details", "name"));
        typeOf(entity, src, placement);
        if (entityTypeId && entity.has("type")) {
            entity.put("type_id", placement.route().entityTypeId());
        }
        return named(entity, src);
    }

    // the object_type (or a v3 action's target) as the resource's type; object_type is then placed, not unmapped
    private static void typeOf(Doc node, SourceFields src, AuditPlacement placement) {
        if (placement.entityType() != null) {
            node.put("type", placement.entityType());
            if (placement.entityType().equals(src.peekText(null, "object_type"))) {
                src.use(null, "object_type");
            }
        }
    }

    // managed_entity, group, web_resource and resource_details need a name or uid
    private static Doc named(Doc node, SourceFields src) {
        if (!node.has("uid") && !node.has("name")) {
            src.problem(Problems.MISSING_TARGET);
            node.put("name", OcsfDocument.UNKNOWN);
        }
        return node;
    }
}
