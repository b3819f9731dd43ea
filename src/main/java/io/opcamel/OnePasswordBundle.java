package io.opcamel;

import io.opcamel.config.KafkaReachability;
import io.opcamel.config.Secrets;
import io.opcamel.config.Settings;
import io.opcamel.http.StrictHttpClient;
import io.opcamel.http.UnroutedRequests;
import io.opcamel.events.CursorStore;
import io.opcamel.events.Deduplicator;
import io.opcamel.events.BackfillProgress;
import io.opcamel.events.EventsAccount;
import io.opcamel.events.FeedMetrics;
import io.opcamel.events.PollFailures;
import io.opcamel.events.RefusedCursors;
import io.opcamel.events.EventsApiBreakers;
import io.opcamel.events.EventsApiRetries;
import io.opcamel.events.EventsRateLimits;
import io.opcamel.events.FeedLeadership;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import io.opcamel.events.EventsAccounts;
import io.opcamel.events.EventsFeedRoutes;
import io.opcamel.events.EventsPageReader;
import io.opcamel.events.EventsPageRequests;
import io.opcamel.events.FeedStateStores;
import io.opcamel.normalise.EventSchemas;
import io.opcamel.normalise.MappingProblems;
import io.opcamel.sink.EventRecords;
import io.opcamel.sink.HttpSinkAcks;
import io.opcamel.sink.HttpSinkBatches;
import io.opcamel.sink.HttpSinkSettings;
import io.opcamel.sink.KafkaPageTransactions;
import io.opcamel.sink.KafkaRecords;
import io.opcamel.sink.KafkaTail;
import io.opcamel.sink.NdjsonFileSink;
import io.opcamel.sink.Sinks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundle's one entry point into a CamelContext. Camel Main reaches it through {@link BundleConfiguration};
 * an ESB calls {@link #install(CamelContext)} on its own context and gets the defaults it did not set, the beans,
 * the YAML routes and one feed route per configured account and feature, and nothing else: no Main, no sandbox,
 * no port it did not ask for.
 */
public final class OnePasswordBundle {

    private static final Logger LOG = LoggerFactory.getLogger(OnePasswordBundle.class);

    /** The packaged defaults: the same file as config/application.properties in the source tree. */
    public static final String DEFAULTS = "config/application.properties";
    /** The key of where the packaged YAML routes are: declared once, in the packaged defaults. */
    public static final String ROUTES_KEY = "camel.main.routes-include-pattern";

    private OnePasswordBundle() {
    }

    /** For an ESB: everything the bundle needs, added to a context that is not started yet. */
    public static void install(CamelContext context) throws Exception {
        applyDefaults(context);
        bindBeans(context);
        // the packaged pattern, not the context's: an ESB's own camel.main.* keys are not the bundle's to apply
        loadRoutes(context, packagedDefaults().getProperty(ROUTES_KEY));
        EventsFeedRoutes feeds = new EventsFeedRoutes(context.getRegistry().lookupByNameAndType("eventsAccounts",
                EventsAccounts.class));
        // templated routes are added in a step of their own, after the templates they use (as Camel Main does)
        context.addRoutes(feeds);
        context.addTemplatedRoutes(feeds);
    }

    /** The packaged defaults file (config/application.properties), as the jar has it. */
    public static Properties packagedDefaults() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = OnePasswordBundle.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " is missing from the bundle's jar");
            }
            defaults.load(in);
        }
        return defaults;
    }

    /**
     * Adds each packaged default whose key the context cannot resolve yet, as an initial property (the lowest
     * precedence): whatever the ESB set, in any way, wins.
     */
    public static void applyDefaults(CamelContext context) throws IOException {
        PropertiesComponent pc = context.getPropertiesComponent();
        Properties defaults = packagedDefaults();
        for (String key : defaults.stringPropertyNames()) {
            if (pc.resolveProperty(key).isEmpty()) {
                pc.addInitialProperty(key, defaults.getProperty(key));
            }
        }
    }

    /** Reads and checks the configuration, then binds the beans the YAML routes call. */
    public static void bindBeans(CamelContext context) throws Exception {
        // before Camel Main prints its summary of the properties, and before any secret is read
        io.opcamel.config.SecretKeys.maskInCamelsSummary(context);
        Settings settings = new Settings(context.getPropertiesComponent()::resolveProperty);
        Clock clock = Clock.systemUTC();
        EventsAccounts accounts = new EventsAccounts(settings);
        // checked before any store connects; installed before the routes exist, so each feed route gets its policy
        FeedLeadership leadership = FeedLeadership.from(settings, context, FeedLeadership.longestPollGap(accounts));
        if (leadership != null) {
            leadership.install(context);
            LOG.info("Feed leadership (onepassword.cluster.*): each feed is polled by the one instance that leads it; {}",
                    leadership);
        }
        CursorStore cursors = FeedStateStores.cursorStore(settings, clock, context);
        NdjsonFileSink fileSink = new NdjsonFileSink(Path.of(settings.required("onepassword.sink.file.dir")),
                settings.integer("onepassword.sink.file.roll-mb", settings.required("onepassword.sink.file.roll-mb"),
                        0, 1_000_000) * 1024L * 1024L,
                settings.integer("onepassword.sink.file.keep", settings.required("onepassword.sink.file.keep"),
                        0, 1_000_000), clock);
        Deduplicator deduplicator = FeedStateStores.deduplicator(settings, accounts, context);
        Sinks sinks = new Sinks(settings);
        // the http sink's keys are read and checked only when it is selected; its beans are bound either way
        HttpSinkSettings httpSink = sinks.has("http") ? HttpSinkSettings.read(settings) : HttpSinkSettings.notSelected();
        KafkaRecords kafkaRecords = new KafkaRecords(settings.required("onepassword.sink.kafka.topic-prefix"),
                settings.bool("onepassword.sink.kafka.topic-per-class"));
        // each sink's schema for each account, checked now: a bad one names its key before anything starts
        EventSchemas schemas = new EventSchemas(settings);
        for (EventsAccount a : accounts.all()) {
            sinks.types().forEach(sink -> schemas.nameFor(sink, a.name()));
        }
        KafkaTail kafkaTail = sinks.has("kafka") ? KafkaTail.from(settings, context) : null;
        if (kafkaTail != null) {
            KafkaReachability.requireSinkBrokers(context, settings, "the Kafka sink");
        }
        // bound whether or not Kafka is a sink (its route exists either way); no client until a page is sent
        KafkaPageTransactions kafkaPages = KafkaPageTransactions.from(settings, context, kafkaRecords,
                kafkaTail != null ? kafkaTail : KafkaTail.from(settings, context));
        // what reached a sink after the last saved cursor is at most one page of the feed; read back two (KafkaTail
        // looks past other accounts' records for them). An event counts as delivered only if every sink has it.
        deduplicator.seedFrom((account, feature) -> {
            int tail = 2 * accounts.get(account).limit();
            Set<String> delivered = null;
            if (sinks.has("file")) {
                delivered = new HashSet<>(fileSink.recentUuids(account, feature, tail));
            }
            if (kafkaTail != null) {
                Set<String> inKafka = new HashSet<>(kafkaTail.recentUuids(kafkaRecords, feature, account, tail));
                delivered = delivered == null ? inKafka : intersect(delivered, inKafka);
            }
            // the http sink cannot be read back, so the other sinks decide (it goes first, see Sinks.endpoints);
            // with http alone nothing is seeded: a crash between its ack and the dedupe flush re-sends a page
            return delivered == null ? Set.of() : delivered;
        });
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                deduplicator.close();
                kafkaPages.close();
            }
        });

        Registry r = context.getRegistry();
        r.bind("eventsAccounts", accounts);
        r.bind("cursorStore", cursors);
        RefusedCursors refusedCursors = new RefusedCursors();
        r.bind("refusedCursors", refusedCursors);
        r.bind("eventsPageRequests", new EventsPageRequests(accounts, cursors, refusedCursors, clock));
        r.bind("eventsPageReader", new EventsPageReader(accounts));
        EventsRateLimits rateLimits = new EventsRateLimits(settings, accounts, clock);
        io.opcamel.events.FeedWaits feedWaits = new io.opcamel.events.FeedWaits(clock);
        r.bind("feedWaits", feedWaits);
        r.bind("feedPaging", new io.opcamel.events.FeedPaging(feedWaits));
        r.bind("ndjsonFileSink", fileSink);
        r.bind("deduplicator", deduplicator);
        r.bind("sinks", sinks);
        r.bind("kafkaPageTransactions", kafkaPages);
        r.bind("httpSinkSettings", httpSink);
        r.bind("httpSinkBatches", new HttpSinkBatches(httpSink));
        r.bind("httpSinkAcks", new HttpSinkAcks(httpSink));
        StrictHttpClient httpSinkClient = new StrictHttpClient(httpSink.connectTimeout(), httpSink.responseTimeout());
        r.bind("httpSinkClient", httpSinkClient);
        r.bind("pollFailures", new PollFailures());
        r.bind("eventsRateLimits", rateLimits);
        StrictHttpClient eventsApiClient = StrictHttpClient.from(settings, "onepassword.events.connect-timeout",
                "onepassword.events.response-timeout");
        r.bind("eventsApiClient", eventsApiClient);
        // a stop ends every wait of the feeds at once (their budget, a Retry-After, a backoff, an Events API or HTTP
        // sink answer): onContextStopping comes before the routes' graceful shutdown, which would otherwise wait
        // for them until camel.main.shutdown-timeout and then force the polls (RejectedExecutionException)
        context.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStarting(CamelContext starting) {
                // an ESB may start its context again after a stop
                feedWaits.start();
                eventsApiClient.start();
                httpSinkClient.start();
            }

            @Override
            public void onContextStopping(CamelContext stopping) {
                feedWaits.stop();
                eventsApiClient.stop();
                httpSinkClient.stop();
            }
        });
        EventsApiRetries retries = new EventsApiRetries(settings, rateLimits, feedWaits, clock);
        r.bind("eventsApiRetries", retries);
        MeterRegistry meters = meterRegistry(context);
        FeedMetrics feedMetrics = new FeedMetrics(meters, clock, accounts);
        r.bind("feedMetrics", feedMetrics);
        EventRecords eventRecords = new EventRecords(schemas, new MappingProblems(meters), clock);
        r.bind("eventRecords", eventRecords);
        // the events-feed template's building-block parameters (docs/building-blocks.md): to, format, schema
        r.bind("eventPageFormats", new io.opcamel.sink.EventPageFormats(eventRecords, clock));
        // the SCIM bridge client (call-scim-bridge) and, when onepassword.scim.gateway.enabled, the gateway's beans
        io.opcamel.scim.gateway.ScimGateway.bindBeans(context, settings, meters, clock);
        // a request no route takes on the HTTP server of the gateway and the lifecycle API gets its API's own refusal
        // (a SCIM Error, the lifecycle or the reconcile API's JSON), not a Vert.x HTML page
        boolean gateway = settings.bool("onepassword.scim.gateway.enabled");
        boolean api = settings.bool("onepassword.lifecycle.enabled") || settings.bool("onepassword.reconcile.enabled");
        Map<String, UnroutedRequests.Refusals> bases = new LinkedHashMap<>();
        if (gateway) {
            bases.put(settings.required("onepassword.scim.gateway.base-path"), io.opcamel.scim.ScimError::refusal);
        }
        if (settings.bool("onepassword.reconcile.enabled")) {
            // reconciliation's path, below the lifecycle API's base (routes/reconcile/reconcile-rest.camel.yaml), with
            // its own refusal shape: put first, so it is found before the base's
            bases.put(settings.required("onepassword.lifecycle.base-path") + "/reconcile",
                    io.opcamel.reconcile.ReconcileApi::refusal);
        }
        if (api) {
            bases.put(settings.required("onepassword.lifecycle.base-path"), io.opcamel.lifecycle.LifecycleRest::refusal);
        }
        UnroutedRequests unrouted = new UnroutedRequests(bases);
        // as soon as the server listens: its first requests would otherwise meet a router without the bundle's routes
        // and get Vert.x's HTML 404 (an IdP reads a 404 as "the user is gone"). Camel Main creates the router when it
        // binds the port, during the context's start, and gives no hook between the two; so the start watches for it.
        // Once started, again, for a router that came later (an ESB's).
        context.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStarting(CamelContext starting) {
                unrouted.installWhenTheServerListens(starting);
            }
        });
        context.addStartupListener((started, alreadyStarted) -> unrouted.install(started));
        // the scim-bridge-request template's two ends (docs/building-blocks.md)
        r.bind("scimBridgeRequests", new io.opcamel.bridge.ScimBridgeRequests());
        // lifecycle commands (direct:run-lifecycle-command), through the same bridge client
        io.opcamel.lifecycle.Lifecycle.bindBeans(context, settings, meters, clock);
        // reconciliation (direct:run-reconciliation): reads the bridge through that client, applies through lifecycle
        io.opcamel.reconcile.Reconciliation.bindBeans(context, settings, meters, clock);
        EventsApiBreakers breakers = new EventsApiBreakers(settings, accounts, meters);
        r.bind("eventsApiBreakers", breakers);
        // health (each feed, each Events API host, the SCIM bridge) and liveness, in the HealthCheckRegistry
        io.opcamel.bridge.ScimBridge bridge = r.lookupByNameAndType("scimBridge",
                io.opcamel.bridge.ScimBridge.class);
        io.opcamel.health.BundleHealth.register(context, settings, accounts, feedMetrics, breakers,
                java.util.Optional.ofNullable(bridge.configured() ? bridge.url() : null), meters, clock,
                leadership == null || !leadership.leadsOnlyWhenReady());
        r.bind("backfillProgress", new BackfillProgress(clock, settings.duration("onepassword.events.progress-interval",
                settings.required("onepassword.events.progress-interval")), feedWaits));

        if (accounts.all().isEmpty()) {
            LOG.info("No Events API account is configured (onepassword.events.accounts, e.g. ONEPASSWORD_EVENTS_ACCOUNTS"
                    + "=acme with ONEPASSWORD_EVENTS_ACME_TOKEN): no feed is polled");
        }
        for (EventsAccount a : accounts.all()) {
            LOG.info("Events account '{}': {} {} features={} cron='{}' limit={} token={}", a.name(), a.host(),
                    a.apiVersion(), a.features(), a.cron(), a.limit(), Secrets.mask(a.token()));
        }
        LOG.info("Events API budget: {} (onepassword.events.rate.*); retries: {}", rateLimits, retries);
        LOG.info("Cursors are saved in {}; events go to {}", FeedStateStores.describe(cursors, settings),
                String.join(" and ", sinks.types().stream().map(t -> t.equals("http") ? "HTTP " + httpSink : t.equals("file")
                        ? "files " + fileSink.file("<account>", "<feature>")
                        : "Kafka " + settings.required("onepassword.sink.kafka.brokers") + " topics "
                                + kafkaRecords.topic("<feature>")).toList()));
    }

    /**
     * The context's meter registry (an ESB's own, bound as metricsRegistry), or a Prometheus one bound under that
     * name, which camel-micrometer-prometheus then serves at /observe/metrics.
     */
    private static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry found = MicrometerUtils.getMeterRegistryFromCamelRegistry(context.getRegistry(),
                MicrometerConstants.METRICS_REGISTRY_NAME);
        if (found == null) {
            found = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, found);
        }
        return found;
    }

    private static Set<String> intersect(Set<String> a, Set<String> b) {
        a.retainAll(b);
        return a;
    }

    /**
     * Loads YAML routes (and route templates) matching Ant-style patterns, comma separated, such as
     * classpath:routes/events/*.camel.yaml; each pattern must match at least one file.
     */
    public static void loadRoutes(CamelContext context, String patterns) throws Exception {
        java.util.List<Resource> resources = new java.util.ArrayList<>();
        for (String pattern : Settings.list(patterns)) {
            Collection<Resource> found = PluginHelper.getPackageScanResourceResolver(context).findResources(pattern);
            if (found.isEmpty()) {
                throw new IllegalStateException("no routes found at " + pattern);
            }
            resources.addAll(found);
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(resources);
    }
}
