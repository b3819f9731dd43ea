package io.opcamel.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One reconciliation run on its way through run-reconciliation: the exchange property {@code reconcileRun}. Each
 * step's bean fills in its part (the desired state, the bridge's, the drift, the decision to apply, each command's
 * outcome); the routes read the flags below to choose their next step, and {@link DriftReports} writes it all out.
 */
public final class ReconcileRun {

    final String id;
    final String trigger;
    final boolean applyRequested;
    final Instant startedAt;
    final String source;
    Instant finishedAt;

    DesiredState desired;
    BridgeState bridge;
    int desiredPeople;
    int bridgeUsers;
    int bridgeGroups;
    int userPages;
    int groupPages;

    List<DriftEntry> entries = List.of();
    final Map<DriftKind, Integer> counts = new EnumMap<>(DriftKind.class);
    int activeInScope;
    /** group names in scope ("every group the source names" when none are configured) */
    List<String> managedGroups = List.of();
    /** "source" or the property that lists them; null until the run compared */
    String managedGroupsFrom;
    int ignoredUsers;
    /** groups people are given that are not managed: left alone, and named in the report */
    final TreeSet<String> groupsOutOfScope = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    boolean thresholdExceeded;
    boolean applying;
    boolean applied;
    String reason;
    final Map<String, Integer> outcomes = new TreeMap<>();

    String error;
    String report;

    ReconcileRun(String id, String trigger, boolean applyRequested, Instant startedAt, String source) {
        this.id = id;
        this.trigger = trigger;
        this.applyRequested = applyRequested;
        this.startedAt = startedAt;
        this.source = source;
    }

    public String getId() {
        return id;
    }

    public String getTrigger() {
        return trigger;
    }

    /** The threshold refused to apply: the route says so at WARN. */
    public boolean isRefused() {
        return applyRequested && thresholdExceeded && error == null;
    }

    /** The drift is to be applied (asked for, and within the threshold). */
    public boolean isApplying() {
        return applying;
    }

    public boolean isFailed() {
        return error != null;
    }

    /** The JSON report, once the run finished. */
    public String getReport() {
        return report;
    }

    public String getReason() {
        return reason;
    }

    public String getError() {
        return error;
    }

    public int count(DriftKind kind) {
        return counts.getOrDefault(kind, 0);
    }

    public List<DriftEntry> entries() {
        return entries;
    }

    public Duration duration() {
        return Duration.between(startedAt, finishedAt == null ? startedAt : finishedAt);
    }

    /** The log's one line about the run. */
    public String getSummary() {
        StringBuilder b = new StringBuilder();
        if (error != null) {
            return b.append("failed after ").append(duration().toMillis()).append(" ms, nothing applied: ")
                    .append(error).toString();
        }
        b.append("done in ").append(duration().toMillis()).append(" ms: ").append(desiredPeople)
                .append(" people desired (").append(source).append("), ").append(bridgeUsers)
                .append(" users in the bridge (").append(userPages).append(" pages); drift:");
        for (DriftKind k : DriftKind.values()) {
            b.append(' ').append(k.label()).append(' ').append(count(k));
        }
        b.append("; ");
        if (applied) {
            b.append("applied: ").append(outcomes.isEmpty() ? "nothing to apply" : outcomes.toString());
        } else {
            b.append(reason);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "reconciliation " + id;
    }
}
