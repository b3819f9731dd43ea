package io.opcamel.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Builds the next page request of a feed from its durable state: the saved cursor when there is one (and the API did
 * not refuse it, {@link RefusedCursors}), otherwise a ResetCursor starting at the configured start time (or now minus
 * the start window). With the v3 beta the same
 * position goes in the query: {@code next_page_token}, or {@code start_time}, with {@code page_size}.
 */
public final class EventsPageRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventsAccounts accounts;
    private final CursorStore cursors;
    private final RefusedCursors refused;
    private final Clock clock;

    public EventsPageRequests(EventsAccounts accounts, CursorStore cursors, RefusedCursors refused, Clock clock) {
        this.accounts = accounts;
        this.cursors = cursors;
        this.refused = refused;
        this.clock = clock;
    }

    /**
     * The request for the feed's next page: from {@code current}, the cursor of the page this poll just delivered
     * and saved, or on a poll's first page from the cursor store (one read per poll, not per page).
     */
    public PageRequest build(String account, String feature, String current) {
        EventsAccount a = accounts.get(account);
        Feature f = Feature.valueOf(feature);
        boolean startAgain = current == null && refused.take(account, feature);
        Optional<String> cursor = current != null ? Optional.of(current)
                : startAgain ? Optional.empty() : cursors.load(account, feature);
        // a refused cursor starts again one start window before it was saved: what it had delivered is dropped by
        // the dedupe store, and what came after it is read, however long the bundle was away
        Instant from = startAgain ? cursors.savedAt(account, feature).map(t -> t.minus(a.startWindow()))
                .map(t -> a.startTime().filter(s -> s.isAfter(t)).orElse(t)).orElseGet(() -> start(a)) : start(a);
        if (a.apiVersion(f).equals("v3")) {
            String position = cursor.map(c -> c.startsWith(EventsPageReader.V3_TIME_POSITION)
                            ? "start_time=" + encode(c.substring(EventsPageReader.V3_TIME_POSITION.length()))
                            : "next_page_token=" + encode(c))
                    .orElseGet(() -> "start_time=" + encode(from.toString()));
            return new PageRequest("GET", a.pageUrl(f) + "?page_size=" + a.limit() + "&" + position, null,
                    cursor.isPresent() ? a.startTime().orElse(null) : from);
        }
        ObjectNode body = JSON.createObjectNode();
        if (cursor.isPresent()) {
            body.put("cursor", cursor.get());
        } else {
            body.put("limit", a.limit());
            body.put("start_time", from.toString());
        }
        return new PageRequest("POST", a.pageUrl(f), body.toString(),
                cursor.isPresent() ? a.startTime().orElse(null) : from);
    }

    private Instant start(EventsAccount a) {
        return a.startTime().orElseGet(() -> clock.instant().minus(a.startWindow()));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
