package io.opcamel.lifecycle;

/**
 * A command that is not carried out because of what it says or of the state the person is in, decided before
 * anything is written to the bridge: never retried, answered at once, and parked on the dead-letter destination
 * with the {@code rule} that refused it. {@code status} is the HTTP status a REST caller gets.
 */
public final class LifecycleRejected extends RuntimeException {

    private final String rule;
    private final int status;

    public LifecycleRejected(String rule, int status, String detail) {
        super(detail, null, false, false);
        this.rule = rule;
        this.status = status;
    }

    /** An invalid command: it cannot be read, or a field is missing or wrong. */
    static LifecycleRejected invalid(String detail) {
        return new LifecycleRejected("invalid-command", 400, detail);
    }

    public String rule() {
        return rule;
    }

    public int status() {
        return status;
    }
}
