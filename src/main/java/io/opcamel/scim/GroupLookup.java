package io.opcamel.scim;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the caller knows about groups, for flattening nested groups: from its own view of the IdP's groups
 * ({@link #of}), or from the bridge (the gateway's BridgeGroupLookup, which reads a group's members off the users'
 * {@code groups}, as the bridge returns groups without members).
 */
@FunctionalInterface
public interface GroupLookup {

    /**
     * When {@code id} names a group: the ids of its direct members (users, or groups that are looked up in turn).
     * Empty when it names a user, or a group the caller knows nothing about.
     */
    Optional<List<String>> members(String id);

    /**
     * Whether an id the request does not mark as a group ({@code "type": "Group"} or a {@code $ref} to /Groups/) is
     * worth asking {@link #members} about. True by default; a lookup whose every question costs a call to the bridge
     * answers false for ids shaped like a user's, so only an id that may name a group costs a call. Members that
     * {@link #members} returns are asked about too, so a lookup whose groups hold users only answers false for them.
     */
    default boolean mayBeGroup(String id) {
        return true;
    }

    /** Knows no group: every member is taken for a user unless it says {@code "type": "Group"}. */
    static GroupLookup none() {
        return id -> Optional.empty();
    }

    static GroupLookup of(Map<String, List<String>> membersByGroupId) {
        Map<String, List<String>> copy = Map.copyOf(membersByGroupId);
        return id -> Optional.ofNullable(copy.get(id));
    }
}
