package io.opcamel.bridge;

/**
 * A try of a call to the SCIM bridge that the bridge may answer better later: a 429, a 5xx, or no answer at all.
 * Only this failure is retried by call-scim-bridge (retry-scim-bridge-calls, {@link ScimBridgeRetries#retry}); when
 * it is not tried again, its answer is the caller's.
 */
public final class ScimBridgeCallException extends RuntimeException {

    private final transient BridgeRequest request;
    private final transient BridgeAnswer answer;

    public ScimBridgeCallException(BridgeRequest request, BridgeAnswer answer) {
        super("SCIM bridge " + request + ": " + answer, null, false, false);
        this.request = request;
        this.answer = answer;
    }

    public BridgeRequest request() {
        return request;
    }

    /** The bridge's answer to this try, with the number of tries so far. */
    public BridgeAnswer answer() {
        return answer;
    }
}
