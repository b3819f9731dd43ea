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
 * that cursor.
 */
public final class FeedPaging {

    private static final Logger LOG = LoggerFactory.getLogger("io.opcamel.events");

    public boolean another(Exchange exchange) {
        if (!Boolean.TRUE.equals(exchange.getProperty("opHasMore", Boolean.class))) {
            return false;
        }
        String stopping = stopping(exchange);
        if (stopping == null) {
            return true;
        }
        LOG.info("feed {}/{} stops after this page, its cursor saved: {}; the next poll goes on from there",
                exchange.getProperty("opAccount"), exchange.getProperty("opFeature"), stopping);
        return false;
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
