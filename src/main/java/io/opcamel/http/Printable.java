package io.opcamel.http;

/**
 * Text that came from outside (a request's path or field, a desired-state record) as it may appear in an answer or
 * a log line: control characters replaced by {@code ?}, so it cannot forge lines or terminal escapes, and at most
 * {@code max} characters, then {@code ...}; and no secret the bundle read (a token an IdP sent back in a field).
 */
public final class Printable {

    private Printable() {
    }

    public static String of(String s, int max) {
        if (s == null) {
            return "";
        }
        s = io.opcamel.config.Secrets.redact(s);
        boolean cut = s.codePointCount(0, s.length()) > max;
        String kept = cut ? s.substring(0, s.offsetByCodePoints(0, max)) : s;
        StringBuilder b = new StringBuilder(kept.length() + 3);
        kept.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return cut ? b.append("...").toString() : b.toString();
    }
}
