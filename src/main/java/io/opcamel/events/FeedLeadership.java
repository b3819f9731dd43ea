package io.opcamel.events;

import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.Settings;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.quartz.CronExpression;

/**
 * One instance polls a feed at a time: with {@code onepassword.cluster.service} set, every feed route
 * ({@code poll-<account>-<feature>}) gets Camel's ClusteredRoutePolicy in a namespace of its own
 * ({@code onepassword-<account>-<feature>}), so it runs only on the instance that leads that namespace and the
 * feeds spread over the instances. Leadership comes from Camel's cluster service: a file lock on a shared volume
 * ({@code file}), a Kubernetes Lease per feed ({@code kubernetes}), or whichever service the embedding context has
 * ({@code context}). The instance that takes a feed over must find its cursor and delivered uuids where the last
 * leader left them, so leadership requires the Kafka cursor and dedupe stores.
 */
public final class FeedLeadership implements RoutePolicyFactory {

    public static final String PREFIX = "onepassword.cluster.";
    static final String NAMESPACE_PREFIX = "onepassword-";
    /**
     * What a stated failover bound allows, past the waits it counts, for the new leader to take the lock, start the
     * feed route and send the poll once Quartz fires it (a few hundred ms on a busy machine; FailoverReliability
     * measures the whole).
     */
    static final Duration TAKE_OVER = Duration.ofSeconds(5);

    private final CamelClusterService service;
    private final String description;

    private FeedLeadership(CamelClusterService service, String description) {
        this.service = service;
        this.description = description;
    }

    /**
     * Null when {@code onepassword.cluster.service} is none: every instance polls every feed it configures.
     *
     * @param pollGap the longest wait for a feed's cron to fire ({@link #longestPollGap}): a new leader polls at the
     *                next fire, so the failover bounds the log states include it
     */
    public static FeedLeadership from(Settings s, CamelContext context, Duration pollGap) {
        String kind = s.required(PREFIX + "service").trim().toLowerCase(Locale.ROOT);
        if (kind.equals("none")) {
            return null;
        }
        for (String store : new String[] {FeedStateStores.CURSOR_STORE, FeedStateStores.DEDUPE_STORE}) {
            if (!"kafka".equals(s.required(store))) {
                throw new InvalidConfigException(store, "must be kafka when " + PREFIX + "service=" + kind
                        + ": the instance that takes a feed over must find its state where the last leader left it");
            }
        }
        return switch (kind) {
            case "file" -> file(s, pollGap);
            case "kubernetes" -> kubernetes(s);
            case "context" -> {
                Optional<CamelClusterService> found = ClusterServiceHelper.lookupService(context);
                if (found.isEmpty()) {
                    throw new InvalidConfigException(PREFIX + "service", "is context, but the CamelContext has no "
                            + "CamelClusterService: add one, or choose file or kubernetes");
                }
                yield new FeedLeadership(found.get(), "the context's " + found.get().getClass().getSimpleName());
            }
            default -> throw new InvalidConfigException(PREFIX + "service", "must be none, file, kubernetes or "
                    + "context, got '" + kind + "'");
        };
    }

    private static FeedLeadership file(Settings s, Duration pollGap) {
        FileLockClusterService f = new FileLockClusterService();
        Path root = Path.of(s.required(PREFIX + "file.root"));
        Duration interval = s.positiveDuration(PREFIX + "file.acquire-lock-interval");
        int multiplier = s.integer(PREFIX + "file.heartbeat-timeout-multiplier",
                s.required(PREFIX + "file.heartbeat-timeout-multiplier"), 2, 100);
        f.setId("onepassword-feeds");
        f.setRoot(root.toAbsolutePath().toString());
        f.setAcquireLockDelay(interval.toMillis(), TimeUnit.MILLISECONDS);
        f.setAcquireLockInterval(interval.toMillis(), TimeUnit.MILLISECONDS);
        f.setHeartbeatTimeoutMultiplier(multiplier);
        // A stopped leader clears its heartbeat: the next check (every interval) takes the lock. A dead one's last
        // heartbeat must be older than interval x multiplier at a check, and checks come every interval: up to
        // interval x (multiplier + 1) after the kill (Camel's FileLockClusterView). Either way the feed then polls
        // at its cron's next fire.
        Duration stopped = interval.plus(pollGap).plus(TAKE_OVER);
        Duration dead = interval.multipliedBy(multiplier + 1L).plus(pollGap).plus(TAKE_OVER);
        return new FeedLeadership(f, "file locks in " + root.toAbsolutePath() + " (a stopped leader's feeds are "
                + "polled again within " + stopped + ", a dead one's within " + dead + ": acquire-lock-interval "
                + interval + " x (heartbeat-timeout-multiplier " + multiplier + " + 1) to find it dead and take its "
                + "lock, the poll cron's longest wait " + pollGap + ", " + TAKE_OVER + " to take over)");
    }

    /**
     * The longest time between two fires of any feed's cron, over the next fires (up to a year ahead): however a
     * feed's route is started, its first poll comes within it.
     */
    public static Duration longestPollGap(EventsAccounts accounts) {
        long longest = 0;
        for (EventsAccount a : accounts.all()) {
            try {
                CronExpression cron = new CronExpression(a.cron());
                cron.setTimeZone(TimeZone.getDefault()); // the time zone camel-quartz runs the feed's cron in
                Date horizon = Date.from(Instant.now().plus(Duration.ofDays(366)));
                Date fire = cron.getNextValidTimeAfter(new Date());
                for (int i = 0; i < 10_000 && fire != null && fire.before(horizon); i++) {
                    Date next = cron.getNextValidTimeAfter(fire);
                    if (next != null) {
                        longest = Math.max(longest, next.getTime() - fire.getTime());
                    }
                    fire = next;
                }
            } catch (ParseException e) {
                throw new IllegalStateException("the cron was checked when the account was read: " + a.cron(), e);
            }
        }
        return Duration.ofMillis(longest);
    }

    private static FeedLeadership kubernetes(Settings s) {
        KubernetesClusterService k = new KubernetesClusterService();
        k.setId("onepassword-feeds");
        k.setLeaseResourceType(LeaseResourceType.Lease);
        s.optional(PREFIX + "kubernetes.namespace").filter(n -> !n.isBlank()).ifPresent(k::setKubernetesNamespace);
        Duration lease = s.positiveDuration(PREFIX + "kubernetes.lease-duration");
        Duration renew = s.positiveDuration(PREFIX + "kubernetes.renew-deadline");
        Duration retry = s.positiveDuration(PREFIX + "kubernetes.retry-period");
        if (renew.compareTo(lease) >= 0 || retry.compareTo(renew) >= 0) {
            throw new InvalidConfigException(PREFIX + "kubernetes.renew-deadline", "must lie between retry-period ("
                    + retry + ") and lease-duration (" + lease + "), got " + renew);
        }
        k.setLeaseDurationMillis(lease.toMillis());
        k.setRenewDeadlineMillis(renew.toMillis());
        k.setRetryPeriodMillis(retry.toMillis());
        k.setKubernetesResourceName("onepassword");
        // empty: Camel's default, the HOSTNAME variable, which is the pod's name unless the pod sets spec.hostname
        s.optional(PREFIX + "kubernetes.pod-name").filter(n -> !n.isBlank()).ifPresent(k::setPodName);
        return new FeedLeadership(k, "Kubernetes Leases onepassword-onepassword-<account>-<feature> (lease " + lease
                + ", renew deadline " + renew + ", retry " + retry + ")");
    }

    /**
     * Whether only a ready instance may lead: Camel's Kubernetes leadership counts as members only the pods Kubernetes
     * marks Ready (KubernetesLeadershipController lists them so), so readiness must not hang on shared dependencies.
     */
    public boolean leadsOnlyWhenReady() {
        return service instanceof KubernetesClusterService;
    }

    /** The cluster service leadership comes from. */
    public CamelClusterService service() {
        return service;
    }

    /** Adds the cluster service to the context (unless it is the context's own) and this factory. */
    public void install(CamelContext context) throws Exception {
        if (!context.hasService(service)) {
            context.addService(service, true, true);
        }
        context.addRoutePolicyFactory(this);
    }

    /** The feed routes only: every other route (the gateway, lifecycle commands) runs on every instance. */
    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        if (routeId == null || !routeId.startsWith(EventsFeedRoutes.ROUTE_ID_PREFIX)) {
            return null;
        }
        try {
            ClusteredRoutePolicy policy = ClusteredRoutePolicy.forNamespace(service, namespace(routeId));
            policy.setCamelContext(context);
            return policy;
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the leadership policy of " + routeId, e);
        }
    }

    /** The leadership namespace of a feed route: its lock file's or Lease's name. */
    static String namespace(String routeId) {
        return NAMESPACE_PREFIX + routeId.substring(EventsFeedRoutes.ROUTE_ID_PREFIX.length());
    }

    @Override
    public String toString() {
        return description;
    }
}
