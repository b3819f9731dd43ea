package io.opcamel.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The drift report: one JSON document per run (docs/reconciliation.md shows it), written to
 * {@code onepassword.reconcile.report.sink}: a file {@code <report.dir>/drift-<run id>.json}, or a record on
 * {@code report.topic} keyed by the run id. It names people by email and 1Password id, never a token.
 */
public final class DriftReports {

    private final String sink;
    private final Path dir;
    private final String topic;
    private final SuspensionThreshold threshold;

    public DriftReports(String sink, Path dir, String topic, SuspensionThreshold threshold) {
        this.sink = sink;
        this.dir = dir;
        this.topic = topic;
        this.threshold = threshold;
    }

    /** The report of a finished run, kept on the run as well (the on-demand caller gets it). */
    public String json(ReconcileRun run) throws JsonProcessingException {
        ObjectNode r = JsonPeople.JSON.createObjectNode();
        r.put("runId", run.id);
        r.put("trigger", run.trigger);
        r.put("status", run.error == null ? "completed" : "failed");
        r.put("error", run.error);
        r.put("startedAt", run.startedAt.toString());
        r.put("finishedAt", run.finishedAt == null ? null : run.finishedAt.toString());
        r.put("durationMs", run.duration().toMillis());
        r.put("source", run.source);
        r.put("desiredPeople", run.desiredPeople);
        ObjectNode bridge = r.putObject("bridge");
        bridge.put("users", run.bridgeUsers);
        bridge.put("groups", run.bridgeGroups);
        bridge.put("userPages", run.userPages);
        bridge.put("groupPages", run.groupPages);
        ObjectNode scope = r.putObject("scope");
        ArrayNode managed = scope.putArray("managedGroups");
        run.managedGroups.forEach(managed::add);
        scope.put("managedGroupsFrom", run.managedGroupsFrom);
        ArrayNode outOfScope = scope.putArray("groupsOutOfScope");
        run.groupsOutOfScope.forEach(outOfScope::add);
        scope.put("ignoredUsers", run.ignoredUsers);
        scope.put("activeUsers", run.activeInScope);
        ObjectNode counts = r.putObject("counts");
        for (DriftKind k : DriftKind.values()) {
            counts.put(k.label(), run.count(k));
        }
        r.put("apply", run.applyRequested);
        r.put("applied", run.applied);
        r.put("reason", run.reason);
        ObjectNode limits = r.putObject("threshold");
        limits.put("suspensions", run.count(DriftKind.EXTRA));
        limits.put("maxSuspensions", threshold.maxSuspensions());
        limits.put("maxSuspensionPercent", threshold.maxPercent());
        limits.put("exceeded", run.thresholdExceeded);
        ObjectNode outcomes = r.putObject("outcomes");
        run.outcomes.forEach(outcomes::put);
        ArrayNode entries = r.putArray("entries");
        for (DriftEntry e : run.entries) {
            entries.add(entry(e));
        }
        run.report = JsonPeople.JSON.writeValueAsString(r);
        return run.report;
    }

    private static ObjectNode entry(DriftEntry e) {
        ObjectNode o = JsonPeople.JSON.createObjectNode();
        o.put("email", e.email);
        o.put("userId", e.userId);
        ArrayNode kinds = o.putArray("kinds");
        e.kinds.forEach(k -> kinds.add(k.label()));
        if (e.kinds.contains(DriftKind.MISSING)) {
            ObjectNode d = o.putObject("desired");
            d.put("givenName", e.desired.givenName());
            d.put("familyName", e.desired.familyName());
            if (e.wantedGroups != null) {
                e.wantedGroups.forEach(d.putArray("groups")::add);
            }
        }
        if (!e.attributes.isEmpty()) {
            ObjectNode a = o.putObject("attributes");
            for (Map.Entry<String, String[]> x : e.attributes.entrySet()) {
                a.putObject(x.getKey()).put("bridge", x.getValue()[0]).put("desired", x.getValue()[1]);
            }
        }
        if (e.kinds.contains(DriftKind.GROUPS)) {
            ObjectNode g = o.putObject("groups");
            names(g.putArray("add"), e.groupsToAdd);
            names(g.putArray("remove"), e.groupsToRemove);
        }
        if (!e.unidentifiedGroups.isEmpty()) {
            names(o.putArray("unidentifiedGroups"), e.unidentifiedGroups);
        }
        if (e.requestId != null || e.outcome != null) {
            ObjectNode c = o.putObject("command");
            c.put("requestId", e.requestId);
            c.put("type", e.commandType);
            c.put("outcome", e.outcome);
            c.put("reason", e.reason);
        }
        return o;
    }

    private static void names(ArrayNode into, List<String> names) {
        names.forEach(into::add);
    }

    /** The report's file name (the file sink). */
    public String fileName(ReconcileRun run) {
        return "drift-" + run.id + ".json";
    }

    /** Where the report goes, for the log. */
    public String location(ReconcileRun run) {
        return sink.equals("file") ? dir.resolve(fileName(run)).toString() : "Kafka topic " + topic;
    }
}
