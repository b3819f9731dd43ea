package io.opcamel.events;

import io.opcamel.config.Settings;
import io.opcamel.ratelimit.Backoff;
import io.opcamel.ratelimit.RetryAfter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.processor.ThrottlerRejectedExecutionException;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a failed Events API call is tried again, and when. A 429 waits what the API says (Retry-After in
 * seconds or as an HTTP date, or v3's RateLimit-Reset), and every feed sharing that budget waits with it; 5xx
 * answers and calls that got no answer (refused, reset, timed out) back off exponentially with full jitter. Other
 * answers (400 invalid cursor, 401, 403) are not retried: the poll stops and the next tick asks again.
 *
 * <p>Camel's error handler of the feed asks {@link #retry(Exchange)} after each failure (its retryWhile) and
 * redelivers at once; the delay this decides is waited by the redelivered call's first step,
 * {@link #awaitBudget(Exchange)}, through {@link FeedWaits}, where a stop ends it (Camel's own redelivery sleep
 * would hold a SIGTERM for the whole Retry-After). The redelivery goes through the throttles again.
 */
public final class EventsApiRetries {

    private static final Logger LOG = LoggerFactory.getLogger("io.opcamel.events");
    private static final String ATTEMPT = "opApiRetry";
    /** When the retried call may go (epoch millis), and why it waits. */
    private static final String RETRY_AT = "opRetryAt";
    private static final String RETRY_WAIT = "opRetryWait";
    public static final String PREFIX = "onepassword.events.retry.";

    private final int attempts;
    private final Backoff backoff;
    private final Duration maxWait;
    private final EventsRateLimits limits;
    private final Clock clock;
    private final FeedWaits waits;
    private final PollFailures failures = new PollFailures();
    /** Per budget key: no request before this time (a 429's Retry-After). */
    private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();

    public EventsApiRetries(Settings s, EventsRateLimits limits, FeedWaits waits, Clock clock) {
        this.waits = waits;
        this.attempts = s.integer(PREFIX + "attempts", s.required(PREFIX + "attempts"), 0, 1000);
        this.backoff = new Backoff(s.positiveDuration(PREFIX + "base"), s.positiveDuration(PREFIX + "cap"));
        this.maxWait = s.positiveDuration(PREFIX + "max-wait");
        this.limits = limits;
        this.clock = clock;
    }

    /** The retry settings in one line, for the start-up log. */
    @Override
    public String toString() {
        return "up to " + attempts + " per request, backoff " + backoff + ", a Retry-After up to " + maxWait
                + " is waited out";
    }

    /** retryWhile of call-events-api: true to try the call again after the delay set on the message. */
    public boolean retry(Exchange exchange) {
        Throwable failure = failure(exchange);
        String account = exchange.getProperty("opAccount", String.class);
        String feed = account + "/" + exchange.getProperty("opFeature", String.class);
        if (ObjectHelper.getException(ThrottlerRejectedExecutionException.class, failure) != null) {
            // no place in the budget now: asked again when the oldest comes free (not a failure, not an attempt);
            // at least a request's share of the minute later, should the throttle have counted a place this did not
            long floor = Math.max(1, limits.minute().period().toMillis() / limits.minute().requests());
            long at = Math.max(clock.millis() + floor, limits.placeFreeAt(account).map(Instant::toEpochMilli).orElse(0L));
            exchange.setProperty(RETRY_AT, at);
            exchange.setProperty(RETRY_WAIT, "its budget (" + limits + ")");
            return !waits.stopping();
        }
        int attempt = exchange.getProperty(ATTEMPT, 0, Integer.class) + 1;
        Optional<Duration> delay = delay(failure, attempt);
        if (delay.isEmpty() || attempt > attempts || waits.stopping()) {
            exchange.removeProperty(ATTEMPT);
            return false;
        }
        Duration wait = delay.get();
        if (wait.compareTo(maxWait) > 0) {
            LOG.warn("feed {}: {}; the API asks to wait {}, more than {} ({}max-wait): the poll stops here",
                    feed, failures.describe(failure), wait, maxWait, PREFIX);
            exchange.removeProperty(ATTEMPT);
            return false;
        }
        exchange.setProperty(ATTEMPT, attempt);
        exchange.setProperty(RETRY_AT, clock.millis() + wait.toMillis());
        exchange.setProperty(RETRY_WAIT, retryAfter(failure).isPresent() ? "the API's Retry-After"
                : "a backoff after " + failures.describe(failure));
        LOG.warn("feed {}: {}; retry {} of {} in {} ms", feed, failures.describe(failure), attempt, attempts,
                wait.toMillis());
        return true;
    }

    /** The doCatch of call-events-api: its failure, marked as the Events API's so the feed may retry it. */
    public void rethrow(Throwable failure, String account) {
        // as soon as the answer is in, so the token's other feeds hold back from here on
        rememberRetryAfter(failure, account);
        throw failure instanceof EventsApiCallException e ? e : new EventsApiCallException(failure);
    }

    /** How long to wait before trying again, or empty when this failure is not worth another try. */
    Optional<Duration> delay(Throwable failure, int attempt) {
        EventsApiCallException call = apiCallFailure(failure);
        if (call == null) {
            return Optional.empty(); // a sink or the cursor store failed: resending the page is not this bean's call
        }
        failure = call.getCause();
        if (failure instanceof HttpOperationFailedException h) {
            int status = h.getStatusCode();
            if (status == 429) {
                return Optional.of(retryAfter(h.getResponseHeaders()).orElseGet(() -> backoff(attempt)));
            }
            if (status >= 500) {
                return Optional.of(retryAfter(h.getResponseHeaders()).orElseGet(() -> backoff(attempt)));
            }
            return Optional.empty();
        }
        // refused, reset, timed out: no answer at all
        return ObjectHelper.getException(IOException.class, failure) != null ? Optional.of(backoff(attempt))
                : Optional.empty();
    }

    private Duration backoff(int attempt) {
        return backoff.delay(attempt);
    }

    private Optional<Duration> retryAfter(Throwable failure) {
        EventsApiCallException call = apiCallFailure(failure);
        return call != null && call.getCause() instanceof HttpOperationFailedException h
                ? retryAfter(h.getResponseHeaders()) : Optional.empty();
    }

    private Optional<Duration> retryAfter(Map<String, String> headers) {
        return RetryAfter.of(headers, clock);
    }

    /**
     * Before a request: the wait of a retry of it (its Retry-After or backoff), and if the budget this account draws
     * on was answered 429, until that Retry-After is over, so the other feeds of the token do not spend requests on
     * more 429s. A budget wait longer than max-wait stops the poll; a stop ends any wait at once.
     */
    public void awaitBudget(Exchange exchange) {
        String account = exchange.getProperty("opAccount", String.class);
        String feature = exchange.getProperty("opFeature", String.class);
        Long retryAt = exchange.getProperty(RETRY_AT, Long.class);
        if (retryAt != null) {
            waits.waitUntil(account, feature, Instant.ofEpochMilli(retryAt),
                    exchange.getProperty(RETRY_WAIT, "a retry", String.class));
            exchange.removeProperty(RETRY_AT);
            exchange.removeProperty(RETRY_WAIT);
        }
        String key = limits.key(account);
        Instant until = notBefore.get(key);
        if (until == null) {
            return;
        }
        Duration wait = Duration.between(clock.instant(), until);
        if (wait.isNegative() || wait.isZero()) {
            notBefore.remove(key, until);
            return;
        }
        if (wait.compareTo(maxWait) > 0) {
            throw new RateLimitedException(account, until);
        }
        waits.waitUntil(account, feature, until, "a Retry-After the token was given");
    }

    /** A 429's Retry-After holds back every feed of the budget, not only the one that was answered. */
    private void rememberRetryAfter(Throwable failure, String account) {
        Throwable cause = failure instanceof EventsApiCallException call ? call.getCause() : failure;
        if (cause instanceof HttpOperationFailedException h && h.getStatusCode() == 429) {
            retryAfter(h.getResponseHeaders()).ifPresent(d -> notBefore.merge(limits.key(account),
                    clock.instant().plus(d), (a, b) -> a.isAfter(b) ? a : b));
        }
    }

    /** The Events API call failure within what a step threw (Camel may wrap it), or null if it was not one. */
    private static EventsApiCallException apiCallFailure(Throwable failure) {
        return ObjectHelper.getException(EventsApiCallException.class, failure);
    }

    private static Throwable failure(Exchange exchange) {
        Throwable t = exchange.getException();
        return t != null ? t : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    /** The API said to wait longer than onepassword.events.retry.max-wait: this poll does not ask. */
    public static final class RateLimitedException extends RuntimeException {
        RateLimitedException(String account, Instant until) {
            super("the Events API budget of account " + account + " is spent until " + until
                    + " (its 429 said so); this poll does not ask before then");
        }
    }
}
