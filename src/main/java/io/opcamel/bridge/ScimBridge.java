package io.opcamel.bridge;

import io.opcamel.scim.ScimNodes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.Secrets;
import io.opcamel.config.Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.util.ObjectHelper;

/**
 * The SCIM Bridge as the routes see it: where it is, the Authorization header of a call (the bridge token never
 * leaves this class except into that header, which send-to-scim-bridge removes as soon as the answer is in), the
 * answer of one HTTP call as a {@link BridgeAnswer} (its latency counted), and {@link #call(BridgeRequest)}, the
 * bridge client for Java code (call-scim-bridge, as an exchange of its own).
 */
public final class ScimBridge {

    public static final String PREFIX = "onepassword.scim.bridge.";
    /** Time from sending a request to the bridge to its answer, by method and status (no-response without one). */
    public static final String LATENCY = "onepassword.scim.bridge.latency";
    static final String CALL = "direct:call-scim-bridge";
    private static final String SENT_AT = "scimBridgeSentAt";

    private final String url;
    private final String token;
    private final CamelContext context;
    private final MeterRegistry meters;
    private volatile ProducerTemplate template;

    ScimBridge(String url, String token, CamelContext context, MeterRegistry meters) {
        this.url = url;
        this.token = token;
        this.context = context;
        this.meters = meters;
    }

    /** The bridge from config; without a URL, a bridge that says so on its first call. */
    public static ScimBridge read(Settings s, CamelContext context, MeterRegistry meters) {
        Optional<String> url = s.optional(PREFIX + "url");
        if (url.isEmpty()) {
            return new ScimBridge(null, null, context, meters);
        }
        String u = url.get().replaceAll("/+$", "");
        try {
            URI parsed = URI.create(u);
            if (!"https".equals(parsed.getScheme()) && !"http".equals(parsed.getScheme()) || parsed.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(PREFIX + "url", "must be the bridge's SCIM base URL such as "
                    + "https://scim.example.com/scim/v2, got '" + u + "'");
        }
        String token = Secrets.read(s, PREFIX + "token");
        refuseEventsToken(token);
        return new ScimBridge(u, token, context, meters);
    }

    /** An Events API token is a JWT with a features claim; a bridge token is not. Say so rather than fail on a 401. */
    private static void refuseEventsToken(String token) {
        String[] parts = token.split("\\.");
        if (parts.length == 3) {
            try {
                JsonNode claims = ScimNodes.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
                if (claims.has("1password.com/fts")) {
                    throw new InvalidConfigException(PREFIX + "token", "is an Events API token (it names features), "
                            + "not the SCIM bridge's bearer token: give the token from the bridge's scimsession setup");
                }
            } catch (IllegalArgumentException | IOException notAJwt) {
                // some other shape: the bridge decides
            }
        }
    }

    public boolean configured() {
        return url != null;
    }

    public String url() {
        return url;
    }

    private void requireConfigured() {
        if (url == null) {
            throw new InvalidConfigException(PREFIX + "url", "is not set: the SCIM bridge cannot be called");
        }
    }

    /** The full URL of a call (its query goes separately, as CamelHttpQuery). */
    public String uri(BridgeRequest r) {
        requireConfigured();
        return url + r.path();
    }

    public String authorization() {
        requireConfigured();
        return "Bearer " + token;
    }

    /**
     * One call from Java code, with call-scim-bridge's retries and the limiter, as an exchange of its own (for reads a
     * guardrail makes while it decides, such as {@link BridgeGroupLookup}'s); no answer is an answer with status 0.
     */
    public BridgeAnswer call(BridgeRequest r) {
        requireConfigured();
        Exchange done = template().send(CALL, e -> e.getIn().setBody(r));
        if (done.getException() != null) {
            Exception failure = done.getException();
            throw failure instanceof RuntimeException re ? re : new IllegalStateException(failure);
        }
        return done.getMessage().getBody(BridgeAnswer.class);
    }

    private ProducerTemplate template() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }

    /** Just before the request leaves (after the limiter): the latency is measured from here. */
    public void sending(Exchange exchange) {
        exchange.setProperty("scimBridgeMethod", exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class));
        exchange.setProperty(SENT_AT, System.nanoTime());
    }

    /**
     * The bridge did not answer at all (refused, reset, timed out: an IOException, caught by send-to-scim-bridge):
     * an answer with status 0 that says so, counted as {@code no-response}.
     */
    public BridgeAnswer unanswered(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        IOException io = ObjectHelper.getException(IOException.class, failure);
        Long at = exchange.getProperty(SENT_AT, Long.class);
        if (at != null) {
            timed(exchange, "no-response", at);
        }
        Throwable cause = io != null ? io : failure;
        return BridgeAnswer.noAnswer(cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }

    /** The bridge's answer as a value: status, the headers worth passing on, body. */
    public BridgeAnswer answer(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : new String[] {"Retry-After", "Location"}) {
            String v = exchange.getMessage().getHeader(h, String.class);
            if (v != null) {
                headers.put(h, v);
            }
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        Long at = exchange.getProperty(SENT_AT, Long.class);
        int code = status == null ? 0 : status;
        if (at != null) {
            timed(exchange, Integer.toString(code), at);
        }
        return new BridgeAnswer(code, headers, body, code == 0 ? "no status" : null);
    }

    private void timed(Exchange exchange, String status, long sentAt) {
        Timer.builder(LATENCY).description("time from sending a request to the SCIM bridge to its answer")
                .tags("method", exchange.getProperty("scimBridgeMethod", "", String.class), "status", status)
                .register(meters).record(System.nanoTime() - sentAt, TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return url == null ? "(no bridge configured: " + PREFIX + "url)"
                : url + " token " + Secrets.mask(token);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
