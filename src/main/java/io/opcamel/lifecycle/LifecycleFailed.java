package io.opcamel.lifecycle;

/**
 * A command the bridge did not let through: a call that still had no answer or no success after call-scim-bridge's
 * retries. {@code attempts} is how many times that call was sent. What the command changed before it is listed
 * with it on the dead-letter record, so nothing is half-applied silently; sending the command again (with a new
 * requestId, or the same one: a failure is not remembered) finishes the job, as every step compares before it writes.
 */
public final class LifecycleFailed extends RuntimeException {

    private final int attempts;
    private final int bridgeStatus;

    public LifecycleFailed(String detail, int bridgeStatus, int attempts) {
        super(detail, null, false, false);
        this.bridgeStatus = bridgeStatus;
        this.attempts = attempts;
    }

    public int attempts() {
        return attempts;
    }

    public int bridgeStatus() {
        return bridgeStatus;
    }
}
