package io.opcamel.scim;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the caller knows about groups, for flattening nested groups: the bridge cannot say (it returns groups without
 * members), so the caller answers from its own view of the IdP's groups.
 */
@FunctionalInterface
public interface GroupLookup {

    /**
     * When {@code id} names a group: the ids of its direct members (users, or groups that are looked up in turn).
     * Empty when it names a user, or a group the caller knows nothing about.
     */
    Optional<List<String>> members(String id);

    /** Knows no group: every member is taken for a user unless it says {@code "type": "Group"}. */
    static GroupLookup none() {
        return id -> Optional.empty();
    }

    static GroupLookup of(Map<String, List<String>> membersByGroupId) {
        Map<String, List<String>> copy = Map.copyOf(membersByGroupId);
        return id -> Optional.ofNullable(copy.get(id));
    }
}
