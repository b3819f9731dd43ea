package io.opcamel.normalise;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** The Open Cybersecurity Schema Framework (reference normalise/README.md, sections 4 to 8). */
public final class OcsfSchema implements EventSchema {

    private final String ocsfVersion;
    private final boolean rawData;

    /**
     * @param ocsfVersion the {@code metadata.version} written (1.8.0, the latest release)
     * @param rawData     whether {@code raw_data} carries the item as the API wrote it
     */
    public OcsfSchema(String ocsfVersion, boolean rawData) {
        this.ocsfVersion = ocsfVersion;
        this.rawData = rawData;
    }

    @Override
    public Mapped map(JsonNode item, String account, String feature, Instant receivedAt) {
        throw new UnsupportedOperationException("not yet");
    }
}
