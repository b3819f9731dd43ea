package io.opcamel.normalise.ocsf;


import io.opcamel.normalise.Doc;
import io.opcamel.normalise.Timestamps;

/** {@code actor}: the user who acted, the 1Password app they used ({@code app_name}, OCSF 1.2+), their session. */
final class Actors {

    private static final OcsfVersion APP_NAME = new OcsfVersion(1, 2, 0);

    private final boolean appName;

    Actors(OcsfVersion version) {
        this.appName = version.atLeast(APP_NAME);
    }

    /** Sign-ins and item usages: the user, if any, and {@code client.app_name} (before 1.2 under unmapped.client). */
    Doc client(SourceFields src, Doc user) {
        Doc actor = new Doc();
        if (user != null) {
            actor.set("user", user);
        }
        if (appName) {
            OcsfDocument.put(actor, "app_name", src.text("client", "app_name"));
        }
        return actor.isEmpty() ? null : actor;
    }

    /** Audit events: actor_uuid / actor_details / actor_type / actor_account_uuid, and the session. */
    Doc audit(SourceFields src) {
        Doc actor = new Doc();
        Doc user = Users.actor(src);
        if (user != null) {
            actor.set("user", user);
        }
        Doc session = new Doc();
        OcsfDocument.put(session, "uid", src.text("session", "uuid"));
        if (src.peek("session", "login_time") != null) {
            Long created = Timestamps.parse(src.peek("session", "login_time")).map(Timestamps::epochMillis).orElse(null);
            if (created == null) {
                src.problem(Problems.WRONG_TYPE);
            } else {
                src.use("session", "login_time");
                session.put("created_time", created);
            }
        }
        if (!session.isEmpty()) {
            actor.set("session", session);
        }
        return actor.isEmpty() ? null : actor;
    }
}
