package io.opcamel.config;

import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How the bundle's own Kafka clients (the cursor store, the dedupe store, the sink's tail reader) reach the brokers:
 * the bootstrap servers, and the same security settings the camel-kafka component uses, so one set of
 * {@code camel.component.kafka.*} keys (security protocol, SASL, TLS trust and key stores, additionalProperties)
 * secures every connection the bundle makes. An ESB that configured its KafkaComponent in Java is followed too.
 */
public final class KafkaClients {

    private static final String PREFIX = "camel.component.kafka.";
    /** The component's connection-security options, looked up one by one as well: an environment variable
     * (CAMEL_COMPONENT_KAFKA_SASL_JAAS_CONFIG) is found by its kebab-case key, not by listing property files. */
    private static final String[] SECURITY_OPTIONS = {"securityProtocol", "saslMechanism", "saslJaasConfig",
        "saslKerberosServiceName", "sslProtocol", "sslProvider", "sslEnabledProtocols", "sslKeystoreType",
        "sslKeystoreLocation", "sslKeystorePassword", "sslKeyPassword", "sslTruststoreType", "sslTruststoreLocation",
        "sslTruststorePassword", "sslEndpointAlgorithm", "sslKeymanagerAlgorithm", "sslTrustmanagerAlgorithm",
        "sslCipherSuites"};

    private final String brokers;
    private final Properties security;

    private KafkaClients(String brokers, Properties security) {
        this.brokers = brokers;
        this.security = security;
    }

    /** No security settings: for tests against a plaintext broker. */
    public static KafkaClients plaintext(String brokers) {
        return new KafkaClients(brokers, new Properties());
    }

    /**
     * The security settings of the context's KafkaComponent if it has one already, with the
     * {@code camel.component.kafka.*} properties bound over them (as Camel binds them onto the component).
     */
    public static KafkaClients of(CamelContext context, String brokers) {
        KafkaConfiguration conf = new KafkaConfiguration();
        Component existing = context.hasComponent("kafka");
        if (existing instanceof KafkaComponent k && k.getConfiguration() != null) {
            conf = k.getConfiguration().copy();
        }
        Properties keys = context.getPropertiesComponent().loadProperties(k -> k.startsWith(PREFIX));
        Map<String, Object> options = new java.util.LinkedHashMap<>();
        keys.stringPropertyNames().forEach(k -> options.put(k.substring(PREFIX.length()), keys.getProperty(k)));
        for (String option : SECURITY_OPTIONS) {
            String kebab = option.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
            context.getPropertiesComponent().resolveProperty(PREFIX + kebab)
                    .or(() -> context.getPropertiesComponent().resolveProperty(PREFIX + option))
                    .ifPresent(v -> {
                        options.put(option, v);
                        if (SecretKeys.isSecret(PREFIX + kebab)) {
                            Secrets.remember(v); // a JAAS config or a store's password: kept out of printed text
                        }
                    });
        }
        if (!options.isEmpty()) {
            PropertyBindingSupport.build().withCamelContext(context).withTarget(conf).withProperties(options)
                    .withIgnoreCase(true).withMandatory(false).withRemoveParameters(false).bind();
        }
        Properties all = conf.createConsumerProperties();
        Properties security = new Properties();
        for (String k : all.stringPropertyNames()) {
            if (k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")) {
                security.put(k, all.get(k));
            }
        }
        return new KafkaClients(brokers, security);
    }

    /** A client's properties to build on: the brokers and the security settings. */
    public Properties properties() {
        Properties p = new Properties();
        p.putAll(security);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, brokers);
        return p;
    }

    /**
     * An idempotent producer's properties (String keys and values, acks=all, idempotence, no transaction): every
     * wait (a full buffer, a request, the delivery) is bounded by {@code timeout}.
     */
    public Properties idempotentProducer(String clientId, java.time.Duration timeout) {
        long ms = waitMillis(timeout);
        Properties p = properties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(ms));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(ms / 2)); // a request is retried within it
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(ms)); // >= linger + request timeout
        return p;
    }

    /**
     * A transactional producer's properties (an {@link #idempotentProducer} with {@code transactionalId}): the way
     * the bundle writes to Kafka, so that a write whose answer came too late is settled by taking
     * {@code transactionalId} again rather than landing later. A commit too waits at most {@code timeout}; a
     * transaction left open by a writer that went away is aborted by the broker after twice that (10 s at least).
     */
    public Properties transactionalProducer(String transactionalId, String clientId, java.time.Duration timeout) {
        Properties p = idempotentProducer(clientId, timeout);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(Math.max(10_000, 2 * waitMillis(timeout))));
        return p;
    }

    private static long waitMillis(java.time.Duration timeout) {
        return Math.max(1000, Math.min(Integer.MAX_VALUE / 2, timeout.toMillis()));
    }

    /** The brokers and the security protocol unless plaintext; never a password or a JAAS config. */
    @Override
    public String toString() {
        Object protocol = security.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        return brokers + (protocol == null || "PLAINTEXT".equals(protocol) ? "" : " (" + protocol + ")");
    }
}
