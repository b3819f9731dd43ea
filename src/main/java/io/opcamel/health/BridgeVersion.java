package io.opcamel.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opcamel.config.InvalidConfigException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SCIM bridge's version, as its {@code /health} last named it, against {@code onepassword.scim.bridge.min-version}.
 * Two gauges: {@code onepassword.scim.bridge.version.ok} (1 at or above the minimum, 0 below it or when no version
 * can be read, NaN before the first answer) and {@code onepassword.scim.bridge.version.info} (1, tagged with the
 * version and build, replaced when they change). Below the minimum it logs a WARN naming both versions, once per
 * version seen, not at every check.
 */
public final class BridgeVersion {

    private static final Logger LOG = LoggerFactory.getLogger("io.opcamel.scim");
    public static final String MIN_VERSION = "onepassword.scim.bridge.min-version";
    public static final String OK = "onepassword.scim.bridge.version.ok";
    public static final String INFO = "onepassword.scim.bridge.version.info";

    private final String minimum;
    private final int[] minimumParts;
    private final MeterRegistry registry;
    private volatile double ok = Double.NaN;
    private String seen; // version + build last seen; guarded by this
    private Gauge info;

    /** @param minimum {@link #minimum(String)}'s */
    public BridgeVersion(String minimum, MeterRegistry registry) {
        this.minimum = minimum(minimum);
        this.minimumParts = parse(minimum);
        this.registry = registry;
        Gauge.builder(OK, this, v -> v.ok).description("1 when the SCIM bridge's version is at least "
                + MIN_VERSION + ", 0 below it or when unreadable").register(registry);
    }

    /** The value of {@link #MIN_VERSION}, checked: numbers and dots, such as 2.9.16. */
    public static String minimum(String value) {
        if (value == null || !value.trim().matches("\\d+(\\.\\d+)*")) {
            throw new InvalidConfigException(MIN_VERSION, "must be a version such as 2.9.16, got '" + value + "'");
        }
        return value.trim();
    }

    /** After each answer of the bridge's /health. */
    public synchronized void seen(String version, String build) {
        String key = version + "/" + build;
        if (Objects.equals(key, seen)) {
            return;
        }
        seen = key;
        if (info != null) {
            registry.remove(info);
        }
        info = Gauge.builder(INFO, () -> 1).description("the SCIM bridge's version and build, as its /health names them")
                .tags("version", version == null ? "unknown" : version, "build", build == null ? "unknown" : build)
                .register(registry);
        int[] parts = parse(version);
        if (parts == null) {
            ok = 0;
            LOG.warn("SCIM bridge: its /health names no version the bundle can read ({}), so it cannot be checked "
                    + "against {}={}", version == null ? "none" : "'" + version + "'", MIN_VERSION, minimum);
        } else if (compare(parts, minimumParts) < 0) {
            ok = 0;
            LOG.warn("SCIM bridge version {} is older than {}={}: upgrade the bridge (1password/scim), the bundle "
                    + "is checked against {} and later", version, MIN_VERSION, minimum, minimum);
        } else {
            ok = 1;
            LOG.info("SCIM bridge version {} (build {}), at least {}={}", version, build, MIN_VERSION, minimum);
        }
    }

    /** "2.9.16" (or "v2.9.16", "2.9.16-beta") as numbers; null when it does not start with one. */
    static int[] parse(String version) {
        if (version == null) {
            return null;
        }
        String v = version.trim();
        if (v.startsWith("v") || v.startsWith("V")) {
            v = v.substring(1);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+(?:\\.\\d+)*)").matcher(v);
        if (!m.find()) {
            return null;
        }
        String[] s = m.group(1).split("\\.");
        int[] out = new int[s.length];
        try {
            for (int i = 0; i < s.length; i++) {
                out[i] = Integer.parseInt(s[i]);
            }
        } catch (NumberFormatException tooLong) {
            return null;
        }
        return out;
    }

    /** Part by part; a missing part counts as 0 (2.9 = 2.9.0). */
    static int compare(int[] a, int[] b) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? a[i] : 0;
            int y = i < b.length ? b[i] : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }
}
