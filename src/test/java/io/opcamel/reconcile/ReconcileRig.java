package io.opcamel.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.BundleHarness;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import io.opcamel.sandbox.ScimUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;

/**
 * Reconciliation as an ESB runs it: the bundle in a plain DefaultCamelContext (BundleHarness) with the on-demand
 * endpoint on a Vert.x platform-http server on a free loopback port, in front of an in-process sandbox bridge,
 * the bridge limiter wide open (the tests read thousands of users). With {@code stubLifecycle}, the step that runs a
 * lifecycle command goes to a stub that records each command and answers "applied", so a test sees exactly what
 * reconciliation asks for; without it, the real direct:run-lifecycle-command runs.
 */
final class ReconcileRig implements AutoCloseable {

    static final String OPS = "ops-token-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    final Sandbox sandbox;
    final BundleHarness bundle;
    final int port;
    final Path dir;
    /** the commands the stub lifecycle route received, in order */
    final List<String> commands;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ReconcileRig(Sandbox sandbox, BundleHarness bundle, int port, Path dir, List<String> commands) {
        this.sandbox = sandbox;
        this.bundle = bundle;
        this.port = port;
        this.dir = dir;
        this.commands = commands;
    }

    static ReconcileRig start(Path dir, Map<String, String> overrides, boolean stubLifecycle) throws Exception {
        Sandbox sandbox = Sandbox.start(new SandboxConfig());
        List<String> received = new CopyOnWriteArrayList<>();
        try {
            Map<String, String> p = BundleHarness.sandboxProperties(sandbox, dir);
            p.put("onepassword.reconcile.enabled", "true");
            p.put("onepassword.reconcile.tokens", "ops:" + OPS);
            p.put("onepassword.scim.bridge.url", sandbox.bridgeUrl());
            p.put("onepassword.scim.bridge.token", sandbox.bridgeToken());
            p.put("onepassword.scim.bridge.rate.requests", "10000");
            p.put("onepassword.scim.bridge.retry.base", "PT0.01S");
            p.put("onepassword.scim.bridge.retry.cap", "PT0.05S");
            p.putAll(overrides);
            int port = freePort();
            VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
            conf.setBindHost("127.0.0.1");
            conf.setBindPort(port);
            conf.setPort(port);
            BundleHarness bundle = BundleHarness.start(p, dir, true, ctx -> {
                ctx.addService(new VertxPlatformHttpServer(conf), true, true);
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
            });
            return new ReconcileRig(sandbox, bundle, port, dir, received);
        } catch (Exception | Error e) {
            sandbox.close();
            throw e;
        }
    }

    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    /** POST <base-path>/reconcile with the query (or none) and the token (or none). */
    Answer reconcile(String query, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/lifecycle/v1/reconcile"
                + (query == null ? "" : "?" + query))).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A run through direct:run-reconciliation, as an ESB's own route starts one; the report's JSON. */
    JsonNode runDirect(ReconcileTrigger trigger) {
        String report = bundle.context.createProducerTemplate().requestBody("direct:run-reconciliation", trigger,
                String.class);
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

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static List<String> list(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Override
    public void close() {
        try {
            bundle.close();
        } finally {
            sandbox.close();
        }
    }
}
