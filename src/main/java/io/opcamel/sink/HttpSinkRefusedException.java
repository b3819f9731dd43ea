package io.opcamel.sink;

/**
 * The HTTP sink answered 2xx but its body says some records were not taken (an Elasticsearch bulk item that
 * failed, a Splunk HEC code other than 0). The page counts as not delivered: the feed keeps its cursor.
 */
public final class HttpSinkRefusedException extends RuntimeException {

    public HttpSinkRefusedException(String message) {
        super(message);
    }
}
