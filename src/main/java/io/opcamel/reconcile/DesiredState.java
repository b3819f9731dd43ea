package io.opcamel.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The people a source says should be in 1Password, by email (ignoring case), checked as they are read: each source
 * format hands over one record at a time with where it is (line, record, Kafka offset), and a record that is not a
 * person fails the whole read with that place named. Group names are kept once each, however many people name them.
 */
public final class DesiredState {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s\\p{Cntrl}]+@[^@\\s\\p{Cntrl}.]+(\\.[^@\\s\\p{Cntrl}.]+)+");
    private static final int MAX_NAME = 256;

    private final String source;
    private final Map<String, Person> people = new HashMap<>();
    private final Map<String, String> groupNames = new HashMap<>();

    public DesiredState(String source) {
        this.source = source;
    }

    /** Where the people came from, as the report and the log name it (never with a token). */
    public String source() {
        return source;
    }

    public int size() {
        return people.size();
    }

    public Person get(String key) {
        return people.get(key);
    }

    public Collection<Person> people() {
        return people.values();
    }

    /** A person from one JSON object (a JSON file's element, a Kafka record's value). */
    public void add(JsonNode json, String where) {
        if (json == null || !json.isObject()) {
            throw malformed(where, "expected a person (a JSON object with email, givenName, familyName, groups)");
        }
        List<String> groups = null;
        JsonNode g = json.get("groups");
        if (g != null && !g.isNull()) {
            if (!g.isArray()) {
                throw malformed(where, "'groups' must be an array of group names");
            }
            groups = new ArrayList<>();
            for (JsonNode name : g) {
                if (!name.isTextual()) {
                    throw malformed(where, "'groups' must hold group names (strings), got " + name);
                }
                groups.add(name.textValue());
            }
        }
        add(text(json, "email", where), text(json, "givenName", where), text(json, "familyName", where), groups,
                where);
    }

    /**
     * A person from its fields (a CSV row); {@code groups} null when the source does not say. Blank group names are
     * dropped, and a group named twice (ignoring case) counts once.
     */
    public void add(String email, String givenName, String familyName, List<String> groups, String where) {
        String e = required(email, "email", where);
        if (!EMAIL.matcher(e).matches()) {
            throw malformed(where, "'" + printable(e) + "' is not an email address");
        }
        Person p = new Person(e, name(givenName, "givenName", where), name(familyName, "familyName", where),
                groups == null ? null : groups(groups, where));
        if (people.putIfAbsent(p.key(), p) != null) {
            throw malformed(where, e + " is listed twice (emails are compared ignoring case)");
        }
    }

    /** A person the source no longer wants (a Kafka tombstone). */
    void remove(String key) {
        people.remove(key);
    }

    private List<String> groups(List<String> names, String where) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> out = new ArrayList<>(names.size());
        for (String n : names) {
            String name = n == null ? "" : n.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (name.length() > MAX_NAME) {
                throw malformed(where, "a group name is longer than " + MAX_NAME + " characters");
            }
            if (seen.add(name.toLowerCase(Locale.ROOT))) {
                out.add(groupNames.computeIfAbsent(name, k -> k));
            }
        }
        return List.copyOf(out);
    }

    private String name(String value, String field, String where) {
        String v = required(value, field, where);
        if (v.length() > MAX_NAME || v.chars().anyMatch(Character::isISOControl)) {
            throw malformed(where, "'" + field + "' must be at most " + MAX_NAME + " characters without control "
                    + "characters");
        }
        return v;
    }

    private String required(String value, String field, String where) {
        if (value == null || value.isBlank()) {
            throw malformed(where, "'" + field + "' is missing or blank");
        }
        return value.trim();
    }

    private String text(JsonNode json, String field, String where) {
        JsonNode v = json.get(field);
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw malformed(where, "'" + field + "' must be a string, got " + v.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return v == null || v.isNull() ? null : v.textValue();
    }

    SourceFormatException malformed(String where, String problem) {
        return new SourceFormatException(source, where, problem);
    }

    /** A value as it may appear in a message: control characters as ?, at most 100 characters. */
    static String printable(String s) {
        return io.opcamel.http.Printable.of(s, 100);
    }
}
