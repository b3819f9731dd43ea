package io.opcamel.bench;

import static io.opcamel.bench.BenchTable.GATEWAY;

import io.opcamel.BundleHarness;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateway overhead: the same SCIM request sent by N concurrent clients straight to the sandbox bridge (its URL and
 * bearer token) and through the gateway (the bundle embedded with a Vert.x platform-http server on loopback, as
 * GatewayRig starts it; an IdP token), in the same JVM and run. Per client count (1, 8, 32), each repetition
 * measures both paths, alternating which goes first; p50, p99 and throughput are medians over the repetitions, the
 * overhead (gateway minus direct) the median of the paired differences.
 *
 * <p>Operations: {@code get}: {@code GET /Users/{id}} (one bridge call, no audit record); {@code patch}:
 * {@code PATCH /Users/{id}}, a name change (the suspended-user-identity guardrail reads the user first, so two
 * bridge calls, and one audit record appended and fsynced before the answer, to a file on the run's disk);
 * {@code patch-tmpfs}: the same through a second gateway whose audit file is on tmpfs ({@code /dev/shm}), where an
 * fsync costs nothing: the difference to {@code patch} is the disk's. Each client has its own pre-created user.
 * The bridge client's limiter is opened (concurrency 32, 1,000,000 requests a second): the bench measures the
 * gateway's own cost, not the single bridge's budget.
 *
 * <p>Knobs (system properties): {@code bench.gateway.requests} (3000 per path, client count and repetition),
 * {@code bench.gateway.warmup} (10000 per path at 8 clients before the first operation of each gateway code path),
 * {@code bench.gateway.clients} (1,8,32), {@code bench.gateway.ops} (get,patch,patch-tmpfs), {@code bench.reps}
 * (3).
 */
class GatewayOverheadBench {

    private static final int REQUESTS = Integer.getInteger("bench.gateway.requests", 3000);
    private static final int WARMUP = Integer.getInteger("bench.gateway.warmup", 10_000);
    private static final int REPS = Integer.getInteger("bench.reps", 3);
    private static final List<Integer> CLIENTS = Arrays.stream(System.getProperty("bench.gateway.clients", "1,8,32")
            .split(",")).map(String::trim).map(Integer::valueOf).toList();
    private static final List<String> OPS = Arrays.stream(System.getProperty("bench.gateway.ops",
            "get,patch,patch-tmpfs").split(",")).map(String::trim).toList();
    private static final int TARGET_CLIENTS = 8;
    private static final double TARGET_MS = 2.0;
    private static final Path TMPFS = Path.of("/dev/shm");
    private static final String IDP_TOKEN = "okta-token-0123456789abcdef";
    private static final String PATCH = """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[{"op":"replace","path":"name.givenName","value":"%s"}]}""";

    private static Sandbox sandbox;
    private static final List<BundleHarness> BUNDLES = new ArrayList<>();
    private static String gatewayBase;
    private static String tmpfsGatewayBase;
    private static Path tmpfsAuditDir;
    private static HttpClient http;
    private static final List<String> USERS = new ArrayList<>();
    /** Requests sent again after their kept-alive connection was closed under them (at most MAX_RESENT a run). */
    private static final AtomicInteger RESENT = new AtomicInteger();
    private static final int MAX_RESENT = 20;

    /** One measured run of one path: latencies (ms), throughput, and the JVM's CPU time per request (ms). */
    private record Run(double p50, double p99, double perSecond, double cpuMillis) {
    }

    private record Target(String name, String base, String token) {
    }

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        sandbox = Sandbox.start(new SandboxConfig());
        int max = Math.max(TARGET_CLIENTS, CLIENTS.stream().mapToInt(Integer::intValue).max().orElse(32));
        for (int i = 0; i < max; i++) {
            USERS.add(sandbox.bridge().addUser("bench" + i + "@example.com", "Bench", "User" + i).id());
        }
        gatewayBase = startGateway(Files.createDirectories(dir.resolve("bundle")), null);
        if (OPS.contains("patch-tmpfs") && Files.isDirectory(TMPFS) && Files.isWritable(TMPFS)) {
            tmpfsAuditDir = Files.createTempDirectory(TMPFS, "gateway-bench-audit");
            tmpfsGatewayBase = startGateway(Files.createDirectories(dir.resolve("bundle-tmpfs")), tmpfsAuditDir);
        }
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** One gateway in front of the sandbox bridge, as GatewayRig starts it; its base URL. */
    private static String startGateway(Path dir, Path auditDir) throws Exception {
        Map<String, String> p = BundleHarness.sandboxProperties(sandbox, dir);
        p.put("onepassword.scim.gateway.enabled", "true");
        p.put("onepassword.scim.bridge.url", sandbox.bridgeUrl());
        p.put("onepassword.scim.bridge.token", sandbox.bridgeToken());
        p.put("onepassword.scim.gateway.tokens", "okta:" + IDP_TOKEN);
        // the limiter opened: the overhead of the gateway, not the single bridge's budget
        p.put("onepassword.scim.bridge.concurrency", "32");
        p.put("onepassword.scim.bridge.rate.requests", "1000000");
        p.put("onepassword.scim.bridge.rate.period", "PT1S");
        if (auditDir != null) {
            p.put("onepassword.scim.audit.dir", auditDir.toString());
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
        conf.setBindHost("127.0.0.1");
        conf.setBindPort(port);
        conf.setPort(port);
        BUNDLES.add(BundleHarness.start(p, dir, true,
                ctx -> ctx.addService(new VertxPlatformHttpServer(conf), true, true)));
        return "http://127.0.0.1:" + port + "/scim/v2";
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            BUNDLES.forEach(BundleHarness::close);
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
            if (tmpfsAuditDir != null) {
                try (var files = Files.list(tmpfsAuditDir)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(tmpfsAuditDir);
            }
        }
        BenchTable.print();
    }

    @Test
    void gatewayAgainstTheBridgeStraight() throws Exception {
        Target direct = new Target("direct", sandbox.bridgeUrl(), sandbox.bridgeToken());
        List<String> warm = new ArrayList<>();
        for (String op : OPS) {
            String what = switch (op) {
                case "get" -> "GET /Users/{id}";
                case "patch" -> "PATCH /Users/{id} (name change, audit fsync on disk)";
                case "patch-tmpfs" -> "PATCH /Users/{id} (name change, audit file on tmpfs)";
                default -> throw new IllegalArgumentException("bench.gateway.ops: get, patch or patch-tmpfs, not "
                        + op);
            };
            if (op.equals("patch-tmpfs") && tmpfsGatewayBase == null) {
                BenchTable.row(GATEWAY, "gateway overhead " + what, "not measured: no writable " + TMPFS, "-", "-");
                continue;
            }
            Target gateway = new Target("gateway", op.equals("patch-tmpfs") ? tmpfsGatewayBase : gatewayBase,
                    IDP_TOKEN);
            String method = op.startsWith("patch") ? "patch" : "get";
            // warm-up: JIT (C2 compiles the gateway's paths only after thousands of calls) and connections; a code
            // path already warm needs only its connections
            int warmup = warm.contains(method) ? Math.min(WARMUP, 1000) : WARMUP;
            warm.add(method);
            run(gateway, method, TARGET_CLIENTS, warmup);
            run(direct, method, TARGET_CLIENTS, warmup);
            Map<Integer, List<Run>> g = new LinkedHashMap<>();
            Map<Integer, List<Run>> d = new LinkedHashMap<>();
            Map<Integer, List<Double>> over50 = new LinkedHashMap<>();
            Map<Integer, List<Double>> over99 = new LinkedHashMap<>();
            for (int c : CLIENTS) {
                for (int i = 0; i < REPS; i++) {
                    Run gr;
                    Run dr;
                    if (i % 2 == 0) {
                        gr = run(gateway, method, c, REQUESTS);
                        dr = run(direct, method, c, REQUESTS);
                    } else {
                        dr = run(direct, method, c, REQUESTS);
                        gr = run(gateway, method, c, REQUESTS);
                    }
                    g.computeIfAbsent(c, k -> new ArrayList<>()).add(gr);
                    d.computeIfAbsent(c, k -> new ArrayList<>()).add(dr);
                    over50.computeIfAbsent(c, k -> new ArrayList<>()).add(gr.p50() - dr.p50());
                    over99.computeIfAbsent(c, k -> new ArrayList<>()).add(gr.p99() - dr.p99());
                    System.out.printf(Locale.ROOT, "gateway bench %s, %d clients, rep %d: gateway p50 %.2f p99 %.2f "
                            + "ms %,.0f req/s %.2f ms CPU/req; direct p50 %.2f p99 %.2f ms %,.0f req/s %.2f ms "
                            + "CPU/req%n", op, c, i + 1, gr.p50(), gr.p99(), gr.perSecond(), gr.cpuMillis(),
                            dr.p50(), dr.p99(), dr.perSecond(), dr.cpuMillis());
                }
            }
            BenchTable.row(GATEWAY, "gateway, " + what + ": p50 / p99, throughput, by clients", levels(g), "-", "-");
            BenchTable.row(GATEWAY, "direct to the bridge, " + what + ": p50 / p99, throughput, by clients",
                    levels(d), "-", "-");
            List<String> others = new ArrayList<>();
            for (int c : CLIENTS) {
                double o50 = BenchTable.median(over50.get(c));
                double o99 = BenchTable.median(over99.get(c));
                if (c == TARGET_CLIENTS) {
                    BenchTable.row(GATEWAY, "gateway overhead, " + what + ", " + c + " clients: p99 (p50)",
                            ms(o99) + " ms (" + ms(o50) + " ms)", "p99 <= 2 ms", BenchTable.verdict(o99 <= TARGET_MS));
                } else {
                    others.add(c + ": " + ms(o50) + " / " + ms(o99) + " ms");
                }
            }
            if (!others.isEmpty()) {
                BenchTable.row(GATEWAY, "gateway overhead, " + what + ", other client counts: p50 / p99",
                        String.join("; ", others), "-", "-");
            }
            if (g.containsKey(TARGET_CLIENTS)) {
                BenchTable.note(GATEWAY, String.format(Locale.ROOT, "Gateway %s at %d clients: the JVM's CPU time per "
                        + "request %.2f ms through the gateway, %.2f ms direct (client, bridge and gateway share the "
                        + "cores: at 8 clients they are busy, and the gateway's CPU time queues as latency).", what,
                        TARGET_CLIENTS, BenchTable.median(g.get(TARGET_CLIENTS).stream().map(Run::cpuMillis).toList()),
                        BenchTable.median(d.get(TARGET_CLIENTS).stream().map(Run::cpuMillis).toList())));
            }
        }
        BenchTable.note(GATEWAY, String.format(Locale.ROOT, "Gateway: the sandbox bridge and the gateway (Vert.x "
                + "platform-http on loopback, the audit file fsynced before each change is answered) in the bench "
                + "JVM; JDK HttpClient, HTTP/1.1 keep-alive, one thread per client, each on its own pre-created user; "
                + "%,d requests per path, client count and repetition, %d repetitions after a warm-up of %,d at "
                + "%d clients, alternating which path goes first; medians of the repetitions, overhead = median of "
                + "the paired differences. The bridge client's limiter is opened for the bench "
                + "(onepassword.scim.bridge.concurrency=32, rate 1,000,000/s; production: 1 at once, 300/min). A "
                + "gateway PATCH includes the suspended-user-identity guardrail's read of the user (two bridge calls) "
                + "and the audit record. Requests sent again after a kept-alive connection closed under them: %d.",
                REQUESTS, REPS, WARMUP, TARGET_CLIENTS, RESENT.get()));
    }

    private static String levels(Map<Integer, List<Run>> runs) {
        List<String> out = new ArrayList<>();
        runs.forEach((c, list) -> out.add(String.format(Locale.ROOT, "%d: %s / %s ms, %s req/s", c,
                ms(BenchTable.median(list.stream().map(Run::p50).toList())),
                ms(BenchTable.median(list.stream().map(Run::p99).toList())),
                BenchTable.number(BenchTable.median(list.stream().map(Run::perSecond).toList())))));
        return String.join("; ", out);
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** {@code requests} requests by {@code clients} threads (each on its own user) against one path. */
    private static Run run(Target t, String method, int clients, int requests) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long[] latencies = new long[requests];
        AtomicReference<Throwable> failed = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < clients; k++) {
            String user = USERS.get(k);
            // named for the path, so a JFR recording tells the two apart
            Thread th = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    int n;
                    while ((n = next.getAndIncrement()) < requests && failed.get() == null) {
                        HttpRequest req = request(t, method, user, n);
                        long t0 = System.nanoTime();
                        HttpResponse<byte[]> res;
                        try {
                            res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        } catch (IOException closedWhileIdle) {
                            // a kept-alive connection the server closed as it was reused (the sandbox's JDK server
                            // closes idle ones): sent again on a new one, the sample counts both attempts
                            if (RESENT.incrementAndGet() > MAX_RESENT) {
                                throw closedWhileIdle;
                            }
                            res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        }
                        latencies[n] = System.nanoTime() - t0;
                        if (res.statusCode() != 200) {
                            throw new IllegalStateException(t.name() + " " + method + " answered "
                                    + res.statusCode() + ": " + new String(res.body(), StandardCharsets.UTF_8));
                        }
                    }
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            }, t.name() + "-client-" + k);
            threads.add(th);
            th.start();
        }
        ready.await();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread th : threads) {
            th.join();
        }
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new Run(BenchTable.percentile(sorted, 0.50) / 1e6, BenchTable.percentile(sorted, 0.99) / 1e6,
                requests / (wall / 1e9), cpu / 1e6 / requests);
    }

    private static HttpRequest request(Target t, String method, String user, int n) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.base() + "/Users/" + user))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + t.token())
                .header("Accept", "application/scim+json");
        if (method.equals("get")) {
            return b.GET().build();
        }
        // every PATCH a real change (a new given name each time), so none is answered as "nothing to change"
        return b.header("Content-Type", "application/scim+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(String.format(PATCH, "Bench" + n))).build();
    }
}
