package io.opcamel.reconcile;

import java.util.Locale;

/** What differs between the desired state and the bridge for one person. */
public enum DriftKind {
    /** desired, not in the bridge: a joiner */
    MISSING,
    /** desired, in the bridge but suspended (active=false): a rejoiner */
    SUSPENDED,
    /** active in the bridge, not desired: a leaver (a suspension) */
    EXTRA,
    /** givenName or familyName differ: a mover */
    ATTRIBUTES,
    /** membership of managed groups differs: a mover */
    GROUPS;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
