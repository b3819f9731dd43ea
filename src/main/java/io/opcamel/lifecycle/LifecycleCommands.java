package io.opcamel.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a lifecycle command (the JSON of docs/lifecycle.md) into a {@link LifecycleRun}. A command that cannot be
 * carried out as written (not JSON, a missing or unknown field, a wrong type, an email that is not one) is a run
 * rejected from the start, naming the field: it is answered and parked like any other rejection.
 */
public final class LifecycleCommands {

    static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    static final Set<String> FIELDS = Set.of("requestId", "type", "email", "newEmail", "givenName", "familyName",
            "groups", "occurredAt", "source");
    static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");
    // one @, something on each side, no spaces or controls: 1Password checks the address itself
    private static final Pattern EMAIL = Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}.]+(\\.[^@\\s\\p{Cntrl}.]+)+");
    private static final int MAX_NAME = 256;
    private static final int MAX_GROUPS = 1000;

    private final int maxBytes;

    public LifecycleCommands(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * The run of one command as it arrived ({@code channel}: rest, kafka; null: the command's own {@code source},
     * else "direct"), rejected already if it is invalid.
     */
    public LifecycleRun begin(byte[] body, String channel) {
        LifecycleRun run = new LifecycleRun(channel == null ? "direct" : channel);
        // kept for the dead-letter record; a body over the limit is not kept (it is named by its size)
        run.rawCommand = body == null || body.length > maxBytes ? null : new String(body, StandardCharsets.UTF_8);
        try {
            run.command = read(body, channel);
            if (channel == null && run.command.source() != null) {
                run.channel = run.command.source();
            }
        } catch (LifecycleRejected invalid) {
            run.reject(invalid);
            run.requestIdHint = requestIdOf(body);
        }
        return run;
    }

    /** The requestId of a command that is otherwise invalid, if it has a readable one: the caller's reference. */
    private String requestIdOf(byte[] body) {
        try {
            JsonNode json = body == null || body.length > maxBytes ? null : JSON.readTree(body);
            JsonNode id = json == null ? null : json.get("requestId");
            return id != null && id.isTextual() && REQUEST_ID.matcher(id.textValue()).matches() ? id.textValue() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    LifecycleCommand read(byte[] body, String channel) {
        if (body == null || body.length == 0) {
            throw LifecycleRejected.invalid("the command is empty: send one JSON object");
        }
        if (body.length > maxBytes) {
            throw new LifecycleRejected("invalid-command", 413, "the command is " + body.length
                    + " bytes; at most " + maxBytes + " are read (onepassword.lifecycle.max-body-bytes)");
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage();
            int cut = why.indexOf(" (");
            // a limit of the parser (nesting over 1,000 deep) has no location: that was a 500
            String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw LifecycleRejected.invalid("the command is not valid JSON" + at + ": "
                    + (cut > 0 ? why.substring(0, cut) : why));
        } catch (java.io.IOException e) {
            throw LifecycleRejected.invalid("the command could not be read: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw LifecycleRejected.invalid("the command must be one JSON object");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw LifecycleRejected.invalid("unknown field '" + printable(name) + "'; a command has "
                        + String.join(", ", new java.util.TreeSet<>(FIELDS)));
            }
        }
        String requestId = text(json, "requestId", true);
        if (!REQUEST_ID.matcher(requestId).matches()) {
            throw LifecycleRejected.invalid("requestId must be 1 to 128 letters, digits or ._:@/+=-, got '"
                    + printable(requestId) + "'");
        }
        String typeText = text(json, "type", true);
        LifecycleCommand.Type type;
        try {
            type = LifecycleCommand.Type.valueOf(typeText.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw LifecycleRejected.invalid("type must be joiner, mover, leaver or rejoiner, got '"
                    + printable(typeText) + "'");
        }
        String email = email(json, "email", true);
        String newEmail = email(json, "newEmail", false);
        if (newEmail != null && type != LifecycleCommand.Type.MOVER) {
            throw LifecycleRejected.invalid("newEmail is for a mover only; a " + type.label() + " keeps the email");
        }
        if (newEmail != null && newEmail.equalsIgnoreCase(email)) {
            newEmail = null; // the same address: no change of userName
        }
        boolean namesRequired = type == LifecycleCommand.Type.JOINER || type == LifecycleCommand.Type.REJOINER;
        String given = name(json, "givenName", namesRequired, type);
        String family = name(json, "familyName", namesRequired, type);
        List<String> groups = groups(json);
        Instant occurredAt = null;
        String at = text(json, "occurredAt", false);
        if (at != null) {
            try {
                occurredAt = Instant.parse(at.trim());
            } catch (DateTimeParseException e) {
                throw LifecycleRejected.invalid("occurredAt must be an RFC 3339 time in UTC such as "
                        + "2026-11-28T09:30:00Z, got '" + printable(at) + "'");
            }
        }
        String source = text(json, "source", false);
        LifecycleCommand c = new LifecycleCommand(requestId, type, email, newEmail, given, family, groups, occurredAt,
                source == null ? channel : source, null);
        return new LifecycleCommand(c.requestId(), c.type(), c.email(), c.newEmail(), c.givenName(), c.familyName(),
                c.groups(), c.occurredAt(), c.source(), fingerprint(c));
    }

    private static String text(JsonNode json, String field, boolean required) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw LifecycleRejected.invalid(field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw LifecycleRejected.invalid(field + " must be a string, got " + v.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        if (required && v.textValue().isBlank()) {
            throw LifecycleRejected.invalid(field + " is required, and is blank");
        }
        return v.textValue();
    }

    private static String email(JsonNode json, String field, boolean required) {
        String v = text(json, field, required);
        if (v == null) {
            return null;
        }
        String e = v.trim();
        if (!EMAIL.matcher(e).matches()) {
            throw LifecycleRejected.invalid(field + " must be an email address, got '" + printable(v) + "'");
        }
        return e;
    }

    private static String name(JsonNode json, String field, boolean required, LifecycleCommand.Type type) {
        String v = text(json, field, false);
        if (v == null || v.isBlank()) {
            if (required) {
                throw LifecycleRejected.invalid(field + " is required for a " + type.label());
            }
            return null;
        }
        if (v.length() > MAX_NAME || v.chars().anyMatch(Character::isISOControl)) {
            throw LifecycleRejected.invalid(field + " must be at most " + MAX_NAME + " characters without control "
                    + "characters");
        }
        return v.trim();
    }

    private static List<String> groups(JsonNode json) {
        JsonNode v = json.get("groups");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw LifecycleRejected.invalid("groups must be an array of group names (displayName)");
        }
        if (v.size() > MAX_GROUPS) {
            throw LifecycleRejected.invalid("groups names " + v.size() + " groups; at most " + MAX_GROUPS);
        }
        Set<String> seen = new LinkedHashSet<>();
        List<String> out = new ArrayList<>();
        for (JsonNode g : v) {
            if (!g.isTextual() || g.textValue().isBlank() || g.textValue().length() > MAX_NAME) {
                throw LifecycleRejected.invalid("groups must hold group names (non-empty strings), got " + g);
            }
            String name = g.textValue().trim();
            if (seen.add(name.toLowerCase(Locale.ROOT))) {
                out.add(name);
            }
        }
        return List.copyOf(out);
    }

    /** What the command asks for, whatever the order of its fields or its source: SHA-256 of a canonical form. */
    private static String fingerprint(LifecycleCommand c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("requestId", c.requestId());
        o.put("type", c.type().label());
        o.put("email", c.email().toLowerCase(Locale.ROOT));
        o.put("newEmail", c.newEmail() == null ? null : c.newEmail().toLowerCase(Locale.ROOT));
        o.put("givenName", c.givenName());
        o.put("familyName", c.familyName());
        if (c.groups() != null) {
            c.groups().stream().map(g -> g.toLowerCase(Locale.ROOT)).sorted().forEach(o.putArray("groups")::add);
        }
        o.put("occurredAt", c.occurredAt() == null ? null : c.occurredAt().toString());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(JSON.writeValueAsBytes(o)));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** At most 64 characters of something a caller sent, with controls shown as '?', for an error message. */
    static String printable(String s) {
        return io.opcamel.http.Printable.of(s, 64);
    }
}
