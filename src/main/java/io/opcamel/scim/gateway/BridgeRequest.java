package io.opcamel.scim.gateway;

/**
 * One call to the SCIM Bridge, relative to its base URL: method, path below /scim/v2 ("/Users/ID"), the query
 * (already encoded, or null) and the body (empty for GET and DELETE). A create also names what makes it unique
 * ({@code userName} or {@code displayName} and its value), so a create that got no clear answer can be looked up
 * before it is sent again.
 */
public record BridgeRequest(String method, String path, String query, byte[] body, String uniqueAttribute,
        String uniqueValue) {

    public BridgeRequest {
        body = body == null ? new byte[0] : body;
    }

    public static BridgeRequest of(String method, String path, String query, byte[] body) {
        return new BridgeRequest(method, path, query, body, null, null);
    }

    /** GET, PUT, PATCH and DELETE may be sent again: the bridge ends in the same state however often they arrive. */
    public boolean isIdempotent() {
        return !method.equals("POST");
    }

    public String getMethod() {
        return method;
    }

    public String getPath() {
        return path;
    }

    public String getQuery() {
        return query;
    }

    public byte[] getBody() {
        return body;
    }

    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query);
    }
}
