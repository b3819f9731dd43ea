package io.opcamel.sink;

/**
 * One event as every sink receives it: its uuid (the Kafka key, the dedupe key), its envelope as one JSON line, and
 * its time (the event's own timestamp as the API wrote it, else when the bundle received it; null if neither), for
 * the sinks whose formats carry a time of their own (Splunk's {@code time}, Elasticsearch's {@code @timestamp}).
 */
public record SinkRecord(String uuid, String json, String time) {

    public SinkRecord(String uuid, String json) {
        this(uuid, json, null);
    }
}
