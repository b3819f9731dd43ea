package io.opcamel.reconcile;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The drift of one person: its kinds, what differs, and, once applied, the lifecycle command it became and how that
 * ended. {@code email} is the bridge's userName when the bridge has the person, else the desired email.
 */
public final class DriftEntry {

    final String email;
    final String userId;
    final Person desired;
    final Set<DriftKind> kinds = EnumSet.noneOf(DriftKind.class);
    /** attribute name to {bridge value, desired value} */
    final Map<String, String[]> attributes = new LinkedHashMap<>();
    List<String> groupsToAdd = List.of();
    List<String> groupsToRemove = List.of();
    /** the managed groups the source puts the person in, as the bridge spells them (null: the source does not say) */
    List<String> wantedGroups;
    /** the person's groups in the bridge that this run does not manage (kept as they are) */
    List<String> otherGroups = List.of();
    /** the ids of the person's groups the bridge does not name: their memberships are not applied */
    List<String> unidentifiedGroups = List.of();

    String requestId;
    String commandType;
    String outcome;
    String reason;

    DriftEntry(String email, String userId, Person desired) {
        this.email = email;
        this.userId = userId;
        this.desired = desired;
    }

    public String email() {
        return email;
    }

    public Set<DriftKind> kinds() {
        return kinds;
    }

    public String outcome() {
        return outcome;
    }

    @Override
    public String toString() {
        return email + " " + kinds;
    }
}
