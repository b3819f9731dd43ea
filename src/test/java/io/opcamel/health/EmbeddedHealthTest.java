package io.opcamel.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.opcamel.BundleHarness;
import io.opcamel.SandboxExtension;
import io.opcamel.TeeStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle's health checks in an ESB's context (a plain DefaultCamelContext, OnePasswordBundle.install, no Main,
 * no management server): registered in the context's own HealthCheckRegistry, so whatever health endpoint the ESB
 * has sees them. Feeds polled by hand against the sandbox; real HTTP on loopback; waits for conditions, never sleeps.
 */
class EmbeddedHealthTest {

    private static final String FEED = "onepassword-feed-demo-auditevents";
    private static final String BRIDGE = "onepassword-scim-bridge";
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.finite(50);

    @AfterEach
    void clearFaults() {
        SANDBOX.get().reset();
    }

    private static Map<String, String> props(Path dir) {
        Map<String, String> p = BundleHarness.sandboxProperties(SANDBOX.get(), dir);
        p.put("onepassword.events.cron", "0/1 * * * * ?");
        p.put("onepassword.events.start-window", "P1D");
        p.put("onepassword.events.retry.attempts", "0");
        p.put("onepassword.health.feed-max-missed-intervals", "1");
        p.put("onepassword.scim.bridge.url", SANDBOX.get().bridgeUrl());
        p.put("onepassword.scim.bridge.token", SANDBOX.get().bridgeToken());
        return p;
    }

    @Test
    void theChecksAreInTheEsbContextsOwnRegistry(@TempDir Path dir) throws Exception {
        try (BundleHarness bundle = BundleHarness.start(props(dir), dir, true)) {
            HealthCheckRegistry registry = HealthCheckRegistry.get(bundle.context);
            Set<String> ids = new TreeSet<>();
            registry.stream().forEach(c -> ids.add(c.getId()));
            String host = java.net.URI.create(SANDBOX.get().baseUrl()).getAuthority();
            assertEquals(new TreeSet<>(List.of("context", "onepassword-feed-demo-signinattempts",
                    "onepassword-feed-demo-itemusages", FEED, "onepassword-events-api-" + host, BRIDGE)), ids);
            for (String id : ids) {
                HealthCheck c = registry.getCheck(id).orElseThrow();
                assertTrue(c.isReadiness(), id + " is a readiness check");
                assertEquals(id.equals("context"), c.isLiveness(), id + ": only the context decides liveness");
            }
            assertTrue(HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeLiveness(bundle.context), false));
            assertTrue(HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeReadiness(bundle.context), true),
                    "ready at start: the feeds are in their grace period, the bridge is healthy");
        }
    }

    @Test
    void aFeedThisInstanceDoesNotPollDoesNotHoldItsReadiness(@TempDir Path dir) throws Exception {
        try (BundleHarness bundle = BundleHarness.start(props(dir), dir, true)) {
            // as on a standby, whose feed routes wait stopped while another instance leads them (FeedLeadership)
            bundle.context.getRouteController().stopRoute("poll-demo-auditevents");
            String polledHere = "onepassword-feed-demo-signinattempts";
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> state(bundle.context, polledHere)
                    == HealthCheck.State.DOWN);
            HealthCheck.Result standby = result(bundle.context, FEED);
            assertEquals(HealthCheck.State.UP, standby.getState(), "a feed led elsewhere is not a late feed");
            assertTrue(standby.getMessage().orElse("").contains("is not polled by this instance"),
                    standby.getMessage().toString());
        }
    }

    @Test
    void aFeedIsNotReadyOnceItsPollsWentWithoutASuccessAndReadyAfterOne(@TempDir Path dir) throws Exception {
        Map<String, String> p = props(dir);
        p.put("onepassword.events.breaker.window", "1000"); // only the feed's freshness decides here
        p.put("onepassword.events.breaker.minimum-calls", "1000");
        try (BundleHarness bundle = BundleHarness.start(p, dir, true)) {
            // nothing polls (polls are by hand): after the grace of one missed poll, the feeds are late
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> state(bundle.context, FEED)
                    == HealthCheck.State.DOWN);
            HealthCheck.Result late = result(bundle.context, FEED);
            assertTrue(late.getMessage().orElse("").startsWith("feed demo\u2215auditevents: no successful poll since "),
                    late.getMessage().toString());
            assertTrue(late.getMessage().get().contains("onepassword.health.feed-max-missed-intervals=1"));
            assertFalse(HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeReadiness(bundle.context), true));
            assertTrue(HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeLiveness(bundle.context), false),
                    "a late feed makes the instance not ready, not dead");

            bundle.poll("demo", "auditevents");
            assertEquals(HealthCheck.State.UP, state(bundle.context, FEED), "a success makes it ready again");

            // a failed poll is not a success: the feed goes late again
            SANDBOX.get().eventsFaults().setServerErrorRatio(1.0);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                bundle.poll("demo", "auditevents");
                return state(bundle.context, FEED) == HealthCheck.State.DOWN;
            });
            SANDBOX.get().eventsFaults().setServerErrorRatio(0);
            bundle.poll("demo", "auditevents");
            assertEquals(HealthCheck.State.UP, state(bundle.context, FEED));
        }
    }

    @Test
    void anOpenCircuitBreakerMakesItsHostNotReady(@TempDir Path dir) throws Exception {
        Map<String, String> p = props(dir);
        p.put("onepassword.health.feed-max-missed-intervals", "1000"); // only the breaker decides here
        p.put("onepassword.events.breaker.window", "2");
        p.put("onepassword.events.breaker.minimum-calls", "2");
        p.put("onepassword.events.breaker.open-for", "PT0.5S");
        String check = "onepassword-events-api-" + java.net.URI.create(SANDBOX.get().baseUrl()).getAuthority();
        try (BundleHarness bundle = BundleHarness.start(p, dir, true)) {
            assertEquals(HealthCheck.State.UP, state(bundle.context, check));
            SANDBOX.get().eventsFaults().setServerErrorRatio(1.0);
            bundle.poll("demo", "auditevents");
            bundle.poll("demo", "itemusages");
            HealthCheck.Result open = result(bundle.context, check);
            assertEquals(HealthCheck.State.DOWN, open.getState());
            assertTrue(open.getMessage().orElse("").contains("circuit breaker"), open.getMessage().toString());

            // recovered: after open-for, the next poll is the trial call, and it closes the breaker
            SANDBOX.get().eventsFaults().setServerErrorRatio(0);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                bundle.poll("demo", "auditevents");
                return state(bundle.context, check) == HealthCheck.State.UP;
            });
        }
    }

    @Test
    void theBridgeIsReadyWhenItsHealthSaysSoAndAnOldVersionIsWarnedOnce(@TempDir Path dir) throws Exception {
        Map<String, String> p = props(dir);
        p.put("onepassword.scim.bridge.min-version", "2.10.0"); // the sandbox's bridge is 2.9.16
        p.put("onepassword.health.bridge-interval", "PT0.05S");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(new TeeStream(err, captured), true, StandardCharsets.UTF_8));
        try (BundleHarness bundle = BundleHarness.start(p, dir, true)) {
            MeterRegistry meters = bundle.context.getRegistry().lookupByNameAndType(
                    MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
            assertTrue(Double.isNaN(meters.get(BridgeVersion.OK).gauge().value()), "no version before the first check");
            assertEquals(HealthCheck.State.UP, state(bundle.context, BRIDGE));
            // the bridge is asked again once the interval is over: three answers, one warning
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                state(bundle.context, BRIDGE);
                return healthRequests() >= 3;
            });
            assertEquals(0.0, meters.get(BridgeVersion.OK).gauge().value());
            assertEquals(1.0, meters.get(BridgeVersion.INFO).tag("version", "2.9.16").tag("build", "209163").gauge()
                    .value());
            String log = captured.toString(StandardCharsets.UTF_8);
            assertEquals(1, log.lines().filter(l -> l.contains("WARN") && l.contains("SCIM bridge version 2.9.16 is "
                    + "older than onepassword.scim.bridge.min-version=2.10.0")).count(), log);

            // the bridge answers 503: not ready, and the answer says why
            SANDBOX.get().bridgeFaults().setServerErrorRatio(1.0).setServerErrorStatus(503);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> state(bundle.context, BRIDGE)
                    == HealthCheck.State.DOWN);
            assertTrue(result(bundle.context, BRIDGE).getMessage().orElse("").endsWith("\u2215health answered HTTP 503"),
                    result(bundle.context, BRIDGE).getMessage().toString());
            SANDBOX.get().bridgeFaults().setServerErrorRatio(0);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> state(bundle.context, BRIDGE)
                    == HealthCheck.State.UP);

            // no token in what a health endpoint would show, at any exposure level
            for (HealthCheck.Result r : HealthCheckHelper.invoke(bundle.context, "full")) {
                String shown = r.getMessage().orElse("") + r.getDetails() + r.getError().map(Throwable::toString)
                        .orElse("");
                assertFalse(shown.contains(SANDBOX.get().bridgeToken()), r.getCheck().getId() + " shows the token");
            }
        } finally {
            System.setErr(err);
        }
        assertFalse(captured.toString(StandardCharsets.UTF_8).contains(SANDBOX.get().bridgeToken()));
    }

    private static long healthRequests() {
        return SANDBOX.get().requests().matching(r -> r.path().equals("/health")).size();
    }

    private static HealthCheck.Result result(CamelContext context, String id) {
        return HealthCheckHelper.invoke(context, id, Map.of(HealthCheck.CHECK_KIND, HealthCheck.Kind.READINESS))
                .orElseThrow();
    }

    private static HealthCheck.State state(CamelContext context, String id) {
        return result(context, id).getState();
    }
}
