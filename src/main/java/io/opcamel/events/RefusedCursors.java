package io.opcamel.events;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds whose saved cursor the Events API refused (HTTP 400 to the poll's first request: a cursor of another account,
 * or one the API cannot read any more). Asking again with it would fail on every poll for ever, so the feed's next
 * poll starts again with a ResetCursor from one start window before the refused cursor was saved (not before
 * start-time): what that reads again was delivered already and the dedupe store drops it, and nothing after it is
 * skipped however long the bundle was away. Once: the new page's cursor replaces the refused one.
 */
public final class RefusedCursors {

    private static final Logger LOG = LoggerFactory.getLogger("io.opcamel.events");

    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    /** The feed route's error handler: {@code current} is null on a poll's first page (the saved cursor's). */
    public void note(Throwable failure, String account, String feature, String current) {
        HttpOperationFailedException h = ObjectHelper.getException(HttpOperationFailedException.class, failure);
        if (current == null && h != null && h.getStatusCode() == 400 && refused.add(account + "/" + feature)) {
            LOG.error("feed {}/{}: the Events API refused the saved cursor ({}); the next poll starts again one "
                    + "start window before it was saved, and the dedupe store drops what was delivered already", account, feature,
                    new PollFailures().describe(failure));
        }
    }

    /** Whether the feed's next request must be a ResetCursor; asked once per refusal. */
    boolean take(String account, String feature) {
        return refused.remove(account + "/" + feature);
    }
}
