package io.opcamel.events;

import io.opcamel.config.Settings;
import org.apache.camel.builder.RouteBuilder;

/**
 * Creates one route per account and feature from the {@code events-feed} template (routes/events): adding an
 * account or a feed is a matter of properties, never of YAML or Java. Route ids read
 * {@code poll-<account>-<feature>}. With {@code onepassword.events.feed-routes=false} it creates none: the accounts
 * are still read and checked, and your own YAML instantiates the template (docs/building-blocks.md).
 */
public final class EventsFeedRoutes extends RouteBuilder {

    public static final String TEMPLATE = "events-feed";
    public static final String FEED_ROUTES = "onepassword.events.feed-routes";

    private final EventsAccounts accounts;

    public EventsFeedRoutes(EventsAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public void configure() {
        if (!new Settings(getContext().getPropertiesComponent()::resolveProperty).bool(FEED_ROUTES)) {
            return;
        }
        for (EventsAccount a : accounts.all()) {
            for (Feature f : a.features()) {
                templatedRoute(TEMPLATE)
                        .routeId(routeId(a.name(), f))
                        .parameter("account", a.name())
                        .parameter("feature", f.name())
                        .parameter("cron", a.cron());
            }
        }
    }

    /** The start of every feed route's id: {@code poll-<account>-<feature>}. */
    public static final String ROUTE_ID_PREFIX = "poll-";

    public static String routeId(String account, Feature feature) {
        return ROUTE_ID_PREFIX + account + "-" + feature.name();
    }
}
