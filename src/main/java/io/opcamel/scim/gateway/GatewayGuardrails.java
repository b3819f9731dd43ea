package io.opcamel.scim.gateway;

import io.opcamel.bridge.BridgeGroupLookup;
import io.opcamel.scim.ScimNodes;
import io.opcamel.bridge.BridgeAnswer;
import io.opcamel.bridge.BridgeRequest;
import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.scim.GroupLookup;
import io.opcamel.scim.Guardrails;
import io.opcamel.scim.ScimError;
import java.io.IOException;
import java.util.function.Function;

/**
 * The 1Password guardrails ({@link Guardrails}) on a gateway request, in the order serve-scim-request runs them:
 * the rules that need nothing from the bridge first ({@link #refuseWithoutLookingUp}), then what the others need
 * read from the bridge ({@link #lookUp}, sent through call-scim-bridge like every bridge call, and
 * {@link #keep}), then every rule ({@link #apply}). A refusal is a {@link ScimError} naming its rule.
 *
 * <p>Nested groups: a member marked as a group ({@code "type": "Group"} or a {@code $ref} to /Groups/) is looked up
 * in the bridge ({@link BridgeGroupLookup}, a new one per request: the group by id, then its users from one paged
 * read of the users, whose {@code groups} name it) and flattened to those users, or refused, per config; a marked
 * member the bridge has no group for is refused with a 400 naming nested-groups. An unmarked member is taken for a
 * user without asking, so a request without a nested group costs no extra bridge call.
 */
public final class GatewayGuardrails {

    private final Guardrails guardrails;
    private final Function<BridgeRequest, BridgeAnswer> bridge;

    /** {@code bridge}: one call through call-scim-bridge (limiter and retries), for the nested groups' look-ups. */
    GatewayGuardrails(Guardrails guardrails, Function<BridgeRequest, BridgeAnswer> bridge) {
        this.guardrails = guardrails;
        this.bridge = bridge;
    }

    /**
     * The refuse-what-needs-no-look-up step: guest users and email domains of a user create, replace or patch are
     * checked before the bridge is asked anything, so a request they refuse never reaches it.
     */
    public void refuseWithoutLookingUp(ScimRequest r) {
        if (isUsers(r) && r.json != null && !r.isNothingToChange() && (r.operation == ScimRequest.Operation.create
                || r.operation == ScimRequest.Operation.replace || r.operation == ScimRequest.Operation.patch)) {
            guardrails.userContent(r.json, r.operation == ScimRequest.Operation.patch);
        }
    }

    /**
     * What must be read from the bridge before the guardrails can decide, or null: whether a created userName exists
     * (duplicate-create), the current user (suspended-user-identity) or group (managed-groups; for a group PATCH
     * always, as the normaliser drops Okta's rename to the same name with it).
     */
    public BridgeRequest lookUp(ScimRequest r) {
        if (!r.isMutating() || r.isNothingToChange() || r.operation == null) {
            return null;
        }
        String one = "/" + r.resource + "/" + r.id;
        if (isUsers(r)) {
            return switch (r.operation) {
                case create -> guardrails.needsUserNameLookup()
                        ? BridgeRequest.findBy("/Users", "userName", ScimNodes.field(r.json, "userName").asText())
                        : null;
                case replace, patch -> guardrails.needsCurrentUser() ? BridgeRequest.get(one) : null;
                default -> null;
            };
        }
        return switch (r.operation) {
            case patch -> BridgeRequest.get(one);
            case replace, delete -> guardrails.needsCurrentGroup() ? BridgeRequest.get(one) : null;
            default -> null;
        };
    }

    /**
     * The keep-what-the-bridge-has step: the look-up's answer (a list for a userName, the resource otherwise). A
     * look-up the bridge refused (404: no such user) is the IdP's answer, as the bridge gave it.
     */
    public void keep(ScimRequest r, BridgeAnswer a) {
        if (!a.answered()) {
            throw new ScimError(502, null, "the SCIM bridge did not answer (" + a.failure() + ")")
                    .by("bridge-unreachable");
        }
        JsonNode json = read(a);
        if (a.status() != 200) {
            r.bridgeStatus = a.status();
            r.bridgeRetryAfter = a.headers().get("Retry-After"); // a 429 or 503 the IdP should wait out too
            throw refusedByTheBridge(a.status(), json);
        }
        if (r.operation == ScimRequest.Operation.create) {
            r.userNameTaken = json != null && json.path("Resources").size() > 0;
        } else {
            r.current = json;
        }
    }

    /**
     * The apply-the-1password-guardrails step: every rule for the request's operation. The body to forward may be
     * rewritten (nested groups flattened); a user DELETE gets the user-delete rule's decision (suspend or delete).
     */
    public void apply(ScimRequest r) {
        if (!r.isMutating() || r.isNothingToChange() || r.operation == null) {
            return;
        }
        boolean users = isUsers(r);
        GroupLookup groups = new BridgeGroupLookup(bridge); // reads nothing unless a member is marked as a group
        switch (r.operation) {
            case create -> r.json = users ? guardrails.userCreate(r.json, r.userNameTaken)
                    : guardrails.groupCreate(r.json, groups);
            case replace -> r.json = users ? guardrails.userReplace(r.json, r.current)
                    : guardrails.groupReplace(r.json, r.current, groups);
            case patch -> r.json = users ? guardrails.userPatch(r.json, r.current)
                    : guardrails.groupPatch(r.json, r.current, groups);
            case delete -> {
                if (users) {
                    r.userDelete = guardrails.userDelete(r.id);
                } else {
                    guardrails.groupDelete(r.current);
                }
            }
            default -> {
            }
        }
        r.guardrail = "passed";
    }

    private static boolean isUsers(ScimRequest r) {
        return "Users".equals(r.resource);
    }

    private static JsonNode read(BridgeAnswer a) {
        try {
            return a.body().length == 0 ? null : ScimNodes.MAPPER.readTree(a.body());
        } catch (IOException notJson) {
            return null;
        }
    }

    /** The bridge's own error (its status, scimType and detail), as the IdP's answer. */
    private static ScimError refusedByTheBridge(int status, JsonNode error) {
        String detail = error == null ? null : ScimNodes.field(error, "detail") == null ? null
                : ScimNodes.field(error, "detail").asText();
        String scimType = error == null || ScimNodes.field(error, "scimType") == null ? null
                : ScimNodes.field(error, "scimType").asText();
        if (status < 400 || status > 599) {
            return new ScimError(502, null, "the SCIM bridge answered a look-up with HTTP " + status);
        }
        return new ScimError(status, scimType, detail != null ? detail : "the SCIM bridge answered HTTP " + status);
    }
}
