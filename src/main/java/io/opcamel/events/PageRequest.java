package io.opcamel.events;

/**
 * One request for a page of a feed: a POST with a JSON body (v1, v2), or a GET whose query carries the position
 * (the v3 beta, where {@code body} is null).
 */
public record PageRequest(String method, String url, String body) {
}
