package io.opcamel.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.BundleHarness;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
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
import java.util.List;
import java.util.Map;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;

/**
 * Lifecycle commands as an ESB runs them: the bundle in a plain DefaultCamelContext (BundleHarness) with the
 * lifecycle REST API on a Vert.x platform-http server on a free loopback port, in front of an in-process sandbox
 * bridge. Events feeds poll only when asked, so only lifecycle and SCIM traffic flows.
 */
final class LifecycleRig implements AutoCloseable {

    static final String HR = "hr-token-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    final Sandbox sandbox;
    final BundleHarness bundle;
    final int port;
    final Path dir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private LifecycleRig(Sandbox sandbox, BundleHarness bundle, int port, Path dir) {
        this.sandbox = sandbox;
        this.bundle = bundle;
        this.port = port;
        this.dir = dir;
    }

    static LifecycleRig start(Path dir, Map<String, String> overrides) throws Exception {
        Sandbox sandbox = Sandbox.start(new SandboxConfig());
        try {
            Map<String, String> p = BundleHarness.sandboxProperties(sandbox, dir);
            p.put("onepassword.lifecycle.enabled", "true");
            p.put("onepassword.lifecycle.tokens", "hr:" + HR);
            p.put("onepassword.scim.bridge.url", sandbox.bridgeUrl());
            p.put("onepassword.scim.bridge.token", sandbox.bridgeToken());
            p.put("onepassword.scim.bridge.retry.base", "PT0.01S");
            p.put("onepassword.scim.bridge.retry.cap", "PT0.05S");
            p.putAll(overrides);
            int port = freePort();
            VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
            conf.setBindHost("127.0.0.1");
            conf.setBindPort(port);
            conf.setPort(port);
            BundleHarness bundle = BundleHarness.start(p, dir, true,
                    ctx -> ctx.addService(new VertxPlatformHttpServer(conf), true, true));
            return new LifecycleRig(sandbox, bundle, port, dir);
        } catch (Exception | Error e) {
            sandbox.close();
            throw e;
        }
    }

    record Answer(int status, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    Answer post(String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        return send(token == null ? b : b.header("Authorization", "Bearer " + token));
    }

    Answer get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        return send(token == null ? b : b.header("Authorization", "Bearer " + token));
    }

    private Answer send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One command through direct:run-lifecycle-command, as reconciliation or an ESB's route sends it. */
    JsonNode direct(String command) {
        String result = bundle.context.createProducerTemplate().requestBody("direct:run-lifecycle-command", command,
                String.class);
        try {
            return JSON.readTree(result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every dead-letter record written so far, in order. */
    List<JsonNode> deadLetters() {
        return lines(dir.resolve("lifecycle").resolve("lifecycle-dead-letter.ndjson"));
    }

    static List<JsonNode> lines(Path file) {
        List<JsonNode> out = new ArrayList<>();
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    out.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
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
