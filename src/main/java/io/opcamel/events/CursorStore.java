package io.opcamel.events;

import java.time.Instant;
import java.util.Optional;

/**
 * Where each feed's cursor lives between polls. A cursor is saved only after every event of its page was
 * acknowledged by the sink, so what the store holds is always a position whose events are all delivered.
 */
public interface CursorStore {

    /** The saved cursor of the account's feature, or empty before its first page was delivered. */
    Optional<String> load(String account, String feature);

    /**
     * When the saved cursor was saved, or empty before the first save: a feed whose saved cursor the API refuses
     * starts again from a little before it ({@link RefusedCursors}), not from the account's start.
     */
    Optional<Instant> savedAt(String account, String feature);

    /** Durably replaces the saved cursor: when this returns, a crash cannot lose it. */
    void save(String account, String feature, String cursor);
}
