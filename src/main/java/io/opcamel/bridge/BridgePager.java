package io.opcamel.bridge;

import io.opcamel.scim.ScimNodes;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads a whole collection of the bridge ({@code /Users} or {@code /Groups}) page by page:
 * {@code GET <collection>?startIndex=N&count=<page size>}, until a short page, or a page that brings no resource
 * not seen yet (a bridge that ignores startIndex would otherwise be read forever). {@code totalResults} is never
 * read: bridge versions report the page's size there instead of the total. Each resource is handed on once, and
 * only one page is held as a tree at a time. Every call goes through the function given, which is the bridge client
 * (call-scim-bridge: its limiter and retries).
 */
public final class BridgePager {

    /** What an answer that is no page (no answer, not 200, not a ListResponse) becomes: the caller's own error. */
    @FunctionalInterface
    public interface Failure {
        RuntimeException of(String call, BridgeAnswer answer);
    }

    private final Function<BridgeRequest, BridgeAnswer> bridge;
    private final int pageSize;
    private final Failure failure;

    public BridgePager(Function<BridgeRequest, BridgeAnswer> bridge, int pageSize, Failure failure) {
        this.bridge = bridge;
        this.pageSize = pageSize;
        this.failure = failure;
    }

    /** Hands every resource of the collection (each id once) to {@code each}; returns how many pages were read. */
    public int readAll(String collection, Consumer<JsonNode> each) {
        Set<String> seen = new HashSet<>();
        int pages = 0;
        for (long start = 1;; start += pageSize) {
            String query = "startIndex=" + start + "&count=" + pageSize;
            BridgeAnswer a = bridge.apply(BridgeRequest.of("GET", collection, query, null));
            pages++;
            JsonNode page = a.status() == 200 ? read(a) : null;
            JsonNode resources = page == null ? null : ScimNodes.field(page, "Resources");
            if (page == null || !page.isObject() || (resources != null && !resources.isArray())) {
                throw failure.of("GET " + collection + "?" + query, a);
            }
            int size = resources == null ? 0 : resources.size();
            boolean fresh = false;
            for (JsonNode resource : resources == null ? List.<JsonNode>of() : resources) {
                JsonNode id = ScimNodes.field(resource, "id");
                if (id != null && id.isTextual() && seen.add(id.textValue())) {
                    fresh = true;
                    each.accept(resource);
                }
            }
            // a short page is the last; so is one that repeats what came (a bridge that ignores startIndex)
            if (size < pageSize || !fresh) {
                return pages;
            }
        }
    }

    private static JsonNode read(BridgeAnswer a) {
        try {
            return a.body().length == 0 ? null : ScimNodes.MAPPER.readTree(a.body());
        } catch (IOException notJson) {
            return null;
        }
    }
}
