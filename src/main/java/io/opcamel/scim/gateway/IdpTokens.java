package io.opcamel.scim.gateway;

import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.Secrets;
import io.opcamel.config.Settings;
import io.opcamel.scim.ScimError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identity providers allowed to call the gateway, each with its own bearer token
 * ({@code onepassword.scim.gateway.tokens}: {@code okta:<token>,entra:<token>}, or one bare token, named "idp").
 * A presented token is compared with every configured one in constant time (MessageDigest.isEqual, and no early
 * exit), so neither the match nor its position leaks through timing. The audit trail names the IdP, never the token.
 */
public final class IdpTokens {

    public static final String KEY = "onepassword.scim.gateway.tokens";
    private static final Pattern NAMED = Pattern.compile("([a-z0-9][a-z0-9_-]{0,31}):(.+)");

    private record Idp(String name, byte[] token) {
    }

    private final List<Idp> idps;

    IdpTokens(List<Idp> idps) {
        this.idps = List.copyOf(idps);
    }

    /** Reads the tokens (environment variable or {@code tokens-file}); at least one is required. */
    public static IdpTokens read(Settings settings) {
        return read(settings, KEY);
    }

    /** The callers named under another key of the same form (the lifecycle API's, for one). */
    public static IdpTokens read(Settings settings, String key) {
        return parse(Secrets.read(settings, key), key);
    }

    static IdpTokens parse(String value) {
        return parse(value, KEY);
    }

    static IdpTokens parse(String value, String key) {
        List<Idp> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String entry : value.split("[,\\n]")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            Matcher m = NAMED.matcher(e);
            String name = m.matches() ? m.group(1) : "idp";
            String token = m.matches() ? m.group(2).trim() : e;
            if (token.length() < 16) {
                throw new InvalidConfigException(key, "holds a token for '" + name + "' shorter than 16 characters: "
                        + "give each identity provider a long random token");
            }
            if (!names.add(name)) {
                throw new InvalidConfigException(key, "names the identity provider '" + name + "' twice (name each "
                        + "token: okta:<token>,entra:<token>)");
            }
            out.add(new Idp(name, token.getBytes(StandardCharsets.UTF_8)));
        }
        if (out.isEmpty()) {
            throw new InvalidConfigException(key, "holds no token");
        }
        return new IdpTokens(out);
    }

    /** While the gateway is off: no token is valid. */
    public static IdpTokens none() {
        return new IdpTokens(List.of());
    }

    /** The authenticate-the-identity-provider step: names the IdP on the request, or refuses it with a 401. */
    public void authenticate(ScimRequest r) {
        String authorization = r.authorization;
        r.authorization = null; // read once, refused or not
        r.idp = callerOf(authorization);
    }

    /** The IdP names, for the start-up log. */
    public List<String> names() {
        return idps.stream().map(Idp::name).toList();
    }

    /** The name of the IdP whose token the Authorization header carries; a 401 otherwise. */
    public String callerOf(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new ScimError(401, null, "a bearer token is required").by("authentication");
        }
        String a = authorization.trim();
        if (a.length() < 7 || !a.substring(0, 7).equalsIgnoreCase("Bearer ")) {
            throw new ScimError(401, null, "the Authorization header must be a Bearer token").by("authentication");
        }
        byte[] given = a.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        String found = null;
        for (Idp idp : idps) {
            // every token is compared, whatever matched before: the time taken does not depend on which one did
            if (MessageDigest.isEqual(idp.token(), given) && found == null) {
                found = idp.name();
            }
        }
        if (found == null) {
            throw new ScimError(401, null, "the bearer token is not valid for this gateway").by("authentication");
        }
        return found;
    }
}
