package io.opcamel.normalise.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One 1Password item as the mapper reads it: every field it places is marked used, so that what is left (a new field,
 * a field of the wrong type, a value with no OCSF home) goes to {@code unmapped} under its original path, and nothing
 * is dropped silently (reference section 8). Also collects the item's worst problem.
 */
public final class SourceFields {

    private final ObjectNode item;
    private final JsonNode notAnObject;
    /**
     * The fields used, by the object that holds them ("" for the item's own): callers name fields with constants,
     * whose hashes are cached, so marking and looking up costs no string building per field (the mapper's hot path).
     */
    private final Map<String, Set<String>> used = new HashMap<>();
    private String problem;

    public SourceFields(JsonNode item) {
        if (item instanceof ObjectNode object) {
            this.item = object;
            this.notAnObject = null;
        } else {
            this.item = JsonNodeFactory.instance.objectNode();
            this.notAnObject = item == null ? JsonNodeFactory.instance.nullNode() : item;
        }
    }

    /** The worst problem; for an item that is not a JSON object, always wrong-type (whatever else it lacks follows). */
    public String problem() {
        return notAnObject != null ? Problems.WRONG_TYPE : problem;
    }

    public void problem(String kind) {
        problem = Problems.worse(problem, kind);
    }

    /** The item's own field or the field of one of its objects; null when absent or JSON null. */
    public JsonNode peek(String parent, String field) {
        JsonNode container = parent == null ? item : item.get(parent);
        if (container == null || container.isNull()) {
            return null;
        }
        if (!container.isObject()) {
            problem(Problems.WRONG_TYPE);
            return null;
        }
        JsonNode value = container.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** Text without marking it used; a non-text value is a wrong type (left for unmapped). */
    public String peekText(String parent, String field) {
        JsonNode value = peek(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            problem(Problems.WRONG_TYPE);
            return null;
        }
        return value.textValue();
    }

    /** Text, marked used. */
    public String text(String parent, String field) {
        String text = peekText(parent, field);
        if (text != null) {
            use(parent, field);
        }
        return text;
    }

    /** A whole number, marked used; anything else a wrong type. */
    public Long integer(String parent, String field) {
        JsonNode value = peek(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            problem(Problems.WRONG_TYPE);
            return null;
        }
        use(parent, field);
        return value.longValue();
    }

    /** A number without marking it used; anything else a wrong type. */
    public Double peekNumber(String parent, String field) {
        JsonNode value = peek(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            problem(Problems.WRONG_TYPE);
            return null;
        }
        return value.doubleValue();
    }

    /** Whether the item has this field as an object; a field of another type is a wrong type. */
    public boolean hasObject(String field) {
        JsonNode value = peek(null, field);
        if (value == null) {
            return false;
        }
        if (!value.isObject()) {
            problem(Problems.WRONG_TYPE);
            return false;
        }
        return true;
    }

    public void use(String parent, String field) {
        used.computeIfAbsent(parent == null ? "" : parent, k -> new HashSet<>()).add(field);
    }

    /** What was not used, under its original paths; JSON nulls omitted. Null when nothing is left. */
    public ObjectNode leftovers(JsonNodeFactory json) {
        ObjectNode left = leftovers(item, used.getOrDefault("", Set.of()), true, json);
        if (notAnObject != null && !notAnObject.isNull()) {
            if (left == null) {
                left = json.objectNode();
            }
            left.set("item", notAnObject.deepCopy());
        }
        return left;
    }

    /** The fields of an object not in {@code usedHere}; the item's own objects look up their own used fields. */
    private ObjectNode leftovers(JsonNode object, Set<String> usedHere, boolean top, JsonNodeFactory json) {
        ObjectNode left = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isNull() || usedHere.contains(field.getKey())) {
                continue;
            }
            // fields are marked used at most one object deep: deeper, nothing is used and the rest is kept whole
            JsonNode kept = value.isObject()
                    ? leftovers(value, top ? used.getOrDefault(field.getKey(), Set.of()) : Set.of(), false, json)
                    : value.isContainerNode() ? value.deepCopy() : value;
            if (kept != null) {
                if (left == null) {
                    left = json.objectNode();
                }
                left.set(field.getKey(), kept);
            }
        }
        return left;
    }
}
