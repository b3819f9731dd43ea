package io.opcamel.sandbox;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything the sandbox can be told at start. Each field is also a property {@code onepassword.sandbox.<key>}
 * (see {@link #fromProperties}); the table of docs/configuration.md lists them with their defaults.
 */
public final class SandboxConfig {

    public static final String PREFIX = "onepassword.sandbox.";

    /** Loopback only: the sandbox is a test double and must never listen on a routable address. */
    public String host = "127.0.0.1";
    /** 0 picks a free port. */
    public int port = 0;
    /** Seeds every generated id, event and random fault, so a run can be repeated. */
    public long seed = 42;
    /** Accounts the Events API serves, each with its region. */
    public Map<String, String> accounts = new LinkedHashMap<>(Map.of("demo", "us"));
    /** Generated events per second of simulated time, per account and feature. */
    public double eventsPerSecond = 2.0;
    /** Events that already exist when the sandbox starts, per account and feature. */
    public long backlog = 500;
    /** Total events per account and feature; -1 = unlimited. */
    public long maxEvents = -1;
    /** Where the generated streams begin; null = derived from now and the backlog. */
    public Instant origin;
    /** Whether the Events API enforces its rate limits (429 + Retry-After past them). */
    public boolean eventsRateLimitEnabled = true;
    public List<String> eventsRateLimits = List.of("600/60s", "30000/1h");
    public Faults.RateLimitKey eventsRateLimitKey = Faults.RateLimitKey.token;
    /** The bridge's own limit is undocumented: off unless a test or ops turn it on. */
    public boolean scimRateLimitEnabled = false;
    public List<String> scimRateLimits = List.of("600/60s");
    /** Email domains the 1Password account allows; empty = any. */
    public List<String> scimAllowedDomains = List.of();
    /** What the bridge's /health reports. */
    public String scimVersion = "2.9.16";
    public String scimBuild = "209163";
    /** Fault switches at start, as the admin endpoint takes them: JSON such as {"serverErrorRatio":0.05}. */
    public String eventsFaults = "";
    public String scimFaults = "";
    /** Where the sandbox writes the tokens it issues at start (one file each); null = nowhere. */
    public Path tokenDir;
    /** Where the sandbox keeps what a restart must find again (the streams' origin); null = a new account each start. */
    public Path stateDir;
    public int requestLogCapacity = 100_000;
    public int threads = 32;
    public Clock clock = Clock.systemUTC();

    /** Reads {@code onepassword.sandbox.*} keys through the given lookup; a missing key keeps its default. */
    public static SandboxConfig fromProperties(Function<String, String> lookup) {
        SandboxConfig c = new SandboxConfig();
        c.host = str(lookup, "host", c.host);
        c.port = (int) num(lookup, "port", c.port);
        c.seed = (long) num(lookup, "seed", c.seed);
        String accounts = lookup.apply(PREFIX + "accounts");
        if (accounts != null && !accounts.isBlank()) {
            c.accounts = new LinkedHashMap<>();
            for (String name : list(accounts)) {
                c.accounts.put(name, str(lookup, "account." + name + ".region", "us"));
            }
        }
        c.eventsPerSecond = num(lookup, "events.per-second", c.eventsPerSecond);
        c.backlog = (long) num(lookup, "events.backlog", c.backlog);
        c.maxEvents = (long) num(lookup, "events.max", c.maxEvents);
        String origin = lookup.apply(PREFIX + "events.origin");
        if (origin != null && !origin.isBlank()) {
            c.origin = Instant.parse(origin.trim());
        }
        c.eventsRateLimitEnabled = bool(lookup, "events.rate-limit.enabled", c.eventsRateLimitEnabled);
        c.eventsRateLimits = listOr(lookup, "events.rate-limit.windows", c.eventsRateLimits);
        c.eventsRateLimitKey = Faults.RateLimitKey.valueOf(str(lookup, "events.rate-limit.key", c.eventsRateLimitKey.name()));
        c.scimRateLimitEnabled = bool(lookup, "scim.rate-limit.enabled", c.scimRateLimitEnabled);
        c.scimRateLimits = listOr(lookup, "scim.rate-limit.windows", c.scimRateLimits);
        c.scimAllowedDomains = listOr(lookup, "scim.allowed-domains", c.scimAllowedDomains);
        c.scimVersion = str(lookup, "scim.version", c.scimVersion);
        c.scimBuild = str(lookup, "scim.build", c.scimBuild);
        c.eventsFaults = str(lookup, "events.faults", "");
        c.scimFaults = str(lookup, "scim.faults", "");
        String dir = lookup.apply(PREFIX + "token-dir");
        if (dir != null && !dir.isBlank()) {
            c.tokenDir = Path.of(dir.trim());
        }
        String state = lookup.apply(PREFIX + "state-dir");
        if (state != null && !state.isBlank()) {
            c.stateDir = Path.of(state.trim());
        }
        c.requestLogCapacity = (int) num(lookup, "request-log.capacity", c.requestLogCapacity);
        return c;
    }

    private static String str(Function<String, String> lookup, String key, String def) {
        String v = lookup.apply(PREFIX + key);
        return v == null || v.isBlank() ? def : v.trim();
    }

    private static double num(Function<String, String> lookup, String key, double def) {
        String v = lookup.apply(PREFIX + key);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("property " + PREFIX + key + " must be a number, got '" + v + "'");
        }
    }

    private static boolean bool(Function<String, String> lookup, String key, boolean def) {
        String v = lookup.apply(PREFIX + key);
        if (v == null || v.isBlank()) {
            return def;
        }
        if (!v.trim().equalsIgnoreCase("true") && !v.trim().equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("property " + PREFIX + key + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v.trim());
    }

    private static List<String> listOr(Function<String, String> lookup, String key, List<String> def) {
        String v = lookup.apply(PREFIX + key);
        return v == null ? def : list(v);
    }

    static List<String> list(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : Arrays.asList(csv.split(","))) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }
}
