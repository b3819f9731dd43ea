package io.opcamel.sink;

/** One event as every sink receives it: its uuid (the Kafka key, the dedupe key) and its envelope as one JSON line. */
public record SinkRecord(String uuid, String json) {
}
