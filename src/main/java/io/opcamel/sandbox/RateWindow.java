package io.opcamel.sandbox;

/** A rate limit the sandbox enforces: at most {@code limit} requests in any {@code windowMillis}. */
public record RateWindow(int limit, long windowMillis) {

    public RateWindow {
        if (limit < 1 || windowMillis < 1) {
            throw new IllegalArgumentException("a rate window needs limit >= 1 and windowMillis >= 1, got "
                    + limit + "/" + windowMillis + "ms");
        }
    }

    /** Parses "600/60s", "30000/1h", "5/250ms". */
    public static RateWindow parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("rate window '" + text + "' must look like 600/60s");
        }
        int limit = Integer.parseInt(t.substring(0, slash).trim());
        String d = t.substring(slash + 1).trim();
        long millis;
        if (d.endsWith("ms")) {
            millis = Long.parseLong(d.substring(0, d.length() - 2));
        } else if (d.endsWith("s")) {
            millis = Long.parseLong(d.substring(0, d.length() - 1)) * 1000;
        } else if (d.endsWith("m")) {
            millis = Long.parseLong(d.substring(0, d.length() - 1)) * 60_000;
        } else if (d.endsWith("h")) {
            millis = Long.parseLong(d.substring(0, d.length() - 1)) * 3_600_000;
        } else {
            throw new IllegalArgumentException("rate window '" + text + "' needs a unit: ms, s, m or h");
        }
        return new RateWindow(limit, millis);
    }

    @Override
    public String toString() {
        return limit + "/" + windowMillis + "ms";
    }
}
