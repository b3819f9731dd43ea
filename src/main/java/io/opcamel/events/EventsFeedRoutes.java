package io.opcamel.events;

import org.apache.camel.builder.RouteBuilder;

/**
 * Creates one route per account and feature from the {@code events-feed} template (routes/events): adding an
 * account or a feed is a matter of properties, never of YAML or Java. Route ids read
 * {@code poll-<account>-<feature>}.
 */
public final class EventsFeedRoutes extends RouteBuilder {

    public static final String TEMPLATE = "events-feed";

    private final EventsAccounts accounts;

    public EventsFeedRoutes(EventsAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public void configure() {
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

    public static String routeId(String account, Feature feature) {
        return "poll-" + account + "-" + feature.name();
    }
}
