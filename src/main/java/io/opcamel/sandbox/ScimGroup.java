package io.opcamel.sandbox;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A group as the bridge stores it. Membership lives here (user ids, in the order they were added); the SCIM
 * surface never returns it, so tests read it through {@link #memberIds()}. Handed-out instances are copies.
 */
public final class ScimGroup {

    String id;
    String displayName;
    String externalId;
    Set<String> members = new LinkedHashSet<>();
    Instant created;
    Instant lastModified;

    ScimGroup() {
    }

    ScimGroup copy() {
        ScimGroup c = new ScimGroup();
        c.id = id;
        c.displayName = displayName;
        c.externalId = externalId;
        c.members = new LinkedHashSet<>(members);
        c.created = created;
        c.lastModified = lastModified;
        return c;
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public String externalId() {
        return externalId;
    }

    public List<String> memberIds() {
        return List.copyOf(members);
    }

    public Instant created() {
        return created;
    }

    public Instant lastModified() {
        return lastModified;
    }
}
