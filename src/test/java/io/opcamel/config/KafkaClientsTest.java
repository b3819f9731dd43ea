package io.opcamel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.EmbeddedKafka;
import io.opcamel.OnePasswordBundle;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundle's own Kafka clients are secured by the same settings as camel-kafka's. */
class KafkaClientsTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"bundle\" password=\"s3cret-not-logged\";";

    @Test
    void theCamelComponentKafkaKeysSecureTheBundlesOwnClients() {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties p = new Properties();
        p.setProperty("camel.component.kafka.securityProtocol", "SASL_SSL");
        p.setProperty("camel.component.kafka.sasl-mechanism", "SCRAM-SHA-512"); // kebab-case, as from the environment
        p.setProperty("camel.component.kafka.saslJaasConfig", JAAS);
        p.setProperty("camel.component.kafka.sslTruststoreLocation", "/etc/kafka/truststore.p12");
        p.setProperty("camel.component.kafka.brokers", "ignored:9092");
        context.getPropertiesComponent().setInitialProperties(p);
        KafkaClients clients = KafkaClients.of(context, "kafka-1:9093");
        Properties out = clients.properties();
        assertEquals("kafka-1:9093", out.get("bootstrap.servers"), "the bundle's own brokers key wins");
        assertEquals("SASL_SSL", out.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", out.get("sasl.mechanism"));
        assertEquals(JAAS, out.get("sasl.jaas.config"));
        assertEquals("/etc/kafka/truststore.p12", out.get("ssl.truststore.location"));
        assertFalse(out.containsKey("group.id"), "only the connection and its security, no consumer setting");
        assertEquals("kafka-1:9093 (SASL_SSL)", clients.toString());
        assertFalse(clients.toString().contains("s3cret"));
    }

    @Test
    void anEsbsOwnKafkaComponentIsFollowed() {
        DefaultCamelContext context = new DefaultCamelContext();
        KafkaComponent kafka = new KafkaComponent();
        kafka.getConfiguration().setSecurityProtocol("SSL");
        kafka.getConfiguration().setSslKeystoreLocation("/etc/esb/keystore.p12");
        context.addComponent("kafka", kafka);
        Properties out = KafkaClients.of(context, "b:9093").properties();
        assertEquals("SSL", out.get("security.protocol"));
        assertEquals("/etc/esb/keystore.p12", out.get("ssl.keystore.location"));
    }

    @Test
    void aCursorStoreSpeakingTlsToAPlaintextBrokerFailsAtStartNamingTheProtocol(@TempDir Path dir) {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties p = new Properties();
        p.setProperty("onepassword.data-dir", dir.toString());
        p.setProperty("onepassword.events.cursor.store", "kafka");
        p.setProperty("onepassword.events.cursor.kafka.brokers", EmbeddedKafka.bootstrapServers());
        p.setProperty("onepassword.events.cursor.kafka.timeout", "PT2S");
        p.setProperty("camel.component.kafka.securityProtocol", "SSL");
        context.getPropertiesComponent().setInitialProperties(p);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> OnePasswordBundle.install(context));
        assertTrue(e.getMessage().contains("(SSL)"), "the store spoke TLS, as camel-kafka would: " + e.getMessage());
    }
}
