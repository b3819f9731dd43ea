package io.opcamel;

import io.opcamel.config.Secrets;
import io.opcamel.config.Settings;
import io.opcamel.events.CursorStore;
import io.opcamel.events.Deduplicator;
import io.opcamel.events.EventsAccount;
import io.opcamel.events.EventsAccounts;
import io.opcamel.events.EventsFeedRoutes;
import io.opcamel.events.EventsPageReader;
import io.opcamel.events.EventsPageRequests;
import io.opcamel.events.FileCursorStore;
import io.opcamel.sink.EventEnvelopes;
import io.opcamel.sink.KafkaRecords;
import io.opcamel.sink.KafkaTail;
import io.opcamel.sink.NdjsonFileSink;
import io.opcamel.sink.Sinks;
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
    /** Where the packaged YAML routes are. */
    public static final String ROUTES = "classpath:routes/**/*.camel.yaml";

    private OnePasswordBundle() {
    }

    /** For an ESB: everything the bundle needs, added to a context that is not started yet. */
    public static void install(CamelContext context) throws Exception {
        applyDefaults(context);
        bindBeans(context);
        loadRoutes(context, ROUTES);
        EventsFeedRoutes feeds = new EventsFeedRoutes(context.getRegistry().lookupByNameAndType("eventsAccounts",
                EventsAccounts.class));
        // templated routes are added in a step of their own, after the templates they use (as Camel Main does)
        context.addRoutes(feeds);
        context.addTemplatedRoutes(feeds);
    }

    /**
     * Adds each packaged default whose key the context cannot resolve yet, as an initial property (the lowest
     * precedence): whatever the ESB set, in any way, wins.
     */
    public static void applyDefaults(CamelContext context) throws IOException {
        PropertiesComponent pc = context.getPropertiesComponent();
        Properties defaults = new Properties();
        try (InputStream in = OnePasswordBundle.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " is missing from the bundle's jar");
            }
            defaults.load(in);
        }
        for (String key : defaults.stringPropertyNames()) {
            if (pc.resolveProperty(key).isEmpty()) {
                pc.addInitialProperty(key, defaults.getProperty(key));
            }
        }
    }

    /** Reads and checks the configuration, then binds the beans the YAML routes call. */
    public static void bindBeans(CamelContext context) throws Exception {
        Settings settings = new Settings(context.getPropertiesComponent()::resolveProperty);
        Clock clock = Clock.systemUTC();
        EventsAccounts accounts = new EventsAccounts(settings);
        CursorStore cursors = new FileCursorStore(Path.of(settings.required("onepassword.events.cursor.dir")), clock);
        NdjsonFileSink fileSink = new NdjsonFileSink(Path.of(settings.required("onepassword.sink.file.dir")));
        Deduplicator deduplicator = Deduplicator.files(Path.of(settings.required("onepassword.events.dedupe.dir")),
                settings.integer("onepassword.events.dedupe.capacity",
                        settings.required("onepassword.events.dedupe.capacity"), 1000, 100_000_000));
        Sinks sinks = new Sinks(settings);
        KafkaRecords kafkaRecords = new KafkaRecords(settings.required("onepassword.sink.kafka.topic-prefix"));
        KafkaTail kafkaTail = sinks.has("kafka") ? new KafkaTail(settings.required("onepassword.sink.kafka.brokers")) : null;
        // what reached a sink after the last saved cursor is at most one page; read back two (of every account,
        // since accounts share a topic). An event counts as delivered only if every sink has it.
        deduplicator.seedFrom((account, feature) -> {
            int tail = 2 * accounts.get(account).limit();
            Set<String> delivered = null;
            if (sinks.has("file")) {
                delivered = new HashSet<>(fileSink.recentUuids(account, feature, tail));
            }
            if (kafkaTail != null) {
                Set<String> inKafka = new HashSet<>(kafkaTail.recentUuids(kafkaRecords.topic(feature), account,
                        tail * accounts.all().size()));
                delivered = delivered == null ? inKafka : intersect(delivered, inKafka);
            }
            return delivered;
        });
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                deduplicator.close();
            }
        });

        Registry r = context.getRegistry();
        r.bind("eventsAccounts", accounts);
        r.bind("cursorStore", cursors);
        r.bind("eventsPageRequests", new EventsPageRequests(accounts, cursors, clock));
        r.bind("eventsPageReader", new EventsPageReader());
        r.bind("eventEnvelopes", new EventEnvelopes(clock));
        r.bind("ndjsonFileSink", fileSink);
        r.bind("deduplicator", deduplicator);
        r.bind("sinks", sinks);
        r.bind("kafkaRecords", kafkaRecords);

        for (EventsAccount a : accounts.all()) {
            LOG.info("Events account '{}': {} {} features={} cron='{}' limit={} token={}", a.name(), a.host(),
                    a.apiVersion(), a.features(), a.cron(), a.limit(), Secrets.mask(a.token()));
        }
        LOG.info("Cursors are saved in {}; events go to {}", settings.required("onepassword.events.cursor.dir"),
                String.join(" and ", sinks.types().stream().map(t -> t.equals("file")
                        ? "files " + fileSink.file("<account>", "<feature>")
                        : "Kafka " + settings.required("onepassword.sink.kafka.brokers") + " topics "
                                + kafkaRecords.topic("<feature>")).toList()));
    }

    private static Set<String> intersect(Set<String> a, Set<String> b) {
        a.retainAll(b);
        return a;
    }

    /** Loads YAML routes (and route templates) matching an Ant-style pattern such as classpath:routes/**\/*.camel.yaml. */
    public static void loadRoutes(CamelContext context, String pattern) throws Exception {
        Collection<Resource> resources = PluginHelper.getPackageScanResourceResolver(context).findResources(pattern);
        if (resources.isEmpty()) {
            throw new IllegalStateException("no routes found at " + pattern);
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(resources);
    }
}
