package io.opcamel.scim.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.scim.ScimRequestNormaliser;
import io.opcamel.scim.UserDelete;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One IdP request as it passes through the gateway: what was asked (read once from the HTTP request, whose headers
 * are then dropped), who asked, and what it came to (the answer, the bridge's status, the guardrails' outcome).
 * The audit record and the metrics are written from it. It holds the IdP's Authorization header only until the
 * authentication step has read it.
 */
public final class ScimRequest {

    /** The operation names used in metrics and audit records. */
    public enum Operation { list, get, create, replace, patch, delete, discovery }

    final long startNanos = System.nanoTime();
    final String method;
    /** The raw request URI (path and query) as the IdP sent it. */
    final String rawUri;
    /** Until authenticated: then null, so the token does not travel with the request through the routes. */
    String authorization;
    final String contentType;
    final byte[] body;

    String resource;
    String id;
    Operation operation;
    final Map<String, String> query = new LinkedHashMap<>();
    JsonNode json;
    String idp;
    boolean dryRun;

    /**
     * The guardrails' outcome: "passed", "rejected:&lt;rule&gt;", or "not-applied" (a read, or a PATCH that came to
     * nothing); the audit trail says "not-reached" when an earlier check refused the request.
     */
    String guardrail = "not-applied";
    /** The Retry-After of a bridge look-up that was refused (429, 503), passed on with the error it becomes. */
    String bridgeRetryAfter;
    /** The user or group as the bridge has it now, when a guardrail needed it (PUT, PATCH, DELETE). */
    JsonNode current;
    /** For a user create the duplicate-create guardrail checks: whether the bridge has the userName already. */
    boolean userNameTaken;
    /** What a user DELETE is sent as (the user-delete guardrail's decision); null for any other request. */
    UserDelete userDelete;
    /**
     * What was sent to the bridge for this request (or, in a dry run, would have been): the operation, or "suspend"
     * for a user DELETE sent as one; null when nothing was (refused, or nothing to change).
     */
    String action;
    Integer bridgeStatus;
    String rejectedBy;

    int answerStatus;
    byte[] answerBody = new byte[0];
    final Map<String, String> answerHeaders = new LinkedHashMap<>();
    /** The resource the answer describes (for the audit target), when it is one. */
    JsonNode answered;

    ScimRequest(String method, String rawUri, String authorization, String contentType, byte[] body) {
        this.method = method == null ? "" : method.toUpperCase(java.util.Locale.ROOT);
        this.rawUri = rawUri == null ? "" : rawUri;
        this.authorization = authorization;
        this.contentType = contentType;
        this.body = body == null ? new byte[0] : body;
    }

    public String getMethod() {
        return method;
    }

    public String getResource() {
        return resource;
    }

    public String getId() {
        return id;
    }

    public Operation getOperation() {
        return operation;
    }

    public String getIdp() {
        return idp;
    }

    public JsonNode getJson() {
        return json;
    }

    public Map<String, String> getQuery() {
        return query;
    }

    /** True for create, replace, patch and delete: what changes 1Password and is audited. */
    public boolean isMutating() {
        if (operation == null) { // refused before the path was read (401): what the method would have done
            return mutatingMethods().contains(method);
        }
        return operation == Operation.create || operation == Operation.replace || operation == Operation.patch
                || operation == Operation.delete;
    }

    /** True when normalising left a PATCH with no operation: the IdP is answered without calling the bridge. */
    public boolean isNothingToChange() {
        return operation == Operation.patch && json != null && ScimRequestNormaliser.isEmpty(json);
    }

    /** True when dry-run mode holds this call back from the bridge. */
    public boolean isHeldBackByDryRun() {
        return dryRun && isMutating();
    }

    public boolean isDryRun() {
        return dryRun;
    }

    public String getGuardrail() {
        return guardrail;
    }

    public int getAnswerStatus() {
        return answerStatus;
    }

    public Integer getBridgeStatus() {
        return bridgeStatus;
    }

    long latencyMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    static List<String> mutatingMethods() {
        return List.of("POST", "PUT", "PATCH", "DELETE");
    }
}
