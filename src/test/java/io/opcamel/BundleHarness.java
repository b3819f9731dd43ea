package io.opcamel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.events.EventsAccounts;
import io.opcamel.events.EventsFeedRoutes;
import io.opcamel.events.Feature;
import io.opcamel.sandbox.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The bundle embedded the way an ESB embeds it (a plain DefaultCamelContext, properties given in code), pointed
 * at a sandbox, with each feed's Quartz consumer swapped for a direct: endpoint so a test polls when it wants to.
 */
public final class BundleHarness implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final DefaultCamelContext context;
    public final Path dir;

    private BundleHarness(DefaultCamelContext context, Path dir) {
        this.context = context;
        this.dir = dir;
    }

    /** Properties for one account "demo" on the sandbox with a token for every feature, files under {@code dir}. */
    public static Map<String, String> sandboxProperties(Sandbox sandbox, Path dir) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("onepassword.events.accounts", "demo");
        p.put("onepassword.events.demo.host", sandbox.baseUrl());
        p.put("onepassword.events.demo.token", sandbox.issueEventsToken("demo", "signinattempts", "itemusages",
                "auditevents"));
        p.put("onepassword.data-dir", dir.toString());
        return p;
    }

    /**
     * The stores a failover set-up needs (onepassword.cluster.*): cursors and delivered uuids in the test JVM's
     * Kafka broker, in the topics {@code <prefix>cursors} and {@code <prefix>dedupe}.
     */
    public static void kafkaStores(Map<String, String> p, String prefix) {
        p.put("onepassword.events.cursor.store", "kafka");
        p.put("onepassword.events.cursor.kafka.brokers", EmbeddedKafka.bootstrapServers());
        p.put("onepassword.events.cursor.kafka.topic", prefix + "cursors");
        p.put("onepassword.events.dedupe.store", "kafka");
        p.put("onepassword.events.dedupe.kafka.brokers", EmbeddedKafka.bootstrapServers());
        p.put("onepassword.events.dedupe.kafka.topic", prefix + "dedupe");
    }

    /** Starts the bundle with these properties; with {@code manualPolls} every feed polls only when asked. */
    public static BundleHarness start(Map<String, String> properties, Path dir, boolean manualPolls) throws Exception {
        return start(properties, dir, manualPolls, ctx -> { });
    }

    /** Changes the routes before start (AdviceWith), e.g. to crash at a chosen step. */
    public interface Advice {
        void apply(DefaultCamelContext context) throws Exception;
    }

    public static BundleHarness start(Map<String, String> properties, Path dir, boolean manualPolls, Advice advice)
            throws Exception {
        DefaultCamelContext ctx = new DefaultCamelContext();
        Properties initial = new Properties();
        initial.putAll(properties);
        ctx.getPropertiesComponent().setInitialProperties(initial);
        OnePasswordBundle.install(ctx);
        // what Camel Main takes from the packaged defaults (camel.main.*), which install leaves to an ESB: the
        // benches measure the bundle as it runs
        if (ctx.getManagementStrategy().getManagementAgent() != null) {
            ctx.getManagementStrategy().getManagementAgent().setMBeansLevel(
                    org.apache.camel.ManagementMBeansLevel.valueOf(OnePasswordBundle.packagedDefaults()
                            .getProperty("camel.main.jmx-management-m-beans-level")));
        }
        if (manualPolls) {
            EventsAccounts accounts = ctx.getRegistry().lookupByNameAndType("eventsAccounts", EventsAccounts.class);
            for (var a : accounts.all()) {
                for (Feature f : a.features()) {
                    String id = EventsFeedRoutes.routeId(a.name(), f);
                    AdviceWith.adviceWith(ctx, id, r -> r.replaceFromWith("direct:" + id));
                }
            }
        }
        advice.apply(ctx);
        ctx.start();
        return new BundleHarness(ctx, dir);
    }

    /** Runs one whole poll of the feed (every page while has_more) on this thread. */
    public void poll(String account, String feature) {
        context.createProducerTemplate().sendBody("direct:" + EventsFeedRoutes.routeId(account,
                Feature.valueOf(feature)), null);
    }

    /** The records the file sink holds for the feed, in file order. */
    public List<JsonNode> records(String account, String feature) {
        Path file = dir.resolve("events").resolve(account + "-" + feature + ".ndjson");
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            for (String line : wholeLines(file)) {
                out.add(JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The complete lines of an NDJSON file another thread may be appending to: a last line without its newline is
     * still being written (by the sink, or torn by a crash) and is left out.
     */
    public static List<String> wholeLines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }

    @Override
    public void close() {
        context.stop();
    }
}
