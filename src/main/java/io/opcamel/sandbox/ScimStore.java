package io.opcamel.sandbox;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The bridge's in-memory account: users and groups in creation order, behind one lock. Every change is made on a
 * copy and committed only after the account's invariants hold (unique userName and group name, members exist), so
 * a failing PATCH leaves nothing half-applied and concurrent read-modify-writes cannot lose updates.
 */
final class ScimStore {

    private final long seed;
    private final Clock clock;
    private final Map<String, ScimUser> users = new LinkedHashMap<>();
    private final Map<String, ScimGroup> groups = new LinkedHashMap<>();
    /** user id by lower-case userName: the uniqueness check stays cheap with 100,000 users */
    private final Map<String, String> userIdsByName = new HashMap<>();
    private long userSeq;
    private long groupSeq;

    ScimStore(long seed, Clock clock) {
        this.seed = seed;
        this.clock = clock;
    }

    synchronized ScimUser createUser(ScimUser draft) {
        ScimUser u = draft.copy();
        requireUserNameFree(u.userName, null);
        u.id = Ids.of(seed, "user", userSeq++); // 1Password user ids: 26 chars, upper-case base32
        u.created = now();
        u.lastModified = u.created;
        users.put(u.id, u);
        userIdsByName.put(nameKey(u.userName), u.id);
        return snapshot(u);
    }

    synchronized ScimUser user(String id) {
        return snapshot(existingUser(id));
    }

    synchronized List<ScimUser> users(Predicate<ScimUser> filter) {
        List<ScimUser> out = new ArrayList<>();
        for (ScimUser u : users.values()) {
            ScimUser s = snapshot(u);
            if (filter.test(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Applies a change to a copy of the user and commits it if the account's invariants still hold. */
    synchronized ScimUser updateUser(String id, Consumer<ScimUser> change) {
        ScimUser u = existingUser(id).copy();
        change.accept(u);
        requireUserNameFree(u.userName, id);
        u.id = id;
        u.lastModified = now();
        userIdsByName.remove(nameKey(users.put(id, u).userName));
        userIdsByName.put(nameKey(u.userName), id);
        return snapshot(u);
    }

    synchronized ScimGroup createGroup(ScimGroup draft) {
        ScimGroup g = draft.copy();
        requireGroupNameFree(g.displayName, null);
        requireMembersExist(g);
        g.id = Ids.of(seed, "group", groupSeq++).toLowerCase(Locale.ROOT); // group ids are lower-case base32
        g.created = now();
        g.lastModified = g.created;
        groups.put(g.id, g);
        return g.copy();
    }

    synchronized ScimGroup group(String id) {
        return existingGroup(id).copy();
    }

    synchronized List<ScimGroup> groups(Predicate<ScimGroup> filter) {
        List<ScimGroup> out = new ArrayList<>();
        for (ScimGroup g : groups.values()) {
            if (filter.test(g)) {
                out.add(g.copy());
            }
        }
        return out;
    }

    synchronized ScimGroup updateGroup(String id, Consumer<ScimGroup> change) {
        ScimGroup g = existingGroup(id).copy();
        change.accept(g);
        requireGroupNameFree(g.displayName, id);
        requireMembersExist(g);
        g.id = id;
        g.lastModified = now();
        groups.put(id, g);
        return g.copy();
    }

    synchronized void deleteGroup(String id) {
        existingGroup(id);
        groups.remove(id);
    }

    /** The test hook behind {@link SimulatedScimBridge#acceptInvitation}: what the ConfirmationWatcher does for real. */
    synchronized ScimUser acceptInvitation(String id) {
        ScimUser u = existingUser(id);
        if (u.state != ScimUserState.INVITED) {
            throw new IllegalStateException("user " + id + " is " + u.state + ", not INVITED");
        }
        return updateUser(id, x -> {
            x.state = ScimUserState.ACTIVE;
            x.accepted = true;
        });
    }

    synchronized void clear() {
        users.clear();
        userIdsByName.clear();
        groups.clear();
        userSeq = 0;
        groupSeq = 0;
    }

    private ScimUser existingUser(String id) {
        ScimUser u = users.get(id);
        if (u == null) {
            throw ScimException.notFound("User " + id + " not found");
        }
        return u;
    }

    private ScimGroup existingGroup(String id) {
        ScimGroup g = groups.get(id);
        if (g == null) {
            throw ScimException.notFound("Group " + id + " not found");
        }
        return g;
    }

    /** userName is the account email: unique ignoring case, as 1Password matches people by email. */
    private void requireUserNameFree(String userName, String exceptId) {
        String holder = userIdsByName.get(nameKey(userName));
        if (holder != null && !holder.equals(exceptId)) {
            throw ScimException.uniqueness("userName '" + userName + "' is already in use");
        }
    }

    private static String nameKey(String userName) {
        return userName.toLowerCase(Locale.ROOT);
    }

    private void requireGroupNameFree(String displayName, String exceptId) {
        for (ScimGroup other : groups.values()) {
            if (!other.id.equals(exceptId) && other.displayName.equalsIgnoreCase(displayName)) {
                throw ScimException.uniqueness("group displayName '" + displayName + "' is already in use");
            }
        }
    }

    private void requireMembersExist(ScimGroup g) {
        for (String member : g.members) {
            if (!users.containsKey(member)) {
                throw ScimException.invalidValue("member '" + member + "' is not a user of this account");
            }
        }
    }

    /** A copy of the user with its group memberships filled in from the groups. */
    private ScimUser snapshot(ScimUser u) {
        ScimUser s = u.copy();
        List<ScimGroupRef> refs = new ArrayList<>();
        for (ScimGroup g : groups.values()) {
            if (g.members.contains(u.id)) {
                refs.add(new ScimGroupRef(g.id, g.displayName));
            }
        }
        s.groups = List.copyOf(refs);
        return s;
    }

    private Instant now() {
        return clock.instant();
    }
}
