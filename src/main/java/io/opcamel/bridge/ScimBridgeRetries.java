package io.opcamel.bridge;

import io.opcamel.scim.ScimNodes;
import io.opcamel.scim.gateway.ScimRequests;
import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.config.Settings;
import io.opcamel.ratelimit.Backoff;
import io.opcamel.ratelimit.RetryAfter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, after each call of call-scim-bridge, whether its answer is final. A 429 waits its Retry-After (or backs
 * off), a 5xx or no answer at all backs off exponentially with full jitter, up to {@code retry.attempts} more tries;
 * every other answer is final and goes to the caller as it is. Only calls that end in the same state however often
 * they arrive (GET, PUT, PATCH, DELETE) are simply sent again. A create (POST) that got no clear answer may have
 * happened: before it is sent again, the bridge is asked for the userName (or a group's displayName), and if that
 * exists, the answer is what exists (201, as if the create had answered), never a second create.
 *
 * <p>A wait longer than {@code retry.max-wait} is not waited: the IdP gets the bridge's answer (a 429 keeps its
 * Retry-After) and retries on its own schedule.
 */
public final class ScimBridgeRetries {

    private static final Logger LOG = LoggerFactory.getLogger("io.opcamel.scim");
    public static final String PREFIX = ScimBridge.PREFIX + "retry.";

    static final String REQUEST = "scimBridgeRequest";
    static final String ATTEMPT = "scimBridgeAttempt";
    static final String FINAL = "scimBridgeFinal";
    static final String WAIT = "scimBridgeWait";
    static final String LOOK_UP = "scimBridgeLookUp";
    static final String LAST = "scimBridgeLastAnswer";

    private final int attempts;
    private final Backoff backoff;
    private final Duration maxWait;
    private final Clock clock;

    public ScimBridgeRetries(Settings s, Clock clock) {
        this.attempts = s.integer(PREFIX + "attempts", s.required(PREFIX + "attempts"), 0, 100);
        this.backoff = new Backoff(s.positiveDuration(PREFIX + "base"), s.positiveDuration(PREFIX + "cap"));
        this.maxWait = s.positiveDuration(PREFIX + "max-wait");
        this.clock = clock;
    }

    @Override
    public String toString() {
        return "up to " + attempts + " retries per call (creates only after a lookup), backoff " + backoff
                + ", a Retry-After up to " + maxWait + " is waited out";
    }

    /** Before the first attempt of a call. */
    public void begin(Exchange exchange) {
        exchange.setProperty(REQUEST, exchange.getMessage().getBody(BridgeRequest.class));
        exchange.setProperty(ATTEMPT, 0);
        exchange.setProperty(FINAL, false);
        exchange.setProperty(LOOK_UP, false);
        exchange.removeProperty(LAST);
    }

    /** After an attempt (its BridgeAnswer is the body): final, or how long to wait and whether to look up first. */
    public void settle(Exchange exchange) {
        BridgeRequest request = exchange.getProperty(REQUEST, BridgeRequest.class);
        BridgeAnswer answer = exchange.getMessage().getBody(BridgeAnswer.class);
        int retry = exchange.getProperty(ATTEMPT, 0, Integer.class) + 1;
        exchange.setProperty(LAST, answer);
        exchange.setProperty(LOOK_UP, false);
        Optional<Duration> wait = delay(answer, retry);
        boolean createWithoutKey = !request.isIdempotent() && request.uniqueValue() == null;
        if (wait.isEmpty() || retry > attempts || createWithoutKey) {
            if (wait.isPresent()) {
                LOG.warn("SCIM bridge {}: {}, no retry left", request, answer);
            }
            exchange.setProperty(FINAL, true);
            return;
        }
        if (wait.get().compareTo(maxWait) > 0) {
            LOG.warn("SCIM bridge {}: {} asks to wait {}, more than {} ({}max-wait): the caller gets the answer",
                    request, answer, wait.get(), maxWait, PREFIX);
            exchange.setProperty(FINAL, true);
            return;
        }
        exchange.setProperty(ATTEMPT, retry);
        exchange.setProperty(WAIT, wait.get().toMillis());
        exchange.setProperty(LOOK_UP, !request.isIdempotent());
        LOG.warn("SCIM bridge {}: {}; retry {} of {} in {} ms{}", request, answer, retry, attempts,
                wait.get().toMillis(), request.isIdempotent() ? "" : ", once a lookup shows the create did not happen");
    }

    Optional<Duration> delay(BridgeAnswer a, int retry) {
        if (!a.answered()) {
            return Optional.of(backoff.delay(retry));
        }
        if (a.status() == 429 || a.status() >= 500) {
            return Optional.of(RetryAfter.of(a.headers(), clock).orElseGet(() -> backoff.delay(retry)));
        }
        return Optional.empty();
    }

    /** The lookup that tells whether a create happened: GET /Users?filter=userName eq "..." (or a group's displayName). */
    public BridgeRequest lookupFor(Exchange exchange) {
        BridgeRequest create = exchange.getProperty(REQUEST, BridgeRequest.class);
        return BridgeRequest.findBy(create.path(), create.uniqueAttribute(), create.uniqueValue());
    }

    /**
     * After the lookup (its answer is the body): if the create happened, the answer becomes what exists and is final;
     * if the lookup says it did not, the create is sent again; if the lookup itself failed, nobody knows, so the
     * create's own failure is final.
     */
    public void afterLookup(Exchange exchange) {
        BridgeRequest create = exchange.getProperty(REQUEST, BridgeRequest.class);
        BridgeAnswer lookup = exchange.getMessage().getBody(BridgeAnswer.class);
        BridgeAnswer last = exchange.getProperty(LAST, BridgeAnswer.class);
        exchange.getMessage().setBody(last);
        if (lookup.status() != 200) {
            LOG.warn("SCIM bridge {}: the lookup of {} '{}' got {}: not creating again", create,
                    create.uniqueAttribute(), create.uniqueValue(), lookup);
            exchange.setProperty(FINAL, true);
            return;
        }
        try {
            JsonNode list = ScimNodes.MAPPER.readTree(lookup.body());
            JsonNode found = list.path("Resources").path(0);
            if (found.isObject()) {
                LOG.warn("SCIM bridge {}: the create had happened ({} '{}' exists): answering with it", create,
                        create.uniqueAttribute(), create.uniqueValue());
                exchange.getMessage().setBody(new BridgeAnswer(201, Map.of(),
                        ScimNodes.MAPPER.writeValueAsBytes(found), null));
                exchange.setProperty(FINAL, true);
            }
        } catch (IOException unreadable) {
            exchange.setProperty(FINAL, true);
        }
    }
}
