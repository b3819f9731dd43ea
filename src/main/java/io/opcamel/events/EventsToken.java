package io.opcamel.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What an Events API token says about itself. The token is a JWT whose claims carry the audience (the region's
 * events host) and the features it may read; the bundle reads them to derive the host and to refuse, at start,
 * a feed the token cannot serve. The signature is not checked here: 1Password checks it on every call.
 */
public record EventsToken(Optional<String> host, Set<String> features, Optional<String> accountUuid) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads the claims, or explains why this is not an Events API token (a SCIM bridge token, for instance, is not
     * a JWT with a features claim).
     */
    public static EventsToken parse(String token, String property) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            throw new NotAnEventsTokenException(property, "is not an Events API token: it is not a JWT (a SCIM "
                    + "bridge bearer token looks like this; issue an Events Reporting token in 1Password.com > "
                    + "Integrations > Events Reporting)");
        }
        JsonNode claims;
        try {
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (Exception e) {
            throw new NotAnEventsTokenException(property, "is not an Events API token: its claims cannot be read");
        }
        JsonNode fts = claims.path("1password.com/fts");
        if (!fts.isArray()) {
            throw new NotAnEventsTokenException(property, "is not an Events API token: it has no 1password.com/fts "
                    + "(features) claim");
        }
        Set<String> features = new LinkedHashSet<>();
        fts.forEach(f -> features.add(f.asText()));
        JsonNode aud = claims.path("aud");
        String audience = aud.isArray() && !aud.isEmpty() ? aud.get(0).asText() : aud.isTextual() ? aud.asText() : null;
        JsonNode account = claims.path("1password.com/auuid");
        return new EventsToken(Optional.ofNullable(audience).map(EventsToken::hostUrl), features,
                account.isTextual() ? Optional.of(account.asText()) : Optional.empty());
    }

    /** "events.1password.eu" or "https://events.1password.eu/" to "https://events.1password.eu". */
    static String hostUrl(String audience) {
        String a = audience.trim();
        if (!a.contains("://")) {
            a = "https://" + a;
        }
        URI u = URI.create(a);
        return u.getScheme() + "://" + u.getAuthority();
    }

    /** Thrown when the configured token is some other credential. */
    public static final class NotAnEventsTokenException extends io.opcamel.config.InvalidConfigException {
        public NotAnEventsTokenException(String property, String problem) {
            super(property, problem);
        }
    }
}
