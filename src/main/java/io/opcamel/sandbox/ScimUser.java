package io.opcamel.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A user as the bridge stores it. Instances handed out by {@link SimulatedScimBridge} are snapshots (copies), so a test
 * can hold one without racing the server. Optional attributes the client never asserted stay null and are derived
 * when read (displayName and name.formatted from the name, emails from userName), as the real bridge does.
 */
public final class ScimUser {

    String id;
    String userName;
    String givenName;
    String familyName;
    /** Explicit name.formatted, or null to derive "given family". */
    String formatted;
    /** Explicit displayName, or null to derive "given family". */
    String displayName;
    /** Explicit emails, or null to derive [{userName, primary}]. */
    List<ScimEmail> emails;
    String externalId;
    String preferredLanguage = "en";
    ScimUserState state = ScimUserState.INVITED;
    /** Whether the invitation was ever accepted: decides where re-activation of a suspended user lands. */
    boolean accepted;
    Instant created;
    Instant lastModified;
    /** Group memberships, filled in when a snapshot is taken (the store keeps membership on the groups). */
    List<ScimGroupRef> groups = List.of();

    ScimUser() {
    }

    ScimUser copy() {
        ScimUser c = new ScimUser();
        c.id = id;
        c.userName = userName;
        c.givenName = givenName;
        c.familyName = familyName;
        c.formatted = formatted;
        c.displayName = displayName;
        c.emails = emails == null ? null : List.copyOf(emails);
        c.externalId = externalId;
        c.preferredLanguage = preferredLanguage;
        c.state = state;
        c.accepted = accepted;
        c.created = created;
        c.lastModified = lastModified;
        c.groups = groups;
        return c;
    }

    /** Applies SCIM {@code active}: false suspends, true re-activates to wherever the invitation had got to. */
    void setActive(boolean active) {
        if (!active) {
            state = ScimUserState.SUSPENDED;
        } else if (state == ScimUserState.SUSPENDED) {
            state = accepted ? ScimUserState.ACTIVE : ScimUserState.INVITED;
        }
    }

    public String id() {
        return id;
    }

    public String userName() {
        return userName;
    }

    public String givenName() {
        return givenName;
    }

    public String familyName() {
        return familyName;
    }

    public String formatted() {
        return formatted != null ? formatted : derivedName();
    }

    public String displayName() {
        return displayName != null ? displayName : derivedName();
    }

    /** The emails as returned: exactly one primary. */
    public List<ScimEmail> emails() {
        return emails != null ? emails : List.of(new ScimEmail(userName, true));
    }

    public String primaryEmail() {
        for (ScimEmail e : emails()) {
            if (e.primary()) {
                return e.value();
            }
        }
        return userName;
    }

    public String externalId() {
        return externalId;
    }

    public String preferredLanguage() {
        return preferredLanguage;
    }

    public ScimUserState state() {
        return state;
    }

    /** What SCIM shows: an invitation still reads active (the bridge does not expose pending users). */
    public boolean active() {
        return state != ScimUserState.SUSPENDED;
    }

    public Instant created() {
        return created;
    }

    public Instant lastModified() {
        return lastModified;
    }

    public List<ScimGroupRef> groups() {
        return groups;
    }

    public List<String> groupIds() {
        List<String> out = new ArrayList<>();
        groups.forEach(g -> out.add(g.id()));
        return out;
    }

    private String derivedName() {
        String g = givenName == null ? "" : givenName;
        String f = familyName == null ? "" : familyName;
        return (g + " " + f).trim();
    }
}
