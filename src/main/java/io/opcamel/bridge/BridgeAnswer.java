package io.opcamel.bridge;

import java.util.Map;

/**
 * What one call to the SCIM Bridge came to: its status, the headers worth passing on (Retry-After, Location) and
 * its body; or, with status 0, no answer at all (refused, reset, timed out), described by {@code failure}.
 */
public record BridgeAnswer(int status, Map<String, String> headers, byte[] body, String failure) {

    public BridgeAnswer {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public static BridgeAnswer noAnswer(String failure) {
        return new BridgeAnswer(0, Map.of(), new byte[0], failure);
    }

    public boolean answered() {
        return status > 0;
    }

    @Override
    public String toString() {
        return answered() ? "HTTP " + status : "no answer (" + failure + ")";
    }
}
