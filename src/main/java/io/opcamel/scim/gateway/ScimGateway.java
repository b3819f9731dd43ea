package io.opcamel.scim.gateway;

import io.opcamel.bridge.BridgeAnswerOnly;
import io.opcamel.bridge.ScimBridge;
import io.opcamel.bridge.ScimBridgeRetries;
import io.micrometer.core.instrument.MeterRegistry;
import io.opcamel.config.KafkaReachability;
import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.Settings;
import io.opcamel.http.StrictHttpClient;
import io.opcamel.scim.Guardrails;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the SCIM gateway's and the bridge client's settings and binds the beans their routes call
 * (routes/gateway/, routes/bridge/). The bridge client is bound whether or not the gateway is on: call-scim-bridge is the
 * one path to the bridge for everything that calls it.
 */
public final class ScimGateway {

    private static final Logger LOG = LoggerFactory.getLogger("io.opcamel.scim");
    public static final String PREFIX = "onepassword.scim.gateway.";

    private ScimGateway() {
    }

    public static void bindBeans(CamelContext context, Settings s, MeterRegistry meters, Clock clock) {
        boolean enabled = s.bool(PREFIX + "enabled");
        String basePath = s.basePath(PREFIX + "base-path", "/scim/v2");
        int maxBody = s.integer(PREFIX + "max-body-bytes", s.required(PREFIX + "max-body-bytes"), 1024, 64 << 20);
        boolean dryRun = s.bool(PREFIX + "dry-run");
        s.integer(ScimBridge.PREFIX + "concurrency", s.required(ScimBridge.PREFIX + "concurrency"), 1, 1000);
        s.integer(ScimBridge.PREFIX + "rate.requests", s.required(ScimBridge.PREFIX + "rate.requests"), 1, 1_000_000);
        Duration period = s.duration(ScimBridge.PREFIX + "rate.period", s.required(ScimBridge.PREFIX + "rate.period"));
        Duration connect = s.positiveDuration(ScimBridge.PREFIX + "connect-timeout");
        Duration response = s.positiveDuration(ScimBridge.PREFIX + "response-timeout");
        if (period.isNegative() || period.isZero()) {
            throw new InvalidConfigException(ScimBridge.PREFIX + "rate.period", "must be longer than zero");
        }
        Guardrails guardrails = Guardrails.from(s);
        ScimGatewayMetrics metrics = new ScimGatewayMetrics(meters, guardrails.all());
        ScimBridge bridge = ScimBridge.read(s, context, meters);
        IdpTokens idps = enabled ? IdpTokens.read(s) : IdpTokens.none();
        if (enabled && !bridge.configured()) {
            throw new InvalidConfigException(ScimBridge.PREFIX + "url", "is not set, and the SCIM gateway is on ("
                    + PREFIX + "enabled=true): the gateway needs the bridge it forwards to");
        }
        ScimBridgeRetries retries = new ScimBridgeRetries(s, clock);
        ScimAudit audit = new ScimAudit(s.oneOf(ScimAudit.SINK, "file", "kafka"), Path.of(s.required("onepassword.scim.audit.dir")),
                clock);

        if (enabled && audit.sink().equals("kafka")) {
            KafkaReachability.requireSinkBrokers(context, s, "the SCIM audit topic");
        }

        Registry r = context.getRegistry();
        r.bind("scimBridge", bridge);
        r.bind("scimBridgeClient", new StrictHttpClient(connect, response));
        r.bind("scimBridgeRetries", retries);
        r.bind("scimBridgeLookUpBeforeCreatingAgain", (Processor) retries::beforeSendingAgain);
        r.bind("scimBridgeAnswerOnly", new BridgeAnswerOnly());
        r.bind("scimIdps", idps);
        r.bind("scimRequests", new ScimRequests(basePath, maxBody, dryRun));
        r.bind("scimIdpDialect", new IdpDialect());
        r.bind("scimGuardrails", new GatewayGuardrails(guardrails, bridge::call));
        r.bind("scimAudit", audit);
        r.bind("scimGatewayMetrics", metrics);

        LOG.info("SCIM bridge: {}; at most {} calls at once and {} per {} (onepassword.scim.bridge.*); retries: {}",
                bridge, s.required(ScimBridge.PREFIX + "concurrency"), s.required(ScimBridge.PREFIX + "rate.requests"),
                period, retries);
        if (enabled) {
            LOG.info("SCIM gateway: {} for identity providers {}{}; audit records to {}", basePath, idps.names(),
                    dryRun ? " (DRY RUN: changes are checked and audited, not forwarded)" : "",
                    audit.sink().equals("file") ? audit.file() : "Kafka topic "
                            + s.required("onepassword.scim.audit.topic"));
        }
    }

}
