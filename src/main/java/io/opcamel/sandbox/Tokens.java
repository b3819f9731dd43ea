package io.opcamel.sandbox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bearer tokens in the shape 1Password issues them: Events API tokens are ES256 JWTs whose claims name the account,
 * the audience host and the features; the SCIM bridge token is an opaque string. Keys live only in memory.
 */
public final class Tokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final KeyPair keys;
    private final String keyId;

    public Tokens(long seed) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            keys = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC P-256 support in this JVM", e);
        }
        keyId = Ids.of(seed, "kid", 0).toLowerCase();
    }

    /** A signed JWT carrying the given claims. */
    public String mint(Map<String, Object> claims) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "ES256");
        header.put("kid", keyId);
        header.put("typ", "JWT");
        try {
            String signingInput = B64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + B64.encodeToString(JSON.writeValueAsBytes(claims));
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(keys.getPrivate());
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException("could not sign a sandbox token", e);
        }
    }

    /** The claims of a token this sandbox signed, or null for anything else (wrong signature, garbage). */
    public Map<String, Object> verify(String jwt) {
        if (jwt == null) {
            return null;
        }
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initVerify(keys.getPublic());
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(B64D.decode(parts[2]))) {
                return null;
            }
            return JSON.readValue(B64D.decode(parts[1]), new TypeReference<Map<String, Object>>() { });
        } catch (Exception e) {
            return null;
        }
    }

    /** A random opaque bearer token (the SCIM bridge's kind). */
    public static String opaque(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return B64.encodeToString(b);
    }

    /** A short, stable, non-reversible fingerprint of a token for logs: never the token itself. */
    public static String fingerprint(String token) {
        if (token == null) {
            return null;
        }
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + java.util.HexFormat.of().formatHex(d, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
