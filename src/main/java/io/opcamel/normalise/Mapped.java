package io.opcamel.normalise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An event as one schema writes it.
 *
 * @param json       the document a sink writes, one JSON object as compact text
 * @param eventClass the class it belongs to where the schema has classes (OCSF {@code class_uid}, such as "3002"),
 *                   for sinks that route one class per topic; null for schemas without classes
 * @param problem    null when the item mapped cleanly; else a short, stable kind of what the mapper could not place
 *                   (such as "unknown-audit-action" or "missing-timestamp"): the metric label, logged once per kind
 */
public record Mapped(String json, String eventClass, String problem) {

    /** A name written twice would pass unseen through a lenient parser (the last one wins): not here. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** The document read back from its text: for tests and tools (the sinks write the text). */
    public ObjectNode document() {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a schema wrote JSON it cannot read back: " + json, e);
        }
    }
}
