package io.opcamel.reconcile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the desired state with the bridge, person by person (the email and the userName, ignoring case), and
 * says what differs: missing, suspended, extra, attributes (givenName, familyName) and groups. Only managed groups
 * count ({@code onepassword.reconcile.managed-groups}; none listed: every group the source names), so 1Password's
 * own groups (Owners, Administrators, ...) are never touched; users in {@code onepassword.reconcile.ignore-users}
 * are out of scope on both sides. A person in a group the bridge does not name is reported with that group's id
 * (it may be Owners: it is neither kept nor removed by name). The entries come out sorted by email, so two runs
 * over the same data compare.
 */
public final class DriftFinder {

    private final List<String> managedGroups;
    private final Set<String> ignoredUsers;

    public DriftFinder(List<String> managedGroups, Collection<String> ignoredUsers) {
        this.managedGroups = List.copyOf(managedGroups);
        Set<String> ignored = new TreeSet<>();
        ignoredUsers.forEach(u -> ignored.add(Person.key(u.trim())));
        this.ignoredUsers = Set.copyOf(ignored);
    }

    public void compare(ReconcileRun run) {
        DesiredState desired = run.desired;
        BridgeState bridge = run.bridge;
        Scope scope = scope(desired, bridge);
        run.managedGroups = scope.names();
        run.managedGroupsFrom = managedGroups.isEmpty() ? "source" : "onepassword.reconcile.managed-groups";
        run.groupsOutOfScope.addAll(scope.outOfScope);

        List<DriftEntry> entries = new ArrayList<>();
        int active = 0;
        int ignored = 0;
        for (BridgeUser user : bridge.allUsers()) {
            String key = Person.key(user.userName());
            if (ignoredUsers.contains(key)) {
                ignored++;
                continue;
            }
            if (user.active()) {
                active++;
            }
            Person person = desired.get(key);
            DriftEntry e = person == null ? extra(user) : drift(person, user, bridge, scope);
            if (e != null) {
                entries.add(e);
            }
        }
        for (Person person : desired.people()) {
            if (!ignoredUsers.contains(person.key()) && bridge.user(person.key()) == null) {
                DriftEntry e = new DriftEntry(person.email(), null, person);
                e.kinds.add(DriftKind.MISSING);
                Map<String, String> want = wanted(person, scope);
                e.wantedGroups = want == null ? null : want.values().stream().toList();
                entries.add(e);
            }
        }
        entries.sort(Comparator.comparing((DriftEntry e) -> Person.key(e.email)));
        for (DriftEntry e : entries) {
            e.kinds.forEach(k -> run.counts.merge(k, 1, Integer::sum));
        }
        run.entries = entries;
        run.activeInScope = active;
        run.ignoredUsers = ignored;
    }

    private static DriftEntry extra(BridgeUser user) {
        if (!user.active()) {
            return null; // suspended and not desired: as it should be
        }
        DriftEntry e = new DriftEntry(user.userName(), user.id(), null);
        e.kinds.add(DriftKind.EXTRA);
        return e;
    }

    private static DriftEntry drift(Person person, BridgeUser user, BridgeState bridge, Scope scope) {
        DriftEntry e = new DriftEntry(user.userName(), user.id(), person);
        if (!user.active()) {
            e.kinds.add(DriftKind.SUSPENDED);
        }
        attribute(e, "givenName", user.givenName(), person.givenName());
        attribute(e, "familyName", user.familyName(), person.familyName());
        if (!e.attributes.isEmpty()) {
            e.kinds.add(DriftKind.ATTRIBUTES);
        }
        if (person.groups() != null) {
            Map<String, String> want = wanted(person, scope);
            Map<String, String> have = new LinkedHashMap<>();
            List<String> other = new ArrayList<>();
            List<String> unidentified = new ArrayList<>();
            for (String id : user.groupIds()) {
                String name = bridge.groupNames().get(id);
                if (name != null && scope.managed(name)) {
                    have.put(lower(name), name);
                } else if (name != null) {
                    other.add(name);
                } else if (bridge.unidentifiedGroups().contains(id)) {
                    unidentified.add(id);
                }
            }
            e.unidentifiedGroups = List.copyOf(unidentified);
            e.wantedGroups = want.values().stream().toList();
            e.otherGroups = List.copyOf(other);
            e.groupsToAdd = sorted(want, have);
            e.groupsToRemove = sorted(have, want);
            if (!e.groupsToAdd.isEmpty() || !e.groupsToRemove.isEmpty()) {
                e.kinds.add(DriftKind.GROUPS);
            }
        }
        // reported even without other drift: someone must find out which group it is
        return e.kinds.isEmpty() && e.unidentifiedGroups.isEmpty() ? null : e;
    }

    /** The managed groups the person must be in (by key, as the bridge spells them); null: the source does not say. */
    private static Map<String, String> wanted(Person person, Scope scope) {
        if (person.groups() == null) {
            return null;
        }
        Map<String, String> want = new LinkedHashMap<>();
        for (String g : person.groups()) {
            if (scope.managed(g)) {
                want.put(lower(g), scope.canonical(g));
            }
        }
        return want;
    }

    private static void attribute(DriftEntry e, String name, String bridge, String desired) {
        if (!Objects.equals(bridge, desired)) {
            e.attributes.put(name, new String[] {bridge, desired});
        }
    }

    /** Group names compare ignoring case, as 1Password matches them. */
    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The names in {@code a} and not in {@code b}, by key, sorted. */
    private static List<String> sorted(Map<String, String> a, Map<String, String> b) {
        TreeSet<String> out = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        a.forEach((k, v) -> {
            if (!b.containsKey(k)) {
                out.add(v);
            }
        });
        return List.copyOf(out);
    }

    /**
     * The managed groups of this run (the configured ones, or every group the source names), each under the name
     * the bridge gives it when it has it (so a command does not ask for "engineering" beside "Engineering").
     */
    private Scope scope(DesiredState desired, BridgeState bridge) {
        Map<String, String> bridgeNames = new HashMap<>();
        bridge.groupNames().values().forEach(n -> bridgeNames.putIfAbsent(lower(n), n));
        Map<String, String> managed = new HashMap<>();
        TreeSet<String> outOfScope = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        if (managedGroups.isEmpty()) {
            for (Person p : desired.people()) {
                for (String g : p.groups() == null ? List.<String>of() : p.groups()) {
                    managed.putIfAbsent(lower(g), bridgeNames.getOrDefault(lower(g), g));
                }
            }
        } else {
            managedGroups.forEach(g -> managed.put(lower(g), bridgeNames.getOrDefault(lower(g), g)));
            for (Person p : desired.people()) {
                for (String g : p.groups() == null ? List.<String>of() : p.groups()) {
                    if (!managed.containsKey(lower(g))) {
                        outOfScope.add(g);
                    }
                }
            }
        }
        return new Scope(managed, outOfScope);
    }

    private record Scope(Map<String, String> byKey, Set<String> outOfScope) {

        boolean managed(String group) {
            return byKey.containsKey(lower(group));
        }

        String canonical(String group) {
            return byKey.get(lower(group));
        }

        List<String> names() {
            TreeSet<String> s = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            s.addAll(byKey.values());
            return List.copyOf(s);
        }
    }
}
