package io.opcamel.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.SecretScanner;
import io.opcamel.TeeStream;
import io.opcamel.reliability.Fuzz.Gen;
import io.opcamel.reliability.Fuzz.Req;
import io.opcamel.sandbox.LoggedRequest;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.scim.gateway.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What fuzzing one HTTP endpoint of the bundle (the SCIM gateway, the lifecycle API) shares: the run's seed and
 * tally, the log captured from stderr, the secret scan of every answer, log line and file, sending a case byte for
 * byte and the checks every endpoint owes every case; each fuzzing class adds what its endpoint's answers must be.
 */
public final class FuzzTarget {

    /**
     * What the HTTP server answers itself, without a body, before its router sees the request: the codec's 414,
     * 417 and 431, and the outer router's 400 for a path that does not decode. Everything else gets the bundle's
     * own error shape (UnroutedRequests).
     */
    private static final Set<Integer> ENGINE_REFUSALS = Set.of(400, 414, 417, 431);

    /** A case sent: the answer and the bridge's calls meanwhile; settled when the shared checks decided it. */
    public record Sent(RawHttp.Response response, List<LoggedRequest> bridge, boolean settled, String problem) {
    }

    private final long seed;
    private final FuzzTally tally;
    private final SecretScanner scanner = new SecretScanner();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream stderr;
    /** How the cases of the property running now were answered, by status (printed: what the fuzzing reached). */
    private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    private int port;
    private Sandbox sandbox;
    private String callerToken;

    /** Starts capturing stderr: slf4j-simple writes to whatever System.err is, so every log line is scanned. */
    public FuzzTarget(String name, String what) {
        this.seed = Fuzz.runSeed();
        this.tally = new FuzzTally(name, seed);
        System.out.println(what + " fuzzing: seed " + seed + " (rerun with -Dreliability.seed=" + seed + ")");
        this.stderr = System.err;
        System.setErr(new PrintStream(new TeeStream(stderr, log), true, StandardCharsets.UTF_8));
    }

    /** Where the cases go, the bridge whose request log shows what reached it, and the token callers must hold. */
    public void aimAt(int port, Sandbox sandbox, String callerToken) {
        this.port = port;
        this.sandbox = sandbox;
        this.callerToken = callerToken;
    }

    public long seed() {
        return seed;
    }

    public FuzzTally tally() {
        return tally;
    }

    public SecretScanner scanner() {
        return scanner;
    }

    /** Runs one property: every case judged (null when it holds), the violations tallied and asserted none. */
    public void run(String property, int tries, Gen<Req> gen, Function<Req, String> judge) {
        statuses.clear();
        List<String> violations = Fuzz.check(property, seed, tries, gen, judge);
        System.out.println(property + ": " + tries + " cases, answered " + new TreeMap<>(statuses));
        tally.violations(violations);
        assertTrue(violations.isEmpty(), FuzzTally.first(violations, 10));
    }

    /**
     * Sends one case and applies the checks every endpoint owes: an answer at all, never a 5xx, the server's own
     * bare refusals counted apart, and, for a wrong Authorization header, a 401 with nothing forwarded.
     */
    public Sent send(String property, Req req, boolean mustBeUnauthorized) {
        tally.tried();
        long before = sandbox.requests().lastSeq();
        RawHttp.Response r;
        try {
            r = RawHttp.send(port, req.method(), req.target(), req.headers(), req.body());
        } catch (UncheckedIOException e) {
            return new Sent(null, List.of(), true, "no HTTP answer: " + e.getCause());
        }
        statuses.merge(r.status(), 1, Integer::sum);
        List<LoggedRequest> bridge = sandbox.requests().since(before).stream()
                .filter(l -> l.api().equals("scim")).toList();
        StringBuilder answer = new StringBuilder().append(r.status()).append('\n');
        r.headers().forEach((k, v) -> answer.append(k).append(": ").append(v).append('\n'));
        answer.append('\n').append(r.text());
        scanner.text("answer to a " + property + " case (" + req.method() + ")", answer.toString());
        if (r.status() >= 500) {
            tally.fiveXx();
            return new Sent(r, bridge, true, "answered " + r.status() + ": " + Fuzz.abbreviate(r.text(), 300));
        }
        if (r.header("Content-Type") == null && ENGINE_REFUSALS.contains(r.status()) && bridge.isEmpty()) {
            tally.refusedByTheHttpServer(r.status()); // plain, but refused, and nothing forwarded
            return new Sent(r, bridge, true, null);
        }
        if (mustBeUnauthorized && r.status() != 401) {
            if (!bridge.isEmpty()) {
                tally.forwardedOnReject();
            }
            return new Sent(r, bridge, true, "not refused: " + r.status() + " (bridge calls " + bridge.size()
                    + ") for Authorization: " + Fuzz.masked(req.headers().get("Authorization"), callerToken));
        }
        return new Sent(r, bridge, false, null);
    }

    /**
     * After the bundle stopped (so its last log lines are in): stderr back, the log and the files under
     * {@code dir} scanned for every secret registered; the findings, also reported in the summary.
     */
    public List<String> scanLogAndFiles(String logLabel, Path dir) throws Exception {
        System.setErr(stderr);
        scanner.text(logLabel, log.toString(StandardCharsets.UTF_8));
        scanner.tree(dir);
        List<String> findings = scanner.findings();
        tally.report(findings.size());
        return findings;
    }

    /** stderr back, whatever happened. */
    public void restoreStderr() {
        System.setErr(stderr);
    }
}
