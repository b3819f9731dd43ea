package io.opcamel.lifecycle;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Where the lifecycle ledger's entries are kept ({@code onepassword.lifecycle.ledger.store}): a file of this instance
 * ({@link FileLedgerJournal}) or a compacted Kafka topic the instances behind one load balancer share
 * ({@link KafkaLedgerJournal}). An entry is the JSON of one finished command, keyed by its requestId.
 */
interface LedgerJournal extends AutoCloseable {

    /** Writes one entry; durable (forced to disk, or acknowledged by the brokers) when it returns. */
    void append(String requestId, String entry) throws IOException;

    /**
     * Hands {@code learn} each entry this instance has not read yet, in the order they were written: every entry
     * at the first call, then what other instances wrote since (nothing, for a file only this instance writes).
     * An entry that cannot be read (a line torn by a crash) is skipped: its command was not answered.
     */
    void readNew(Consumer<String> learn);

    @Override
    default void close() {
    }
}
