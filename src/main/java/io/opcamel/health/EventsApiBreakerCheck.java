package io.opcamel.health;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.opcamel.events.EventsApiBreakers;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness of one Events API host: not ready while its circuit breaker is open (its feeds fail at once, without
 * asking, until a trial call after {@code onepassword.events.breaker.open-for} closes it again). Half-open is ready:
 * the breaker is letting its trial calls through.
 */
final class EventsApiBreakerCheck extends DependencyCheck {

    private final String host;
    private final List<String> accounts;
    private final EventsApiBreakers breakers;

    EventsApiBreakerCheck(String host, List<String> accounts, EventsApiBreakers breakers, boolean readiness) {
        super("onepassword-events-api-" + host, readiness);
        this.host = host;
        this.accounts = List.copyOf(accounts);
        this.breakers = breakers;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        CircuitBreaker.State state = breakers.state(accounts.get(0)); // one breaker per host: any account of it
        builder.detail("host", host).detail("accounts", String.join(",", accounts)).detail("breaker", state.name());
        if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN) {
            builder.down().message(BundleHealth.message("the Events API circuit breaker for " + host + " is open after "
                    + "repeated failures (no answer or 5xx): the feeds of " + accounts + " fail at once until a trial "
                    + "call succeeds"));
        } else {
            builder.up();
        }
    }
}
