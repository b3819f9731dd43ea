package io.opcamel.events;

/**
 * A call to the Events API that failed: an error answer, or none. Only this kind of failure is retried by the
 * feed; a failing sink or cursor store is not (a resent page could reach a sink twice).
 */
public final class EventsApiCallException extends RuntimeException {

    public EventsApiCallException(Throwable cause) {
        super(new PollFailures().describe(cause), cause);
    }
}
