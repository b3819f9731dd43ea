package io.opcamel.scim;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * No userName or email change on a suspended user. 1Password matches people by email: an address changed while
 * the user is suspended (and IdPs often do not sync suspended users) makes the bridge treat them as a new person on
 * reactivation, a duplicate account. A request that also reactivates the user is let through: the change then
 * lands on an active account.
 */
public final class SuspendedUserIdentity implements Guardrail {

    public static final String NAME = "suspended-user-identity";

    private final boolean refuse;

    public SuspendedUserIdentity(boolean refuse) {
        this.refuse = refuse;
    }

    static SuspendedUserIdentity from(Settings settings) {
        return new SuspendedUserIdentity(Guardrails.choice(settings, NAME, "refuse", "allow").equals("refuse"));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Whether {@link #check} needs the current user: only when it refuses. */
    boolean needsCurrent() {
        return refuse;
    }

    /** @param current the user as the bridge returns it now */
    void check(UserChanges change, JsonNode current) {
        if (!refuse) {
            return;
        }
        if (current == null) {
            throw new IllegalArgumentException("guardrail " + NAME + " needs the current user");
        }
        JsonNode active = ScimNodes.field(current, "active");
        boolean suspended = active != null && (active.isBoolean() ? !active.booleanValue()
                : active.isTextual() && active.textValue().equalsIgnoreCase("false"));
        if (!suspended || Boolean.TRUE.equals(change.active())) {
            return;
        }
        List<String> known = new ArrayList<>();
        String userName = ScimNodes.text(current, "userName");
        if (userName != null) {
            known.add(userName.toLowerCase(Locale.ROOT));
        }
        JsonNode emails = ScimNodes.field(current, "emails");
        for (JsonNode e : emails != null && emails.isArray() ? emails : List.<JsonNode>of()) {
            String v = ScimNodes.text(e, "value");
            if (v != null) {
                known.add(v.toLowerCase(Locale.ROOT));
            }
        }
        List<String> changed = new ArrayList<>();
        if (change.userName() != null && (userName == null || !change.userName().equalsIgnoreCase(userName))) {
            changed.add("userName to '" + change.userName() + "'");
        }
        for (String e : change.emails() == null ? List.<String>of() : change.emails()) {
            if (!known.contains(e.toLowerCase(Locale.ROOT))) {
                changed.add("email to '" + e + "'");
            }
        }
        if (!changed.isEmpty()) {
            throw ScimError.guardrail(this, 400, "mutability", "user '" + ScimNodes.text(current, "id")
                    + "' is suspended: changing " + String.join(", ", changed) + " is refused until the user is "
                    + "reactivated (1Password would take them for a new person and create a duplicate account)");
        }
    }
}
