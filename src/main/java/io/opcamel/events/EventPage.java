package io.opcamel.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One page of a feed as the API answered it: the events, the cursor after them, and whether more are waiting. */
public record EventPage(String cursor, boolean hasMore, List<JsonNode> items) {

    public int size() {
        return items.size();
    }
}
