package io.opcamel.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opcamel.config.Settings;
import io.opcamel.events.EventsAccount;
import io.opcamel.events.EventsAccounts;
import io.opcamel.events.EventsApiBreakers;
import io.opcamel.events.Feature;
import io.opcamel.events.FeedMetrics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundle's health checks, registered in the context's HealthCheckRegistry (Camel's health-check SPI), so Camel
 * Main's /observe/health and an ESB's own health endpoint both see them (group {@code onepassword}): one check per
 * feed ({@link FeedFreshnessCheck}), one per Events API host ({@link EventsApiBreakerCheck}) and, when
 * {@code onepassword.scim.bridge.url} is set, the bridge ({@link ScimBridgeHealthCheck}). They decide readiness
 * too, except under Kubernetes leadership: Camel's Kubernetes leadership lets only a Ready pod lead, and these are
 * shared dependencies, so an unhealthy bridge would make every pod unready and stop every feed, and one stale feed
 * would drop every other feed its pod leads. There they are reported on /observe/health and in the metrics (the
 * alert rules watch them), and readiness is Camel's own checks (the context, the routes). Liveness is Camel's
 * context check (the context is started), registered here too when the context has none yet. The bridge's state is
 * also a gauge, {@code onepassword.scim.bridge.healthy}, read through the check, so a scrape asks the bridge (at most
 * once per interval) when no probe does.
 */
public final class BundleHealth {

    private static final Logger LOG = LoggerFactory.getLogger(BundleHealth.class);
    public static final String GROUP = "onepassword";
    public static final String PREFIX = "onepassword.health.";
    public static final String MAX_MISSED = PREFIX + "feed-max-missed-intervals";
    public static final String BRIDGE_INTERVAL = PREFIX + "bridge-interval";
    public static final String BRIDGE_HEALTHY = "onepassword.scim.bridge.healthy";

    private BundleHealth() {
    }

    /**
     * A check's message, made to read as written on Camel Main's /observe/health. Camel 4.18's management server
     * escapes a message for JSON (Jsoner.escape) and then puts it in a JSON object that escapes it again, so a reader
     * of the parsed answer got {@code feed demo\/signinattempts} for each '/' (and {@code \"}, {@code \\} for quotes
     * and backslashes, {@code \n} for a line break). Those characters are given as look-alikes neither escape
     * touches: '/' as U+2215 (division slash), '"' as ', '\' as U+2216 (set minus), control characters as spaces.
     * Every bundle check's message goes through here; the details (url, feed, cron) keep their exact text, since
     * Camel escapes them once, as JSON should.
     */
    public static String message(String text) {
        StringBuilder shown = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            shown.append(switch (c) {
                case '/' -> '\u2215';
                case '"' -> '\'';
                case '\\' -> '\u2216';
                default -> Character.isISOControl(c) ? ' ' : c;
            });
        }
        return shown.toString();
    }

    /**
     * Reads {@code onepassword.health.*} and the bridge's minimum version, and registers the checks. Without
     * camel-health on the classpath there is no registry: the settings are still checked, nothing is registered.
     *
     * @param bridgeUrl the SCIM bridge's base URL, when one is configured
     * @param dependenciesDecideReadiness false under Kubernetes leadership (see the class comment)
     */
    public static void register(CamelContext context, Settings s, EventsAccounts accounts, FeedMetrics feeds,
            EventsApiBreakers breakers, Optional<String> bridgeUrl, MeterRegistry meters, Clock clock,
            boolean dependenciesDecideReadiness) {
        boolean readiness = dependenciesDecideReadiness;
        int maxMissed = s.integer(MAX_MISSED, s.required(MAX_MISSED), 1, 1000);
        Duration bridgeInterval = s.positiveDuration(BRIDGE_INTERVAL);
        List<HealthCheck> checks = new ArrayList<>();
        Map<String, List<String>> hosts = new LinkedHashMap<>();
        for (EventsAccount a : accounts.all()) {
            for (Feature f : a.features()) {
                checks.add(new FeedFreshnessCheck(a, f, maxMissed, feeds, clock, readiness));
            }
            hosts.computeIfAbsent(URI.create(a.host()).getAuthority(), h -> new ArrayList<>()).add(a.name());
        }
        hosts.forEach((host, names) -> checks.add(new EventsApiBreakerCheck(host, names, breakers, readiness)));
        String minVersion = BridgeVersion.minimum(s.required(BridgeVersion.MIN_VERSION));
        ScimBridgeHealthCheck bridge = bridgeUrl.map(url -> new ScimBridgeHealthCheck(url, bridgeInterval,
                new BridgeVersion(minVersion, meters), clock, readiness)).orElse(null);
        if (bridge != null) {
            checks.add(bridge);
        }

        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry == null) {
            LOG.warn("No HealthCheckRegistry in this CamelContext (camel-health is not on the classpath): the "
                    + "bundle's {} health checks are not registered", checks.size());
            return;
        }
        if (registry.getCheck("context").isEmpty()) {
            Object contextCheck = registry.resolveById("context");
            if (contextCheck != null) {
                registry.register(contextCheck);
            }
        }
        checks.forEach(registry::register);
        if (bridge != null) {
            Gauge.builder(BRIDGE_HEALTHY, bridge, c -> c.call().getState() == HealthCheck.State.UP ? 1 : 0)
                    .description("1 while the SCIM bridge's /health answers healthy, 0 otherwise (asked at most once "
                            + "per " + BRIDGE_INTERVAL + ")").register(meters);
        }
        LOG.info("Health: {} checks ({} feeds, {}={}; {} Events API hosts' breakers; {}) {}; liveness: the context",
                checks.size(), checks.stream().filter(c -> c instanceof FeedFreshnessCheck).count(),
                MAX_MISSED, maxMissed, hosts.size(),
                bridgeUrl.isPresent() ? "the SCIM bridge's /health at most every " + bridgeInterval : "no SCIM bridge",
                readiness ? "decide readiness" : "are reported on /observe/health, not readiness: under Kubernetes "
                        + "leadership only a Ready pod may lead a feed, and these are shared dependencies");
    }
}
