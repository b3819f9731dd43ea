package io.opcamel.reconcile;

import io.micrometer.core.instrument.MeterRegistry;
import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.KafkaClients;
import io.opcamel.config.KafkaReachability;
import io.opcamel.config.Secrets;
import io.opcamel.config.Settings;
import io.opcamel.http.StrictHttpClient;
import io.opcamel.scim.gateway.IdpTokens;
import io.opcamel.bridge.ScimBridge;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads reconciliation's settings ({@code onepassword.reconcile.*}) and binds the beans of
 * routes/reconcile/reconcile*.camel.yaml. The run itself (direct:run-reconciliation) is always there, for an ESB's own
 * routes; the schedule and the REST endpoint exist only when {@code onepassword.reconcile.enabled} says so.
 */
public final class Reconciliation {

    private static final Logger LOG = LoggerFactory.getLogger("io.opcamel.reconcile");
    public static final String PREFIX = "onepassword.reconcile.";

    private Reconciliation() {
    }

    public static void bindBeans(CamelContext context, Settings s, MeterRegistry meters, Clock clock) {
        boolean enabled = s.bool(PREFIX + "enabled");
        Optional<String> cron = s.optional(PREFIX + "cron");
        if (cron.isPresent() && !CronExpression.isValidExpression(cron.get())) {
            throw new InvalidConfigException(PREFIX + "cron", "is not a valid Quartz cron expression: '" + cron.get()
                    + "' (six or seven fields, e.g. 0 0 2 * * ?; empty: no schedule)");
        }
        Duration timeout = s.positiveDuration(PREFIX + "source.timeout");
        DesiredStateSource source = source(context, s, timeout);
        int pageSize = s.integer(PREFIX + "page-size", s.required(PREFIX + "page-size"), 1, 10_000);
        boolean apply = s.bool(PREFIX + "apply");
        SuspensionThreshold threshold = new SuspensionThreshold(
                s.integer(SuspensionThreshold.MAX, s.required(SuspensionThreshold.MAX), 0, 10_000_000),
                s.integer(SuspensionThreshold.MAX_PERCENT, s.required(SuspensionThreshold.MAX_PERCENT), 0, 100));
        String sink = s.oneOf(PREFIX + "report.sink", "file", "kafka");
        List<String> managedGroups = Settings.list(s.optional(PREFIX + "managed-groups").orElse(""));
        List<String> ignoreUsers = Settings.list(s.optional(PREFIX + "ignore-users").orElse(""));
        IdpTokens callers = enabled ? IdpTokens.read(s, PREFIX + "tokens") : IdpTokens.none();
        DriftReports reports = new DriftReports(sink, Path.of(s.required(PREFIX + "report.dir")),
                s.required(PREFIX + "report.topic"), threshold);
        ScimBridge bridge = context.getRegistry().lookupByNameAndType("scimBridge", ScimBridge.class);
        if (enabled && sink.equals("kafka")) {
            KafkaReachability.requireSinkBrokers(context, s, "the drift report topic");
        }
        if (enabled && source.kind().equals("kafka")) {
            KafkaReachability.require(context, PREFIX + "source.kafka.brokers", source.kafka(), timeout,
                    "the reconciliation source");
        }

        Registry r = context.getRegistry();
        r.bind("reconcileSource", source);
        r.bind("reconcileSourceClient", new StrictHttpClient(timeout, timeout));
        r.bind("reconcileRuns", new ReconcileRuns(clock, apply, source));
        r.bind("reconcileBridge", new BridgeStateReader(bridge::call, pageSize));
        r.bind("reconcileDrift", new DriftFinder(managedGroups, ignoreUsers));
        r.bind("reconcileThreshold", threshold);
        // the groups the lifecycle route manages, as it decides them (bound just before, by Lifecycle.bindBeans)
        r.bind("reconcileCommands", new DriftCommands(r.lookupByNameAndType("lifecyclePlanner",
                io.opcamel.lifecycle.LifecyclePlanner.class)::managed));
        r.bind("reconcileReports", reports);
        r.bind("reconcileMetrics", new ReconcileMetrics(meters));
        r.bind("reconcileApi", new ReconcileApi(callers));

        if (enabled) {
            LOG.info("Reconciliation: desired state from {}; {}; POST {}/reconcile for {}; apply {} (at most {} "
                    + "suspensions and {}% of the active users); managed groups {}; reports to {}", source,
                    cron.map(c -> "scheduled '" + c + "'").orElse("no schedule"),
                    s.required("onepassword.lifecycle.base-path"), callers.names(), apply ? "ON" : "off",
                    threshold.maxSuspensions(), threshold.maxPercent(),
                    managedGroups.isEmpty() ? "(those the source names)" : managedGroups,
                    sink.equals("file") ? s.required(PREFIX + "report.dir") : "Kafka topic "
                            + s.required(PREFIX + "report.topic"));
        }
    }

    private static DesiredStateSource source(CamelContext context, Settings s, Duration timeout) {
        String kind = s.required(PREFIX + "source");
        switch (kind) {
            case "file" -> {
                Path file = Path.of(s.required(PREFIX + "source.file"));
                String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(
                        java.util.Locale.ROOT);
                if (!name.endsWith(".json") && !name.endsWith(".csv")) {
                    throw new InvalidConfigException(PREFIX + "source.file", "must name a .json or a .csv file (the "
                            + "extension says which), got '" + file + "'");
                }
                return new DesiredStateSource(kind, file, null, null, null, null, timeout);
            }
            case "http" -> {
                String key = PREFIX + "source.url";
                String url = s.optional(key).orElseThrow(() -> new InvalidConfigException(key, "is not set, and "
                        + PREFIX + "source=http needs the URL that answers the desired state"));
                try {
                    URI u = URI.create(url);
                    if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null
                            || u.getUserInfo() != null) {
                        throw new IllegalArgumentException();
                    }
                } catch (IllegalArgumentException e) {
                    throw new InvalidConfigException(key, "must be an http:// or https:// URL without credentials "
                            + "(give a token with " + PREFIX + "source.token), got '" + url + "'");
                }
                boolean hasToken = s.optional(PREFIX + "source.token").isPresent()
                        || s.optional(PREFIX + "source.token-file").isPresent();
                String token = hasToken ? Secrets.read(s, PREFIX + "source.token") : null;
                return new DesiredStateSource(kind, null, url, token, null, null, timeout);
            }
            case "kafka" -> {
                KafkaClients kafka = KafkaClients.of(context, s.required(PREFIX + "source.kafka.brokers"));
                return new DesiredStateSource(kind, null, null, null, kafka, s.required(PREFIX + "source.kafka.topic"),
                        timeout);
            }
            default -> throw new InvalidConfigException(PREFIX + "source", "must be file, http or kafka, got '"
                    + kind + "'");
        }
    }
}
