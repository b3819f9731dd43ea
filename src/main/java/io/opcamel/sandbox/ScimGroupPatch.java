package io.opcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Applies PatchOp operations to a (copy of a) group, in the shapes Okta and a normalised Entra send:
 * rename via path {@code displayName} or a path-less value ({@code {"displayName":..}} or Okta's
 * {@code {"id":..,"displayName":..}}); {@code add}/{@code replace} on {@code members} with an array;
 * {@code remove} on {@code members[value eq "<id>"]} for one member or on {@code members} without a value for all.
 * Unknown member ids are rejected by the store when the change is committed.
 */
final class ScimGroupPatch {

    private final boolean removeWithValueRemovesAll;

    /** @param removeWithValueRemovesAll the fault switch: behave like the buggy servers Entra's remove trips */
    ScimGroupPatch(boolean removeWithValueRemovesAll) {
        this.removeWithValueRemovesAll = removeWithValueRemovesAll;
    }

    void apply(ScimGroup g, List<ScimPatch.Op> ops) {
        for (ScimPatch.Op op : ops) {
            if (op.path() != null) {
                apply(g, op.op(), op.path(), op.value(), op.hasValue());
                continue;
            }
            if (!op.value().isObject()) {
                throw ScimException.invalidValue(op.op() + " without a path needs an object value");
            }
            for (Map.Entry<String, JsonNode> e : op.value().properties()) {
                if (e.getKey().equalsIgnoreCase("schemas")) {
                    continue;
                }
                if (e.getKey().equalsIgnoreCase("id")) {
                    // Okta's rename sends the group's own id along with the new name
                    if (!e.getValue().isTextual() || !e.getValue().textValue().equals(g.id)) {
                        throw ScimException.badRequest("mutability", "id is read-only");
                    }
                    continue;
                }
                apply(g, op.op(), ScimPatch.parsePath(e.getKey()), e.getValue(), true);
            }
        }
    }

    private void apply(ScimGroup g, String op, ScimPatch.Path path, JsonNode value, boolean hasValue) {
        boolean remove = op.equals("remove");
        if (path.is("displayName")) {
            if (remove) {
                throw ScimException.invalidValue("displayName is required and cannot be removed");
            }
            if (value == null || !value.isTextual() || value.textValue().isBlank()) {
                throw ScimException.invalidValue("displayName must be a non-blank string, got " + value);
            }
            g.displayName = value.textValue().trim();
        } else if (path.is("externalId")) {
            if (!remove && (value == null || !value.isTextual())) {
                throw ScimException.invalidValue("externalId must be a string, got " + value);
            }
            g.externalId = remove ? null : value.textValue();
        } else if (path.is("members")) {
            patchMembers(g, op, value, hasValue);
        } else if (path.attribute().equalsIgnoreCase("members") && path.filter() != null && path.sub() == null) {
            if (!remove) {
                throw ScimException.invalidPath("only remove may address members[...]; use add/replace on members");
            }
            g.members.remove(filteredMember(path));
        } else {
            throw ScimException.invalidPath("path '" + path.text() + "' is not supported on Group");
        }
    }

    private void patchMembers(ScimGroup g, String op, JsonNode value, boolean hasValue) {
        switch (op) {
            case "add" -> g.members.addAll(ScimGroupJson.memberIds(value));
            case "replace" -> g.members = new LinkedHashSet<>(ScimGroupJson.memberIds(value));
            default -> {
                if (hasValue && !removeWithValueRemovesAll) {
                    // Entra's default dialect; RFC 7644 removes a member via members[value eq "<id>"]
                    throw ScimException.invalidSyntax("remove on 'members' with a value is not RFC 7644; "
                            + "use path members[value eq \"<id>\"]");
                }
                g.members.clear(); // RFC 7644 §3.5.2.2: no filter removes every value (the fault: value ignored)
            }
        }
    }

    /** The member id a {@code members[value eq "<id>"]} path names. */
    private static String filteredMember(ScimPatch.Path path) {
        List<ScimFilter.Clause> clauses;
        try {
            clauses = ScimFilter.parse(path.filter(), List.of("value")).clauses();
        } catch (ScimException e) {
            throw ScimException.invalidPath("path '" + path.text() + "': " + e.getMessage());
        }
        if (clauses.size() != 1 || !(clauses.get(0).value() instanceof String id)) {
            throw ScimException.invalidPath("path '" + path.text() + "' must be members[value eq \"<id>\"]");
        }
        return id;
    }
}
