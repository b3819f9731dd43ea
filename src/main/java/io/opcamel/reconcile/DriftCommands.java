package io.opcamel.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns each person's drift into one lifecycle command for direct:run-lifecycle-command (the same route HR systems'
 * commands take, with its idempotence, guardrails and dead letters): missing is a joiner, suspended a rejoiner,
 * extra a leaver, attributes or groups a mover; and notes what became of it.
 *
 * <p>A command's {@code groups} is every managed group the person must end in. The lifecycle route manages the
 * groups {@code onepassword.scim.guardrails.managed-groups} lists, or, with none listed, every group but 1Password's
 * built-in ones; this run may manage fewer (only the groups the source names, by default). So the person's other
 * groups that the lifecycle route would take them out of are named too: a command changes only what the report
 * says.
 */
public final class DriftCommands {

    private static final String HELD = "the bridge does not name some of the person's groups, even by id: "
            + "memberships are not changed without knowing which groups they are";

    /** Which groups the lifecycle route may add people to or take them out of (LifecyclePlanner#managed). */
    private final Predicate<String> lifecycleManages;

    public DriftCommands(Predicate<String> lifecycleManages) {
        this.lifecycleManages = lifecycleManages;
    }

    /**
     * The entries to apply, in the report's order; each becomes one command. A person in a group the bridge does not
     * name keeps their memberships: only the rest of their drift is applied, and with none left they are held.
     */
    public List<DriftEntry> toApply(ReconcileRun run) {
        List<DriftEntry> apply = new ArrayList<>();
        int n = 0;
        for (DriftEntry e : run.entries) {
            boolean unidentified = !e.unidentifiedGroups.isEmpty();
            if (unidentified && e.kinds.stream().allMatch(k -> k == DriftKind.GROUPS)) {
                e.outcome = "held";
                e.reason = HELD;
                run.outcomes.merge(e.outcome, 1, Integer::sum);
                continue;
            }
            e.requestId = "reconcile-" + run.id + "-" + (++n);
            e.commandType = type(e);
            apply.add(e);
        }
        return apply;
    }


    /** The command's JSON (the lifecycle route's contract). */
    public String command(DriftEntry e) throws IOException {
        ObjectNode c = JsonPeople.JSON.createObjectNode();
        c.put("requestId", e.requestId);
        c.put("type", e.commandType);
        c.put("email", e.email);
        if (e.desired != null) {
            c.put("givenName", e.desired.givenName());
            c.put("familyName", e.desired.familyName());
            // without groups the lifecycle route leaves memberships alone
            if (e.wantedGroups != null && e.unidentifiedGroups.isEmpty()) {
                List<String> groups = new ArrayList<>(e.wantedGroups);
                e.otherGroups.stream().filter(this::lifecycleManages).forEach(groups::add);
                groups.forEach(c.putArray("groups")::add);
            }
        }
        c.put("source", "reconcile");
        return JsonPeople.JSON.writeValueAsString(c);
    }

    /** What the lifecycle route answered. */
    public void done(ReconcileRun run, DriftEntry e, String result) {
        try {
            JsonNode r = JsonPeople.JSON.readTree(result);
            e.outcome = r.path("outcome").isTextual() ? r.path("outcome").textValue() : "failed";
            e.reason = r.path("reason").isTextual() ? r.path("reason").textValue()
                    : r.has("outcome") ? null : "the lifecycle route answered no outcome";
        } catch (IOException | RuntimeException notAResult) {
            e.outcome = "failed";
            e.reason = "the lifecycle route answered something that is not a result";
        }
        run.outcomes.merge(e.outcome, 1, Integer::sum);
    }

    /** The command could not be run at all (the route threw): the others still are. */
    public void failed(ReconcileRun run, DriftEntry e, Exception failure) {
        e.outcome = "failed";
        e.reason = failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": "
                + failure.getMessage());
        run.outcomes.merge(e.outcome, 1, Integer::sum);
    }

    private static String type(DriftEntry e) {
        if (e.kinds.contains(DriftKind.MISSING)) {
            return "joiner";
        }
        if (e.kinds.contains(DriftKind.SUSPENDED)) {
            return "rejoiner";
        }
        return e.kinds.contains(DriftKind.EXTRA) ? "leaver" : "mover";
    }

    private boolean lifecycleManages(String group) {
        return lifecycleManages.test(group);
    }
}
