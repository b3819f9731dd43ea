package io.opcamel.normalise.ocsf;


import io.opcamel.normalise.Doc;
import java.time.Instant;

/** Sign-in attempts as Authentication (3002), Logon (reference section 5a). */
final class SignInAttempts {

    static final String FEATURE = "signinattempts";

    private final OcsfRoutes routes;
    private final OcsfDocument document;
    private final Endpoints endpoints;
    private final Actors actors;

    SignInAttempts(OcsfRoutes routes, OcsfDocument document, Endpoints endpoints, Actors actors) {
        this.routes = routes;
        this.document = document;
        this.endpoints = endpoints;
        this.actors = actors;
    }

    Doc map(SourceFields src, String account, Instant receivedAt) {
        String category = src.text(null, "category");
        Integer status = routes.signInStatus(category);
        if (status == null) {
            src.problem(Problems.UNKNOWN_SIGNIN_CATEGORY);
        }
        Doc doc = document.start(routes.signInClass(), routes.signInActivity(), null, status == null ? 0 : status);
        document.occurrence(doc, src, account, FEATURE, category, receivedAt);
        OcsfDocument.put(doc, "status_code", category);
        String type = src.text(null, "type");
        String details = src.text("details", "value");
        OcsfDocument.put(doc, "status_detail", type == null ? details : details == null ? type : type + ": " + details);
        if ("mfa_ok".equals(type)) {
            doc.put("is_mfa", true);
        }
        Doc actor = actors.client(src, null);
        if (actor != null) {
            doc.set("actor", actor);
        }
        doc.set("user", Users.required(Users.nested(src, "target_user"), src));
        String session = src.text(null, "session_uuid");
        if (session != null) {
            doc.putObject("session").put("uid", session);
        }
        // Authentication needs a service or a dst_endpoint: the service signed in to is 1Password itself
        doc.set("service", new Doc().put("name", "1Password"));
        Doc endpoint = endpoints.client(src, true);
        if (endpoint != null) {
            doc.set("src_endpoint", endpoint);
        }
        return doc;
    }
}
