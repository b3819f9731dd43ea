package io.opcamel.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Events API's opaque cursor: where the next page starts, the page size and the end bound the ResetCursor set.
 * Encoded deterministically, so a poll that finds nothing new gets the very same cursor back; signed, so a cursor
 * that was tampered with, or belongs to another account or feature, is refused with a 400.
 */
record EventCursor(String account, String feature, long next, int limit, long endExclusive) {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    EventCursor advancedTo(long n) {
        return new EventCursor(account, feature, n, limit, endExclusive);
    }

    String encode(byte[] key) {
        String payload = account + "|" + feature + "|" + next + "|" + limit + "|" + endExclusive;
        return B64.encodeToString((payload + "|" + mac(key, payload)).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor, or null when it is not one this sandbox issued. */
    static EventCursor decode(String text, byte[] key) {
        try {
            String raw = new String(B64D.decode(text), StandardCharsets.UTF_8);
            int cut = raw.lastIndexOf('|');
            if (cut < 0 || !mac(key, raw.substring(0, cut)).equals(raw.substring(cut + 1))) {
                return null;
            }
            String[] p = raw.substring(0, cut).split("\\|");
            return new EventCursor(p[0], p[1], Long.parseLong(p[2]), Integer.parseInt(p[3]), Long.parseLong(p[4]));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String mac(byte[] key, String payload) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] d = m.doFinal(payload.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
