package io.opcamel.events;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.opcamel.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker per Events API host (Resilience4j): when most recent calls to a host get no answer or a 5xx, it
 * opens, and the feeds of that host stop asking (each poll fails at once, logged, cursor kept) until it lets a few
 * trial calls through. A 429 or another 4xx is an answer from a living API and does not count against it. The
 * breakers' states are meters (resilience4j.circuitbreaker.*, tag name = host) and every change is logged.
 */
public final class EventsApiBreakers {

    private static final Logger LOG = LoggerFactory.getLogger("io.opcamel.events");
    public static final String PREFIX = "onepassword.events.breaker.";

    private final EventsAccounts accounts;
    private final CircuitBreakerRegistry registry;

    public EventsApiBreakers(Settings s, EventsAccounts accounts, MeterRegistry meters) {
        this.accounts = accounts;
        int rate = s.integer(PREFIX + "failure-rate", s.required(PREFIX + "failure-rate"), 1, 100);
        int window = s.integer(PREFIX + "window", s.required(PREFIX + "window"), 1, 10_000);
        int minimum = s.integer(PREFIX + "minimum-calls", s.required(PREFIX + "minimum-calls"), 1, 10_000);
        int trials = s.integer(PREFIX + "trial-calls", s.required(PREFIX + "trial-calls"), 1, 1000);
        Duration openFor = s.positiveDuration(PREFIX + "open-for");
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(window)
                .minimumNumberOfCalls(minimum)
                .failureRateThreshold(rate)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(trials)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(EventsApiBreakers::countsAgainstTheHost)
                .build();
        this.registry = CircuitBreakerRegistry.of(config);
        registry.getEventPublisher().onEntryAdded(e -> e.getAddedEntry().getEventPublisher().onStateTransition(t ->
                LOG.warn("Events API circuit breaker for {}: {}", t.getCircuitBreakerName(),
                        t.getStateTransition())));
        for (EventsAccount a : accounts.all()) {
            breaker(a.name()); // every host's meters exist from the start
        }
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
    }

    /** Only an API that does not answer properly opens the breaker: no answer at all, or a 5xx. */
    static boolean countsAgainstTheHost(Throwable failure) {
        HttpOperationFailedException h = ObjectHelper.getException(HttpOperationFailedException.class, failure);
        return h == null || h.getStatusCode() >= 500;
    }

    /** Before a call: fails it at once while the host's breaker is open. */
    public void permit(String account) {
        CircuitBreaker cb = breaker(account);
        if (!cb.tryAcquirePermission()) {
            throw new BreakerOpenException(cb.getName());
        }
    }

    /** After a call the API answered (2xx). */
    public void answered(String account) {
        breaker(account).onSuccess(0, TimeUnit.MILLISECONDS);
    }

    /** After a call that failed: counted against the host if it says the API is down. */
    public void failed(String account, Throwable failure) {
        breaker(account).onError(0, TimeUnit.MILLISECONDS, failure);
    }

    /** The state of the breaker of the account's host (the readiness check's: not ready while it is open). */
    public CircuitBreaker.State state(String account) {
        return breaker(account).getState();
    }

    private CircuitBreaker breaker(String account) {
        return registry.circuitBreaker(URI.create(accounts.get(account).host()).getAuthority());
    }

    /** The host's breaker is open: the poll stops without asking. */
    public static final class BreakerOpenException extends RuntimeException {
        BreakerOpenException(String host) {
            super("the circuit breaker for " + host + " is open after repeated failures: not asking until it lets "
                    + "a trial call through (" + PREFIX + "open-for)");
        }
    }
}
