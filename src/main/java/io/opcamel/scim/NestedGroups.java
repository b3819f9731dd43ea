package io.opcamel.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.opcamel.config.Settings;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * 1Password groups do not nest. A member that is a group ({@code "type": "Group"}, a {@code $ref} to /Groups/, or an
 * id the caller's {@link GroupLookup} knows as a group) is either replaced by its users, recursively (flatten), or
 * refused. Flattening a removal removes the nested group's users, including any that were also direct members:
 * the gateway cannot tell them apart, and losing a membership is the safe side of that doubt. A removal names an
 * id only ({@code members[value eq "<id>"]}), so it is flattened when the lookup knows that id as a group; ids the
 * lookup rules out ({@link GroupLookup#mayBeGroup} false) are taken for users without asking.
 */
public final class NestedGroups implements Guardrail {

    public static final String NAME = "nested-groups";

    public enum Mode { FLATTEN, REFUSE, ALLOW }

    private final Mode mode;

    public NestedGroups(Mode mode) {
        this.mode = mode;
    }

    static NestedGroups from(Settings settings) {
        return new NestedGroups(Mode.valueOf(
                Guardrails.choice(settings, NAME, "flatten", "refuse", "allow").toUpperCase(Locale.ROOT)));
    }

    @Override
    public String name() {
        return NAME;
    }

    public Mode mode() {
        return mode;
    }

    /** A Group resource (POST, PUT) with its members flattened. */
    JsonNode group(JsonNode group, GroupLookup lookup) {
        String key = ScimNodes.key(group, "members");
        if (mode == Mode.ALLOW || key == null || !group.get(key).isArray()) {
            return group;
        }
        ObjectNode out = ((ObjectNode) group).deepCopy();
        out.set(key, members(group.get(key), lookup));
        return out;
    }

    /** A normalised PatchOp with its member additions, replacements and removals flattened. */
    JsonNode patch(JsonNode patch, GroupLookup lookup) {
        if (mode == Mode.ALLOW) {
            return patch;
        }
        ObjectNode out = ((ObjectNode) patch).deepCopy();
        ArrayNode ops = out.putArray("Operations");
        for (JsonNode o : ScimNodes.field(patch, "Operations")) {
            ObjectNode op = ((ObjectNode) o).deepCopy();
            boolean remove = "remove".equalsIgnoreCase(ScimNodes.text(op, "op"));
            String pathText = ScimNodes.text(op, "path");
            JsonNode value = op.get("value");
            if (pathText == null) {
                String key = ScimNodes.key(value, "members");
                if (!remove && key != null && value.get(key).isArray()) {
                    ((ObjectNode) value).set(key, members(value.get(key), lookup));
                }
                ops.add(op);
                continue;
            }
            ScimPath path = ScimPath.parse(pathText);
            if (!remove && path.is("members") && value != null && value.isArray()) {
                op.set("value", members(value, lookup));
                ops.add(op);
            } else if (remove && removedMember(path) != null) {
                String id = removedMember(path);
                Optional<List<String>> nested = lookup.mayBeGroup(id) ? lookup.members(id) : Optional.empty();
                if (nested.isEmpty()) {
                    ops.add(op);
                    continue;
                }
                refuseIfAsked(id);
                for (String user : users(id, lookup)) {
                    ScimPath one = new ScimPath(path.urn(), path.attribute(),
                            List.of(new ScimFilters.Clause("value", TextNode.valueOf(user))), null);
                    ops.addObject().put("op", "remove").put("path", one.render());
                }
            } else {
                ops.add(op);
            }
        }
        return out;
    }

    private ArrayNode members(JsonNode members, GroupLookup lookup) {
        ArrayNode out = ScimNodes.array();
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode m : members) {
            String id = ScimNodes.text(m, "value");
            if (id == null) {
                out.add(m);
                continue;
            }
            String type = ScimNodes.text(m, "type");
            String ref = ScimNodes.text(m, "$ref");
            boolean marked = (type != null && type.equalsIgnoreCase("Group")) || (ref != null && ref.contains("/Groups/"));
            if (!marked && (!lookup.mayBeGroup(id) || lookup.members(id).isEmpty())) {
                if (seen.add(id)) {
                    out.add(m);
                }
                continue;
            }
            refuseIfAsked(id);
            if (lookup.members(id).isEmpty()) {
                throw ScimError.guardrail(this, 400, "invalidValue", "member '" + id
                        + "' is a group whose members are unknown to the gateway, so it cannot be flattened");
            }
            for (String user : users(id, lookup)) {
                if (seen.add(user)) {
                    out.addObject().put("value", user);
                }
            }
        }
        return out;
    }

    private void refuseIfAsked(String id) {
        if (mode == Mode.REFUSE) {
            throw ScimError.guardrail(this, 400, "invalidValue",
                    "member '" + id + "' is a group; 1Password groups do not nest");
        }
    }

    /** The users of a group, through any depth of nesting; a cycle is followed once. */
    private static Set<String> users(String groupId, GroupLookup lookup) {
        Set<String> users = new LinkedHashSet<>();
        collect(groupId, lookup, new LinkedHashSet<>(), users);
        return users;
    }

    private static void collect(String groupId, GroupLookup lookup, Set<String> visited, Set<String> users) {
        visited.add(groupId);
        for (String member : lookup.members(groupId).orElse(List.of())) {
            if (lookup.mayBeGroup(member) && lookup.members(member).isPresent()) {
                if (!visited.contains(member)) {
                    collect(member, lookup, visited, users);
                }
            } else {
                users.add(member);
            }
        }
    }

    /** The id of {@code members[value eq "<id>"]}, or null for any other path. */
    private static String removedMember(ScimPath path) {
        if (!path.isAttribute("members") || path.sub() != null || path.filter() == null || path.filter().size() != 1) {
            return null;
        }
        ScimFilters.Clause c = path.filter().get(0);
        return c.attribute().equalsIgnoreCase("value") && c.value().isTextual() ? c.value().textValue() : null;
    }
}
