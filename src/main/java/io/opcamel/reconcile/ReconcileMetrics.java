package io.opcamel.reconcile;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;

/**
 * Reconciliation's meters: the last completed run's drift by kind (gauges, {@code onepassword.reconcile.drift}, tag
 * {@code kind}), when a run last finished and last completed (Unix time), how long runs take (a timer, tag
 * {@code status}), runs by status and whether they applied, and the commands applied by outcome. Every gauge exists
 * from the start (NaN until a run says otherwise), so an alert on a schedule that never ran has something to read.
 */
public final class ReconcileMetrics {

    public static final String PREFIX = "onepassword.reconcile.";

    private final MeterRegistry registry;
    private final Map<DriftKind, Double> drift = new EnumMap<>(DriftKind.class);
    private volatile double lastRun = Double.NaN;
    private volatile double lastSuccess = Double.NaN;

    public ReconcileMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (DriftKind k : DriftKind.values()) {
            drift.put(k, Double.NaN);
            Gauge.builder(PREFIX + "drift", drift, d -> d.get(k)).description("people with this kind of drift in "
                    + "the last completed reconciliation").tags("kind", k.label()).register(registry);
        }
        Gauge.builder(PREFIX + "last.run", this, m -> m.lastRun).description("when a reconciliation last finished, "
                + "completed or failed (Unix time)").baseUnit("seconds").register(registry);
        Gauge.builder(PREFIX + "last.success", this, m -> m.lastSuccess).description("when a reconciliation last "
                + "completed (Unix time)").baseUnit("seconds").register(registry);
    }

    /** After a run, completed or failed. */
    public void ran(ReconcileRun run) {
        String status = run.isFailed() ? "failed" : "completed";
        Timer.builder(PREFIX + "duration").description("how long a reconciliation run took").tags("status", status)
                .register(registry).record(run.duration());
        registry.counter(PREFIX + "runs", "status", status, "applied", Boolean.toString(run.applied)).increment();
        run.outcomes.forEach((outcome, n) -> registry.counter(PREFIX + "commands", "outcome", outcome).increment(n));
        double finished = run.finishedAt.toEpochMilli() / 1000.0;
        lastRun = finished;
        if (!run.isFailed()) {
            lastSuccess = finished;
            for (DriftKind k : DriftKind.values()) {
                drift.put(k, (double) run.count(k));
            }
        }
    }

    /** A trigger came while a run was going on. */
    public void skipped() {
        registry.counter(PREFIX + "runs", "status", "skipped", "applied", "false").increment();
    }

    /** The report could not be written to its sink. */
    public void reportLost() {
        registry.counter(PREFIX + "report.failures").increment();
    }
}
