package io.opcamel.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** The time of events as the API writes it (RFC 3339 {@code timestamp}, any precision). */
public final class EventTimes {

    private EventTimes() {
    }

    /**
     * The time of the page's newest event: the last one with a readable {@code timestamp}, since a feed's pages
     * come in time order (reading one timestamp, not a thousand, keeps this off the per-page cost).
     */
    public static Optional<Instant> newest(EventPage page) {
        List<JsonNode> items = page.items();
        for (int i = items.size() - 1; i >= 0; i--) {
            Optional<Instant> t = time(items.get(i));
            if (t.isPresent()) {
                return t;
            }
        }
        return Optional.empty();
    }

    /** The time of the page's oldest event: the first one with a readable {@code timestamp}. */
    public static Optional<Instant> oldest(EventPage page) {
        for (JsonNode item : page.items()) {
            Optional<Instant> t = time(item);
            if (t.isPresent()) {
                return t;
            }
        }
        return Optional.empty();
    }

    private static Optional<Instant> time(JsonNode item) {
        JsonNode t = item.get("timestamp");
        if (t == null || !t.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(t.asText()).toInstant());
        } catch (DateTimeParseException e) {
            // an unreadable time is the sink's business, not a reason to fail delivery; it just does not count
            return Optional.empty();
        }
    }
}
