package io.opcamel.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.events.Feature;
import io.opcamel.normalise.EventSchemas;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a page's records into the request bodies of the HTTP sink, in page order: at most {@code batch-size}
 * records and, when set, {@code batch-bytes} bytes per body (a single record larger than that goes alone), each
 * framed in the configured format.
 *
 * <ul>
 *   <li>{@code ndjson}: each envelope on a line of its own.</li>
 *   <li>{@code json-array}: {@code [envelope,envelope,...]}.</li>
 *   <li>{@code splunk-hec}: one object per line, {@code {"time":<event timestamp, epoch seconds>,"source":"1password",
 *       "sourcetype":"<see sourcetype>","host":"<account>"[,"index":"<index>"],"event":<envelope>}}.</li>
 *   <li>{@code elasticsearch-bulk}: per record the action line {@code {"create":{"_index":"<index>","_id":"<uuid>"}}}
 *       and the document: the envelope with {@code @timestamp} (the event's timestamp) in front (an ECS document has its
 *       own), which data streams such as the default {@code logs-1password.<feature>-default} require. {@code create} with the event uuid as
 *       {@code _id} makes a re-sent record a 409 rather than a second document.</li>
 * </ul>
 */
public final class HttpSinkBatches {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] NEWLINE = {'\n'};

    private final HttpSinkFormat format;
    private final int maxRecords;
    private final int maxBytes;
    private final String elasticsearchIndex;
    private final String splunkIndex;

    public HttpSinkBatches(HttpSinkSettings settings) {
        this.format = settings.format();
        this.maxRecords = settings.batchSize();
        this.maxBytes = settings.batchBytes();
        this.elasticsearchIndex = settings.elasticsearchIndex();
        this.splunkIndex = settings.splunkIndex().orElse(null);
    }

    /** The request bodies for the page, in order; none for an empty page. */
    public List<byte[]> bodies(List<SinkRecord> records, String account, String feature) {
        List<byte[]> bodies = new ArrayList<>();
        List<byte[]> batch = new ArrayList<>();
        long batchBytes = 0;
        for (SinkRecord r : records) {
            byte[] piece = piece(r, account, feature);
            boolean full = batch.size() == maxRecords
                    || (maxBytes > 0 && !batch.isEmpty() && size(batch.size() + 1, batchBytes + piece.length) > maxBytes);
            if (full) {
                bodies.add(body(batch, batchBytes));
                batch.clear();
                batchBytes = 0;
            }
            batch.add(piece);
            batchBytes += piece.length;
        }
        if (!batch.isEmpty()) {
            bodies.add(body(batch, batchBytes));
        }
        return bodies;
    }

    /** The size of a body of {@code n} pieces holding {@code pieceBytes} in all. */
    private long size(int n, long pieceBytes) {
        return format == HttpSinkFormat.JSON_ARRAY ? pieceBytes + 2 + (n - 1) : pieceBytes;
    }

    private byte[] body(List<byte[]> pieces, long pieceBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) size(pieces.size(), pieceBytes));
        if (format == HttpSinkFormat.JSON_ARRAY) {
            out.write('[');
        }
        for (int i = 0; i < pieces.size(); i++) {
            if (i > 0 && format == HttpSinkFormat.JSON_ARRAY) {
                out.write(',');
            }
            out.writeBytes(pieces.get(i));
        }
        if (format == HttpSinkFormat.JSON_ARRAY) {
            out.write(']');
        }
        return out.toByteArray();
    }

    /** One record as the format frames it (with its line end where the format has one). */
    private byte[] piece(SinkRecord r, String account, String feature) {
        String env = r.json();
        String text = switch (format) {
            case NDJSON -> env + "\n";
            case JSON_ARRAY -> env;
            case SPLUNK_HEC -> splunkEvent(r, account, feature);
            case ELASTICSEARCH_BULK -> bulkCreate(r, account, feature);
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String splunkEvent(SinkRecord r, String account, String feature) {
        StringBuilder sb = new StringBuilder(r.json().length() + 160).append('{');
        String time = epochSeconds(r.time());
        if (time != null) {
            sb.append("\"time\":").append(time).append(',');
        }
        sb.append("\"source\":\"1password\",\"sourcetype\":").append(quote(sourcetype(r.schema(), feature)))
                .append(",\"host\":").append(quote(account));
        if (splunkIndex != null) {
            sb.append(",\"index\":").append(quote(splunkIndex));
        }
        return sb.append(",\"event\":").append(r.json()).append("}\n").toString();
    }

    /**
     * The HEC sourcetype of a record: 1password:&lt;feature&gt; for the raw envelope, with :ecs for ECS, and ocsf:
     * before it for OCSF, the prefix Splunk's OCSF-CIM add-on and Enterprise Security recognise OCSF data by.
     */
    static String sourcetype(String schema, String feature) {
        return switch (schema) {
            case EventSchemas.OCSF -> "ocsf:1password:" + feature;
            case EventSchemas.ECS -> "1password:" + feature + ":ecs";
            default -> "1password:" + feature;
        };
    }

    private String bulkCreate(SinkRecord r, String account, String feature) {
        String index = elasticsearchIndex.replace("{feature}", feature).replace("{account}", account)
                .replace("{dataset}", Feature.valueOf(feature).dataset());
        StringBuilder sb = new StringBuilder(r.json().length() + 160)
                .append("{\"create\":{\"_index\":").append(quote(index));
        if (!r.uuid().isEmpty()) { // an event without a uuid still goes out, with an id Elasticsearch picks
            sb.append(",\"_id\":").append(quote(r.uuid()));
        }
        sb.append("}}\n");
        String env = r.json();
        String timestamp = r.time(); // read when the envelope was made, not parsed again
        if (timestamp != null && !EventSchemas.ECS.equals(r.schema()) && env.startsWith("{")) { // ECS has its own
            sb.append("{\"@timestamp\":").append(quote(timestamp)).append(',').append(env, 1, env.length());
        } else {
            sb.append(env);
        }
        return sb.append('\n').toString();
    }

    /** RFC 3339 as Splunk's time: epoch seconds with at least millisecond decimals, e.g. 1772366400.123. */
    static String epochSeconds(String rfc3339) {
        if (rfc3339 == null) {
            return null;
        }
        Instant t;
        try {
            t = OffsetDateTime.parse(rfc3339).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
        BigDecimal seconds = BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9))
                .stripTrailingZeros();
        return seconds.setScale(Math.max(3, seconds.scale())).toPlainString();
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
