package io.opcamel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
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
 * The bundle's HTTP side as an ESB runs it: the bundle in a plain DefaultCamelContext (BundleHarness), with the
 * platform-http engine the ESB would provide (a Vert.x server on a free loopback port, added as a context service),
 * in front of an in-process sandbox whose bridge it calls (fast retries). Feeds poll only when asked. The gateway's,
 * the lifecycle API's and reconciliation's test rigs are this plus their own settings and helpers.
 */
public class LoopbackBundle implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();

    public final Sandbox sandbox;
    public final BundleHarness bundle;
    public final int port;
    public final Path dir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private LoopbackBundle(Sandbox sandbox, BundleHarness bundle, int port, Path dir) {
        this.sandbox = sandbox;
        this.bundle = bundle;
        this.port = port;
        this.dir = dir;
    }

    /** For a rig: the same running bundle and sandbox, with the rig's helpers on top. */
    protected LoopbackBundle(LoopbackBundle started) {
        this(started.sandbox, started.bundle, started.port, started.dir);
    }

    /** {@code properties} go over the sandbox's (an account "demo", the bridge, files under {@code dir}). */
    public static LoopbackBundle start(Path dir, Map<String, String> properties, BundleHarness.Advice advice)
            throws Exception {
        Sandbox sandbox = Sandbox.start(new SandboxConfig());
        try {
            Map<String, String> p = BundleHarness.sandboxProperties(sandbox, dir);
            p.put("onepassword.scim.bridge.url", sandbox.bridgeUrl());
            p.put("onepassword.scim.bridge.token", sandbox.bridgeToken());
            p.put("onepassword.scim.bridge.retry.base", "PT0.01S");
            p.put("onepassword.scim.bridge.retry.cap", "PT0.05S");
            p.putAll(properties);
            int port = freePort();
            VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
            conf.setBindHost("127.0.0.1");
            conf.setBindPort(port);
            conf.setPort(port);
            conf.setMaxBodySize(4L * 1024 * 1024); // camel.server.max-body-size in config/application.properties
            BundleHarness bundle = BundleHarness.start(p, dir, true, ctx -> {
                ctx.addService(new VertxPlatformHttpServer(conf), true, true);
                advice.apply(ctx);
            });
            return new LoopbackBundle(sandbox, bundle, port, dir);
        } catch (Exception | Error e) {
            sandbox.close();
            throw e;
        }
    }

    public record Answer(int status, String body, HttpHeaders headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    /** One request to the bundle's server, with a bearer token (or none) and a JSON body (or none). */
    public Answer send(String method, String path, String token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
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

    /** Every record of an NDJSON file under the rig's folder (the audit, the dead letters), in order; none yet: none. */
    protected List<JsonNode> ndjson(Path relative) {
        Path file = dir.resolve(relative);
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

    /** A body sent through a direct: endpoint of the bundle, as an ESB's own route sends it; the answer's text. */
    public String direct(String endpoint, Object body) {
        return bundle.context.createProducerTemplate().requestBody(endpoint, body, String.class);
    }

    public static int freePort() throws IOException {
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
