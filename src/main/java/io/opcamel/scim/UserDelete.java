package io.opcamel.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What to send the bridge for an IdP's {@code DELETE /Users/{id}}: a suspend (PATCH active=false, the default) or
 * the DELETE itself. Either way the IdP is answered 204 once the bridge accepted the call, and the audit trail
 * records {@link #action()}, so a deletion is never reported as one when it was a suspension.
 *
 * @param action what is done: SUSPEND or DELETE
 * @param id     the user's id
 * @param body   the PatchOp to send for SUSPEND; null for DELETE
 */
public record UserDelete(Action action, String id, JsonNode body) {

    public enum Action {
        SUSPEND("PATCH"),
        DELETE("DELETE");

        private final String method;

        Action(String method) {
            this.method = method;
        }
    }

    public UserDelete {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a user id is required");
        }
    }

    public static UserDelete asSuspend(String id) {
        ObjectNode patch = ScimNodes.object();
        patch.putArray("schemas").add(ScimNodes.PATCH_SCHEMA);
        patch.putArray("Operations").addObject().put("op", "replace").put("path", "active").put("value", false);
        return new UserDelete(Action.SUSPEND, id, patch);
    }

    public static UserDelete forward(String id) {
        return new UserDelete(Action.DELETE, id, null);
    }

    public boolean isSuspend() {
        return action == Action.SUSPEND;
    }

    /** The HTTP method to call /Users/{id} of the bridge with. */
    public String method() {
        return action.method;
    }

    /** For the audit trail and the golden fixtures. */
    public ObjectNode toJson() {
        ObjectNode o = ScimNodes.object();
        o.put("action", action.name().toLowerCase(java.util.Locale.ROOT));
        o.put("method", method());
        o.put("id", id);
        if (body != null) {
            o.set("body", body.deepCopy());
        }
        return o;
    }
}
