package io.opcamel.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.util.ObjectHelper;

/**
 * The meters of every feed, tagged {@code account} and {@code feature}: events fetched, delivered and dropped as
 * duplicates, pages, Events API responses by status, the time of the last successful page and the cursor lag (now
 * minus the newest delivered event's time). Every configured feed's meters exist from the start, at zero, so an
 * alert on a feed that never succeeded has something to read.
 */
public final class FeedMetrics {

    public static final String PREFIX = "onepassword.events.";

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();

    public FeedMetrics(MeterRegistry registry, Clock clock, EventsAccounts accounts) {
        this.registry = registry;
        this.clock = clock;
        for (EventsAccount a : accounts.all()) {
            for (Feature f : a.features()) {
                feed(a.name(), f.name());
            }
        }
    }

    /** Counts a page after deduplication: its events, and those dropped as already delivered. */
    public void pageFetched(EventPage page, String account, String feature) {
        Feed f = feed(account, feature);
        f.pages.increment();
        f.fetched.increment(page.size() + page.duplicatesDropped());
        f.duplicates.increment(page.duplicatesDropped());
    }

    /** Counts a page whose events every sink acknowledged and whose cursor is saved. */
    public void pageDelivered(EventPage page, String account, String feature) {
        Feed f = feed(account, feature);
        f.delivered.increment(page.size());
        EventTimes.newest(page).ifPresent(t -> {
            if (f.newestEvent == null || t.isAfter(f.newestEvent)) {
                f.newestEvent = t;
            }
        });
        f.lastSuccess = clock.instant();
    }

    /** Counts a successful Events API answer by its HTTP status. */
    public void apiAnswered(String account, String feature, Integer status) {
        apiResponse(account, feature, status == null ? "no-response" : status.toString());
    }

    /** Counts a failed Events API call: by the HTTP status of its error answer, or "no-response" when none came. */
    public void apiFailed(String account, String feature, Throwable failure) {
        HttpOperationFailedException h = ObjectHelper.getException(HttpOperationFailedException.class, failure);
        apiResponse(account, feature, h == null ? "no-response" : Integer.toString(h.getStatusCode()));
    }

    private void apiResponse(String account, String feature, String status) {
        registry.counter(PREFIX + "api.responses", "account", account, "feature", feature, "status", status)
                .increment();
    }

    /** When the feed last delivered a page and saved its cursor, if it has since start (the readiness check's). */
    public Optional<Instant> lastSuccess(String account, String feature) {
        return Optional.ofNullable(feed(account, feature).lastSuccess);
    }

    private Feed feed(String account, String feature) {
        return feeds.computeIfAbsent(account + "/" + feature, k -> new Feed(account, feature));
    }

    private final class Feed {
        final Counter fetched;
        final Counter delivered;
        final Counter duplicates;
        final Counter pages;
        volatile Instant newestEvent;
        volatile Instant lastSuccess;

        Feed(String account, String feature) {
            String[] tags = {"account", account, "feature", feature};
            fetched = Counter.builder(PREFIX + "fetched").description("events the Events API sent")
                    .baseUnit("events").tags(tags).register(registry);
            delivered = Counter.builder(PREFIX + "delivered").description("events every sink acknowledged")
                    .baseUnit("events").tags(tags).register(registry);
            duplicates = Counter.builder(PREFIX + "duplicates.dropped")
                    .description("events dropped because they were already delivered").baseUnit("events")
                    .tags(tags).register(registry);
            pages = Counter.builder(PREFIX + "pages").description("pages fetched").tags(tags).register(registry);
            Gauge.builder(PREFIX + "last.success", this, f -> f.lastSuccess == null ? Double.NaN
                            : f.lastSuccess.toEpochMilli() / 1000.0)
                    .description("when the feed last delivered a page and saved its cursor (Unix time)")
                    .baseUnit("seconds").tags(tags).register(registry);
            Gauge.builder(PREFIX + "cursor.lag", this, f -> f.newestEvent == null ? Double.NaN
                            : (clock.millis() - f.newestEvent.toEpochMilli()) / 1000.0)
                    .description("now minus the time of the newest event delivered")
                    .baseUnit("seconds").tags(tags).register(registry);
        }
    }
}
