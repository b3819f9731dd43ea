package io.opcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A feed that answers recorded exchanges instead of generated events, like Elastic's 1Password mock: a request
 * without a cursor gets the first exchange whose request has none; a request with a cursor gets the exchange that
 * expects that cursor. Golden fixtures use it to replay real page sequences.
 */
public final class ScriptedFeed {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One recorded exchange: the cursor the request carries (null for a ResetCursor) and the answer. */
    public record Exchange(String requestCursor, int status, JsonNode body) {
    }

    private final List<Exchange> exchanges;

    public ScriptedFeed(List<Exchange> exchanges) {
        this.exchanges = List.copyOf(exchanges);
    }

    /** Reads the {@code {"exchanges":[{"request":{"body":..},"response":{"status":..,"body":..}}]}} format. */
    public static ScriptedFeed fromFile(Path file) throws IOException {
        return fromJson(JSON.readTree(file.toFile()));
    }

    public static ScriptedFeed fromJson(JsonNode root) {
        List<Exchange> out = new ArrayList<>();
        for (JsonNode ex : root.path("exchanges")) {
            JsonNode cursor = ex.path("request").path("body").path("cursor");
            JsonNode resp = ex.path("response");
            out.add(new Exchange(cursor.isTextual() ? cursor.asText() : null, resp.path("status").asInt(200),
                    resp.path("body")));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("a scripted feed needs at least one exchange");
        }
        return new ScriptedFeed(out);
    }

    /** The exchange answering a request with this cursor (null = ResetCursor), or null when none was recorded. */
    public Exchange answer(String cursor) {
        for (Exchange e : exchanges) {
            if (cursor == null ? e.requestCursor() == null : cursor.equals(e.requestCursor())) {
                return e;
            }
        }
        return null;
    }
}
