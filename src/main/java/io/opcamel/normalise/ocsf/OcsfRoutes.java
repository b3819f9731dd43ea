package io.opcamel.normalise.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The classification tables of the OCSF schema (classes, sign-in statuses, item-usage actions, the audit routing
 * table and its verb rule), read once from {@value #RESOURCE} so a route changes without a code change.
 */
public final class OcsfRoutes {

    public static final String RESOURCE = "/normalise/ocsf-routes.json";
    /** OCSF's activity_id for an activity outside the class's enum. */
    public static final int OTHER = 99;

    /** What an audit event's class is about, so which of the item's fields fill the class's required object. */
    public enum Target {
        /** 3001: {@code user} from object_uuid / object_details */
        ACCOUNT_USER,
        /** 3006: {@code group} from object_uuid, {@code user} from aux */
        GROUP_MEMBER,
        /** 3006: {@code group} from object_uuid / object_details */
        GROUP,
        /** 3005: {@code user} from aux, the vault from object_uuid */
        USER_VAULT,
        /** 3006: {@code group} from aux, the vault from object_uuid */
        GROUP_VAULT,
        /** 6001: {@code web_resources} from object_uuid and object_type */
        WEB_RESOURCE,
        /** 3004: {@code entity} from object_uuid and object_type */
        ENTITY
    }

    public record OcsfClass(int uid, String name, int categoryUid, String categoryName, Map<Integer, String> activities,
                            Map<Integer, OcsfVersion> since) {

        /** Whether {@code version} defines this activity of the class. */
        public boolean defines(int activityId, OcsfVersion version) {
            OcsfVersion needs = since.get(activityId);
            return activities.containsKey(activityId) && (needs == null || version.atLeast(needs));
        }
    }

    /** @param entityTypeId managed_entity.type_id for {@link Target#ENTITY} (1 Device, 4 Organization, 99 Other) */
    public record AuditRoute(OcsfClass ocsfClass, Target target, int entityTypeId, Map<String, Integer> actions,
                             boolean verbs) {
    }

    /**
     * Where one audit event lands.
     *
     * @param activityId the class's activity, or {@link #OTHER}
     * @param entityType what {@code entity.type} / {@code web_resources[].type} says: the object_type, or the target
     *                   of a dotted (v3) action
     * @param problem    null when the object type and action are documented ones
     */
    public record AuditPlacement(AuditRoute route, int activityId, String entityType, String problem) {
    }

    private final Map<Integer, OcsfClass> classes = new HashMap<>();
    private final OcsfClass signInClass;
    private final int signInActivity;
    private final Map<String, Integer> signInStatus = new HashMap<>();
    private final OcsfClass itemClass;
    private final Map<String, Integer> itemActivity = new HashMap<>();
    private final Set<String> itemOtherActions = new HashSet<>();
    private final Map<String, AuditRoute> auditRoutes = new HashMap<>();
    private final AuditRoute unknownObjectType;
    private final AuditRoute dottedAction;
    private final Map<String, Integer> exactVerbs = new HashMap<>();
    private final Map<String, Integer> verbPrefixes = new LinkedHashMap<>();
    private final Set<String> auditActions = new HashSet<>();

    private static final class Standard {
        static final OcsfRoutes ROUTES = load();
    }

    /** The table of {@value #RESOURCE}, read on first use. */
    public static OcsfRoutes standard() {
        return Standard.ROUTES;
    }

    private static OcsfRoutes load() {
        try (InputStream in = OcsfRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            return new OcsfRoutes(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    OcsfRoutes(JsonNode table) {
        JsonNode categories = table.path("categories");
        table.path("classes").fields().forEachRemaining(c -> {
            JsonNode def = c.getValue();
            Map<Integer, String> activities = new HashMap<>();
            def.path("activities").fields().forEachRemaining(a -> activities.put(Integer.valueOf(a.getKey()), a.getValue().asText()));
            Map<Integer, OcsfVersion> since = new HashMap<>();
            def.path("since").fields().forEachRemaining(a -> since.put(Integer.valueOf(a.getKey()), OcsfVersion.parse(a.getValue().asText())));
            int category = def.path("category_uid").asInt();
            String categoryName = required(categories.path(String.valueOf(category)), "category " + category).asText();
            int uid = Integer.parseInt(c.getKey());
            classes.put(uid, new OcsfClass(uid, def.path("name").asText(), category, categoryName, Map.copyOf(activities), Map.copyOf(since)));
        });
        JsonNode signIns = table.path("signinattempts");
        signInClass = ocsfClass(signIns.path("class_uid"));
        signInActivity = signIns.path("activity_id").asInt();
        signIns.path("status_by_category").fields().forEachRemaining(s -> signInStatus.put(s.getKey(), s.getValue().asInt()));
        JsonNode items = table.path("itemusages");
        itemClass = ocsfClass(items.path("class_uid"));
        items.path("activity_by_action").fields().forEachRemaining(a -> itemActivity.put(a.getKey(), activity(itemClass, a.getValue())));
        items.path("other_actions").forEach(a -> itemOtherActions.add(a.asText()));
        JsonNode audit = table.path("auditevents");
        audit.path("object_types").fields().forEachRemaining(t -> auditRoutes.put(t.getKey(), route(t.getValue())));
        unknownObjectType = route(required(audit.path("unknown_object_type"), "auditevents.unknown_object_type"));
        dottedAction = route(required(audit.path("dotted_action"), "auditevents.dotted_action"));
        audit.path("verbs").path("exact").fields().forEachRemaining(v -> exactVerbs.put(v.getKey(), v.getValue().asInt()));
        audit.path("verbs").path("prefix").fields().forEachRemaining(v -> verbPrefixes.put(v.getKey(), v.getValue().asInt()));
        audit.path("actions").forEach(a -> auditActions.add(a.asText()));
    }

    private AuditRoute route(JsonNode def) {
        OcsfClass c = ocsfClass(def.path("class_uid"));
        Target target = Target.valueOf(required(def.path("target"), "target of " + def).asText().toUpperCase(java.util.Locale.ROOT));
        Map<String, Integer> actions = new HashMap<>();
        def.path("actions").fields().forEachRemaining(a -> actions.put(a.getKey(), activity(c, a.getValue())));
        return new AuditRoute(c, target, def.path("entity_type_id").asInt(OTHER), Map.copyOf(actions), def.path("verbs").asBoolean(false));
    }

    private OcsfClass ocsfClass(JsonNode uid) {
        OcsfClass c = classes.get(uid.asInt());
        if (c == null) {
            throw new IllegalStateException(RESOURCE + ": no class " + uid + " under classes");
        }
        return c;
    }

    private static int activity(OcsfClass c, JsonNode id) {
        if (!c.activities().containsKey(id.asInt())) {
            throw new IllegalStateException(RESOURCE + ": " + c.name() + " has no activity " + id);
        }
        return id.asInt();
    }

    private static JsonNode required(JsonNode node, String what) {
        if (node.isMissingNode() || node.isNull()) {
            throw new IllegalStateException(RESOURCE + ": " + what + " is missing");
        }
        return node;
    }

    public OcsfClass signInClass() {
        return signInClass;
    }

    public int signInActivity() {
        return signInActivity;
    }

    /** status_id of a sign-in category; null when the category is not documented. */
    public Integer signInStatus(String category) {
        return category == null ? null : signInStatus.get(category);
    }

    public OcsfClass itemClass() {
        return itemClass;
    }

    /** activity_id of an item-usage action; null when it has none (Other). */
    public Integer itemActivity(String action) {
        return action == null ? null : itemActivity.get(action);
    }

    /** Whether 1Password documents the item-usage action (placed or Other). */
    public boolean knownItemAction(String action) {
        return itemActivity.containsKey(action) || itemOtherActions.contains(action);
    }

    public Set<String> auditObjectTypes() {
        return auditRoutes.keySet();
    }

    public Set<String> auditActions() {
        return auditActions;
    }

    /** Where an audit event of this object type and action lands (either may be null); never null. */
    public AuditPlacement audit(String objectType, String action) {
        int dot = action == null ? -1 : action.lastIndexOf('.');
        if (dot > 0) {
            // the v3 beta's target.attribute.verb: routed by its verb whatever the object type
            int activity = verbActivity(action.substring(dot + 1));
            return new AuditPlacement(dottedAction, activity, action.substring(0, dot),
                    activity == OTHER ? Problems.UNKNOWN_AUDIT_ACTION : null);
        }
        AuditRoute route = objectType == null ? null : auditRoutes.get(objectType);
        String problem = null;
        if (route == null) {
            route = unknownObjectType;
            problem = Problems.UNKNOWN_OBJECT_TYPE;
        } else if (action == null || !auditActions.contains(action)) {
            problem = Problems.UNKNOWN_AUDIT_ACTION;
        }
        int activity = OTHER;
        if (action != null) {
            Integer listed = route.actions().get(action);
            if (listed != null) {
                activity = listed;
            } else if (route.verbs()) {
                activity = verbActivity(action);
            }
        }
        return new AuditPlacement(route, activity, objectType, problem);
    }

    private int verbActivity(String verb) {
        Integer exact = exactVerbs.get(verb);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, Integer> prefix : verbPrefixes.entrySet()) {
            if (verb.startsWith(prefix.getKey())) {
                return prefix.getValue();
            }
        }
        return OTHER;
    }
}
