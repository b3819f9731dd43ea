package io.opcamel.sandbox;

/** One simulated 1Password API (Events API, SCIM Bridge): a request in, a response out. */
public interface SandboxApi {

    /** Which fault switches apply to this API. */
    Faults faults();

    /** The key that rate limits count per (the token, or the account behind it); null when unauthenticated. */
    String rateLimitKey(SandboxRequest request);

    /** True when the request carries a cursor (so the invalid-cursor fault may hit it). */
    default boolean carriesCursor(SandboxRequest request) {
        return false;
    }

    /** The error body this API sends with the given status, in its own wire format. */
    SandboxResponse error(int status, String message);

    SandboxResponse handle(SandboxRequest request);
}
