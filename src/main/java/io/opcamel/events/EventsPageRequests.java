package io.opcamel.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Builds the body of the next page request of a feed from its durable state: the saved cursor when there is one,
 * otherwise a ResetCursor starting at the configured start time (or now minus the start window).
 */
public final class EventsPageRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventsAccounts accounts;
    private final CursorStore cursors;
    private final Clock clock;

    public EventsPageRequests(EventsAccounts accounts, CursorStore cursors, Clock clock) {
        this.accounts = accounts;
        this.cursors = cursors;
        this.clock = clock;
    }

    public String build(String account, String feature) {
        ObjectNode body = JSON.createObjectNode();
        Optional<String> cursor = cursors.load(account, feature);
        if (cursor.isPresent()) {
            body.put("cursor", cursor.get());
        } else {
            EventsAccount a = accounts.get(account);
            Instant start = a.startTime().orElseGet(() -> clock.instant().minus(a.startWindow()));
            body.put("limit", a.limit());
            body.put("start_time", start.toString());
        }
        return body.toString();
    }
}
