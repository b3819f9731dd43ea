package io.opcamel.bridge;

import io.opcamel.scim.ScimNodes;
import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.scim.GroupLookup;
import io.opcamel.scim.ScimError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The members of a group as the bridge knows them, for flattening a nested group: the bridge returns groups without
 * members, but each User carries the groups it belongs to ({@code groups[].value}), so a group's members are the
 * users whose {@code groups} name it. One per IdP request: whether an id is a group is asked once
 * ({@code GET /Groups/<id>}, 404: no such group), and the users are read at most once however many nested groups
 * the request names ({@code GET /Users?startIndex=N&count=100}, page after page until a short page or one that
 * brings no user not seen yet; totalResults is not trusted). Every call goes through call-scim-bridge.
 *
 * <p>1Password's user ids are 26 characters of upper-case base32 and its group ids lower-case, so an unmarked id
 * shaped like a user's costs no call ({@link #mayBeGroup}): Okta's member removals ({@code members[value eq "<id>"]},
 * which carry no type) are forwarded without a look-up unless the id may be a group's. What a group holds in
 * 1Password is users only (its groups do not nest, and whatever the gateway wrote into it was flattened already), so
 * one level of flattening gives every user of a group nested at any depth in the IdP, as far as the bridge has them.
 */
public final class BridgeGroupLookup implements GroupLookup {

    static final int PAGE = 100;
    /** What a bridge id may look like; anything else cannot name a group, and does not go into a path. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** A 1Password user id (bridge facts: 26 characters, upper-case base32); group ids are lower-case. */
    private static final Pattern USER_ID = Pattern.compile("[A-Z2-7]{26}");

    private final Function<BridgeRequest, BridgeAnswer> bridge;
    private final Map<String, Optional<List<String>>> known = new HashMap<>();
    private Map<String, List<String>> usersByGroup;

    public BridgeGroupLookup(Function<BridgeRequest, BridgeAnswer> bridge) {
        this.bridge = bridge;
    }

    @Override
    public boolean mayBeGroup(String id) {
        return ID.matcher(id).matches() && !USER_ID.matcher(id).matches();
    }

    @Override
    public Optional<List<String>> members(String id) {
        Optional<List<String>> k = known.get(id);
        if (k == null) {
            k = isGroup(id) ? Optional.of(usersByGroup().getOrDefault(id, List.of())) : Optional.empty();
            known.put(id, k);
        }
        return k;
    }

    private boolean isGroup(String id) {
        if (!ID.matcher(id).matches()) {
            return false;
        }
        BridgeAnswer a = ask(BridgeRequest.get("/Groups/" + id));
        if (a.status() == 404) {
            return false;
        }
        if (a.status() != 200) {
            throw failed("GET /Groups/" + id, a);
        }
        return true;
    }

    /** Every group's users, from one paged read of the users (BridgePager: never trusting totalResults). */
    private Map<String, List<String>> usersByGroup() {
        if (usersByGroup != null) {
            return usersByGroup;
        }
        Map<String, List<String>> byGroup = new LinkedHashMap<>();
        new BridgePager(this::ask, PAGE, BridgeGroupLookup::failed).readAll("/Users", user -> {
            String id = ScimNodes.field(user, "id").textValue();
            JsonNode groups = ScimNodes.field(user, "groups");
            for (JsonNode g : groups == null || !groups.isArray() ? List.<JsonNode>of() : groups) {
                JsonNode value = ScimNodes.field(g, "value");
                if (value != null && value.isTextual()) {
                    byGroup.computeIfAbsent(value.textValue(), x -> new ArrayList<>()).add(id);
                }
            }
        });
        usersByGroup = byGroup;
        return byGroup;
    }

    private BridgeAnswer ask(BridgeRequest r) {
        BridgeAnswer a = bridge.apply(r);
        if (!a.answered()) {
            throw new ScimError(502, null, "the SCIM bridge did not answer (" + a.failure() + ")")
                    .by("bridge-unreachable");
        }
        return a;
    }

    private static ScimError failed(String call, BridgeAnswer a) {
        return new ScimError(502, null, "the SCIM bridge answered " + call + " with HTTP " + a.status()
                + " while the gateway read a nested group's members").by("bridge-look-up");
    }
}
