package io.opcamel.reconcile;

/**
 * Who asked for a run ({@code schedule}, {@code on-demand}, or an ESB's own route: {@code direct}) and whether it may
 * apply the drift (null: as {@code onepassword.reconcile.apply} says).
 */
public record ReconcileTrigger(String name, Boolean apply) {

    public static ReconcileTrigger scheduled() {
        return new ReconcileTrigger("schedule", null);
    }

    public static ReconcileTrigger direct() {
        return new ReconcileTrigger("direct", null);
    }
}
