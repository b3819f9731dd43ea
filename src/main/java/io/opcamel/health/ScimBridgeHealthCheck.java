package io.opcamel.health;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness of the SCIM bridge: ready when its {@code GET /health} (at the bridge's root, with the bridge token)
 * answers 200 with every component healthy ({@link BridgeHealthReport}). The bridge is asked at most once per
 * {@code onepassword.health.bridge-interval}, by the probe that finds the last answer older than that; probes in
 * between get the last answer. The call is route check-scim-bridge-health (routes/bridge/scim-bridge-health.camel.yaml):
 * the bridge client's HTTP set-up and token, not its limiter or retries (a probe must not queue behind IdP traffic,
 * nor be retried: the next probe asks again). Each answer's version goes to {@link BridgeVersion}. A change between
 * healthy and not is logged once.
 */
final class ScimBridgeHealthCheck extends DependencyCheck {

    private static final Logger LOG = LoggerFactory.getLogger("io.opcamel.scim");
    static final String ROUTE = "direct:check-scim-bridge-health";

    private final String uri;
    private final String shown; // the URI without any user info, for messages and details
    private final Duration interval;
    private final BridgeVersion version;
    private final Clock clock;
    private ProducerTemplate template;
    // the last answer and when it came; the check's lock (AbstractHealthCheck.call) guards them
    private Instant askedAt;
    private String problem; // null: healthy
    private boolean logged;

    ScimBridgeHealthCheck(String bridgeUrl, Duration interval, BridgeVersion version, Clock clock, boolean readiness) {
        super("onepassword-scim-bridge", readiness);
        this.uri = healthUri(bridgeUrl);
        this.shown = uri.replaceFirst("//[^/@]*@", "//");
        this.interval = interval;
        this.version = version;
        this.clock = clock;
    }

    /**
     * The bridge's /health beside its SCIM base: https://scim.example.com/scim/v2 gives https://scim.example.com/health,
     * https://proxy.example.com/bridge/scim/v2 gives https://proxy.example.com/bridge/health.
     */
    static String healthUri(String bridgeUrl) {
        String base = bridgeUrl.replaceAll("/+$", "");
        if (base.endsWith("/scim/v2")) {
            base = base.substring(0, base.length() - "/scim/v2".length());
        } else if (base.endsWith("/scim")) {
            base = base.substring(0, base.length() - "/scim".length());
        } else {
            URI u = URI.create(base);
            base = u.getScheme() + "://" + u.getRawAuthority();
        }
        return base + "/health";
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Instant now = clock.instant();
        if (askedAt == null || !now.isBefore(askedAt.plus(interval))) {
            problem = ask();
            askedAt = now;
            if (problem != null && !logged) {
                LOG.warn("SCIM bridge not healthy: {}", problem);
                logged = true;
            } else if (problem == null && logged) {
                LOG.info("SCIM bridge healthy again ({})", shown);
                logged = false;
            }
        }
        builder.detail("url", shown).detail("asked.at", askedAt.toString());
        if (problem == null) {
            builder.up();
        } else {
            builder.down().message(BundleHealth.message(problem));
        }
    }

    /** One GET /health; the reason it is not healthy, or null. Never throws: no answer is a reason too. */
    private String ask() {
        Exchange done;
        try {
            done = template().send(ROUTE, e -> e.getIn().setHeader(Exchange.HTTP_URI, uri));
        } catch (RuntimeException e) {
            return "the SCIM bridge's " + shown + " could not be asked: " + e.getMessage();
        }
        if (done.getException() != null) {
            Throwable t = done.getException();
            while (t.getCause() != null && t.getMessage() == null) {
                t = t.getCause();
            }
            return "no answer from the SCIM bridge's " + shown + ": " + t.getClass().getSimpleName()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        Integer status = done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null || status != 200) {
            return "the SCIM bridge's " + shown + " answered HTTP " + status
                    + (status != null && status == 401 ? " (is onepassword.scim.bridge.token the bridge's?)" : "");
        }
        BridgeHealthReport report = BridgeHealthReport.parse(done.getMessage().getBody(byte[].class));
        version.seen(report.version(), report.build());
        return report.healthy() ? null : "the SCIM bridge's " + shown + " is not healthy: "
                + String.join("; ", report.problems());
    }

    private ProducerTemplate template() {
        if (template == null) {
            template = getCamelContext().createProducerTemplate();
        }
        return template;
    }
}
