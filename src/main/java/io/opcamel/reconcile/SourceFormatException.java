package io.opcamel.reconcile;

/**
 * The desired state could not be read as written: which source, where in it (line, record, Kafka offset) and what
 * is wrong. The run fails with this message and applies nothing.
 */
public class SourceFormatException extends RuntimeException {

    public SourceFormatException(String source, String where, String problem) {
        super("the desired state in " + source + " is malformed: " + where + ": " + problem);
    }
}
