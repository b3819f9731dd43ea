package io.opcamel.sandbox;

/**
 * One request that reached the sandbox, in arrival order. The token is never kept: only a short fingerprint,
 * so a test can tell tokens apart without a secret landing in a log.
 */
public record LoggedRequest(long seq, long receivedAtMillis, String api, String method, String path, String query,
        String tokenFingerprint, String body, int status, String fault) {
}
