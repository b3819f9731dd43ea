package io.opcamel;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/** Configurations the tests build a bundle from. */
public final class TestConfig {

    /** The switches that add routes: the gateway, the lifecycle API and its Kafka consumer, reconciliation. */
    public static final List<String> ROUTE_SWITCHES = List.of("onepassword.scim.gateway.enabled",
            "onepassword.lifecycle.enabled", "onepassword.lifecycle.kafka.enabled", "onepassword.reconcile.enabled");

    private TestConfig() {
    }

    /**
     * Account demo with an all-features token, and every route switch set to {@code on} (however spelled), with what
     * each needs to start: a bridge URL nobody listens on, callers' tokens, a reconciliation schedule, and the
     * in-JVM broker for the lifecycle's Kafka consumer (the start refuses brokers that do not answer).
     */
    public static Properties everyFeature(Path dataDir, String on) {
        Properties p = new Properties();
        p.setProperty("onepassword.events.accounts", "demo");
        p.setProperty("onepassword.events.demo.token", TestTokens.allFeatures());
        p.setProperty("onepassword.data-dir", dataDir.toString());
        ROUTE_SWITCHES.forEach(k -> p.setProperty(k, on));
        p.setProperty("onepassword.reconcile.cron", "0 0 2 * * ?");
        p.setProperty("onepassword.scim.bridge.url", "http://127.0.0.1:9/scim/v2");
        p.setProperty("onepassword.scim.bridge.token", "test-config-bridge-token");
        p.setProperty("onepassword.scim.gateway.tokens", "idp:test-config-idp-token");
        p.setProperty("onepassword.lifecycle.tokens", "hr:test-config-hr-token-1");
        p.setProperty("onepassword.reconcile.tokens", "ops:test-config-ops-token");
        p.setProperty("onepassword.sink.kafka.brokers", EmbeddedKafka.bootstrapServers());
        return p;
    }
}
