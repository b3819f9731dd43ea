package io.opcamel.lifecycle;

/**
 * The ledger could not be read before a command was checked (its Kafka brokers away): the command is not carried
 * out, since a replay or a newer command of the same person could not be told apart. Answered 503 and parked;
 * sending it again once the ledger is back runs it.
 */
public final class LedgerUnavailable extends RuntimeException {

    public LedgerUnavailable(String where, RuntimeException cause) {
        super("the lifecycle ledger (" + where + ") could not be read, so the command was not carried out; send it "
                + "again: " + cause.getClass().getSimpleName(), cause);
    }
}
