package io.opcamel.normalise;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** Elastic Common Schema, compatible with Elastic's 1password integration package (reference normalise/README.md). */
public final class EcsSchema implements EventSchema {

    private final String ecsVersion;
    private final boolean original;

    /**
     * @param ecsVersion the {@code ecs.version} written (8.11.0, as Elastic's pipelines)
     * @param original   whether {@code event.original} carries the item as the API wrote it
     */
    public EcsSchema(String ecsVersion, boolean original) {
        this.ecsVersion = ecsVersion;
        this.original = original;
    }

    @Override
    public Mapped map(JsonNode item, String account, String feature, Instant receivedAt) {
        throw new UnsupportedOperationException("not yet");
    }
}
