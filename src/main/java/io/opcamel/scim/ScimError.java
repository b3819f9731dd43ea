package io.opcamel.scim;

import io.opcamel.http.UnroutedRequests;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An RFC 7644 §3.12 error on its way back to the identity provider: thrown by the gateway's request checks, the
 * normaliser or a guardrail before anything reaches the bridge (or made from a bridge's refusal of a look-up), and
 * turned into the Error body with {@link #toJson()} in one place, the gateway's answer-with-a-scim-error step.
 * {@link #rule()} names the check that refused, for the metrics and the audit trail.
 */
public final class ScimError extends RuntimeException {

    public static final String SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

    private final int status;
    private final String scimType;
    private final String rule;
    private final boolean guardrail;

    /** An error no rule names (yet): see {@link #by(String)}. */
    public ScimError(int status, String scimType, String detail) {
        this(status, scimType, detail, null, false);
    }

    private ScimError(int status, String scimType, String detail, String rule, boolean guardrail) {
        super(detail, null, false, false); // an answer to the client, not a bug: no stack trace
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a SCIM error has a 4xx or 5xx status, got " + status);
        }
        this.status = status;
        this.scimType = scimType;
        this.rule = rule;
        this.guardrail = guardrail;
    }

    /**
     * This error, named for the check that raised it ("authentication", "path", "json", "filter", ...) when no rule
     * names it yet; a guardrail's refusal keeps its guardrail's name.
     */
    public ScimError by(String check) {
        return rule != null ? this : new ScimError(status, scimType, getMessage(), check, false);
    }

    public static ScimError invalidSyntax(String detail) {
        return new ScimError(400, "invalidSyntax", detail);
    }

    public static ScimError invalidValue(String detail) {
        return new ScimError(400, "invalidValue", detail);
    }

    public static ScimError invalidPath(String detail) {
        return new ScimError(400, "invalidPath", detail);
    }

    public static ScimError invalidFilter(String detail) {
        return new ScimError(400, "invalidFilter", detail);
    }

    public static ScimError noTarget(String detail) {
        return new ScimError(400, "noTarget", detail);
    }

    /** A refusal by a guardrail: the detail starts with "guardrail <name>: " and {@link #guardrail()} names it. */
    public static ScimError guardrail(Guardrail rule, int status, String scimType, String problem) {
        return new ScimError(status, scimType, "guardrail " + rule.name() + ": " + problem, rule.name(), true);
    }

    public int status() {
        return status;
    }

    /** Null when RFC 7644 defines no scimType for the case (403, 404, ...). */
    public String scimType() {
        return scimType;
    }

    public String detail() {
        return getMessage();
    }

    /** The name of the guardrail that refused the request (for metrics), or null for any other error. */
    public String guardrail() {
        return guardrail ? rule : null;
    }

    /** The check or guardrail that refused the request, or null when none was named. */
    public String rule() {
        return rule;
    }

    /**
     * A request refused before any of the gateway's routes ran, as a SCIM Error. RFC 7644 §3.12: a 400 names its
     * kind, and a request that does not decode is one whose syntax is wrong.
     */
    public static UnroutedRequests.Refusal refusal(int status, String rule, String reason) {
        return new UnroutedRequests.Refusal("application/scim+json",
                new ScimError(status, status == 400 ? "invalidSyntax" : null, reason).toJson().toString());
    }

    public ObjectNode toJson() {
        ObjectNode e = ScimNodes.object();
        e.putArray("schemas").add(SCHEMA);
        e.put("status", Integer.toString(status)); // RFC 7644 §3.12: a string, not a number
        if (scimType != null) {
            e.put("scimType", scimType);
        }
        e.put("detail", getMessage());
        return e;
    }
}
