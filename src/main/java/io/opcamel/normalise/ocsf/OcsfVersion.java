package io.opcamel.normalise.ocsf;

/**
 * An OCSF schema version (major.minor.patch, a pre-release suffix such as {@code -dev} ignored), parsed once when the
 * schema is configured so that the per-item checks of section 7 of the reference are integer comparisons.
 */
public record OcsfVersion(int major, int minor, int patch) implements Comparable<OcsfVersion> {

    /** @throws IllegalArgumentException naming the value when it is not major.minor.patch */
    public static OcsfVersion parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("OCSF version missing: expected major.minor.patch, such as 1.8.0");
        }
        String core = text.strip();
        int dash = core.indexOf('-');
        if (dash >= 0) {
            core = core.substring(0, dash);
        }
        String[] parts = core.split("\\.", -1);
        if (parts.length != 3) {
            throw notAVersion(text);
        }
        try {
            OcsfVersion v = new OcsfVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                    Integer.parseInt(parts[2]));
            if (v.major < 0 || v.minor < 0 || v.patch < 0) {
                throw notAVersion(text);
            }
            return v;
        } catch (NumberFormatException e) {
            throw notAVersion(text);
        }
    }

    private static IllegalArgumentException notAVersion(String text) {
        return new IllegalArgumentException("not an OCSF version: '" + text + "' (expected major.minor.patch, such as 1.8.0)");
    }

    public boolean atLeast(OcsfVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(OcsfVersion o) {
        if (major != o.major) {
            return Integer.compare(major, o.major);
        }
        if (minor != o.minor) {
            return Integer.compare(minor, o.minor);
        }
        return Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
