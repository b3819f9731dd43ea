package io.opcamel.normalise.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.normalise.Doc;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * One 1Password item as the mapper reads it: every field it places is marked used, so that what is left (a new field,
 * a field of the wrong type, a value with no OCSF home) goes to {@code unmapped} under its original path, and nothing
 * is dropped silently (reference section 8). Also collects the item's worst problem.
 */
public final class SourceFields {

    private final ObjectNode item;
    private final JsonNode notAnObject;
    /**
     * The fields used, as pairs of the object that holds them ("" for the item's own) and the field's name, with the
     * pair's hash, in arrays scanned in order: an item has a few dozen fields, named by constants and the parser's
     * interned names, whose hashes are cached, so a scan of ints costs less than a hash set (the mapper's hot path).
     */
    private String[] usedIn = new String[32];
    private String[] usedField = new String[32];
    private int[] usedHash = new int[32];
    private int usedCount;
    private String problem;
    private String lastParent;
    private JsonNode lastContainer;

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
        JsonNode container = parent == null ? item : container(parent);
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

    /** The item's own field named parent: the mappers read an object's fields one after another, so the last is kept. */
    private JsonNode container(String parent) {
        if (parent != lastParent) {
            lastParent = parent;
            lastContainer = item.get(parent);
        }
        return lastContainer;
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
        if (usedCount == usedIn.length) {
            usedIn = Arrays.copyOf(usedIn, usedCount * 2);
            usedField = Arrays.copyOf(usedField, usedCount * 2);
            usedHash = Arrays.copyOf(usedHash, usedCount * 2);
        }
        String in = parent == null ? "" : parent;
        usedIn[usedCount] = in;
        usedField[usedCount] = field;
        usedHash[usedCount] = in.hashCode() * 31 + field.hashCode();
        usedCount++;
    }

    private boolean used(String in, String field) {
        int hash = in.hashCode() * 31 + field.hashCode();
        for (int i = 0; i < usedCount; i++) {
            if (usedHash[i] == hash && usedIn[i].equals(in) && usedField[i].equals(field)) {
                return true;
            }
        }
        return false;
    }

    /** What was not used, under its original paths; JSON nulls omitted. Null when nothing is left. */
    public Doc leftovers() {
        Doc left = leftovers(item, "");
        if (notAnObject != null && !notAnObject.isNull()) {
            if (left == null) {
                left = new Doc();
            }
            left.set("item", notAnObject);
        }
        return left;
    }

    /**
     * The fields of an object not used in it; {@code in} is "" for the item, the field's name for the item's own
     * objects, and null deeper: fields are marked used at most one object deep, so deeper the rest is kept whole.
     */
    private Doc leftovers(JsonNode object, String in) {
        Doc left = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isNull() || in != null && used(in, field.getKey())) {
                continue;
            }
            Object kept = value.isObject() ? leftovers(value, "".equals(in) ? field.getKey() : null) : value;
            if (kept != null) {
                if (left == null) {
                    left = new Doc();
                }
                left.set(field.getKey(), kept);
            }
        }
        return left;
    }
}
