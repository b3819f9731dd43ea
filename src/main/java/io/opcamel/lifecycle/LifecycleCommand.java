package io.opcamel.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One joiner, mover, leaver or rejoiner command from an HR system or an ESB, as read and checked by
 * {@link LifecycleCommands}. The person is named by {@code email}, which is their 1Password userName; a mover that
 * changes it names the new one in {@code newEmail}. {@code groups} is the whole set of managed groups the person must
 * be in (null: memberships are not touched). {@code fingerprint} identifies the content, so a requestId sent again
 * with other content is told apart from a replay.
 */
public record LifecycleCommand(String requestId, Type type, String email, String newEmail, String givenName,
        String familyName, List<String> groups, Instant occurredAt, String source, String fingerprint) {

    public enum Type {
        JOINER, MOVER, LEAVER, REJOINER;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The userName the person must end with: the new email of a mover that changes it, else the email. */
    public String targetEmail() {
        return newEmail != null ? newEmail : email;
    }

    /** Whether the person must end active (every command but a leaver). */
    public boolean staysActive() {
        return type != Type.LEAVER;
    }

    @Override
    public String toString() {
        return type.label() + " " + requestId + " for " + email;
    }
}
