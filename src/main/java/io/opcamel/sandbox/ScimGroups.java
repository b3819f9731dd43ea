package io.opcamel.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The /Groups endpoint: create, read, list, replace, patch (rename and membership) and delete. */
final class ScimGroups {

    private static final List<String> FILTERABLE = List.of("displayName", "externalId", "id");
    private static final Set<String> CASE_INSENSITIVE = Set.of("displayName");

    private final ScimStore store;
    private final Faults faults;

    ScimGroups(ScimStore store, Faults faults) {
        this.store = store;
        this.faults = faults;
    }

    SandboxResponse list(Map<String, String> query) {
        ScimPage page = ScimPage.of(query);
        String filterText = query.get("filter");
        ScimFilter filter = filterText == null ? null : ScimFilter.parse(filterText, FILTERABLE);
        List<ScimGroup> matches = store.groups(g -> filter == null || filter.matches(a -> switch (a) {
            case "displayName" -> g.displayName();
            case "externalId" -> g.externalId();
            default -> g.id();
        }, CASE_INSENSITIVE));
        boolean named = !faults.isGroupListsWithoutDisplayName();
        return ScimJson.respond(200, page.render(matches, g -> named(ScimGroupJson.render(g), named),
                faults.isWrongTotalResults()));
    }

    SandboxResponse get(String id) {
        return ScimJson.respond(200, named(ScimGroupJson.render(store.group(id)),
                !faults.isGroupWithoutDisplayName()));
    }

    /** The group as rendered, or without its displayName (a fault switch). */
    private static ObjectNode named(ObjectNode group, boolean withName) {
        if (!withName) {
            group.remove("displayName");
        }
        return group;
    }

    SandboxResponse create(ObjectNode body) {
        ScimGroup draft = new ScimGroup();
        ScimGroupJson.assign(draft, body, true);
        ScimGroup created = store.createGroup(draft);
        return ScimJson.respond(201, ScimGroupJson.render(created))
                .withHeader("Location", "/scim/v2/Groups/" + created.id());
    }

    SandboxResponse replace(String id, ObjectNode body) {
        ScimGroup g = store.updateGroup(id, x -> ScimGroupJson.assign(x, body, false));
        return ScimJson.respond(200, ScimGroupJson.render(g));
    }

    /** 200 with the group (still without members), as recorded for the real bridge. */
    SandboxResponse patch(String id, ObjectNode body) {
        List<ScimPatch.Op> ops = ScimPatch.parse(body);
        ScimGroupPatch patch = new ScimGroupPatch(faults.isRemoveWithValueRemovesAllMembers());
        ScimGroup g = store.updateGroup(id, x -> patch.apply(x, ops));
        return ScimJson.respond(200, ScimGroupJson.render(g));
    }

    /** Removes the group; its members simply stop listing it in their {@code groups}. */
    SandboxResponse delete(String id) {
        store.deleteGroup(id);
        return SandboxResponse.empty(204);
    }
}
