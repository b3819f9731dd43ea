package io.opcamel.events;

import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Says why a poll failed in one line an operator can act on: the innermost cause rather than Camel's wrappers
 * ("Failed to invoke method ... due to ..."), and for an HTTP error its status and the start of the answer.
 */
public final class PollFailures {

    private static final int BODY_SHOWN = 200;

    public String describe(Throwable failure) {
        return io.opcamel.config.Secrets.redact(said(failure));
    }

    private static String said(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        if (failure instanceof EventsApiCallException) {
            return failure.getMessage(); // described when it was raised
        }
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause && !(cause instanceof HttpOperationFailedException)
                && !(cause instanceof EventsApiCallException)) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpOperationFailedException h) {
            String body = h.getResponseBody() == null ? "" : h.getResponseBody().strip().replaceAll("\\s+", " ");
            return "HTTP " + h.getStatusCode() + " from " + withoutQuery(h.getUri())
                    + (body.isEmpty() ? "" : ": " + (body.length() > BODY_SHOWN ? body.substring(0, BODY_SHOWN) + "..." : body));
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    private static String withoutQuery(String uri) {
        int q = uri == null ? -1 : uri.indexOf('?');
        return q < 0 ? String.valueOf(uri) : uri.substring(0, q);
    }
}
