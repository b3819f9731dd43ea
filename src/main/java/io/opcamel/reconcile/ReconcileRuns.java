package io.opcamel.reconcile;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The runs: one at a time (a trigger while one runs is refused with {@link ReconcileAlreadyRunning}: the REST
 * caller gets 409, the schedule logs it and skips), each with an id that sorts by time and names its report and its
 * commands' requestIds.
 */
public final class ReconcileRuns {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final boolean applyByDefault;
    private final DesiredStateSource source;
    private final AtomicReference<ReconcileRun> running = new AtomicReference<>();

    public ReconcileRuns(Clock clock, boolean applyByDefault, DesiredStateSource source) {
        this.clock = clock;
        this.applyByDefault = applyByDefault;
        this.source = source;
    }

    /** Starts a run for the trigger (null: an ESB's own call, applying as configured), unless one is running. */
    public ReconcileRun begin(ReconcileTrigger trigger) {
        ReconcileTrigger t = trigger == null ? ReconcileTrigger.direct() : trigger;
        Instant now = clock.instant();
        String id = ID_TIME.format(now) + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current()
                .nextInt());
        ReconcileRun run = new ReconcileRun(id, t.name(), t.apply() == null ? applyByDefault : t.apply(), now,
                source.kind() + " " + source.location());
        ReconcileRun other = running.compareAndExchange(null, run);
        if (other != null) {
            throw new ReconcileAlreadyRunning(other.id, t.name());
        }
        return run;
    }

    /** The desired state, as the source's route read it. */
    public void desired(ReconcileRun run, DesiredState desired) {
        run.desired = desired;
        run.desiredPeople = desired.size();
    }

    /** The run stops here: nothing (more) is applied, and the report says what failed where. */
    public void failed(ReconcileRun run, Exception e) {
        String stage = run.desired == null ? "reading the desired state (" + run.source + ")"
                : run.bridge == null ? "reading the bridge's users and groups" : "reconciling";
        // a malformed source names itself and the place; anything else is said with the stage it stopped in
        run.error = e instanceof SourceFormatException ? e.getMessage() : stage + ": "
                + (e instanceof IllegalStateException ? e.getMessage() : e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        run.applying = false;
        run.reason = run.applied ? "the run failed while applying: see each entry's outcome"
                : "the run failed: nothing was applied";
    }

    /** The run is over, whatever happened: its time, and what it no longer needs. */
    public void finish(ReconcileRun run) {
        run.finishedAt = clock.instant();
        if (run.bridge != null) {
            run.bridgeUsers = run.bridge.users().size();
            run.bridgeGroups = run.bridge.groupNames().size() + run.bridge.unidentifiedGroups().size();
            run.userPages = run.bridge.userPages();
            run.groupPages = run.bridge.groupPages();
        }
        // the report keeps what it shows; the people and users go
        run.desired = null;
        run.bridge = null;
    }

    /** Lets the next run start. */
    public void end(ReconcileRun run) {
        running.compareAndSet(run, null);
    }

    /** The run in progress, if any (tests hold one to see a second one refused). */
    public ReconcileRun running() {
        return running.get();
    }
}
