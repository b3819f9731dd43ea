package io.opcamel.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.bridge.BridgeAnswer;
import io.opcamel.bridge.BridgePager;
import io.opcamel.bridge.BridgeRequest;
import io.opcamel.scim.ScimNodes;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads what the bridge has, through the bridge client (call-scim-bridge): every group ({@code GET /Groups}, for
 * their names), then every user ({@code GET /Users}), each page by page with {@code startIndex}/{@code count} until a
 * short page or one with nothing new ({@link BridgePager}: {@code totalResults} is never trusted). Each user is kept
 * as a small {@link BridgeUser}; a page is a tree only while it is read. A group whose name the list does not give
 * is asked for by id ({@code GET /Groups/{id}}); one still unnamed is unidentified, and its memberships are left
 * alone.
 */
public final class BridgeStateReader {

    private final Function<BridgeRequest, BridgeAnswer> bridge;
    private final int pageSize;

    public BridgeStateReader(Function<BridgeRequest, BridgeAnswer> bridge, int pageSize) {
        this.bridge = bridge;
        this.pageSize = pageSize;
    }

    public void read(ReconcileRun run) {
        run.bridge = read(run.desired);
    }

    /**
     * The bridge's state; where a user's userName and names equal the desired person's, the strings the desired state
     * holds are kept instead (most people are as they should be, so a run holds most strings once, not twice).
     */
    BridgeState read(DesiredState desired) {
        BridgePager pager = new BridgePager(bridge, pageSize, BridgeStateReader::failed);
        Map<String, String> groupNames = new HashMap<>();
        // one instance per group id however many users are in it
        Map<String, String> groupIds = new HashMap<>();
        int groupPages = pager.readAll("/Groups", g -> {
            String id = ScimNodes.field(g, "id").textValue();
            groupIds.put(id, id);
            String name = text(g, "displayName");
            if (name != null && !name.isBlank()) {
                groupNames.put(id, name);
            }
        });
        Map<String, BridgeUser> users = new HashMap<>();
        int userPages = pager.readAll("/Users", u -> {
            BridgeUser user = user(u, groupIds, desired);
            if (user != null) {
                users.put(Person.key(user.userName()), user);
            }
        });
        // a group listed without its name, or a user's group the list did not have: asked for by id
        Set<String> unnamed = new TreeSet<>(groupIds.keySet());
        users.values().forEach(u -> unnamed.addAll(List.of(u.groupIds())));
        unnamed.removeAll(groupNames.keySet());
        Set<String> unidentified = new TreeSet<>();
        for (String id : unnamed) {
            String name = nameById(id);
            if (name == null) {
                unidentified.add(id);
            } else {
                groupNames.put(id, name);
            }
        }
        return new BridgeState(users, groupNames, Set.copyOf(unidentified), userPages, groupPages);
    }

    /** The group's displayName from GET /Groups/{id}; null when the bridge does not give one (or not the group). */
    private String nameById(String id) {
        BridgeAnswer a = bridge.apply(BridgeRequest.get("/Groups/" + id));
        if (a.status() == 404) {
            return null;
        }
        if (a.status() != 200) {
            throw failed("GET /Groups/" + id, a);
        }
        try {
            JsonNode g = a.body().length == 0 ? null : JsonPeople.JSON.readTree(a.body());
            String name = text(g, "displayName");
            return name == null || name.isBlank() ? null : name;
        } catch (IOException notJson) {
            return null;
        }
    }

    /** The user as reconciliation compares it; null without a userName (nothing to match it with). */
    private static BridgeUser user(JsonNode u, Map<String, String> groupIds, DesiredState desired) {
        String userName = text(u, "userName");
        if (userName == null) {
            return null;
        }
        Person p = desired == null ? null : desired.get(Person.key(userName));
        JsonNode name = ScimNodes.field(u, "name");
        JsonNode active = ScimNodes.field(u, "active");
        JsonNode groups = ScimNodes.field(u, "groups");
        String[] ids = new String[groups == null || !groups.isArray() ? 0 : groups.size()];
        int n = 0;
        for (int i = 0; i < ids.length; i++) {
            String id = text(groups.get(i), "value");
            if (id != null) {
                ids[n++] = groupIds.getOrDefault(id, id);
            }
        }
        return new BridgeUser(ScimNodes.field(u, "id").textValue(), same(userName, p == null ? null : p.email()),
                same(text(name, "givenName"), p == null ? null : p.givenName()),
                same(text(name, "familyName"), p == null ? null : p.familyName()), active == null || active.isNull()
                        || (active.isBoolean() ? active.booleanValue() : !"false".equalsIgnoreCase(active.asText())),
                n == ids.length ? ids : java.util.Arrays.copyOf(ids, n));
    }

    /** The desired state's instance of an equal string. */
    private static String same(String bridge, String desired) {
        return bridge != null && bridge.equals(desired) ? desired : bridge;
    }

    private static String text(JsonNode obj, String field) {
        JsonNode v = ScimNodes.field(obj, field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    private static IllegalStateException failed(String call, BridgeAnswer a) {
        return new IllegalStateException(a.answered() ? "the SCIM bridge answered " + call + " with HTTP "
                + a.status() + (a.status() == 200 ? " but no SCIM ListResponse" : "")
                : "the SCIM bridge did not answer " + call + " (" + a.failure() + ")");
    }
}
