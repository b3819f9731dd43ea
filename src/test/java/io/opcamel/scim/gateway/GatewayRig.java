package io.opcamel.scim.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.LoopbackBundle;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway as an ESB runs it (LoopbackBundle: a plain DefaultCamelContext, a Vert.x platform-http server on a
 * free loopback port, an in-process sandbox bridge), with two identity providers' tokens. Events feeds poll only
 * when asked, so only SCIM traffic flows.
 */
final class GatewayRig extends LoopbackBundle {

    static final String OKTA = "okta-token-0123456789abcdef";
    static final String ENTRA = "entra-token-0123456789abcdef";


    private GatewayRig(LoopbackBundle loopback) {
        super(loopback);
    }

    static GatewayRig start(Path dir, Map<String, String> overrides) throws Exception {
        Map<String, String> p = new HashMap<>();
        p.put("onepassword.scim.gateway.enabled", "true");
        p.put("onepassword.scim.gateway.tokens", "okta:" + OKTA + ",entra:" + ENTRA);
        p.put("onepassword.scim.bridge.retry.base", "PT0.05S");
        p.put("onepassword.scim.bridge.retry.cap", "PT0.2S");
        p.putAll(overrides);
        return new GatewayRig(LoopbackBundle.start(dir, p, ctx -> { }));
    }

    RawHttp.Response call(String method, String path, String token, String json) {
        return RawHttp.send(port, method, "/scim/v2" + path, token, json);
    }

    /** Every audit record written so far, in order. */
    List<JsonNode> audit() {
        return ndjson(Path.of("audit", "scim-gateway.ndjson"));
    }

}
