package io.opcamel.reconcile;

import java.util.List;
import java.util.Locale;

/**
 * One person as the desired state has them. {@code groups} names the groups they must be in (null: the source says
 * nothing about their groups, so their memberships are not reconciled). Kept small: a run holds one per person.
 */
public record Person(String email, String givenName, String familyName, List<String> groups) {

    /** How people are matched with bridge users: the email, ignoring case (1Password matches by email). */
    public String key() {
        return key(email);
    }

    /** {@code toLowerCase} returns the same instance when nothing changes, so lower-case emails cost no copy. */
    static String key(String email) {
        return email.toLowerCase(Locale.ROOT);
    }
}
