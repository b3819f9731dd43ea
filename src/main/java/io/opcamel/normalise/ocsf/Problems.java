package io.opcamel.normalise.ocsf;

import java.util.List;

/**
 * The kinds of {@code Mapped.problem} the OCSF schema reports: short and stable, since they are a metric's label. When
 * an item has several, the one earliest in {@link #BY_RANK} is reported (a missing time matters more than a stray type).
 */
public final class Problems {

    /** The item has no {@code timestamp}: {@code time} is when the bundle read it, {@code metadata.original_time} absent. */
    public static final String MISSING_TIMESTAMP = "missing-timestamp";
    /**
     * {@code timestamp} is not an RFC 3339 time: as missing, the text kept as {@code metadata.original_time} (a value
     * that is not text under {@code unmapped.timestamp}).
     */
    public static final String UNREADABLE_TIMESTAMP = "unreadable-timestamp";
    /** An audit {@code object_type} absent or not in the routing table: Entity Management by the verb rule. */
    public static final String UNKNOWN_OBJECT_TYPE = "unknown-object-type";
    /** An audit {@code action} absent or not one 1Password documents. */
    public static final String UNKNOWN_AUDIT_ACTION = "unknown-audit-action";
    /** An item-usage {@code action} 1Password does not document (absent is normal: older clients send none). */
    public static final String UNKNOWN_ITEM_ACTION = "unknown-item-action";
    /** A sign-in {@code category} absent or not documented: {@code status_id} 0. */
    public static final String UNKNOWN_SIGNIN_CATEGORY = "unknown-signin-category";
    /** Nothing identifies the user, group or resource the class requires: written as {@code name: "Unknown"}. */
    public static final String MISSING_TARGET = "missing-target";
    /** A field of another JSON type than 1Password's (the item itself not an object): left under {@code unmapped}. */
    public static final String WRONG_TYPE = "wrong-type";

    public static final List<String> BY_RANK = List.of(MISSING_TIMESTAMP, UNREADABLE_TIMESTAMP, UNKNOWN_OBJECT_TYPE,
            UNKNOWN_AUDIT_ACTION, UNKNOWN_ITEM_ACTION, UNKNOWN_SIGNIN_CATEGORY, MISSING_TARGET, WRONG_TYPE);

    private Problems() {
    }

    /** The one of two problems (either may be null) to report. */
    static String worse(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return BY_RANK.indexOf(a) <= BY_RANK.indexOf(b) ? a : b;
    }
}
