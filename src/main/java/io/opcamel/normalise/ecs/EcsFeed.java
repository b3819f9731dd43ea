package io.opcamel.normalise.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.events.Feature;
import io.opcamel.normalise.Doc;
import io.opcamel.normalise.Timestamps;
import java.util.Map;

/**
 * How each feed's items become ECS, as Elastic's three ingest pipelines place them (reference normalise/README.md,
 * sections 3a to 3e): the dataset, the one category and type Elastic gives every event of the feed, and where each
 * field goes. Fields no rule names go to {@code onepassword.*} under their own names.
 */
enum EcsFeed {

    SIGNIN_ATTEMPTS(Feature.signinattempts, "authentication", "info") {
        /**
         * Outcome as Elastic: success for {@code success} and {@code firewall_reported_success}, failure for every
         * other category, new ones included (they are values, not errors). Beyond Elastic: no category, no outcome
         * (Elastic would write failure, which the record does not say).
         */
        @Override
        void place(ObjectNode item, EcsDraft d) {
            for (Map.Entry<String, JsonNode> field : item.properties()) {
                JsonNode v = field.getValue();
                switch (field.getKey()) {
                    case "timestamp" -> { }
                    case "uuid" -> d.uuid(v);
                    case "account_uuid" -> d.account(v);
                    case "category" -> {
                        String category = d.text(v, "category");
                        if (category != null) {
                            d.event.put("action", category);
                            d.event.put("outcome", category.equals("success")
                                    || category.equals("firewall_reported_success") ? "success" : "failure");
                        }
                    }
                    case "target_user" -> d.person(v, "target_user");
                    case "client" -> d.client(v);
                    case "location" -> d.location(v);
                    case "details" -> EcsDraft.keep(d.vendor, "details", d.object(v, "details"));
                    default -> d.keep(field.getKey(), v);
                }
            }
        }
    },

    ITEM_USAGES(Feature.itemusages, "file", "access") {
        @Override
        void place(ObjectNode item, EcsDraft d) {
            for (Map.Entry<String, JsonNode> field : item.properties()) {
                JsonNode v = field.getValue();
                switch (field.getKey()) {
                    case "timestamp" -> { }
                    case "uuid" -> d.uuid(v);
                    case "account_uuid" -> d.account(v);
                    case "action" -> d.action(v, "action");
                    case "user" -> d.person(v, "user");
                    case "client" -> d.client(v);
                    case "location" -> d.location(v);
                    case "used_version" -> {
                        if (d.wholeNumber(v, "used_version")) {
                            d.keep("used_version", v);
                        }
                    }
                    default -> d.keep(field.getKey(), v);
                }
            }
        }
    },

    AUDIT_EVENTS(Feature.auditevents, "configuration", "access") {
        /**
         * The actor is {@code user.*}; the object and aux fields stay under {@code onepassword.*} as in Elastic and,
         * beyond Elastic, the target is also {@code user.target.*} / {@code group.id} by object type (section 3e).
         */
        @Override
        void place(ObjectNode item, EcsDraft d) {
            String actorUuid = null;
            String actorName = null;
            String objectType = null;
            String objectUuid = null;
            String auxUuid = null;
            ObjectNode objectDetails = null;
            ObjectNode auxDetails = null;
            for (Map.Entry<String, JsonNode> field : item.properties()) {
                JsonNode v = field.getValue();
                switch (field.getKey()) {
                    case "timestamp" -> { }
                    case "uuid" -> d.uuid(v);
                    case "account_uuid" -> d.account(v);
                    case "action" -> d.action(v, "action");
                    case "actor_uuid" -> {
                        actorUuid = d.text(v, "actor_uuid");
                        EcsDraft.put(d.user, "id", actorUuid);
                    }
                    case "actor_details" -> actorName = actor(d.object(v, "actor_details"), d);
                    case "object_type" -> {
                        objectType = d.text(v, "object_type");
                        EcsDraft.put(d.vendor, "object_type", objectType);
                    }
                    case "object_uuid" -> {
                        objectUuid = d.text(v, "object_uuid");
                        EcsDraft.put(d.vendor, "object_uuid", objectUuid);
                    }
                    case "aux_uuid" -> {
                        auxUuid = d.text(v, "aux_uuid");
                        EcsDraft.put(d.vendor, "aux_uuid", auxUuid);
                    }
                    case "object_details" -> {
                        objectDetails = d.object(v, "object_details");
                        EcsDraft.keep(d.vendor, "object_details", objectDetails);
                    }
                    case "aux_details" -> {
                        auxDetails = d.object(v, "aux_details");
                        EcsDraft.keep(d.vendor, "aux_details", auxDetails);
                    }
                    case "aux_id" -> {
                        if (d.wholeNumber(v, "aux_id")) {
                            d.keep("aux_id", v);
                        }
                    }
                    case "session" -> session(d.object(v, "session"), d);
                    case "location" -> d.location(v);
                    default -> d.keep(field.getKey(), v);
                }
            }
            d.related(actorName);
            d.related(actorUuid);
            if (objectType == null) {
                return;
            }
            switch (objectType) {
                case "user" -> {
                    d.related(objectUuid);
                    target(objectUuid, objectDetails, d);
                }
                case "gm" -> {
                    d.related(auxUuid);
                    EcsDraft.put(d.group, "id", objectUuid);
                    target(auxUuid, auxDetails, d);
                }
                case "uva" -> {
                    d.related(auxUuid);
                    target(auxUuid, auxDetails, d);
                }
                case "device" -> d.related(auxUuid);
                case "gva" -> EcsDraft.put(d.group, "id", auxUuid);
                default -> { }
            }
        }

        /** The actor's name and email to {@code user.*}; the rest (its uuid, repeating actor_uuid) stays. */
        private String actor(ObjectNode details, EcsDraft d) {
            if (details == null) {
                return null;
            }
            String name = null;
            Doc rest = new Doc();
            for (Map.Entry<String, JsonNode> field : details.properties()) {
                JsonNode v = field.getValue();
                switch (field.getKey()) {
                    case "name" -> {
                        name = d.text(v, "actor_details.name");
                        if (name != null) {
                            EcsDraft.name(d.user, name);
                        }
                    }
                    case "email" -> EcsDraft.put(d.user, "email", d.text(v, "actor_details.email"));
                    default -> EcsDraft.keep(rest, field.getKey(), v);
                }
            }
            d.keepRest("actor_details", rest);
            return name;
        }

        /** The session's IP is the source; its uuid, device and login time stay under {@code onepassword.session}. */
        private void session(ObjectNode session, EcsDraft d) {
            if (session == null) {
                return;
            }
            Doc rest = new Doc();
            for (Map.Entry<String, JsonNode> field : session.properties()) {
                JsonNode v = field.getValue();
                switch (field.getKey()) {
                    case "ip" -> d.ip(v, "session.ip");
                    case "login_time" -> {
                        // Elastic maps it as a date: a time it cannot read would reject the whole document.
                        if (v.isNull() || Timestamps.parse(v).isPresent()) {
                            EcsDraft.keep(rest, "login_time", v);
                        } else {
                            d.problem("unreadable-timestamp", "session.login_time: not an RFC 3339 time");
                        }
                    }
                    default -> EcsDraft.keep(rest, field.getKey(), v);
                }
            }
            d.keepRest("session", rest);
        }

        /** Beyond Elastic: the person acted on as {@code user.target.*} (id, name and full_name, email). */
        private void target(String id, ObjectNode details, EcsDraft d) {
            EcsDraft.put(d.target, "id", id);
            if (details == null) {
                return;
            }
            JsonNode name = details.get("name");
            if (name != null && name.isTextual()) {
                EcsDraft.name(d.target, name.textValue());
            }
            JsonNode email = details.get("email");
            if (email != null && email.isTextual()) {
                d.target.put("email", email.textValue());
            }
        }
    };

    final String dataset;
    final String category;
    final String type;

    EcsFeed(Feature feature, String category, String type) {
        this.dataset = "1password." + feature.dataset();
        this.category = category;
        this.type = type;
    }

    /** Places the item's fields (all but {@code timestamp}, which the schema reads) into the draft. */
    abstract void place(ObjectNode item, EcsDraft d);

    /** The feed of a feature name (signinattempts, itemusages, auditevents); null for any other. */
    static EcsFeed of(String feature) {
        if (feature == null) {
            return null;
        }
        return switch (feature) {
            case "signinattempts" -> SIGNIN_ATTEMPTS;
            case "itemusages" -> ITEM_USAGES;
            case "auditevents" -> AUDIT_EVENTS;
            default -> null;
        };
    }
}
