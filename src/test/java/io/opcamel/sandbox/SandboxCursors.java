package io.opcamel.sandbox;

import java.nio.charset.StandardCharsets;

/** Reads the sandbox's opaque cursors for tests: where the next page of a feed starts. */
public final class SandboxCursors {

    private SandboxCursors() {
    }

    /** The position (the index in the feed's stream) of the first event after the cursor. */
    public static long next(Sandbox sandbox, String cursor) {
        EventCursor c = EventCursor.decode(cursor,
                Ids.of(sandbox.config().seed, "cursor-key", 0).getBytes(StandardCharsets.US_ASCII));
        if (c == null) {
            throw new IllegalArgumentException("not a cursor of this sandbox: " + cursor);
        }
        return c.next();
    }
}
