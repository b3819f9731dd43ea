package io.opcamel.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.LoopbackBundle;
import io.opcamel.LoopbackBundle.Answer;
import io.opcamel.sandbox.ScimUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.RouteBuilder;

/**
 * Reconciliation as an ESB runs it (LoopbackBundle: a plain DefaultCamelContext, a Vert.x platform-http server on a
 * free loopback port, an in-process sandbox bridge), with the on-demand endpoint on and the bridge limiter wide open (the tests read thousands of users). With {@code stubLifecycle}, the step that runs a
 * lifecycle command goes to a stub that records each command and answers "applied", so a test sees exactly what
 * reconciliation asks for; without it, the real direct:run-lifecycle-command runs.
 */
final class ReconcileRig extends LoopbackBundle {

    static final String OPS = "ops-token-0123456789abcdef";

    /** the commands the stub lifecycle route received, in order */
    final List<String> commands;

    private ReconcileRig(LoopbackBundle loopback, List<String> commands) {
        super(loopback);
        this.commands = commands;
    }

    static ReconcileRig start(Path dir, Map<String, String> overrides, boolean stubLifecycle) throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        Map<String, String> p = new HashMap<>();
        p.put("onepassword.reconcile.enabled", "true");
        p.put("onepassword.reconcile.tokens", "ops:" + OPS);
        p.put("onepassword.scim.bridge.rate.requests", "10000");
        p.putAll(overrides);
        return new ReconcileRig(LoopbackBundle.start(dir, p, ctx -> {
            if (stubLifecycle) {
                ctx.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:lifecycle-stub").routeId("lifecycle-stub").process(e -> {
                            String command = e.getMessage().getBody(String.class);
                            received.add(command);
                            JsonNode c = JSON.readTree(command);
                            e.getMessage().setBody("{\"requestId\":" + c.get("requestId") + ",\"type\":"
                                    + c.get("type") + ",\"email\":" + c.get("email") + ",\"outcome\":\"applied\"}");
                        });
                    }
                });
                AdviceWith.adviceWith(ctx, "run-reconciliation", r -> r.weaveById("run-the-lifecycle-command")
                        .replace().to("direct:lifecycle-stub"));
            }
        }), received);
    }

    /** POST <base-path>/reconcile with the query (or none) and the token (or none). */
    Answer reconcile(String query, String token) {
        return send("POST", "/lifecycle/v1/reconcile" + (query == null ? "" : "?" + query), token, null);
    }

    /** A run through direct:run-reconciliation, as an ESB's own route starts one; the report's JSON. */
    JsonNode runDirect(ReconcileTrigger trigger) {
        String report = direct("direct:run-reconciliation", trigger);
        try {
            return JSON.readTree(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The report files written so far, by name. */
    Map<String, JsonNode> reportFiles() throws IOException {
        Map<String, JsonNode> out = new HashMap<>();
        Path folder = dir.resolve("reconcile");
        if (Files.isDirectory(folder)) {
            try (var files = Files.list(folder)) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith("drift-")).toList()) {
                    out.put(f.getFileName().toString(), JSON.readTree(f.toFile()));
                }
            }
        }
        return out;
    }

    /** The sandbox's users by userName (lower case). */
    Map<String, ScimUser> users() {
        Map<String, ScimUser> out = new HashMap<>();
        for (ScimUser u : sandbox.bridge().users()) {
            out.put(u.userName().toLowerCase(java.util.Locale.ROOT), u);
        }
        return out;
    }

    static List<String> list(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

}
