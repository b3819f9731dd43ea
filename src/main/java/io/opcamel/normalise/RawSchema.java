package io.opcamel.normalise;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The bundle's own record, the default: the account and feature the event came from, when the bundle received it,
 * and the API item itself, untouched, under {@code event}.
 *
 * <pre>{"account":"demo","feature":"itemusages","received_at":"2026-11-28T16:00:00.123Z","event":{...}}</pre>
 */
public final class RawSchema implements EventSchema {

    @Override
    public Mapped map(JsonNode item, String account, String feature, Instant receivedAt) {
        Doc env = new Doc();
        env.put("account", account);
        env.put("feature", feature);
        env.put("received_at", receivedAt.toString());
        env.set("event", item);
        return new Mapped(env.toString(), null, null);
    }
}
