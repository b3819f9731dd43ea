package io.opcamel.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SCIM bridge's answer to {@code GET /health}, read: its version and build, and what is not healthy in it.
 * The bridge answers {@code {"build":"209163","version":"2.9.16","reports":[{"source":"ConfirmationWatcher",
 * "time":..,"expires":..,"state":"healthy"},...],"retrievedAt":..}}; it is healthy when every report's state is
 * {@code healthy} and no report had expired when the bridge put the answer together (its {@code expires} before
 * its {@code retrievedAt}: both from the bridge's clock, so the bundle's clock does not matter). A disconnected
 * ConfirmationWatcher (provisioning not turned on in the account) or a stale Redis report makes it unhealthy.
 *
 * @param version  the bridge's version, e.g. 2.9.16; null when the answer names none
 * @param build    its build number, or null
 * @param problems what is not healthy, one sentence each; empty when healthy
 */
public record BridgeHealthReport(String version, String build, List<String> problems) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean healthy() {
        return problems.isEmpty();
    }

    /** Reads a 200 answer's body; a body that is not the report is a problem, not an exception. */
    public static BridgeHealthReport parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? new byte[0] : body);
        } catch (IOException e) {
            return new BridgeHealthReport(null, null, List.of("the answer is not JSON"));
        }
        if (root == null || !root.isObject()) {
            return new BridgeHealthReport(null, null, List.of("the answer is not a health report (a JSON object)"));
        }
        String version = text(root, "version");
        String build = text(root, "build");
        List<String> problems = new ArrayList<>();
        JsonNode reports = root.path("reports");
        if (!reports.isArray() || reports.isEmpty()) {
            problems.add("the answer holds no component reports");
        } else {
            Instant retrieved = time(root, "retrievedAt");
            for (JsonNode r : reports) {
                String source = r.hasNonNull("source") ? r.get("source").asText() : "a component";
                String state = r.hasNonNull("state") ? r.get("state").asText() : null;
                if (state == null) {
                    problems.add(source + " reports no state");
                } else if (!state.equalsIgnoreCase("healthy")) {
                    problems.add(source + " is " + state);
                }
                Instant expires = time(r, "expires");
                if (retrieved != null && expires != null && expires.isBefore(retrieved)) {
                    problems.add(source + "'s report expired at " + expires + " (stale)");
                }
            }
        }
        return new BridgeHealthReport(version, build, List.copyOf(problems));
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
    }

    private static Instant time(JsonNode o, String field) {
        String v = text(o, field);
        if (v == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
