package io.opcamel.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.opcamel.BundleHarness;
import io.opcamel.SandboxExtension;
import io.opcamel.sandbox.EventStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The meters of a feed, read from the registry the bundle binds (metricsRegistry, which Camel's Prometheus
 * endpoint serves): pages, events fetched, delivered and dropped as duplicates, API answers by status, the last
 * success and the cursor lag.
 */
class FeedMetricsTest {

    private static final int EVENTS = 2_500; // pages of 1000, 1000, 500
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.finite(EVENTS);

    @Test
    void countsPagesEventsDuplicatesAnswersAndLag(@TempDir Path dir) throws Exception {
        Map<String, String> props = BundleHarness.sandboxProperties(SANDBOX.get(), dir);
        props.put("onepassword.events.demo.features", "auditevents,itemusages");
        props.put("onepassword.events.start-window", "P7D");
        props.put("onepassword.events.retry.base", "PT0.05S");
        try (BundleHarness bundle = BundleHarness.start(props, dir, true)) {
            MeterRegistry registry = bundle.context.getRegistry()
                    .lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
            assertEquals(0.0, counter(registry, "delivered", "itemusages"), "every feed's meters exist from the start");
            assertTrue(Double.isNaN(gauge(registry, "cursor.lag", "auditevents")), "no lag before any event");

            bundle.poll("demo", "auditevents");
            assertEquals(3.0, counter(registry, "pages", "auditevents"));
            assertEquals(2_500.0, counter(registry, "fetched", "auditevents"));
            assertEquals(2_500.0, counter(registry, "delivered", "auditevents"));
            assertEquals(0.0, counter(registry, "duplicates.dropped", "auditevents"));
            assertEquals(3.0, responses(registry, "auditevents", "200"));
            Instant newest = SANDBOX.get().events().stream("demo", "auditevents").timestamp(EVENTS - 1);
            double lag = gauge(registry, "cursor.lag", "auditevents");
            double expectedLag = (System.currentTimeMillis() - newest.toEpochMilli()) / 1000.0;
            assertTrue(Math.abs(lag - expectedLag) < 60, "lag " + lag + "s is now minus the newest event's time");
            double lastSuccess = gauge(registry, "last.success", "auditevents");
            assertTrue(Math.abs(lastSuccess - System.currentTimeMillis() / 1000.0) < 60);
            assertEquals(0.0, counter(registry, "pages", "itemusages"), "one feed's counts are its own");

            // the cursor is lost: the feed re-reads everything, and every event is dropped as a duplicate
            Files.delete(dir.resolve("cursors/demo-auditevents.cursor.json"));
            bundle.poll("demo", "auditevents");
            assertEquals(5_000.0, counter(registry, "fetched", "auditevents"));
            assertEquals(2_500.0, counter(registry, "duplicates.dropped", "auditevents"));
            assertEquals(2_500.0, counter(registry, "delivered", "auditevents"));

            // a failed answer is counted by its status, and so is the retry's answer
            SANDBOX.get().eventsFaults().setServerErrorNext(1);
            bundle.poll("demo", "itemusages");
            assertEquals(1.0, responses(registry, "itemusages", "500"));
            assertEquals(3.0, responses(registry, "itemusages", "200"), "the retried page and two more");
            assertEquals(2_500.0, counter(registry, "delivered", "itemusages"));
        }
    }

    private static RequiredSearch meter(MeterRegistry registry, String name, String feature) {
        return registry.get(FeedMetrics.PREFIX + name).tag("account", "demo").tag("feature", feature);
    }

    private static double counter(MeterRegistry registry, String name, String feature) {
        return meter(registry, name, feature).counter().count();
    }

    private static double gauge(MeterRegistry registry, String name, String feature) {
        return meter(registry, name, feature).gauge().value();
    }

    private static double responses(MeterRegistry registry, String feature, String status) {
        return meter(registry, "api.responses", feature).tag("status", status).counter().count();
    }
}
