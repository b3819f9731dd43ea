package io.opcamel.lifecycle;

import io.opcamel.config.KafkaClients;
import io.opcamel.config.KafkaStateTopic;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The ledger in a compacted Kafka topic ({@code onepassword.lifecycle.ledger.kafka.topic}) that the instances behind
 * one load balancer share: an entry is acknowledged by the brokers before the caller is answered, and each command
 * reads what the other instances wrote before it is checked, so a requestId sent again to another instance is
 * answered with its first result and a late command is set aside there too. Compaction keeps one entry per requestId.
 */
final class KafkaLedgerJournal implements LedgerJournal {

    static final String BROKERS_KEY = "onepassword.lifecycle.ledger.kafka.brokers";

    private final KafkaStateTopic log;

    KafkaLedgerJournal(KafkaStateTopic log) {
        this.log = log;
    }

    static KafkaLedgerJournal open(KafkaClients clients, String topic, Duration timeout) {
        return new KafkaLedgerJournal(KafkaStateTopic.open(clients, topic, timeout, "lifecycle ledger", BROKERS_KEY));
    }

    @Override
    public void append(String requestId, String entry) throws IOException {
        log.send(requestId, entry);
    }

    @Override
    public void readNew(Consumer<String> learn) {
        log.readNew(r -> {
            if (r.value() != null) {
                learn.accept(r.value());
            }
        });
    }

    @Override
    public void close() {
        log.close();
    }

    @Override
    public String toString() {
        return log.toString();
    }
}
