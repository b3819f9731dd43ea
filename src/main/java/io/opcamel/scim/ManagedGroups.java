package io.opcamel.scim;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.config.Settings;
import java.util.List;

/**
 * Only the listed groups (by displayName, ignoring case; none listed: all) may be created, changed or deleted
 * through the gateway, as 1Password's own "Managed Groups" setting does. It keeps an IdP from touching built-in
 * groups such as Owners or Administrators. A rename must stay within the list, or the group would leave it.
 */
public final class ManagedGroups implements Guardrail {

    public static final String NAME = "managed-groups";

    private final List<String> names;

    public ManagedGroups(List<String> names) {
        this.names = names.stream().map(String::trim).toList();
    }

    static ManagedGroups from(Settings settings) {
        return new ManagedGroups(Settings.list(settings.optional(Guardrail.PROPERTY_PREFIX + NAME).orElse("")));
    }

    @Override
    public String name() {
        return NAME;
    }

    public List<String> names() {
        return names;
    }

    /** The group as it is now (null for a create) and the displayName the request gives it (null: unchanged). */
    void check(JsonNode current, String newName) {
        if (names.isEmpty()) {
            return;
        }
        if (current != null) {
            String name = ScimNodes.text(current, "displayName");
            if (!managed(name)) {
                throw refused("group '" + name + "' is not a managed group; changes to it are refused");
            }
        }
        if (newName != null && !managed(newName)) {
            throw refused((current == null ? "creating" : "renaming a group to") + " '" + newName
                    + "' is refused: it is not a managed group");
        }
    }

    private boolean managed(String name) {
        return name != null && names.stream().anyMatch(n -> n.equalsIgnoreCase(name.trim()));
    }

    private ScimError refused(String problem) {
        return ScimError.guardrail(this, 403, null, problem + " (managed: " + String.join(", ", names) + ")");
    }
}
