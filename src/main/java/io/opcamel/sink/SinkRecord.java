package io.opcamel.sink;

import io.opcamel.normalise.EventSchemas;

/**
 * One event as a sink receives it, in that sink's schema (raw, ecs or ocsf: onepassword.sink.&lt;type&gt;.schema).
 *
 * @param uuid       the event's uuid: the Kafka key, the Elasticsearch _id, the dedupe key
 * @param json       the document, one line of JSON (the raw envelope, or the ECS or OCSF document)
 * @param time       the event's own time as the API wrote it, else when the bundle received it; null if neither:
 *                   for the formats that carry a time of their own (Splunk's {@code time}, Elasticsearch's
 *                   {@code @timestamp})
 * @param eventClass the schema's class of the event (OCSF class_uid), for a Kafka topic per class; null if none
 * @param schema     the schema of the document (raw, ecs or ocsf), for frames that say it (Splunk's sourcetype) or
 *                   must not repeat what it has (an ECS document's own {@code @timestamp})
 */
public record SinkRecord(String uuid, String json, String time, String eventClass, String schema) {

    public SinkRecord(String uuid, String json, String time) {
        this(uuid, json, time, null, EventSchemas.RAW);
    }

    public SinkRecord(String uuid, String json) {
        this(uuid, json, null);
    }
}
