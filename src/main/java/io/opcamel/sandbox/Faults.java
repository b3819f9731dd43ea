package io.opcamel.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fault switches of one simulated API. Every switch can be set from config at start, from a test, or through
 * the admin endpoint while running. "Next N" counters fire on the next N requests; ratios fire at random, from a
 * seeded generator so a run can be repeated.
 */
public final class Faults {

    /** Which key the rate limit counts per: each token separately, or every token of one account together. */
    public enum RateLimitKey { token, account }

    private final Random random;

    private volatile boolean rateLimitEnabled;
    private volatile List<RateWindow> rateLimits = List.of();
    private volatile RateLimitKey rateLimitKey = RateLimitKey.token;

    private volatile double serverErrorRatio;
    private final AtomicInteger serverErrorNext = new AtomicInteger();
    /** Requests let through before serverErrorNext starts firing, to fail a chosen call of a sequence. */
    private final AtomicInteger serverErrorSkip = new AtomicInteger();
    private volatile int serverErrorStatus = 500;

    private volatile long latencyMillis;

    private volatile double resetRatio;
    private final AtomicInteger resetNext = new AtomicInteger();

    private volatile double malformedRatio;
    private final AtomicInteger malformedNext = new AtomicInteger();

    private final AtomicInteger invalidCursorNext = new AtomicInteger();

    private final AtomicInteger tooManyRequestsNext = new AtomicInteger();
    /** Retry-After sent with injected 429s, in seconds; negative = send none. */
    private volatile int tooManyRequestsRetryAfterSeconds = 1;

    /** The SCIM bridge bug of v2.9.0: totalResults counts the page, not the matches. */
    private volatile boolean wrongTotalResults;
    /** The strict-server bug Entra trips: a member "remove" with a value array removes every member. */
    private volatile boolean removeWithValueRemovesAllMembers;
    /**
     * Answers not seen from a real bridge but allowed by the schema (display is optional): users' {@code groups}
     * entries without {@code display}, group lists and GET /Groups/{id} without {@code displayName}. The bundle must
     * then leave such a group alone rather than guess.
     */
    private volatile boolean groupRefsWithoutDisplay;
    private volatile boolean groupListsWithoutDisplayName;
    private volatile boolean groupWithoutDisplayName;
    /**
     * The bridge's {@code GET /health}: components whose report states something other than healthy, by source,
     * e.g. {@code {"ConfirmationWatcher":"Disconnected"}} (what the bridge shows when provisioning is not turned on
     * in the account, scim-examples issue #247); and components that stopped reporting, whose last healthy report
     * expired before the answer was put together (a stale Redis).
     */
    private volatile Map<String, String> unhealthyComponents = Map.of();
    private volatile List<String> staleComponents = List.of();

    public Faults(long seed) {
        this.random = new Random(seed);
    }

    /** Turns every switch off, keeping the configured rate limits but not enforcing them unless they were. */
    public void clear() {
        serverErrorRatio = 0;
        serverErrorNext.set(0);
        serverErrorSkip.set(0);
        serverErrorStatus = 500;
        latencyMillis = 0;
        resetRatio = 0;
        resetNext.set(0);
        malformedRatio = 0;
        malformedNext.set(0);
        invalidCursorNext.set(0);
        tooManyRequestsNext.set(0);
        tooManyRequestsRetryAfterSeconds = 1;
        wrongTotalResults = false;
        removeWithValueRemovesAllMembers = false;
        groupRefsWithoutDisplay = false;
        groupListsWithoutDisplayName = false;
        groupWithoutDisplayName = false;
        unhealthyComponents = Map.of();
        staleComponents = List.of();
    }

    boolean fireServerError() {
        if (serverErrorNext.get() > 0 && serverErrorSkip.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return false;
        }
        return fire(serverErrorNext, serverErrorRatio);
    }

    boolean fireReset() {
        return fire(resetNext, resetRatio);
    }

    boolean fireMalformed() {
        return fire(malformedNext, malformedRatio);
    }

    boolean fireInvalidCursor() {
        return fire(invalidCursorNext, 0);
    }

    boolean fireTooManyRequests() {
        return fire(tooManyRequestsNext, 0);
    }

    private boolean fire(AtomicInteger next, double ratio) {
        if (next.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return true;
        }
        if (ratio <= 0) {
            return false;
        }
        synchronized (random) {
            return random.nextDouble() < ratio;
        }
    }

    // --- bean properties, so config, tests and the admin endpoint share one vocabulary ---

    public boolean isRateLimitEnabled() {
        return rateLimitEnabled;
    }

    public Faults setRateLimitEnabled(boolean v) {
        rateLimitEnabled = v;
        return this;
    }

    public List<String> getRateLimits() {
        List<String> out = new ArrayList<>();
        for (RateWindow w : rateLimits) {
            out.add(w.limit() + "/" + w.windowMillis() + "ms");
        }
        return out;
    }

    public Faults setRateLimits(List<String> windows) {
        List<RateWindow> parsed = new ArrayList<>();
        for (String w : windows) {
            parsed.add(RateWindow.parse(w));
        }
        rateLimits = List.copyOf(parsed);
        return this;
    }

    List<RateWindow> rateWindows() {
        return rateLimitEnabled ? rateLimits : List.of();
    }

    public RateLimitKey getRateLimitKey() {
        return rateLimitKey;
    }

    public Faults setRateLimitKey(RateLimitKey k) {
        rateLimitKey = k;
        return this;
    }

    public double getServerErrorRatio() {
        return serverErrorRatio;
    }

    public Faults setServerErrorRatio(double v) {
        serverErrorRatio = ratio("serverErrorRatio", v);
        return this;
    }

    public int getServerErrorNext() {
        return serverErrorNext.get();
    }

    public Faults setServerErrorNext(int n) {
        serverErrorNext.set(Math.max(0, n));
        return this;
    }

    public int getServerErrorSkip() {
        return serverErrorSkip.get();
    }

    public Faults setServerErrorSkip(int n) {
        serverErrorSkip.set(Math.max(0, n));
        return this;
    }

    public int getServerErrorStatus() {
        return serverErrorStatus;
    }

    public Faults setServerErrorStatus(int s) {
        if (s < 500 || s > 599) {
            throw new IllegalArgumentException("serverErrorStatus must be 5xx, got " + s);
        }
        serverErrorStatus = s;
        return this;
    }

    public long getLatencyMillis() {
        return latencyMillis;
    }

    public Faults setLatencyMillis(long ms) {
        latencyMillis = Math.max(0, ms);
        return this;
    }

    public double getResetRatio() {
        return resetRatio;
    }

    public Faults setResetRatio(double v) {
        resetRatio = ratio("resetRatio", v);
        return this;
    }

    public int getResetNext() {
        return resetNext.get();
    }

    public Faults setResetNext(int n) {
        resetNext.set(Math.max(0, n));
        return this;
    }

    public double getMalformedRatio() {
        return malformedRatio;
    }

    public Faults setMalformedRatio(double v) {
        malformedRatio = ratio("malformedRatio", v);
        return this;
    }

    public int getMalformedNext() {
        return malformedNext.get();
    }

    public Faults setMalformedNext(int n) {
        malformedNext.set(Math.max(0, n));
        return this;
    }

    public int getInvalidCursorNext() {
        return invalidCursorNext.get();
    }

    public Faults setInvalidCursorNext(int n) {
        invalidCursorNext.set(Math.max(0, n));
        return this;
    }

    public int getTooManyRequestsNext() {
        return tooManyRequestsNext.get();
    }

    public Faults setTooManyRequestsNext(int n) {
        tooManyRequestsNext.set(Math.max(0, n));
        return this;
    }

    public int getTooManyRequestsRetryAfterSeconds() {
        return tooManyRequestsRetryAfterSeconds;
    }

    public Faults setTooManyRequestsRetryAfterSeconds(int s) {
        tooManyRequestsRetryAfterSeconds = s;
        return this;
    }

    public boolean isWrongTotalResults() {
        return wrongTotalResults;
    }

    public Faults setWrongTotalResults(boolean v) {
        wrongTotalResults = v;
        return this;
    }

    public boolean isRemoveWithValueRemovesAllMembers() {
        return removeWithValueRemovesAllMembers;
    }

    public Faults setRemoveWithValueRemovesAllMembers(boolean v) {
        removeWithValueRemovesAllMembers = v;
        return this;
    }

    public boolean isGroupRefsWithoutDisplay() {
        return groupRefsWithoutDisplay;
    }

    public Faults setGroupRefsWithoutDisplay(boolean v) {
        groupRefsWithoutDisplay = v;
        return this;
    }

    public boolean isGroupListsWithoutDisplayName() {
        return groupListsWithoutDisplayName;
    }

    public Faults setGroupListsWithoutDisplayName(boolean v) {
        groupListsWithoutDisplayName = v;
        return this;
    }

    public boolean isGroupWithoutDisplayName() {
        return groupWithoutDisplayName;
    }

    public Faults setGroupWithoutDisplayName(boolean v) {
        groupWithoutDisplayName = v;
        return this;
    }

    public Map<String, String> getUnhealthyComponents() {
        return unhealthyComponents;
    }

    public Faults setUnhealthyComponents(Map<String, String> states) {
        Map<String, String> checked = new LinkedHashMap<>();
        states.forEach((source, state) -> {
            if (state == null || state.isBlank()) {
                throw new IllegalArgumentException("unhealthyComponents." + source + " needs the state it reports,"
                        + " such as \"Disconnected\"");
            }
            checked.put(component("unhealthyComponents", source), state);
        });
        unhealthyComponents = Map.copyOf(checked);
        return this;
    }

    public List<String> getStaleComponents() {
        return staleComponents;
    }

    public Faults setStaleComponents(List<String> sources) {
        staleComponents = sources.stream().map(s -> component("staleComponents", s)).distinct().toList();
        return this;
    }

    /** A component the bridge reports on; a typo would otherwise switch nothing on. */
    private static String component(String name, String source) {
        if (!ScimDiscovery.HEALTH_SOURCES.contains(source)) {
            throw new IllegalArgumentException(name + " takes the bridge's components " + ScimDiscovery.HEALTH_SOURCES
                    + ", got '" + source + "'");
        }
        return source;
    }

    private static double ratio(String name, double v) {
        if (v < 0 || v > 1) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, got " + v);
        }
        return v;
    }
}
