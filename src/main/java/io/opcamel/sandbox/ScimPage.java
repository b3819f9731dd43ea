package io.opcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * RFC 7644 §3.4.2.4 index paging: 1-based {@code startIndex} (below 1 means 1) and {@code count} (default 100,
 * capped at the ServiceProviderConfig's filter.maxResults, negative means 0; 0 asks for totalResults only).
 */
record ScimPage(int startIndex, int count) {

    static final int DEFAULT_COUNT = 100;
    static final int MAX_RESULTS = 10_000;

    static ScimPage of(Map<String, String> query) {
        int start = Math.max(1, intParam(query, "startIndex", 1));
        int count = Math.min(MAX_RESULTS, Math.max(0, intParam(query, "count", DEFAULT_COUNT)));
        return new ScimPage(start, count);
    }

    /**
     * The ListResponse for this page of {@code matches}. With {@code pageSizedTotal} (the v2.9.0 bug behind the
     * wrongTotalResults fault) totalResults reports the page's size instead of the number of matches, which makes
     * a paging client stop after the first page.
     */
    <T> ObjectNode render(List<T> matches, Function<T, JsonNode> toJson, boolean pageSizedTotal) {
        int from = Math.min(matches.size(), startIndex - 1);
        int to = (int) Math.min(matches.size(), (long) from + count);
        List<JsonNode> resources = matches.subList(from, to).stream().map(toJson).toList();
        long total = pageSizedTotal ? resources.size() : matches.size();
        return ScimJson.listResponse(total, startIndex, resources, count > 0);
    }

    private static int intParam(Map<String, String> query, String name, int def) {
        String v = query.get(name);
        if (v == null || v.isEmpty()) {
            return def;
        }
        try {
            long n = Long.parseLong(v.trim()); // a huge index is still an integer: clamp rather than reject
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n));
        } catch (NumberFormatException e) {
            throw ScimException.invalidValue("query parameter '" + name + "' must be an integer, got '" + v + "'");
        }
    }
}
