package io.opcamel.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The /Users endpoint: create, read, list with filter and paging, replace, patch and delete-as-suspend. */
final class ScimUsers {

    private static final List<String> FILTERABLE = List.of("userName", "externalId", "id");
    /** caseExact=false in RFC 7643: userName matches ignoring case; ids and externalId match exactly. */
    private static final Set<String> CASE_INSENSITIVE = Set.of("userName");

    private final ScimStore store;
    private final ScimUserRules rules;
    private final Faults faults;

    ScimUsers(ScimStore store, ScimUserRules rules, Faults faults) {
        this.store = store;
        this.rules = rules;
        this.faults = faults;
    }

    SandboxResponse list(Map<String, String> query) {
        ScimPage page = ScimPage.of(query);
        String filterText = query.get("filter");
        ScimFilter filter = filterText == null ? null : ScimFilter.parse(filterText, FILTERABLE);
        List<ScimUser> matches = store.users(u -> filter == null || filter.matches(a -> switch (a) {
            case "userName" -> u.userName();
            case "externalId" -> u.externalId();
            default -> u.id();
        }, CASE_INSENSITIVE));
        return ScimJson.respond(200, page.render(matches, this::render, faults.isWrongTotalResults()));
    }

    private ObjectNode render(ScimUser u) {
        return ScimUserJson.render(u, !faults.isGroupRefsWithoutDisplay());
    }

    SandboxResponse get(String id) {
        return ScimJson.respond(200, render(store.user(id)));
    }

    /** 201 with the resource: the user exists as an invitation (INVITED) but reads active:true. */
    SandboxResponse create(ObjectNode body) {
        ScimUser draft = new ScimUser();
        ScimUserJson.assign(draft, body, rules, true);
        ScimUser created = store.createUser(draft);
        return ScimJson.respond(201, render(created))
                .withHeader("Location", "/scim/v2/Users/" + created.id());
    }

    SandboxResponse replace(String id, ObjectNode body) {
        ScimUser u = store.updateUser(id, x -> ScimUserJson.assign(x, body, rules, false));
        return ScimJson.respond(200, render(u));
    }

    SandboxResponse patch(String id, ObjectNode body) {
        List<ScimPatch.Op> ops = ScimPatch.parse(body);
        ScimUser u = store.updateUser(id, x -> new ScimUserPatch(rules).apply(x, ops));
        return ScimJson.respond(200, render(u));
    }

    /** 1Password never deletes through SCIM: DELETE suspends, and the user stays listed with active:false. */
    SandboxResponse delete(String id) {
        store.updateUser(id, u -> u.setActive(false));
        return SandboxResponse.empty(204);
    }
}
