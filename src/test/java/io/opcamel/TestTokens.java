package io.opcamel;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** JWT-shaped Events API tokens for tests that never call an API (the bundle reads claims, it cannot check signatures). */
public final class TestTokens {

    private TestTokens() {
    }

    public static String unsigned(String claimsJson) {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        return b.encodeToString("{\"alg\":\"ES256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8)) + "."
                + b.encodeToString("not-a-signature".getBytes(StandardCharsets.UTF_8));
    }

    /** A token of an account on the US host allowed to read every feature. */
    public static String allFeatures() {
        return unsigned("{\"aud\":[\"events.1password.com\"],\"1password.com/auuid\":\"TESTACCOUNTUUIDAAAAAAAAAAAA\","
                + "\"1password.com/fts\":[\"signinattempts\",\"itemusages\",\"auditevents\"]}");
    }
}
