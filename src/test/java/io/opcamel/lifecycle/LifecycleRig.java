package io.opcamel.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.LoopbackBundle;
import io.opcamel.LoopbackBundle.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lifecycle commands as an ESB runs them (LoopbackBundle: a plain DefaultCamelContext, a Vert.x platform-http server
 * on a free loopback port, an in-process sandbox bridge), with the lifecycle REST API on and one caller's token.
 * Events feeds poll only when asked, so only lifecycle and SCIM traffic flows.
 */
final class LifecycleRig extends LoopbackBundle {

    static final String HR = "hr-token-0123456789abcdef";

    private LifecycleRig(LoopbackBundle loopback) {
        super(loopback);
    }

    static LifecycleRig start(Path dir, Map<String, String> overrides) throws Exception {
        Map<String, String> p = new HashMap<>();
        p.put("onepassword.lifecycle.enabled", "true");
        p.put("onepassword.lifecycle.tokens", "hr:" + HR);
        p.putAll(overrides);
        return new LifecycleRig(LoopbackBundle.start(dir, p, ctx -> { }));
    }

    Answer post(String path, String token, String body) {
        return send("POST", path, token, body == null ? "" : body);
    }

    Answer get(String path, String token) {
        return send("GET", path, token, null);
    }

    /** One command through direct:run-lifecycle-command, as reconciliation or an ESB's route sends it. */
    JsonNode direct(String command) {
        try {
            return JSON.readTree(direct("direct:run-lifecycle-command", command));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every dead-letter record written so far, in order. */
    List<JsonNode> deadLetters() {
        return ndjson(Path.of("lifecycle", "lifecycle-dead-letter.ndjson"));
    }

}
