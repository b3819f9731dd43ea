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
        JsonNode cursor = root.get("cursor");
        if (cursor == null || !cursor.isTextual() || cursor.asText().isEmpty()) {
            throw new MalformedPageException(account, feature, "no cursor");
        }
        JsonNode hasMore = root.get("has_more");
        if (hasMore == null || !hasMore.isBoolean()) {
            throw new MalformedPageException(account, feature, "no boolean has_more");
        }
        JsonNode items = root.get("items");
        List<JsonNode> events = new ArrayList<>();
        if (items != null && !items.isNull()) {
            if (!items.isArray()) {
                throw new MalformedPageException(account, feature, "items is not an array");
            }
            for (JsonNode item : items) {
                if (!item.isObject()) {
                    throw new MalformedPageException(account, feature, "an item is not an object");
                }
                events.add(item);
            }
        }
        return new EventPage(cursor.asText(), hasMore.asBoolean(), events);
    }
}
