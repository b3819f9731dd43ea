package io.opcamel.reconcile;

/** A run was asked for while another one runs: runs never overlap, so this one does not start. */
public class ReconcileAlreadyRunning extends RuntimeException {

    public ReconcileAlreadyRunning(String runningId, String trigger) {
        super("a reconciliation is already running (run " + runningId + "); this " + trigger + " run was skipped");
    }
}
