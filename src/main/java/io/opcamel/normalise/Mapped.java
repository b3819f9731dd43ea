package io.opcamel.normalise;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An event as one schema writes it.
 *
 * @param document   the document a sink writes, one JSON object
 * @param eventClass the class it belongs to where the schema has classes (OCSF {@code class_uid}, such as "3002"),
 *                   for sinks that route one class per topic; null for schemas without classes
 * @param problem    null when the item mapped cleanly; else a short, stable kind of what the mapper could not place
 *                   (such as "unknown-audit-action" or "missing-timestamp"): the metric label, logged once per kind
 */
public record Mapped(ObjectNode document, String eventClass, String problem) {
}
