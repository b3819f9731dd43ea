package io.opcamel.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.config.Settings;
import io.opcamel.ratelimit.Backoff;
import io.opcamel.ratelimit.RetryAfter;
import io.opcamel.scim.ScimNodes;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a try of call-scim-bridge is final, and whether and when it is tried again. A 429 waits its Retry-After
 * (or backs off), a 5xx or no answer at all backs off exponentially with full jitter, up to {@code retry.attempts}
 * more tries; every other answer is final and goes to the caller as it is. Only calls that end in the same state
 * however often they arrive (GET, PUT, PATCH, DELETE) are simply sent again. A create (POST) that got no clear
 * answer may have happened: before it is sent again, the bridge is asked for the userName (or a group's
 * displayName), and if that exists, the answer is what exists (201, as if the create had answered), never a second
 * create.
 *
 * <p>Camel's error handler does the retrying, as for the Events API (routes/bridge/scim-bridge.camel.yaml,
 * retry-scim-bridge-calls): a try that the bridge may answer better later fails with a
 * {@link ScimBridgeCallException} ({@link #attempted}); {@link #retry} is its retryWhile and sets the redelivery's
 * delay; {@link #beforeSendingAgain} is its on-redelivery step, which names the look-up a create needs.
 *
 * <p>A wait longer than {@code retry.max-wait} is not waited: the IdP gets the bridge's answer (a 429 keeps its
 * Retry-After) and retries on its own schedule.
 */
public final class ScimBridgeRetries {

    private static final Logger LOG = LoggerFactory.getLogger("io.opcamel.scim");
    public static final String PREFIX = ScimBridge.PREFIX + "retry.";
    /** Exchange variables of a create sent again, for its look-up: what to ask, and the create's last answer. */
    static final String LOOK_UP = "scimBridgeLookUp";
    static final String LAST_ANSWER = "scimBridgeLastAnswer";

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

    /**
     * After a try ({@code redeliveries} is Camel's count of the tries before it, null on the first): the answer,
     * with the number of tries; a 429, a 5xx or no answer fails the try instead, so it may be tried again.
     */
    public BridgeAnswer attempted(BridgeRequest request, BridgeAnswer answer, Integer redeliveries) {
        BridgeAnswer counted = answer.afterAttempts(tries(redeliveries));
        if (mayAnswerBetterLater(counted)) {
            throw new ScimBridgeCallException(request, counted);
        }
        return counted;
    }

    /** retryWhile of retry-scim-bridge-calls: true to try the call again, after the delay set on the message. */
    public boolean retry(Exchange exchange) {
        ScimBridgeCallException failure = ObjectHelper.getException(ScimBridgeCallException.class, caught(exchange));
        if (failure == null) {
            return false;
        }
        BridgeRequest request = failure.request();
        BridgeAnswer answer = failure.answer();
        int retry = answer.attempts();
        Optional<Duration> wait = delay(answer, retry);
        boolean createWithoutKey = !request.isIdempotent() && request.uniqueValue() == null;
        if (wait.isEmpty() || retry > attempts || createWithoutKey) {
            if (wait.isPresent()) {
                LOG.warn("SCIM bridge {}: {}, no retry left", request, answer);
            }
            return false;
        }
        if (wait.get().compareTo(maxWait) > 0) {
            LOG.warn("SCIM bridge {}: {} asks to wait {}, more than {} ({}max-wait): the caller gets the answer",
                    request, answer, wait.get(), maxWait, PREFIX);
            return false;
        }
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, wait.get().toMillis());
        LOG.warn("SCIM bridge {}: {}; retry {} of {} in {} ms{}", request, answer, retry, attempts,
                wait.get().toMillis(), request.isIdempotent() ? "" : ", once a lookup shows the create did not happen");
        return true;
    }

    /** The answer the caller gets when the call is not tried again: the last try's. */
    public BridgeAnswer lastAnswer(Throwable failure) {
        return ObjectHelper.getException(ScimBridgeCallException.class, failure).answer();
    }

    /**
     * The on-redelivery step of retry-scim-bridge-calls, once Camel put the call's request back in the body: a create
     * is looked up before it is sent again, so this names the look-up ({@code GET /Users?filter=userName eq "..."},
     * or a group's displayName) and keeps the create's last answer, for when the look-up tells nothing.
     */
    public void beforeSendingAgain(Exchange exchange) {
        BridgeRequest request = exchange.getMessage().getBody(BridgeRequest.class);
        if (request == null || request.isIdempotent()) {
            return;
        }
        exchange.setVariable(LOOK_UP, BridgeRequest.findBy(request.path(), request.uniqueAttribute(),
                request.uniqueValue()));
        exchange.setVariable(LAST_ANSWER, lastAnswer(caught(exchange)));
    }

    /**
     * After the look-up: if the create happened, the answer is what exists (201); if the look-up says it did not,
     * the create itself, to be sent again; if the look-up itself failed, nobody knows, so the create's last answer is
     * final.
     */
    public Object afterLookUp(BridgeRequest create, BridgeAnswer lookup, BridgeAnswer last, Integer redeliveries) {
        int tries = tries(redeliveries);
        if (lookup.status() != 200) {
            LOG.warn("SCIM bridge {}: the lookup of {} '{}' got {}: not creating again", create,
                    create.uniqueAttribute(), create.uniqueValue(), lookup);
            return last.afterAttempts(tries);
        }
        try {
            JsonNode found = ScimNodes.MAPPER.readTree(lookup.body()).path("Resources").path(0);
            if (found.isObject()) {
                LOG.warn("SCIM bridge {}: the create had happened ({} '{}' exists): answering with it", create,
                        create.uniqueAttribute(), create.uniqueValue());
                return new BridgeAnswer(201, Map.of(), ScimNodes.MAPPER.writeValueAsBytes(found), null, tries);
            }
            return create;
        } catch (IOException unreadable) {
            return last.afterAttempts(tries);
        }
    }

    Optional<Duration> delay(BridgeAnswer a, int retry) {
        if (!mayAnswerBetterLater(a)) {
            return Optional.empty();
        }
        return Optional.of(RetryAfter.of(a.headers(), clock).orElseGet(() -> backoff.delay(retry)));
    }

    /** A 429, a 5xx, or no answer at all. */
    private static boolean mayAnswerBetterLater(BridgeAnswer a) {
        return !a.answered() || a.status() == 429 || a.status() >= 500;
    }

    private static int tries(Integer redeliveries) {
        return (redeliveries == null ? 0 : redeliveries) + 1;
    }

    private static Throwable caught(Exchange exchange) {
        Throwable t = exchange.getException();
        return t != null ? t : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
}
