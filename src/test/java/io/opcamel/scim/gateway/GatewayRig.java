package io.opcamel.scim.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.BundleHarness;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;

/**
 * The gateway as an ESB runs it: the bundle installed in a plain DefaultCamelContext (BundleHarness), with the
 * platform-http engine the ESB would provide (a Vert.x server on a free loopback port, added as a context
 * service), in front of an in-process sandbox bridge. Events feeds poll only when asked, so only SCIM traffic flows.
 */
final class GatewayRig implements AutoCloseable {

    static final String OKTA = "okta-token-0123456789abcdef";
    static final String ENTRA = "entra-token-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Sandbox sandbox;
    final BundleHarness bundle;
    final int port;
    final Path dir;

    private GatewayRig(Sandbox sandbox, BundleHarness bundle, int port, Path dir) {
        this.sandbox = sandbox;
        this.bundle = bundle;
        this.port = port;
        this.dir = dir;
    }

    static GatewayRig start(Path dir, Map<String, String> overrides) throws Exception {
        Sandbox sandbox = Sandbox.start(new SandboxConfig());
        try {
            Map<String, String> p = BundleHarness.sandboxProperties(sandbox, dir);
            p.put("onepassword.scim.gateway.enabled", "true");
            p.put("onepassword.scim.bridge.url", sandbox.bridgeUrl());
            p.put("onepassword.scim.bridge.token", sandbox.bridgeToken());
            p.put("onepassword.scim.gateway.tokens", "okta:" + OKTA + ",entra:" + ENTRA);
            p.put("onepassword.scim.bridge.retry.base", "PT0.05S");
            p.put("onepassword.scim.bridge.retry.cap", "PT0.2S");
            p.putAll(overrides);
            int port = freePort();
            VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
            conf.setBindHost("127.0.0.1");
            conf.setBindPort(port);
            conf.setPort(port);
            BundleHarness bundle = BundleHarness.start(p, dir, true,
                    ctx -> ctx.addService(new VertxPlatformHttpServer(conf), true, true));
            return new GatewayRig(sandbox, bundle, port, dir);
        } catch (Exception | Error e) {
            sandbox.close();
            throw e;
        }
    }

    RawHttp.Response call(String method, String path, String token, String json) {
        return RawHttp.send(port, method, "/scim/v2" + path, token, json);
    }

    /** Every audit record written so far, in order. */
    List<JsonNode> audit() {
        Path file = dir.resolve("audit").resolve("scim-gateway.ndjson");
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
