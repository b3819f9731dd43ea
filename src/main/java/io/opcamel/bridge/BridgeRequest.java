package io.opcamel.bridge;

import com.fasterxml.jackson.databind.node.TextNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.apache.camel.component.http.HttpMethods;

/**
 * One call to the SCIM Bridge, relative to its base URL: method, path below /scim/v2 ("/Users/ID"), the query
 * (already encoded, or null) and the body (empty for GET and DELETE). A create also names what makes it unique
 * ({@code userName} or {@code displayName} and its value), so a create that got no clear answer can be looked up
 * before it is sent again.
 *
 * <p>The routes read it as {@code ${body.query}} and {@code ${body.body}}: the record's accessors and no getters
 * beside them, since with both Camel's choice between {@code body()} and {@code getBody()} depends on the class
 * loader (RouteExpressionTargetsTest).
 */
public record BridgeRequest(String method, String path, String query, byte[] body, String uniqueAttribute,
        String uniqueValue) {

    public BridgeRequest {
        body = body == null ? new byte[0] : body;
    }

    public static BridgeRequest of(String method, String path, String query, byte[] body) {
        return new BridgeRequest(method, path, query, body, null, null);
    }

    /** A GET one resource: {@code /Users/<id>} or {@code /Groups/<id>}. */
    public static BridgeRequest get(String path) {
        return of("GET", path, null, null);
    }

    /**
     * The look-up of a resource by what makes it unique: {@code GET /Users?filter=userName eq "<value>"} (a group's
     * displayName), the value JSON-quoted, the filter percent-encoded.
     */
    public static BridgeRequest findBy(String collection, String attribute, String value) {
        String filter = attribute + " eq " + TextNode.valueOf(value); // TextNode prints JSON: quoted and escaped
        return of("GET", collection, "filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20"),
                null);
    }

    /** GET, PUT, PATCH and DELETE may be sent again: the bridge ends in the same state however often they arrive. */
    public boolean isIdempotent() {
        return !method.equals("POST");
    }

    /**
     * As camel-http's enum, for CamelHttpMethod: given a String, Camel looks a converter up (and misses) on every
     * call, 30% of the gateway's request threads' CPU in a profile of GatewayOverheadBench.
     */
    public HttpMethods getHttpMethod() {
        return HttpMethods.valueOf(method);
    }

    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query);
    }
}
