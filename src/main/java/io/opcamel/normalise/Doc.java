package io.opcamel.normalise;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.Map;

/**
 * One JSON object of a document a mapper writes: its fields in the order put, written once as JSON text. Not Jackson's
 * ObjectNode, which costs a hash map entry per field and a second walk through a serializer: the mappers write a
 * dozen objects per event, and this is their hot path (issue 17's speed target). Values are text, whole numbers,
 * booleans, nested objects and arrays of this kind, or the API item's own JSON values, written as they are.
 *
 * <p>Putting a field that is already there replaces its value in place, as ObjectNode does.
 */
public final class Doc {

    private static final JsonFactory JSON = new JsonFactory();
    /**
     * Field names pre-quoted once, by their hash: most are the mappers' constants, the rest the API's own names, all
     * with their hash cached. A slot holds one name; another name of the same slot is quoted anew (never wrong, only
     * slower), and a race between two threads at most quotes a name twice.
     */
    private static final SerializedString[] NAMES = new SerializedString[4_096];

    /** The name entries of {@link #written} go by: no JSON name, as it starts with a NUL. */
    private static final String WRITTEN = "\u0000written";

    private String[] names = new String[8];
    private int[] hashes = new int[8];
    private Object[] values = new Object[8];
    private int size;

    public Doc put(String name, String value) {
        return field(name, value);
    }

    public Doc put(String name, long value) {
        return field(name, value);
    }

    public Doc put(String name, boolean value) {
        return field(name, value);
    }

    /** An object or array of this kind, or an item's JSON value (written as it is, nulls included). */
    public Doc set(String name, Object value) {
        if (value != null && !(value instanceof Doc || value instanceof DocArray || value instanceof JsonNode)) {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
        return field(name, value);
    }

    /**
     * Fields already written as JSON text, such as {@code "a":1,"b":"x"}, for a part many documents share word for
     * word (OCSF's classification): written as they are, with no escaping or number formatting again. Not the first
     * entry (the generator places commas by the fields it wrote itself), and their names are not seen by
     * {@link #get}: a name in them must not be put again.
     */
    public Doc written(Written fields) {
        if (size == 0) {
            throw new IllegalStateException("written fields cannot open an object: put a field first");
        }
        return append(WRITTEN, fields);
    }

    /** Fields as JSON text, made once by {@link #writtenFields(Doc)}. */
    public record Written(String text) {
    }

    /** The fields of a document as JSON text, without its braces: for {@link #written(Written)}. */
    public static Written writtenFields(Doc fields) {
        String text = fields.toString();
        return new Written(text.substring(1, text.length() - 1));
    }

    /** Sets a new object and returns it. */
    public Doc putObject(String name) {
        Doc child = new Doc();
        field(name, child);
        return child;
    }

    /** Sets a new array and returns it. */
    public DocArray putArray(String name) {
        DocArray child = new DocArray();
        field(name, child);
        return child;
    }

    /** Every field of another object, after these (replacing those of the same name). */
    public Doc setAll(Doc other) {
        for (int i = 0; i < other.size; i++) {
            field(other.names[i], other.values[i]);
        }
        return this;
    }

    /** The value of a field: a String, Long, Boolean, Doc, DocArray or JsonNode; null when not there. */
    public Object get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : values[i];
    }

    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    /** The object of a field; null when not there or not an object of this kind. */
    public Doc doc(String name) {
        return get(name) instanceof Doc d ? d : null;
    }

    /** A field as text (numbers and booleans as written), null when not there or not a plain value. */
    public String text(String name) {
        Object v = get(name);
        if (v instanceof String || v instanceof Long || v instanceof Boolean) {
            return v.toString();
        }
        return v instanceof JsonNode n && n.isValueNode() && !n.isNull() ? n.asText() : null;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    private Doc field(String name, Object value) {
        int i = indexOf(name);
        if (i >= 0) {
            values[i] = value;
            return this;
        }
        return append(name, value);
    }

    private Doc append(String name, Object value) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        hashes[size] = name.hashCode();
        values[size] = value;
        size++;
        return this;
    }

    private int indexOf(String name) {
        int hash = name.hashCode();
        for (int i = 0; i < size; i++) {
            if (hashes[i] == hash && names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The object as compact JSON text, fields in the order put. */
    @Override
    public String toString() {
        Text text = TEXT.get();
        try {
            return text.of(this);
        } catch (IOException | RuntimeException e) {
            TEXT.remove(); // its generator may be left inside an object
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** Each thread's one generator, over a buffer it empties for each document: a generator per document cost more. */
    private static final ThreadLocal<Text> TEXT = ThreadLocal.withInitial(Text::new);

    private static final class Text {

        private final CharsWriter out = new CharsWriter();
        private final JsonGenerator g;

        Text() {
            try {
                g = JSON.createGenerator(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            g.setRootValueSeparator(null); // documents one after another, with nothing between them
        }

        String of(Doc doc) throws IOException {
            out.length = 0;
            doc.write(g);
            g.flush();
            String json = new String(out.chars, 0, out.length);
            if (out.chars.length > 1 << 20) {
                out.chars = new char[2_048]; // one huge document must not keep its buffer for the thread's life
            }
            return json;
        }
    }

    /** A char buffer: a StringBuilder checks each appended char for its compact form, a copy into this does not. */
    private static final class CharsWriter extends Writer {

        char[] chars = new char[2_048];
        int length;

        @Override
        public void write(char[] from, int offset, int count) {
            if (length + count > chars.length) {
                chars = Arrays.copyOf(chars, Math.max(chars.length * 2, length + count));
            }
            System.arraycopy(from, offset, chars, length, count);
            length += count;
        }

        @Override
        public void write(String str, int offset, int count) {
            if (length + count > chars.length) {
                chars = Arrays.copyOf(chars, Math.max(chars.length * 2, length + count));
            }
            str.getChars(offset, offset + count, chars, length);
            length += count;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (int i = 0; i < size; i++) {
            if (values[i] instanceof Written w) {
                g.writeRaw(',');
                g.writeRaw(w.text());
            } else {
                g.writeFieldName(name(names[i]));
                writeValue(values[i], g);
            }
        }
        g.writeEndObject();
    }

    private static SerializableString name(String name) {
        int slot = name.hashCode() & (NAMES.length - 1);
        SerializedString quoted = NAMES[slot];
        if (quoted == null || !quoted.getValue().equals(name)) {
            quoted = new SerializedString(name);
            NAMES[slot] = quoted;
        }
        return quoted;
    }

    static void writeValue(Object v, JsonGenerator g) throws IOException {
        if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Doc d) {
            d.write(g);
        } else if (v instanceof DocArray a) {
            a.write(g);
        } else if (v == null) {
            g.writeNull();
        } else {
            writeNode((JsonNode) v, g);
        }
    }

    /** An item's own value as the API wrote it (Jackson's node serializers want a provider this path has none of). */
    private static void writeNode(JsonNode node, JsonGenerator g) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> f : node.properties()) {
                    g.writeFieldName(name(f.getKey()));
                    writeNode(f.getValue(), g);
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode e : node) {
                    writeNode(e, g);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case NULL, MISSING -> g.writeNull();
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> g.writeNumber(node.intValue());
                    case LONG -> g.writeNumber(node.longValue());
                    case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
                    case FLOAT -> g.writeNumber(node.floatValue());
                    case DOUBLE -> g.writeNumber(node.doubleValue());
                    case BIG_DECIMAL -> g.writeNumber(node.decimalValue());
                }
            }
            case BINARY -> g.writeBinary(node.binaryValue());
            case POJO -> g.writeString(node.asText());
        }
    }
}
