package io.opcamel.normalise;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One output schema of the events feeds (raw, ecs, ocsf): one 1Password item of a feed in, the document a sink writes
 * out. A mapper never throws on odd input: what it cannot place it still delivers, marked, with {@link Mapped#problem()}
 * saying what kind of problem it was (the metric's label, logged once per kind).
 */
public interface EventSchema {

    /**
     * @param item       one element of the API page's {@code items}, as the API wrote it
     * @param account    the account's name in the bundle's config (onepassword.events.accounts)
     * @param feature    signinattempts, itemusages or auditevents
     * @param receivedAt when the bundle read the page (ECS {@code event.created}, the raw envelope's received_at)
     */
    Mapped map(JsonNode item, String account, String feature, Instant receivedAt);
}
