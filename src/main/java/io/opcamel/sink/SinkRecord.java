package io.opcamel.sink;

/**
 * One event as a sink receives it, in that sink's schema (raw, ecs or ocsf: onepassword.sink.&lt;type&gt;.schema).
 *
 * @param uuid       the event's uuid: the Kafka key, the Elasticsearch _id, the dedupe key
 * @param json       the document, one line of JSON (the raw envelope, or the ECS or OCSF document)
 * @param time       the event's own time as the API wrote it, else when the bundle received it; null if neither:
 *                   for the formats that carry a time of their own (Splunk's {@code time}, Elasticsearch's
 *                   {@code @timestamp})
 * @param eventClass the schema's class of the event (OCSF class_uid), for a Kafka topic per class; null if none
 * @param stamped    whether the document carries its own {@code @timestamp} (ECS), so a frame must not add one
 */
public record SinkRecord(String uuid, String json, String time, String eventClass, boolean stamped) {

    public SinkRecord(String uuid, String json, String time) {
        this(uuid, json, time, null, false);
    }

    public SinkRecord(String uuid, String json) {
        this(uuid, json, null);
    }
}
