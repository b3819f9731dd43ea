package io.opcamel.reconcile;

import java.util.Locale;

/**
 * Whether a run may apply its drift. Apply must be asked for ({@code onepassword.reconcile.apply}, or
 * {@code apply=true} on the on-demand call), and the suspensions it would make (the {@code extra} people) must stay
 * within both limits, like Entra ID's accidental-deletion threshold: at most {@code max-suspensions} people, and at
 * most {@code max-suspension-percent} of the active users in scope. Past either, nothing at all is applied (not even
 * the joiners): a source that lost half its people is a broken export, not half the company leaving.
 */
public final class SuspensionThreshold {

    public static final String MAX = "onepassword.reconcile.max-suspensions";
    public static final String MAX_PERCENT = "onepassword.reconcile.max-suspension-percent";

    private final int maxSuspensions;
    private final int maxPercent;

    public SuspensionThreshold(int maxSuspensions, int maxPercent) {
        this.maxSuspensions = maxSuspensions;
        this.maxPercent = maxPercent;
    }

    public void decide(ReconcileRun run) {
        int suspensions = run.count(DriftKind.EXTRA);
        boolean overCount = suspensions > maxSuspensions;
        // suspensions / active > maxPercent / 100, in whole numbers
        boolean overPercent = (long) suspensions * 100 > (long) maxPercent * run.activeInScope;
        run.thresholdExceeded = overCount || overPercent;
        if (!run.applyRequested) {
            run.reason = "apply is off for this run (onepassword.reconcile.apply=false, or apply=false on the "
                    + "request): the drift is reported only" + (run.thresholdExceeded ? "; " + explain(run,
                    suspensions, overCount, overPercent) + ", so an apply would be refused too" : "");
            return;
        }
        if (run.thresholdExceeded) {
            run.reason = "nothing applied: " + explain(run, suspensions, overCount, overPercent);
            return;
        }
        run.applying = true;
        run.applied = true;
        run.reason = null;
    }

    private String explain(ReconcileRun run, int suspensions, boolean overCount, boolean overPercent) {
        String percent = run.activeInScope == 0 ? "all" : String.format(Locale.ROOT, "%.2f%%",
                suspensions * 100.0 / run.activeInScope);
        return "the run would suspend " + suspensions + (suspensions == 1 ? " user, " : " users, ") + (overCount ? "more than" : "within") + " "
                + MAX + "=" + maxSuspensions + "; that is " + percent + " of the " + run.activeInScope
                + " active users in scope, " + (overPercent ? "more than" : "within") + " " + MAX_PERCENT + "="
                + maxPercent + "%";
    }

    public int maxSuspensions() {
        return maxSuspensions;
    }

    public int maxPercent() {
        return maxPercent;
    }
}
