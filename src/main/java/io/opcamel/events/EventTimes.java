package io.opcamel.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The time of events as the API writes it (RFC 3339 {@code timestamp}, any precision). */
public final class EventTimes {

    private EventTimes() {
    }

    /** The newest {@code timestamp} among the page's events, if any event has a readable one. */
    public static Optional<Instant> newest(EventPage page) {
        Instant newest = null;
        for (JsonNode item : page.items()) {
            JsonNode t = item.get("timestamp");
            if (t == null || !t.isTextual()) {
                continue;
            }
            try {
                Instant i = OffsetDateTime.parse(t.asText()).toInstant();
                if (newest == null || i.isAfter(newest)) {
                    newest = i;
                }
            } catch (DateTimeParseException e) {
                // an unreadable time is the sink's business, not a reason to fail delivery; it just does not count
            }
        }
        return Optional.ofNullable(newest);
    }
}
