package io.opcamel.sink;

import io.opcamel.events.EventPage;
import java.time.Clock;
import java.util.List;

/**
 * What the events-feed template hands its {@code to} endpoint (its {@code format} parameter): {@code page}, the
 * page itself, as the bundle's own sinks take it (direct:deliver-events-page); {@code json-array} or {@code ndjson},
 * the page's events as text an endpoint of your own (http:, kafka:, file:...) takes as it is, each in the template's
 * {@code schema} (raw: the envelope the bundle's sinks write by default; ecs; ocsf).
 */
public final class EventPageFormats {

    public static final String PAGE = "page";
    public static final List<String> FORMATS = List.of(PAGE, "json-array", "ndjson");

    private final EventRecords records;
    private final Clock clock;

    public EventPageFormats(EventRecords records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    /**
     * The page's events as text in a schema (raw, ecs or ocsf: the template's {@code schema} parameter): a JSON array
     * of documents, or one document per line (each line ends in \n).
     */
    public String text(EventPage page, String account, String feature, String format, String schema) {
        List<SinkRecord> records = this.records.records(page, account, feature, schema, clock.instant());
        StringBuilder out = new StringBuilder(records.size() * 512 + 2);
        switch (check(format)) {
            case "json-array" -> {
                out.append('[');
                for (int i = 0; i < records.size(); i++) {
                    out.append(i == 0 ? "" : ",").append(records.get(i).json());
                }
                out.append(']');
            }
            case "ndjson" -> records.forEach(r -> out.append(r.json()).append('\n'));
            default -> throw new IllegalArgumentException("events-feed format " + format + " is not text");
        }
        return out.toString();
    }

    /** The Content-Type of a text format. */
    public String contentType(String format) {
        return switch (check(format)) {
            case "json-array" -> "application/json";
            case "ndjson" -> "application/x-ndjson";
            default -> null;
        };
    }

    private static String check(String format) {
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("events-feed parameter format is '" + format + "': expected one of "
                    + FORMATS);
        }
        return format;
    }
}
