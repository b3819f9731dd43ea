package io.opcamel.normalise.ocsf;

import static io.opcamel.normalise.ocsf.OcsfDocument.put;

import io.opcamel.normalise.Doc;

/**
 * OCSF {@code user} objects from the two shapes 1Password writes people in: an object of its own ({@code target_user},
 * {@code user}) or an id beside a details object (the audit events' actor, object and aux).
 */
final class Users {

    private Users() {
    }

    /** From {@code target_user} or {@code user}: uuid, name, email, user_type (or type), user_account_uuid; null when absent. */
    static Doc nested(SourceFields src, String parent) {
        if (!src.hasObject(parent)) {
            return null;
        }
        Doc user = new Doc();
        put(user, "uid", src.text(parent, "uuid"));
        name(user, src.text(parent, "name"));
        put(user, "email_addr", src.text(parent, "email"));
        String type = src.text(parent, "user_type");
        type(user, type != null ? type : src.text(parent, "type"));
        account(user, src.text(parent, "user_account_uuid"));
        return identified(user, src);
    }

    /**
     * The audit actor from {@code actor_uuid}, {@code actor_details}, {@code actor_type} and {@code actor_account_uuid}.
     * Its id is actor_uuid only (reference 5c): the details' own uuid, a key one 1Password example spells
     * {@code "uuid:"}, is used only when it is the same id, else it stays under unmapped.
     *
     * @return null when the item has neither the id nor the details
     */
    static Doc actor(SourceFields src) {
        return flat(src, "actor_uuid", "actor_details", "actor_type", "actor_account_uuid", false);
    }

    /**
     * An audit object or aux person from its id and its details ({@code object_uuid} + {@code object_details}, ...).
     * The details' own uuid is used when it is the same id or the only one: a different one stays under unmapped.
     *
     * @return null when the item has neither the id nor the details
     */
    static Doc flat(SourceFields src, String uidField, String detailsField) {
        return flat(src, uidField, detailsField, null, null, true);
    }

    private static Doc flat(SourceFields src, String uidField, String detailsField, String typeField,
                                   String accountField, boolean detailsUidStandsIn) {
        String uid = src.text(null, uidField);
        Doc user = new Doc();
        if (src.hasObject(detailsField)) {
            String detailsUid = src.peekText(detailsField, "uuid");
            if (detailsUid != null && (uid == null ? detailsUidStandsIn : uid.equals(detailsUid))) {
                uid = detailsUid;
                src.use(detailsField, "uuid");
            }
            put(user, "uid", uid);
            name(user, src.text(detailsField, "name"));
            put(user, "email_addr", src.text(detailsField, "email"));
        } else {
            put(user, "uid", uid);
        }
        if (typeField != null) {
            type(user, src.text(null, typeField));
        }
        if (accountField != null) {
            account(user, src.text(null, accountField));
        }
        return user.isEmpty() ? null : identified(user, src);
    }

    /** A user a class requires: when the item names none, {@code name: "Unknown"} and the problem missing-target. */
    static Doc required(Doc user, SourceFields src) {
        if (user != null) {
            return user;
        }
        src.problem(Problems.MISSING_TARGET);
        return new Doc().put("name", OcsfDocument.UNKNOWN);
    }

    // OCSF's user needs one of account, name or uid: an email or a type alone is kept, under a placeholder name
    private static Doc identified(Doc user, SourceFields src) {
        if (!user.has("uid") && !user.has("name") && !user.has("account")) {
            src.problem(Problems.MISSING_TARGET);
            user.put("name", OcsfDocument.UNKNOWN);
        }
        return user;
    }

    // 1Password's name is a display name; OCSF's name is the user name Splunk and others read: both, as Elastic does
    private static void name(Doc user, String name) {
        if (name != null) {
            user.put("name", name);
            user.put("full_name", name);
        }
    }

    private static void type(Doc user, String type) {
        if (type == null) {
            return;
        }
        if (type.equals("user")) {
            user.put("type_id", 1);
            user.put("type", "User");
        } else {
            user.put("type_id", OcsfRoutes.OTHER);
            user.put("type", type);
        }
    }

    private static void account(Doc user, String accountUid) {
        if (accountUid != null) {
            user.putObject("account").put("uid", accountUid);
        }
    }
}
