package io.opcamel.bridge;

import java.util.Map;

/**
 * What one call to the SCIM Bridge came to: its status, the headers worth passing on (Retry-After, Location) and
 * its body; or, with status 0, no answer at all (refused, reset, timed out), described by {@code failure}.
 * {@code attempts} is how many times call-scim-bridge tried the call to come to this answer (1 when the first try
 * was final; a create's look-up before it is sent again counts as the try it stands for).
 */
public record BridgeAnswer(int status, Map<String, String> headers, byte[] body, String failure, int attempts) {

    public BridgeAnswer {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
        attempts = Math.max(1, attempts);
    }

    /** An answer of one try. */
    public BridgeAnswer(int status, Map<String, String> headers, byte[] body, String failure) {
        this(status, headers, body, failure, 1);
    }

    public static BridgeAnswer noAnswer(String failure) {
        return new BridgeAnswer(0, Map.of(), new byte[0], failure);
    }

    public boolean answered() {
        return status > 0;
    }

    /** The same answer, come to after {@code attempts} tries. */
    public BridgeAnswer afterAttempts(int attempts) {
        return new BridgeAnswer(status, headers, body, failure, attempts);
    }

    @Override
    public String toString() {
        return answered() ? "HTTP " + status : "no answer (" + failure + ")";
    }
}
