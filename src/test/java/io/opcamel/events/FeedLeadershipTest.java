package io.opcamel.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.config.Settings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Which cluster service the config selects, set up as configured (no Kubernetes API is called to build one). */
class FeedLeadershipTest {

    private static final Duration GAP = Duration.ofSeconds(30);

    private static Settings settings(Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>(Map.of(
                "onepassword.cluster.service", "none",
                "onepassword.events.cursor.store", "kafka",
                "onepassword.events.dedupe.store", "kafka",
                "onepassword.cluster.file.root", "/shared/cluster",
                "onepassword.cluster.file.acquire-lock-interval", "PT3S",
                "onepassword.cluster.file.heartbeat-timeout-multiplier", "4",
                "onepassword.cluster.kubernetes.lease-duration", "PT30S",
                "onepassword.cluster.kubernetes.renew-deadline", "PT20S",
                "onepassword.cluster.kubernetes.retry-period", "PT5S"));
        p.putAll(overrides);
        return new Settings(k -> Optional.ofNullable(p.get(k)));
    }

    @Test
    void noneMeansNoPolicyAtAll() {
        assertNull(FeedLeadership.from(settings(Map.of()), new DefaultCamelContext(), GAP));
    }

    @Test
    void fileLocksInTheSharedFolderAtTheConfiguredInterval() {
        FeedLeadership l = FeedLeadership.from(settings(Map.of("onepassword.cluster.service", "file")),
                new DefaultCamelContext(), GAP);
        FileLockClusterService f = assertInstanceOf(FileLockClusterService.class, l.service());
        assertEquals("/shared/cluster", f.getRoot());
        assertEquals(3000, f.getAcquireLockIntervalUnit().toMillis(f.getAcquireLockInterval()));
        assertEquals(4, f.getHeartbeatTimeoutMultiplier());
        // the bounds the start-up log states: PT3S x (4 + 1) to find a dead leader, the cron's PT30S, PT5S to take over
        assertTrue(l.toString().contains("a stopped leader's feeds are polled again within PT38S, a dead one's within "
                + "PT50S"), l.toString());
    }

    @Test
    void kubernetesLeasesWithTheConfiguredTimings() {
        FeedLeadership l = FeedLeadership.from(settings(Map.of("onepassword.cluster.service", "kubernetes",
                "onepassword.cluster.kubernetes.namespace", "security")), new DefaultCamelContext(), GAP);
        KubernetesClusterService k = assertInstanceOf(KubernetesClusterService.class, l.service());
        assertEquals(LeaseResourceType.Lease, k.getLeaseResourceType());
        assertEquals("security", k.getKubernetesNamespace());
        assertEquals(30_000, k.getLeaseDurationMillis());
        assertEquals(20_000, k.getRenewDeadlineMillis());
        assertEquals(5_000, k.getRetryPeriodMillis());
    }

    @Test
    void eachFeedLeadsInANamespaceOfItsOwn() {
        assertEquals("onepassword-acme-signinattempts", FeedLeadership.namespace("poll-acme-signinattempts"));
        FeedLeadership l = FeedLeadership.from(settings(Map.of("onepassword.cluster.service", "file")),
                new DefaultCamelContext(), GAP);
        assertNull(l.createRoutePolicy(new DefaultCamelContext(), "serve-scim-request", null),
                "only feed routes are led; the gateway runs everywhere");
    }
}
