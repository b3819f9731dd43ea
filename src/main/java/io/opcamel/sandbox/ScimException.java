package io.opcamel.sandbox;

/**
 * A SCIM error on its way out: thrown anywhere below the bridge's router and turned into an RFC 7644 §3.12 Error
 * body in one place, so every failure has the same wire shape.
 */
final class ScimException extends RuntimeException {

    private final int status;
    private final String scimType;

    ScimException(int status, String scimType, String detail) {
        super(detail, null, false, false); // control flow, not a bug: no stack trace
        this.status = status;
        this.scimType = scimType;
    }

    static ScimException badRequest(String scimType, String detail) {
        return new ScimException(400, scimType, detail);
    }

    static ScimException invalidValue(String detail) {
        return badRequest("invalidValue", detail);
    }

    static ScimException invalidSyntax(String detail) {
        return badRequest("invalidSyntax", detail);
    }

    static ScimException invalidFilter(String detail) {
        return badRequest("invalidFilter", detail);
    }

    static ScimException invalidPath(String detail) {
        return badRequest("invalidPath", detail);
    }

    static ScimException notFound(String detail) {
        return new ScimException(404, null, detail);
    }

    static ScimException uniqueness(String detail) {
        return new ScimException(409, "uniqueness", detail);
    }

    int status() {
        return status;
    }

    /** Null when RFC 7644 defines no scimType for the case (401, 404, 405, 415). */
    String scimType() {
        return scimType;
    }
}
