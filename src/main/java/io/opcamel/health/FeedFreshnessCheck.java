package io.opcamel.health;

import io.opcamel.events.EventsAccount;
import io.opcamel.events.EventsFeedRoutes;
import io.opcamel.events.Feature;
import io.opcamel.events.FeedMetrics;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.quartz.CronExpression;

/**
 * Readiness of one feed (account x feature): not ready once {@code onepassword.health.feed-max-missed-intervals} of
 * its polls in a row went without a success ({@link FeedFreshness}). A feed whose route is not running here (a
 * standby instance, a route stopped by hand) is not this instance's to poll, and does not hold its readiness.
 */
final class FeedFreshnessCheck extends DependencyCheck {

    private final String account;
    private final String feature;
    private final String routeId;
    private final String cronText;
    private final CronExpression cron;
    private final int maxMissed;
    private final FeedMetrics metrics;
    private final Clock clock;

    FeedFreshnessCheck(EventsAccount account, Feature feature, int maxMissed, FeedMetrics metrics, Clock clock,
            boolean readiness) {
        super("onepassword-feed-" + account.name() + "-" + feature.name(), readiness);
        this.account = account.name();
        this.feature = feature.name();
        this.routeId = EventsFeedRoutes.routeId(account.name(), feature);
        this.cronText = account.cron();
        try {
            this.cron = new CronExpression(account.cron());
        } catch (ParseException e) {
            throw new IllegalStateException("the cron was checked when the account was read: " + account.cron(), e);
        }
        cron.setTimeZone(TimeZone.getDefault()); // the time zone camel-quartz runs the feed's cron in
        this.maxMissed = maxMissed;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String feed = account + "/" + feature;
        builder.detail("feed", feed).detail("cron", cronText).detail("max.missed.polls", maxMissed);
        ServiceStatus status = getCamelContext().getRouteController().getRouteStatus(routeId);
        Route route = getCamelContext().getRoute(routeId);
        if (route == null || status == null || !status.isStarted()) {
            builder.up().message(BundleHealth.message("feed " + feed + " is not polled by this instance (route "
                    + routeId + " is " + (status == null ? "absent" : status) + ")"));
            return;
        }
        Instant now = clock.instant();
        Instant started = now.minusMillis(route.getUptimeMillis());
        Optional<Instant> last = metrics.lastSuccess(account, feature);
        Optional<Instant> sinceStart = last.filter(t -> t.isAfter(started));
        Instant since = sinceStart.orElse(started);
        last.ifPresent(t -> builder.detail("last.success", t.toString()));
        Optional<Instant> lateFrom = FeedFreshness.lateFrom(cron, since, maxMissed);
        lateFrom.ifPresent(t -> builder.detail("late.from", t.toString()));
        if (lateFrom.isPresent() && !now.isBefore(lateFrom.get())) {
            builder.down().message(BundleHealth.message("feed " + feed + ": no successful poll since " + since
                    + (sinceStart.isPresent() ? "" : " (its route's start)") + "; " + maxMissed + " polls of cron '"
                    + cronText + "' in a row went without one (" + BundleHealth.MAX_MISSED + "=" + maxMissed + ")"));
        } else {
            builder.up();
        }
    }
}
