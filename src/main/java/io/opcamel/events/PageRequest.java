package io.opcamel.events;

import java.time.Instant;
import org.apache.camel.component.http.HttpMethods;

/**
 * One request for a page of a feed: a POST with a JSON body (v1, v2), or a GET whose query carries the position
 * (the v3 beta, where {@code body} is null). {@code startTime} is where the feed's events are read from: a
 * ResetCursor's start_time, or going on from a cursor, the account's configured start-time; null without one.
 */
public record PageRequest(String method, String url, String body, Instant startTime) {

    public PageRequest(String method, String url, String body) {
        this(method, url, body, null);
    }

    /**
     * The method as camel-http's own type: given a String, camel-http looks up a String-to-enum converter (and
     * misses) on every call, a cost GatewayOverheadBench's profile showed on the bridge client.
     */
    public HttpMethods getHttpMethod() {
        return HttpMethods.valueOf(method);
    }
}
