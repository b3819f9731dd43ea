package io.opcamel.sink;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.events.EventPage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Wraps each event of a page in the envelope every sink receives: the account and feature it came from, when the
 * bundle received it, and the API item itself, untouched, under {@code event}.
 *
 * <pre>{"account":"demo","feature":"itemusages","received_at":"2026-11-28T16:00:00.123Z","event":{...}}</pre>
 */
public final class EventEnvelopes {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(SerializationFeature.INDENT_OUTPUT);

    private final Clock clock;

    public EventEnvelopes(Clock clock) {
        this.clock = clock;
    }

    /** One record per event, in page order. */
    public List<SinkRecord> wrap(EventPage page, String account, String feature) {
        String receivedAt = clock.instant().toString();
        List<SinkRecord> records = new ArrayList<>(page.size());
        for (JsonNode item : page.items()) {
            ObjectNode env = JSON.createObjectNode();
            env.put("account", account);
            env.put("feature", feature);
            env.put("received_at", receivedAt);
            env.set("event", item);
            String time = item.path("timestamp").asText("");
            records.add(new SinkRecord(item.path("uuid").asText(), env.toString(), time.isEmpty() ? receivedAt : time));
        }
        return records;
    }
}
