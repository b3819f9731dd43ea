package io.opcamel.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The scim-bridge-request template's two ends (docs/building-blocks.md): a call written as a method and a path
 * (with its query written plainly) becomes a {@link BridgeRequest} for direct:call-scim-bridge, and the
 * {@link BridgeAnswer} becomes a status and a JSON body.
 */
public final class ScimBridgeRequests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /**
     * {@code path} is below the bridge's base URL ({@code /Users/<id>}, {@code /Groups}); a query after {@code ?} is
     * written plainly ({@code /Users?filter=userName eq "a@b.c"}) and each value is percent-encoded here (a value
     * cannot hold a {@code &}). A create ({@code POST /Users} or {@code /Groups}) names its userName or displayName,
     * so one whose answer was lost is looked up before it is sent again.
     */
    public BridgeRequest request(String method, String path, String body) {
        String m = method == null ? "" : method.trim().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(m)) {
            throw new IllegalArgumentException("scim-bridge-request method must be one of " + METHODS + ", got '"
                    + method + "'");
        }
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("scim-bridge-request path must start with /, such as /Users, got '"
                    + path + "'");
        }
        int q = path.indexOf('?');
        String query = q < 0 ? null : encode(path.substring(q + 1));
        String resource = q < 0 ? path : path.substring(0, q);
        byte[] bytes = body == null || m.equals("GET") || m.equals("DELETE") ? null
                : body.getBytes(StandardCharsets.UTF_8);
        if (m.equals("POST") && bytes != null && (resource.equals("/Users") || resource.equals("/Groups"))) {
            String attribute = resource.equals("/Users") ? "userName" : "displayName";
            String value = unique(body, attribute);
            if (value != null) {
                return new BridgeRequest(m, resource, query, bytes, attribute, value);
            }
        }
        return BridgeRequest.of(m, resource, query, bytes);
    }

    /** The bridge's status; a call that got no answer after its retries is an error. */
    public int status(BridgeAnswer answer) {
        if (!answer.answered()) {
            throw new IllegalStateException("the SCIM bridge did not answer: " + answer.failure());
        }
        return answer.status();
    }

    /** The bridge's answer body (SCIM JSON, or empty). */
    public String body(BridgeAnswer answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }

    private static String encode(String query) {
        List<String> parts = new ArrayList<>();
        for (String part : query.split("&")) {
            int eq = part.indexOf('=');
            parts.add(eq < 0 ? part : part.substring(0, eq + 1)
                    + URLEncoder.encode(part.substring(eq + 1), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return String.join("&", parts);
    }

    private static String unique(String body, String attribute) {
        try {
            JsonNode v = JSON.readTree(body).path(attribute);
            return v.isTextual() ? v.asText() : null;
        } catch (IOException e) {
            return null; // the bridge answers a body it cannot read with its own 400
        }
    }
}
