package io.opcamel.lifecycle;

import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.KafkaClients;
import io.opcamel.config.KafkaReachability;
import io.opcamel.config.Settings;
import io.opcamel.scim.Guardrails;
import io.opcamel.scim.gateway.IdpTokens;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the lifecycle commands' settings and binds the beans of routes/lifecycle/lifecycle*.camel.yaml. The command
 * route (direct:run-lifecycle-command) is always there, for reconciliation and for an ESB's own routes; the REST API
 * and the Kafka consumer are on only when their {@code enabled} says so.
 */
public final class Lifecycle {

    private static final Logger LOG = LoggerFactory.getLogger("io.opcamel.lifecycle");
    public static final String PREFIX = "onepassword.lifecycle.";

    private Lifecycle() {
    }

    public static void bindBeans(CamelContext context, Settings s, MeterRegistry meters, Clock clock) throws Exception {
        boolean rest = s.bool(PREFIX + "enabled");
        boolean kafka = s.bool(PREFIX + "kafka.enabled");
        String basePath = s.basePath(PREFIX + "base-path", "/lifecycle/v1");
        int maxBody = s.integer(PREFIX + "max-body-bytes", s.required(PREFIX + "max-body-bytes"), 256, 16 << 20);
        int keep = s.integer(PREFIX + "ledger.keep", s.required(PREFIX + "ledger.keep"), 1, 100_000_000);
        Path dir = Path.of(s.required(PREFIX + "dir"));
        Guardrails guardrails = Guardrails.from(s);
        LifecyclePlanner planner = new LifecyclePlanner(guardrails, guardrails.managedGroupNames());
        LifecycleLedger ledger = ledger(context, s, dir, keep);
        LifecycleDeadLetters deadLetters = new LifecycleDeadLetters(s.oneOf(LifecycleDeadLetters.SINK, "file", "kafka"), dir,
                planner, clock);
        IdpTokens callers = rest ? IdpTokens.read(s, PREFIX + "tokens") : IdpTokens.none();
        if (kafka) {
            KafkaReachability.requireSinkBrokers(context, s, "the lifecycle command topic");
        }
        if ((rest || kafka) && deadLetters.sink().equals("kafka")) {
            KafkaReachability.requireSinkBrokers(context, s, "the lifecycle dead-letter topic");
        }

        Registry r = context.getRegistry();
        r.bind("lifecycleCommands", new LifecycleCommands(maxBody));
        r.bind("lifecyclePlanner", planner);
        r.bind("lifecycleLedger", ledger);
        r.bind("lifecycleDeadLetters", deadLetters);
        r.bind("lifecycleMetrics", new LifecycleMetrics(meters));
        r.bind("lifecycleRest", new LifecycleRest(callers, ledger));

        if (rest || kafka) {
            LOG.info("Lifecycle commands: {}{}; outcomes remembered in {}; dead letters to {}",
                    rest ? "REST " + basePath + "/commands for " + callers.names() : "",
                    kafka ? (rest ? " and " : "") + "Kafka topic " + s.required(PREFIX + "kafka.topic") : "",
                    ledger.describe(), deadLetters.sink().equals("file") ? deadLetters.file()
                            : "Kafka topic " + s.required(PREFIX + "dead-letter.topic"));
        }
    }

    /** The ledger on its journal: this instance's file, or the Kafka topic the instances share, read whole. */
    private static LifecycleLedger ledger(CamelContext context, Settings s, Path dir, int keep) throws Exception {
        if (s.oneOf(PREFIX + "ledger.store", "file", "kafka").equals("file")) {
            return new LifecycleLedger(new FileLedgerJournal(dir), keep);
        }
        Duration timeout = s.positiveDuration(PREFIX + "ledger.kafka.timeout");
        KafkaClients clients = KafkaClients.of(context, s.required(KafkaLedgerJournal.BROKERS_KEY));
        String topic = s.kafkaTopic(PREFIX + "ledger.kafka.topic");
        KafkaLedgerJournal journal = KafkaLedgerJournal.open(clients, topic, timeout);
        KafkaReachability.watch(context, KafkaLedgerJournal.BROKERS_KEY, clients, timeout, "the lifecycle ledger");
        LifecycleLedger ledger;
        try {
            ledger = new LifecycleLedger(journal, keep);
        } catch (RuntimeException e) {
            journal.close();
            throw new InvalidConfigException(KafkaLedgerJournal.BROKERS_KEY, "names Kafka brokers (" + clients
                    + ") the lifecycle ledger topic '" + topic + "' could not be read from within " + timeout + ": "
                    + e.getMessage());
        }
        context.addService(new org.apache.camel.support.service.ServiceSupport() {
            @Override
            protected void doStop() {
                journal.close();
            }
        });
        return ledger;
    }
}
