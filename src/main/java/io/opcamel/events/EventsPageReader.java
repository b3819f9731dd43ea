package io.opcamel.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an Events API answer into an {@link EventPage}, refusing anything that is not a whole page: a cut body, a
 * missing cursor, items that are not objects. Numbers are kept as written (BigDecimal), so an event reaches the
 * sink with the same values the API sent.
 */
public final class EventsPageReader {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final EventsAccounts accounts;

    public EventsPageReader(EventsAccounts accounts) {
        this.accounts = accounts;
    }

    public EventPage read(byte[] body, String account, String feature) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedPageException(account, feature, "not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new MalformedPageException(account, feature, "unreadable body");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedPageException(account, feature, "not a JSON object");
        }
        boolean v3 = accounts.get(account).apiVersion(Feature.valueOf(feature)).equals("v3");
        return v3 ? readV3(root, account, feature) : readV2(root, account, feature);
    }

    /** v1 and v2: {"cursor": ..., "has_more": ..., "items": [...]}. */
    private static EventPage readV2(JsonNode root, String account, String feature) {
        JsonNode cursor = root.get("cursor");
        if (cursor == null || !cursor.isTextual() || cursor.asText().isEmpty()) {
            throw new MalformedPageException(account, feature, "no cursor");
        }
        return new EventPage(cursor.asText(), hasMore(root, account, feature),
                events(root.get("items"), "items", account, feature));
    }

    /** A saved v3 position that is a time, not a token: {@code start_time=<newest delivered event's time>}. */
    public static final String V3_TIME_POSITION = "start_time=";

    /**
     * The v3 beta: {"audit_events": [...], "meta": {"next_page_token": ..., "has_more": ...}}. A last page without
     * a token gives the time of its newest event as the position (re-reading from there costs a few duplicates, which
     * the dedupe drops; keeping no position would restart from the start window and could skip events); an empty
     * one leaves the saved position where it is.
     */
    private static EventPage readV3(JsonNode root, String account, String feature) {
        JsonNode meta = root.get("meta");
        if (meta == null || !meta.isObject()) {
            throw new MalformedPageException(account, feature, "no meta object");
        }
        JsonNode token = meta.get("next_page_token");
        boolean hasMore = hasMore(meta, account, feature);
        String next = token != null && token.isTextual() && !token.asText().isEmpty() ? token.asText() : null;
        if (next == null && hasMore) {
            throw new MalformedPageException(account, feature, "has_more without a next_page_token");
        }
        List<JsonNode> events = events(root.get("audit_events"), "audit_events", account, feature);
        EventPage page = new EventPage(next, hasMore, events);
        if (next == null && !events.isEmpty()) {
            next = EventTimes.newest(page).map(t -> V3_TIME_POSITION + t).orElse(null);
            page = new EventPage(next, false, events);
        }
        return page;
    }

    private static boolean hasMore(JsonNode node, String account, String feature) {
        JsonNode hasMore = node.get("has_more");
        if (hasMore == null || !hasMore.isBoolean()) {
            throw new MalformedPageException(account, feature, "no boolean has_more");
        }
        return hasMore.asBoolean();
    }

    private static List<JsonNode> events(JsonNode items, String field, String account, String feature) {
        List<JsonNode> events = new ArrayList<>();
        if (items != null && !items.isNull()) {
            if (!items.isArray()) {
                throw new MalformedPageException(account, feature, field + " is not an array");
            }
            for (JsonNode item : items) {
                if (!item.isObject()) {
                    throw new MalformedPageException(account, feature, "an item is not an object");
                }
                events.add(item);
            }
        }
        return events;
    }
}
