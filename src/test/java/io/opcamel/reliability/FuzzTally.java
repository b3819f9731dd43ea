package io.opcamel.reliability;

import java.util.ArrayList;
import java.util.List;

/** What one fuzz target saw, case by case: the counts of the summary and the violations to report. */
public final class FuzzTally {

    private final String target;
    private final long seed;
    private long cases;
    private long rejected;
    private long fiveXx;
    private long forwardedOnReject;
    private long malformedErrors;
    private final java.util.Map<String, Long> engineRefusals = new java.util.TreeMap<>();
    private final List<String> violations = new ArrayList<>();

    public FuzzTally(String target, long seed) {
        this.target = target;
        this.seed = seed;
    }

    public synchronized void tried() {
        cases++;
    }

    public synchronized void rejected() {
        rejected++;
    }

    public synchronized void fiveXx() {
        fiveXx++;
    }

    public synchronized void forwardedOnReject() {
        forwardedOnReject++;
    }

    public synchronized void malformedError() {
        malformedErrors++;
    }

    /**
     * A request the HTTP server (Vert.x) refused itself, before any route saw it: a plain answer without a body the
     * gateway could shape (an undecodable query string, a request line or headers over the server's limits).
     */
    public synchronized void refusedByTheHttpServer(int status) {
        engineRefusals.merge(Integer.toString(status), 1L, Long::sum);
    }

    public synchronized void violations(List<String> found) {
        violations.addAll(found);
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** Adds this target's counts to the run's summary. */
    public synchronized void report(long tokensSeen) {
        ReliabilitySummary.fuzz(new ReliabilitySummary.Fuzz(target, cases, rejected, fiveXx, forwardedOnReject,
                malformedErrors, tokensSeen, seed, java.util.Map.copyOf(engineRefusals)));
    }

    /** The first violations, for an assertion message. */
    public static String first(List<String> violations, int n) {
        StringBuilder b = new StringBuilder(violations.size() + " violation(s):");
        violations.stream().limit(n).forEach(v -> b.append("\n  ").append(v));
        return b.toString();
    }
}
