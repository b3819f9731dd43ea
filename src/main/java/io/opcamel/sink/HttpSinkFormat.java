package io.opcamel.sink;

import io.opcamel.config.InvalidConfigException;
import java.util.Arrays;

/**
 * What the HTTP sink POSTs ({@code onepassword.sink.http.format}), and as which content type. Each record is the
 * envelope every sink receives ({@link SinkRecord#json()}); the formats differ in how records are framed.
 */
public enum HttpSinkFormat {

    /** One envelope per line (a webhook, Logstash's http input, Vector, Fluent Bit...). */
    NDJSON("ndjson", "application/x-ndjson"),
    /** A JSON array of envelopes. */
    JSON_ARRAY("json-array", "application/json"),
    /** Splunk HTTP Event Collector: one {"time":..,"event":<envelope>} object per line, answered with a code. */
    SPLUNK_HEC("splunk-hec", "application/json"),
    /** Elasticsearch _bulk: a create action with _id = event uuid, then the document; answered item by item. */
    ELASTICSEARCH_BULK("elasticsearch-bulk", "application/x-ndjson");

    private final String key;
    private final String contentType;

    HttpSinkFormat(String key, String contentType) {
        this.key = key;
        this.contentType = contentType;
    }

    /** The name used in configuration. */
    public String key() {
        return key;
    }

    public String contentType() {
        return contentType;
    }

    public static HttpSinkFormat of(String property, String value) {
        for (HttpSinkFormat f : values()) {
            if (f.key.equals(value)) {
                return f;
            }
        }
        throw new InvalidConfigException(property, "names an unknown format '" + value + "': expected one of "
                + Arrays.stream(values()).map(HttpSinkFormat::key).toList());
    }
}
