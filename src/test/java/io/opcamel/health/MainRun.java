package io.opcamel.health;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.camel.main.Main;
import org.awaitility.Awaitility;

/**
 * The run command in-process (as RunCommandTest runs it): Camel Main with the sandbox profile and the defaults, on
 * free loopback ports (the sandbox, the gateway's server, the management server) and a scratch data folder, with
 * a test's own overrides. Speaks HTTP to all three ports.
 */
public final class MainRun implements AutoCloseable {

    public final Main main;
    public final int sandboxPort;
    public final int serverPort;
    public final int managementPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MainRun(Main main, int sandboxPort, int serverPort, int managementPort) {
        this.main = main;
        this.sandboxPort = sandboxPort;
        this.serverPort = serverPort;
        this.managementPort = managementPort;
    }

    public static MainRun start(Path dir, Map<String, String> overrides) throws Exception {
        Main main = io.opcamel.OnePasswordMain.configure(new String[] {"--sandbox"}, Map.of(),
                new java.util.ArrayList<>());
        int sandbox = freePort();
        int server = freePort();
        int management = freePort();
        main.addOverrideProperty("onepassword.sandbox.port", Integer.toString(sandbox));
        main.addOverrideProperty("onepassword.data-dir", dir.toString());
        main.addOverrideProperty("camel.server.port", Integer.toString(server));
        main.addOverrideProperty("camel.management.port", Integer.toString(management));
        overrides.forEach(main::addOverrideProperty);
        main.start();
        return new MainRun(main, sandbox, server, management);
    }

    /** GET on the management port, e.g. /observe/health/ready. */
    HttpResponse<String> management(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).GET());
    }

    /** Waits (up to a minute) for a management path to answer this status. */
    HttpResponse<String> awaitStatus(String path, int status) {
        return awaitBody(path, status, b -> true);
    }

    /** Waits (up to a minute) for a management path's answer to have a body that passes. */
    HttpResponse<String> awaitBody(String path, Predicate<String> ok) {
        return awaitBody(path, -1, ok);
    }

    private HttpResponse<String> awaitBody(String path, int status, Predicate<String> ok) {
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpResponse<String> r = management(path);
            last.set(r);
            return (status < 0 || r.statusCode() == status) && ok.test(r.body());
        });
        return last.get();
    }

    /** PUT of the sandbox's fault switches of one API (events or scim), in the admin endpoint's words. */
    void faults(String api, String json) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sandboxPort
                + "/__sandbox/faults/" + api)).PUT(HttpRequest.BodyPublishers.ofString(json)));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("sandbox refused faults " + json + ": " + r.body());
        }
    }

    /** A call to the gateway's server (the SCIM gateway, the lifecycle API) with a bearer token. */
    HttpResponse<String> server(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverPort + path))
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", path.startsWith("/scim") ? "application/scim+json" : "application/json");
        }
        return send(b);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        main.stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
