package io.opcamel.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A faithful local 1Password on loopback: the Events API, a SCIM Bridge, their fault switches and a request log.
 * Runs in-process (tests, the run command) or standalone ({@link SandboxMain}).
 *
 * <pre>
 *   /api/...                Events API (v1, v2, v3 beta, introspection)
 *   /scim/v2/..., /scim/... SCIM Bridge; /health and /ping beside it
 *   /__sandbox/...          admin: fault switches, request log, token issue
 * </pre>
 */
public final class Sandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

    static {
        // without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK:
        // about 40 ms per answer. Read once, when the first server is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SandboxConfig config;
    private final HttpServer server;
    private final ExecutorService executor;
    private final RequestLog requests;
    private final Tokens tokens;
    private final EventsApi events;
    private final SimulatedScimBridge bridge;
    private final String bridgeToken;
    private final Map<SandboxApi, RateLimitEnforcer> enforcers = new LinkedHashMap<>();

    private Sandbox(SandboxConfig config) throws IOException {
        this.config = config;
        InetAddress address = InetAddress.getByName(config.host);
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("property onepassword.sandbox.host must be a loopback address, got "
                    + config.host);
        }
        this.requests = new RequestLog(config.requestLogCapacity);
        this.tokens = new Tokens(config.seed);
        this.bridgeToken = Tokens.opaque(32);

        Faults eventsFaults = new Faults(config.seed)
                .setRateLimitEnabled(config.eventsRateLimitEnabled)
                .setRateLimits(config.eventsRateLimits)
                .setRateLimitKey(config.eventsRateLimitKey);
        Faults scimFaults = new Faults(config.seed + 1)
                .setRateLimitEnabled(config.scimRateLimitEnabled)
                .setRateLimits(config.scimRateLimits);
        applyFaults(eventsFaults, config.eventsFaults, "events.faults");
        applyFaults(scimFaults, config.scimFaults, "scim.faults");
        this.events = new EventsApi(config, eventsFaults, tokens);
        this.bridge = new SimulatedScimBridge(config, scimFaults, bridgeToken);
        enforcers.put(events, new RateLimitEnforcer());
        enforcers.put(bridge, new RateLimitEnforcer());

        this.server = HttpServer.create(new InetSocketAddress(address, config.port), 256);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(config.threads, r -> {
            Thread t = new Thread(r, "sandbox-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/api/", ex -> serve("events", events, ex));
        server.createContext("/scim", ex -> serve("scim", bridge, ex));
        server.createContext("/health", ex -> serve("scim", bridge, ex));
        server.createContext("/ping", ex -> serve("scim", bridge, ex));
        server.createContext("/__sandbox/", this::admin);
    }

    private static void applyFaults(Faults faults, String json, String key) {
        if (json == null || json.isBlank()) {
            return;
        }
        try {
            JSON.readerForUpdating(faults).readValue(json);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("property " + SandboxConfig.PREFIX + key
                    + " must be JSON fault switches such as {\"serverErrorRatio\":0.05}: " + e.getMessage(), e);
        }
    }

    /** Starts a sandbox and, when a token folder is configured, writes the tokens it issued there. */
    public static Sandbox start(SandboxConfig config) {
        try {
            Sandbox s = new Sandbox(config);
            // the server's dispatcher thread inherits daemon status from the thread that starts it: an in-process
            // sandbox must never keep the JVM alive after the bundle stopped or failed to start
            Thread starter = new Thread(s.server::start, "sandbox-start");
            starter.setDaemon(true);
            starter.start();
            starter.join();
            if (config.tokenDir != null) {
                s.writeTokens(config.tokenDir);
            }
            LOG.info("1Password sandbox listening on {} (Events API {}, SCIM bridge {}/scim/v2)", s.baseUrl(),
                    s.baseUrl(), s.baseUrl());
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the sandbox", e);
        } catch (IOException e) {
            throw new IllegalStateException("sandbox could not listen on " + config.host + ":" + config.port
                    + " (property onepassword.sandbox.port): " + e.getMessage(), e);
        }
    }

    public String baseUrl() {
        String host = config.host.contains(":") ? "[" + config.host + "]" : config.host; // IPv6 needs brackets
        return "http://" + host + ":" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String bridgeUrl() {
        return baseUrl() + "/scim/v2";
    }

    public SandboxConfig config() {
        return config;
    }

    public EventsApi events() {
        return events;
    }

    public SimulatedScimBridge bridge() {
        return bridge;
    }

    public Faults eventsFaults() {
        return events.faults();
    }

    public Faults bridgeFaults() {
        return bridge.faults();
    }

    public RequestLog requests() {
        return requests;
    }

    /** An Events API bearer token for the account, allowed to read the given features. */
    public String issueEventsToken(String account, Collection<String> features) {
        return events.issueToken(account, features);
    }

    public String issueEventsToken(String account, String... features) {
        return issueEventsToken(account, Arrays.asList(features));
    }

    /** The bearer token the SCIM bridge accepts (an IdP would be given this one). */
    public String bridgeToken() {
        return bridgeToken;
    }

    /** Clears every fault switch, the rate-limit history, the request log and the bridge's users and groups. */
    public void reset() {
        bridge.clear();
        events.clearScripts();
        events.faults().clear();
        bridge.faults().clear();
        // back to the configured limits, whatever a test set
        events.faults().setRateLimitEnabled(config.eventsRateLimitEnabled).setRateLimits(config.eventsRateLimits)
                .setRateLimitKey(config.eventsRateLimitKey);
        bridge.faults().setRateLimitEnabled(config.scimRateLimitEnabled).setRateLimits(config.scimRateLimits);
        enforcers.values().forEach(RateLimitEnforcer::clear);
        requests.clear();
    }

    /** One file per account ({@code <account>-events.token}, all features) and {@code bridge.token}. */
    public void writeTokens(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String account : config.accounts.keySet()) {
            writeSecret(dir.resolve(account + "-events.token"), issueEventsToken(account, EventsApi.FEATURES));
        }
        writeSecret(dir.resolve("bridge.token"), bridgeToken);
    }

    private static void writeSecret(Path file, String secret) throws IOException {
        Files.writeString(file, secret + "\n", StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the folder's own permissions must do
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------------------

    private void serve(String apiName, SandboxApi api, HttpExchange ex) throws IOException {
        try (ex) {
            SandboxRequest req = read(ex);
            Faults f = api.faults();
            if (f.getLatencyMillis() > 0) {
                sleep(f.getLatencyMillis());
            }
            long now = config.clock.millis();
            String fp = Tokens.fingerprint(req.bearerToken());
            if (f.fireReset()) {
                requests.add(now, apiName, req.method(), req.path(), req.rawQuery(), fp, req.bodyText(), 0, "reset");
                return; // closing an exchange before its headers are sent drops the connection
            }
            String fault = null;
            SandboxResponse resp;
            long waitMillis = 0;
            String key = api.rateLimitKey(req);
            if (key != null) {
                waitMillis = enforcers.get(api).tryAdmit(key, now, f.rateWindows());
            }
            if (waitMillis > 0) {
                fault = "rate-limit";
                resp = api.error(429, "Too Many Requests")
                        .withHeader("Retry-After", Long.toString(Math.max(1, (waitMillis + 999) / 1000)));
            } else if (f.fireTooManyRequests()) {
                fault = "too-many-requests";
                resp = api.error(429, "Too Many Requests");
                if (f.getTooManyRequestsRetryAfterSeconds() >= 0) {
                    resp = resp.withHeader("Retry-After", Integer.toString(f.getTooManyRequestsRetryAfterSeconds()));
                }
            } else if (f.fireServerError()) {
                fault = "server-error";
                resp = api.error(f.getServerErrorStatus(), "Internal Server Error");
            } else if (api.carriesCursor(req) && f.fireInvalidCursor()) {
                fault = "invalid-cursor";
                resp = api.error(400, "Bad Request");
            } else {
                resp = handleSafely(api, req);
            }
            if (key != null && req.path().startsWith("/api/v3/") && !f.rateWindows().isEmpty()) {
                // the v3 beta reports its budget on every answer
                RateWindow w = f.rateWindows().get(0);
                int used = enforcers.get(api).used(key, now, w);
                resp = resp.withHeader("RateLimit-Limit", Integer.toString(w.limit()))
                        .withHeader("RateLimit-Remaining", Integer.toString(Math.max(0, w.limit() - used)))
                        .withHeader("RateLimit-Reset", Long.toString(Math.max(1,
                                (enforcers.get(api).untilOldestLeaves(key, now, w) + 999) / 1000)));
            }
            byte[] body = resp.body();
            if (resp.status() / 100 == 2 && body.length > 1 && f.fireMalformed()) {
                fault = "malformed";
                body = Arrays.copyOf(body, body.length / 2); // a page cut mid-JSON, as a broken proxy would
            }
            requests.add(now, apiName, req.method(), req.path(), req.rawQuery(), fp, req.bodyText(), resp.status(), fault);
            write(ex, resp.status(), resp.contentType(), resp.headers(), body);
        }
    }

    private static SandboxResponse handleSafely(SandboxApi api, SandboxRequest req) {
        try {
            return api.handle(req);
        } catch (RuntimeException e) {
            LOG.warn("sandbox API failed on {} {}: {}", req.method(), req.path(), e.toString());
            return api.error(500, "Internal Server Error");
        }
    }

    private void admin(HttpExchange ex) throws IOException {
        try (ex) {
            SandboxRequest req = read(ex);
            String p = req.path().substring("/__sandbox".length());
            try {
                Object answer = adminAnswer(req, p);
                if (answer == null) {
                    write(ex, 404, SandboxResponse.JSON, Map.of(), "{\"error\":\"no such admin path\"}".getBytes(StandardCharsets.UTF_8));
                } else {
                    write(ex, 200, SandboxResponse.JSON, Map.of(), JSON.writeValueAsBytes(answer));
                }
            } catch (IllegalArgumentException | IOException e) {
                write(ex, 400, SandboxResponse.JSON, Map.of(),
                        JSON.writeValueAsBytes(Map.of("error", String.valueOf(e.getMessage()))));
            }
        }
    }

    private Object adminAnswer(SandboxRequest req, String p) throws IOException {
        boolean put = req.method().equals("PUT") || req.method().equals("POST");
        switch (p) {
            case "/faults/events":
            case "/faults/scim": {
                Faults f = p.endsWith("events") ? events.faults() : bridge.faults();
                if (put && req.body().length > 0) {
                    JSON.readerForUpdating(f).readValue(req.body());
                }
                return f;
            }
            case "/reset":
                reset();
                return Map.of("reset", true);
            case "/requests": {
                String since = req.query().get("since");
                return since == null ? requests.all() : requests.since(Long.parseLong(since));
            }
            case "/tokens/events": {
                Map<?, ?> body = req.body().length == 0 ? Map.of() : JSON.readValue(req.body(), Map.class);
                Object named = body.get("account");
                String account = named == null ? config.accounts.keySet().iterator().next() : String.valueOf(named);
                Object fts = body.get("features");
                if (fts != null && !(fts instanceof List<?>)) {
                    throw new IllegalArgumentException("features must be a list such as [\"auditevents\"]");
                }
                List<String> features = fts instanceof List<?> l ? l.stream().map(String::valueOf).toList() : EventsApi.FEATURES;
                return Map.of("token", issueEventsToken(account, features));
            }
            case "/tokens/bridge":
                return Map.of("token", bridgeToken);
            default:
                return null;
        }
    }

    private static SandboxRequest read(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        return new SandboxRequest(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                ex.getRequestURI().getRawQuery(), ex.getRequestHeaders(), body);
    }

    private static void write(HttpExchange ex, int status, String contentType, Map<String, String> headers, byte[] body)
            throws IOException {
        if (contentType != null) {
            ex.getResponseHeaders().set("Content-Type", contentType);
        }
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        boolean noBody = status == 204 || status == 304 || body.length == 0;
        ex.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms); // the latency fault: a slow server, on the server's own thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
