package io.opcamel.normalise;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A JSON array of a {@link Doc}: text, objects of that kind, or an item's JSON values. */
public final class DocArray {

    private final List<Object> values = new ArrayList<>(4);

    /** Text, an object or array of this kind, or an item's JSON value. */
    public DocArray add(Object value) {
        if (!(value instanceof String || value instanceof Doc || value instanceof DocArray || value instanceof JsonNode)) {
            throw new IllegalArgumentException("not a JSON value: " + value);
        }
        values.add(value);
        return this;
    }

    /** Adds a new object and returns it. */
    public Doc addObject() {
        Doc d = new Doc();
        values.add(d);
        return d;
    }

    /** Whether the array holds this text already. */
    public boolean containsText(String text) {
        return values.contains(text);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public int size() {
        return values.size();
    }

    void write(JsonGenerator g) throws IOException {
        g.writeStartArray();
        for (Object v : values) {
            Doc.writeValue(v, g);
        }
        g.writeEndArray();
    }
}
