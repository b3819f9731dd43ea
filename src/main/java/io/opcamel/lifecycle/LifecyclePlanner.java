package io.opcamel.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.scim.Guardrails;
import io.opcamel.scim.ScimError;
import io.opcamel.bridge.BridgeAnswer;
import io.opcamel.bridge.BridgeRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.util.ObjectHelper;

/**
 * What a lifecycle command means in SCIM, step by step (apply-lifecycle-command calls one method per step): find the
 * person by userName; decide the user change (create, reactivate, update names or email, suspend) and check it with
 * the gateway's guardrails; find the groups the command names; then, only once everything was checked, send the
 * user change and the membership changes. Every step compares with what the bridge has and sends only the
 * difference, so a command sent again changes nothing.
 *
 * <p>Memberships: the command's {@code groups} is the whole set of managed groups the person must be in. A group is
 * managed when {@code onepassword.scim.guardrails.managed-groups} lists it, or, with that list empty, when it is not
 * one of 1Password's built-in groups (which SCIM must never change), so an HR system cannot take a person out of
 * Owners or Administrators by leaving them off its list. A group the bridge lists without its name is asked for by
 * id; one it still does not name parks the command (rule {@code unidentified-group}): it might be Owners.
 */
public final class LifecyclePlanner {

    static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    /** 1Password's built-in groups (bridge facts, "Managed groups / permissions"). */
    static final Set<String> BUILT_IN = Set.of("owners", "administrators", "team members", "security",
            "provision managers");

    private final Guardrails guardrails;
    private final List<String> managedGroups;

    public LifecyclePlanner(Guardrails guardrails, List<String> managedGroups) {
        this.guardrails = guardrails;
        this.managedGroups = managedGroups.stream().map(g -> g.trim().toLowerCase(Locale.ROOT)).toList();
    }

    /** Whether lifecycle commands may add people to this group or take them out of it. */
    public boolean managed(String displayName) {
        String name = displayName.trim().toLowerCase(Locale.ROOT);
        return managedGroups.isEmpty() ? !BUILT_IN.contains(name) : managedGroups.contains(name);
    }

    // ---- find the person ------------------------------------------------------------------------------------

    public BridgeRequest findPerson(LifecycleRun run) {
        return BridgeRequest.findBy("/Users", "userName", run.command.email());
    }

    /** A mover whose email change was applied already is found by the new address. */
    public BridgeRequest findPersonByNewEmail(LifecycleRun run) {
        run.lookedForNewEmail = true;
        return BridgeRequest.findBy("/Users", "userName", run.command.newEmail());
    }

    public void foundPerson(LifecycleRun run, BridgeAnswer answer) {
        JsonNode page = success(run, answer, "look up the person", 200);
        for (JsonNode user : page.path("Resources")) {
            String userName = user.path("userName").asText("");
            if (userName.equalsIgnoreCase(run.command.email())
                    || run.command.newEmail() != null && userName.equalsIgnoreCase(run.command.newEmail())) {
                run.current = user;
                run.userId = user.path("id").asText(null);
                run.memberOf.clear();
                for (JsonNode g : user.path("groups")) {
                    // "" when the bridge leaves display out: unknown, never taken for a managed group
                    run.memberOf.put(g.path("value").asText(), g.path("display").asText("").trim());
                }
                return;
            }
        }
    }

    // ---- name the person's groups the bridge did not name -------------------------------------------------------

    /**
     * GET /Groups/{id} for each of the person's groups whose {@code display} the bridge left out, when the command
     * sets memberships (a leaver does not): without a name, the planner cannot tell Engineering from Owners.
     */
    public List<BridgeRequest> unnamedGroupLookups(LifecycleRun run) {
        if (!setsMemberships(run.command)) {
            return List.of();
        }
        return unnamed(run).stream().map(id -> BridgeRequest.get("/Groups/" + id)).toList();
    }

    /** The group's displayName from GET /Groups/{id}; a 404 or an answer without one leaves it unknown. */
    public void namedGroup(LifecycleRun run, BridgeAnswer answer) {
        JsonNode group = success(run, answer, "look up a group by id", 200, 404);
        String id = group == null ? null : group.path("id").asText(null);
        String name = group == null ? "" : group.path("displayName").asText("").trim();
        if (answer.status() == 200 && id != null && run.memberOf.containsKey(id) && !name.isEmpty()) {
            run.memberOf.put(id, name);
        }
    }

    // ---- decide, before anything is written -------------------------------------------------------------------

    /** The user change the command needs, checked by the guardrails; a rejection here leaves the bridge untouched. */
    public void decide(LifecycleRun run) {
        LifecycleCommand c = run.command;
        JsonNode current = run.current;
        boolean exists = current != null;
        boolean active = exists && current.path("active").asBoolean(true);
        try {
            switch (c.type()) {
                case LEAVER -> {
                    if (active) {
                        patch(run, "suspend", List.of(replace("active", bool(false))));
                    }
                }
                case JOINER, REJOINER -> {
                    if (!exists) {
                        create(run);
                    } else if (!active && c.type() == LifecycleCommand.Type.JOINER) {
                        throw new LifecycleRejected("joiner-of-suspended-user", 422, c.email()
                                + " is suspended in 1Password; a joiner does not reactivate anyone: send a rejoiner");
                    } else {
                        update(run, !active);
                    }
                }
                case MOVER -> {
                    if (!exists) {
                        throw new LifecycleRejected("mover-of-unknown-user", 422, "no 1Password user has the userName "
                                + c.email() + (c.newEmail() == null ? "" : " or " + c.newEmail())
                                + ": send a joiner first");
                    }
                    update(run, false);
                }
                default -> throw new IllegalStateException(c.type().name());
            }
        } catch (ScimError refused) {
            throw new LifecycleRejected(refused.rule() == null ? "guardrail" : refused.rule(), 422,
                    refused.detail());
        }
        if (setsMemberships(c)) {
            List<String> unnamed = unnamed(run);
            if (!unnamed.isEmpty()) {
                // a group it cannot name may be Owners: left alone, and the whole command with it
                throw new LifecycleRejected("unidentified-group", 502, run.command.email() + " is in "
                        + (unnamed.size() == 1 ? "a group" : unnamed.size() + " groups") + " whose name the bridge "
                        + "does not give, even by id (" + String.join(", ", unnamed) + "): memberships are not "
                        + "changed without knowing which groups they are");
            }
            List<BridgeRequest> lookups = new ArrayList<>();
            for (String name : c.groups()) {
                if (!managed(name)) {
                    throw new LifecycleRejected("managed-groups", 422, "group '" + name + "' is not managed by "
                            + "lifecycle commands (" + (managedGroups.isEmpty() ? "a 1Password built-in group"
                            : "not in onepassword.scim.guardrails.managed-groups") + ")");
                }
                String known = idOf(run.memberOf, name);
                if (known != null) {
                    run.groupIds.put(name, known);
                } else {
                    lookups.add(BridgeRequest.findBy("/Groups", "displayName", name));
                }
            }
            run.groupLookups = lookups;
        }
    }

    private void create(LifecycleRun run) {
        LifecycleCommand c = run.command;
        ObjectNode user = LifecycleCommands.JSON.createObjectNode();
        user.putArray("schemas").add(USER_SCHEMA);
        user.put("userName", c.targetEmail());
        ObjectNode name = user.putObject("name");
        name.put("givenName", c.givenName());
        name.put("familyName", c.familyName());
        user.putArray("emails").addObject().put("value", c.targetEmail()).put("primary", true);
        user.put("active", true);
        guardrails.userCreate(user, false);
        run.userAction = "create user";
        run.userChange = new BridgeRequest("POST", "/Users", null, bytes(user), "userName", c.targetEmail());
    }

    /** Names and email to what the command says, reactivating first when asked. */
    private void update(LifecycleRun run, boolean reactivate) {
        LifecycleCommand c = run.command;
        JsonNode current = run.current;
        List<ObjectNode> ops = new ArrayList<>();
        List<String> what = new ArrayList<>();
        if (reactivate) {
            ops.add(replace("active", bool(true)));
        }
        if (c.givenName() != null && !c.givenName().equals(current.path("name").path("givenName").asText(null))) {
            ops.add(replace("name.givenName", LifecycleCommands.JSON.getNodeFactory().textNode(c.givenName())));
            what.add("givenName");
        }
        if (c.familyName() != null && !c.familyName().equals(current.path("name").path("familyName").asText(null))) {
            ops.add(replace("name.familyName", LifecycleCommands.JSON.getNodeFactory().textNode(c.familyName())));
            what.add("familyName");
        }
        String userName = current.path("userName").asText("");
        if (!userName.equalsIgnoreCase(c.targetEmail())) {
            ops.add(replace("userName", LifecycleCommands.JSON.getNodeFactory().textNode(c.targetEmail())));
            ArrayNode emails = LifecycleCommands.JSON.createArrayNode();
            emails.addObject().put("value", c.targetEmail()).put("primary", true);
            ops.add(replace("emails", emails));
            what.add("email");
        }
        if (!ops.isEmpty()) {
            // checked as the gateway checks an IdP's PATCH: allowed domains, and no email change of a suspended user
            guardrails.userPatch(patchOp(ops), current);
            String update = what.isEmpty() ? "" : "update " + String.join(", ", what);
            patch(run, reactivate ? (what.isEmpty() ? "reactivate" : "reactivate, " + update) : update, ops);
        }
    }

    private void patch(LifecycleRun run, String action, List<ObjectNode> ops) {
        run.userAction = action;
        run.userChange = BridgeRequest.of("PATCH", "/Users/" + run.userId, null, bytes(patchOp(ops)));
    }

    // ---- groups -----------------------------------------------------------------------------------------------

    public void foundGroup(LifecycleRun run, BridgeAnswer answer) {
        JsonNode page = success(run, answer, "look up a group", 200);
        for (String name : run.command.groups()) {
            for (JsonNode g : page.path("Resources")) {
                if (g.path("displayName").asText("").equalsIgnoreCase(name)) {
                    run.groupIds.put(name, g.path("id").asText());
                }
            }
        }
    }

    /** Every group the command names must exist: a missing one rejects the command before anything is sent. */
    public void checkGroupsExist(LifecycleRun run) {
        if (!setsMemberships(run.command)) {
            return;
        }
        List<String> missing = run.command.groups().stream().filter(g -> !run.groupIds.containsKey(g)).toList();
        if (!missing.isEmpty()) {
            throw new LifecycleRejected("unknown-group", 422, "no 1Password group is named "
                    + String.join(", ", missing.stream().map(m -> "'" + m + "'").toList())
                    + ": create it (or have the IdP push it) first");
        }
    }

    // ---- write ------------------------------------------------------------------------------------------------

    public void userChanged(LifecycleRun run, BridgeAnswer answer) {
        if (answer.answered() && answer.status() == 409 && run.changes.isEmpty()) {
            // 1Password refuses the change itself (a mover's new email is another user's userName): nothing was
            // written, and sending it again cannot help; a rejection, not a bridge failure (that was a 502)
            throw new LifecycleRejected("uniqueness", 422, "1Password refused '" + run.userAction + "' with HTTP 409"
                    + detail(answer));
        }
        JsonNode user = success(run, answer, run.userAction, 200, 201, 204);
        if (user != null && user.hasNonNull("id")) {
            run.userId = user.path("id").asText();
        }
        run.changes.add(run.userAction);
    }

    /** One membership to change: the PATCH to send, and what it does in words. */
    public record Membership(String what, BridgeRequest request) {
    }

    /** The PATCHes of the person's memberships: adds to the named groups, removals from other managed groups. */
    public List<Membership> membershipChanges(LifecycleRun run) {
        List<Membership> out = new ArrayList<>();
        run.notDone.clear();
        if (!setsMemberships(run.command)) {
            return out;
        }
        for (Map.Entry<String, String> g : run.groupIds.entrySet()) {
            if (!run.memberOf.containsKey(g.getValue())) {
                ObjectNode op = LifecycleCommands.JSON.createObjectNode().put("op", "add").put("path", "members");
                op.putArray("value").addObject().put("value", run.userId);
                out.add(groupPatch(g.getValue(), op, "add to group " + g.getKey()));
                run.notDone.add("add to group " + g.getKey());
            }
        }
        for (Map.Entry<String, String> g : run.memberOf.entrySet()) {
            if (!run.groupIds.containsValue(g.getKey()) && !g.getValue().isEmpty() && managed(g.getValue())) {
                ObjectNode op = LifecycleCommands.JSON.createObjectNode().put("op", "remove")
                        .put("path", "members[value eq \"" + run.userId + "\"]");
                out.add(groupPatch(g.getKey(), op, "remove from group " + g.getValue()));
                run.notDone.add("remove from group " + g.getValue());
            }
        }
        return out;
    }

    private static Membership groupPatch(String groupId, ObjectNode op, String what) {
        return new Membership(what, BridgeRequest.of("PATCH", "/Groups/" + groupId, null, bytes(patchOp(List.of(op)))));
    }

    public void membershipChanged(LifecycleRun run, Membership sent, BridgeAnswer answer) {
        success(run, answer, sent.what(), 200, 204);
        run.changes.add(sent.what());
        run.notDone.remove(sent.what());
    }

    // ---- the end ----------------------------------------------------------------------------------------------

    /** After the last step: applied when anything was sent, unchanged otherwise. */
    public void finish(LifecycleRun run) {
        if (run.outcome == null) {
            run.outcome = run.changes.isEmpty() ? LifecycleRun.Outcome.UNCHANGED : LifecycleRun.Outcome.APPLIED;
            run.status = 200;
        }
    }

    /** Refused by a rule before anything was written (thrown by a step, perhaps from within a split). */
    public void rejected(LifecycleRun run, Exception e) {
        run.reject(ObjectHelper.getException(LifecycleRejected.class, e));
    }

    /** A failure after the retries, or anything unexpected: the command is parked; what was done is listed. */
    public void failed(LifecycleRun run, Exception thrown) {
        LifecycleFailed bridge = ObjectHelper.getException(LifecycleFailed.class, thrown);
        Exception e = bridge != null ? bridge : thrown;
        run.outcome = LifecycleRun.Outcome.FAILED;
        run.rule = "bridge";
        run.status = 502;
        LedgerUnavailable ledger = ObjectHelper.getException(LedgerUnavailable.class, thrown);
        if (e instanceof LifecycleFailed f) {
            run.reason = f.getMessage();
            run.attempts = f.attempts();
            run.bridgeStatus = f.bridgeStatus();
        } else if (ledger != null) {
            run.reason = ledger.getMessage();
            run.status = 503;
            run.rule = "ledger";
        } else {
            run.reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            run.status = 500;
            run.rule = "internal";
        }
        if (run.userChange != null && !run.changes.contains(run.userAction) && !run.notDone.contains(run.userAction)) {
            run.notDone.add(0, run.userAction);
        }
    }

    /** The result of the command: what a REST caller gets, what the results topic carries. */
    public String result(LifecycleRun run) {
        if (run.previousResult != null) {
            ObjectNode again = ((ObjectNode) run.previousResult).deepCopy();
            again.put("outcome", "replayed");
            again.put("firstOutcome", run.previousResult.path("outcome").asText());
            return write(again);
        }
        return write(resultJson(run));
    }

    ObjectNode resultJson(LifecycleRun run) {
        ObjectNode o = LifecycleCommands.JSON.createObjectNode();
        LifecycleCommand c = run.command;
        o.put("requestId", c == null ? run.requestIdHint : c.requestId());
        o.put("type", c == null ? null : c.type().label());
        o.put("email", c == null ? null : c.email());
        if (c != null && c.newEmail() != null) {
            o.put("newEmail", c.newEmail());
        }
        o.put("outcome", run.outcome.name().toLowerCase(Locale.ROOT));
        if (run.rule != null) {
            o.put("rule", run.rule);
        }
        if (run.reason != null) {
            o.put("reason", run.reason);
        }
        o.put("userId", run.userId);
        ArrayNode changes = o.putArray("changes");
        run.changes.forEach(changes::add);
        if (run.outcome == LifecycleRun.Outcome.FAILED) {
            ArrayNode notDone = o.putArray("notApplied");
            run.notDone.forEach(notDone::add);
            o.put("attempts", run.attempts);
            if (run.bridgeStatus != null) {
                o.put("bridgeStatus", run.bridgeStatus);
            }
        }
        return o;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** The answer's JSON when its status is one of {@code ok} (null for an empty body); a failure otherwise. */
    private static JsonNode success(LifecycleRun run, BridgeAnswer answer, String step, int... ok) {
        int attempts = answer.attempts();
        run.attempts = Math.max(run.attempts, attempts);
        for (int s : ok) {
            if (answer.status() == s) {
                try {
                    return answer.body().length == 0 ? null : LifecycleCommands.JSON.readTree(answer.body());
                } catch (IOException e) {
                    throw new LifecycleFailed("the bridge answered '" + step + "' with HTTP " + s
                            + " and a body that is not JSON", s, attempts);
                }
            }
        }
        throw new LifecycleFailed(answer.answered()
                ? "the bridge answered '" + step + "' with HTTP " + answer.status() + detail(answer)
                : "the bridge did not answer '" + step + "' (" + answer.failure() + ")", answer.status(), attempts);
    }

    private static String detail(BridgeAnswer answer) {
        try {
            JsonNode e = LifecycleCommands.JSON.readTree(answer.body());
            String d = e == null ? null : e.path("detail").asText(null);
            return d == null ? "" : ": " + LifecycleCommands.printable(d);
        } catch (IOException notJson) {
            return "";
        }
    }

    /** The ids of the person's groups the bridge has not named. */
    private static List<String> unnamed(LifecycleRun run) {
        return run.memberOf.entrySet().stream().filter(g -> g.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    /** A leaver keeps their memberships (suspension is enough); a command without groups leaves them as they are. */
    private static boolean setsMemberships(LifecycleCommand c) {
        return c.groups() != null && c.type() != LifecycleCommand.Type.LEAVER;
    }

    private static String idOf(Map<String, String> memberOf, String name) {
        for (Map.Entry<String, String> e : memberOf.entrySet()) {
            if (e.getValue().equalsIgnoreCase(name)) {
                return e.getKey();
            }
        }
        return null;
    }

    private static ObjectNode replace(String path, JsonNode value) {
        ObjectNode op = LifecycleCommands.JSON.createObjectNode().put("op", "replace").put("path", path);
        op.set("value", value);
        return op;
    }

    private static JsonNode bool(boolean b) {
        return LifecycleCommands.JSON.getNodeFactory().booleanNode(b);
    }

    private static ObjectNode patchOp(List<ObjectNode> ops) {
        ObjectNode p = LifecycleCommands.JSON.createObjectNode();
        p.putArray("schemas").add(PATCH_SCHEMA);
        ArrayNode a = p.putArray("Operations");
        ops.forEach(a::add);
        return p;
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return LifecycleCommands.JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String write(JsonNode n) {
        try {
            return LifecycleCommands.JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
