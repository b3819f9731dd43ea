package io.opcamel.scim.gateway;

/**
 * A request the gateway refuses before anything reaches the bridge: its HTTP status, the RFC 7644 s3.12 scimType
 * (null where the RFC defines none: 401, 404, 405, 413, 415) and a detail that says what was wrong. {@code rule}
 * names the check that refused it, for the metrics and the audit trail.
 */
public final class ScimRejection extends RuntimeException {

    private final int status;
    private final String scimType;
    private final String rule;

    public ScimRejection(int status, String scimType, String rule, String detail) {
        super(detail, null, false, false); // an answer, not a bug: no stack trace
        this.status = status;
        this.scimType = scimType;
        this.rule = rule;
    }

    public int status() {
        return status;
    }

    public String scimType() {
        return scimType;
    }

    public String rule() {
        return rule;
    }

    static ScimRejection invalidSyntax(String rule, String detail) {
        return new ScimRejection(400, "invalidSyntax", rule, detail);
    }

    static ScimRejection invalidValue(String rule, String detail) {
        return new ScimRejection(400, "invalidValue", rule, detail);
    }

    static ScimRejection notFound(String detail) {
        return new ScimRejection(404, null, "path", detail);
    }
}
