package io.opcamel.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One page of a feed as the API answered it: the events, the cursor after them (null when the API gave none, as
 * the v3 beta may on its last page: the saved cursor then stays), whether more are waiting, and how many of the
 * API's events were dropped from it as already delivered.
 */
public record EventPage(String cursor, boolean hasMore, List<JsonNode> items, int duplicatesDropped) {

    public EventPage(String cursor, boolean hasMore, List<JsonNode> items) {
        this(cursor, hasMore, items, 0);
    }

    public int size() {
        return items.size();
    }

    // A page is one answer, not a value: identity equality keeps Camel's expression caches (which hash the body)
    // from walking a thousand events every time a step reads ${body.hasMore}.
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
