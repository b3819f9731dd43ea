package io.opcamel.events;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.StatefulService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a poll fetches another page (the loop of the events-feed template): while the last page said has_more,
 * unless the CamelContext or the feed's own route is stopping (SIGTERM, a lost leadership, a route stopped by
 * hand). A stop so ends the poll once the page in flight is delivered and its cursor saved, whatever the backlog,
 * well within {@code camel.main.shutdown-timeout}; the next poll, after a restart or on the new leader, goes on from
 * that cursor. A poll the stop finds waiting (for its budget, a Retry-After, a backoff, a sink's answer) ends at once
 * instead ({@link FeedWaits}), and {@link #stoppedInAWait} says so.
 */
public final class FeedPaging {

    private static final Logger LOG = LoggerFactory.getLogger("io.opcamel.events");

    private final FeedWaits waits;

    public FeedPaging(FeedWaits waits) {
        this.waits = waits;
    }

    public boolean another(Exchange exchange) {
        if (!Boolean.TRUE.equals(exchange.getProperty("opHasMore", Boolean.class))) {
            return false;
        }
        String stopping = stopping(exchange);
        if (stopping == null) {
            return true;
        }
        // asked before each page: after one, its cursor was saved just before (save-the-cursor-after-delivery)
        LOG.info("feed {}/{} stops: {}; {}; the next poll goes on from there", exchange.getProperty("opAccount"),
                exchange.getProperty("opFeature"), stopping,
                saved(exchange, "nothing of this poll was in flight, its saved cursor stands"));
        return false;
    }

    /** Whether the poll failed because the bundle is stopping (a wait it ended, a request it aborted). */
    public boolean endedByTheStop(Exchange exchange) {
        return waits.stopping() || stopping(exchange) != null;
    }

    /** The poll ended in a wait or a request the stop cut short: says what of it was saved, and that nothing else was. */
    public void stoppedInAWait(Exchange exchange) {
        String account = exchange.getProperty("opAccount", String.class);
        String feature = exchange.getProperty("opFeature", String.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String what = failure instanceof FeedWaits.FeedStoppedException ? failure.getMessage()
                : "its request was cut short: " + new PollFailures().describe(failure);
        LOG.info("feed {}/{} stops at once: the bundle is stopping ({}); {}; the page it was after was not taken, "
                + "the next poll asks for it again", account, feature, what,
                saved(exchange, "it had delivered no page, its saved cursor stands"));
    }

    /** What the poll saved: the cursor after its last delivered page, or {@code none}. */
    private static String saved(Exchange exchange, String none) {
        EventPage page = exchange.getProperty("opSavedPage", EventPage.class);
        if (page == null) {
            return none;
        }
        return "its cursor was saved after its last delivered page (" + page.size() + " new events"
                + EventTimes.newest(page).map(t -> ", the newest of " + t).orElse("") + ")";
    }

    /** Why the poll must end now, or null when nothing is stopping. */
    private static String stopping(Exchange exchange) {
        CamelContext context = exchange.getContext();
        if (context.isStopping() || context.isStopped()) {
            return "the bundle is stopping";
        }
        Route route = exchange.getFromRouteId() == null ? null : context.getRoute(exchange.getFromRouteId());
        Consumer consumer = route == null ? null : route.getConsumer();
        if (consumer instanceof StatefulService s && (s.isStopping() || s.isStopped() || s.isSuspending() || s.isSuspended())) {
            return "its route " + route.getRouteId() + " is stopping";
        }
        return null;
    }
}
