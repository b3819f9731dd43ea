package io.opcamel.reconcile;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.sandbox.SimulatedScimBridge;
import io.opcamel.sandbox.ScimUser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A bridge of {@code users} people in three departments (and one Owner), and a desired-state file that matches it
 * except for drift injected at known places: every {@code every}-th person in a stretch of its own is missing from
 * the bridge, suspended in it, left out of the source (extra), renamed, or moved to another department. What a run
 * must find is {@link #expected()}, as "email kind" strings. The people are written to the file one at a time, and
 * seeded through the sandbox's Java hooks, not HTTP.
 */
public final class InjectedDrift {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] DEPARTMENTS = {"Engineering", "Sales", "Support"};

    final int users;
    final int missing;
    final int suspended;
    final int extra;
    final int renamed;
    final int moved;
    private final Set<String> expected = new TreeSet<>();

    public InjectedDrift(int users, int missing, int suspended, int extra, int renamed, int moved) {
        this.users = users;
        this.missing = missing;
        this.suspended = suspended;
        this.extra = extra;
        this.renamed = renamed;
        this.moved = moved;
    }

    public static String email(int i) {
        return String.format("user%06d@example.com", i);
    }

    static String department(int i) {
        return DEPARTMENTS[i % DEPARTMENTS.length];
    }

    /** Which stretch of people carries which drift: a few people each, spread over the whole account. */
    private boolean in(int i, int stretch, int count) {
        int step = users / 5;
        return i >= stretch * step + 1 && i <= stretch * step + count;
    }

    boolean isSuspended(int i) {
        return in(i, 0, suspended);
    }

    boolean isExtra(int i) {
        return in(i, 1, extra);
    }

    boolean isRenamed(int i) {
        return in(i, 2, renamed);
    }

    boolean isMoved(int i) {
        return in(i, 3, moved);
    }

    /** The bridge: every person, active, in their department; user 1 also in Owners; the suspended ones suspended. */
    public void seed(SimulatedScimBridge bridge) {
        List<List<String>> members = new ArrayList<>();
        for (int d = 0; d < DEPARTMENTS.length; d++) {
            members.add(new ArrayList<>());
        }
        String owner = null;
        for (int i = 1; i <= users; i++) {
            ScimUser u = bridge.addUser(email(i), "Given" + i, "Family" + i);
            members.get(i % DEPARTMENTS.length).add(u.id());
            if (i == 1) {
                owner = u.id();
            }
            if (isSuspended(i)) {
                bridge.suspend(u.id());
            }
        }
        for (int d = 0; d < DEPARTMENTS.length; d++) {
            bridge.addGroup(DEPARTMENTS[d], members.get(d).toArray(String[]::new));
        }
        bridge.addGroup("Owners", owner);
    }

    /** The desired state as a JSON file, with the drift injected; {@code leaveOut} more people dropped at the end. */
    public void writeDesired(Path file, int leaveOut) throws IOException {
        expected.clear();
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file);
                JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (int i = 1; i <= users; i++) {
                if (isExtra(i) || i > users - leaveOut) {
                    expected.add(email(i) + " extra");
                    continue;
                }
                String family = "Family" + i;
                String group = department(i);
                if (isSuspended(i)) {
                    expected.add(email(i) + " suspended");
                }
                if (isRenamed(i)) {
                    family = "Renamed" + i;
                    expected.add(email(i) + " attributes");
                }
                if (isMoved(i)) {
                    group = department(i + 1);
                    expected.add(email(i) + " groups");
                }
                person(g, email(i), "Given" + i, family, group);
            }
            for (int m = 1; m <= missing; m++) {
                String email = String.format("joiner%03d@example.com", m);
                person(g, email, "New", "Joiner" + m, "Engineering");
                expected.add(email + " missing");
            }
            g.writeEndArray();
        }
    }

    private static void person(JsonGenerator g, String email, String given, String family, String group)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("email", email);
        g.writeStringField("givenName", given);
        g.writeStringField("familyName", family);
        g.writeArrayFieldStart("groups");
        g.writeString(group);
        g.writeEndArray();
        g.writeEndObject();
    }

    /** What a run must find: "email kind", one per person and kind. */
    public Set<String> expected() {
        return Set.copyOf(expected);
    }

    /** What a report found, in the same form. */
    public static Set<String> found(com.fasterxml.jackson.databind.JsonNode report) {
        Set<String> out = new TreeSet<>();
        for (var e : report.path("entries")) {
            for (var k : e.path("kinds")) {
                out.add(e.path("email").asText() + " " + k.asText());
            }
        }
        return out;
    }
}
