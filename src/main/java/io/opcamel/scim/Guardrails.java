package io.opcamel.scim;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.Settings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The SCIM gateway's guardrails, applied to a request after {@link ScimRequestNormaliser} and before it is
 * forwarded: each method returns the body to forward (the same one, or rewritten by nested-groups flattening) or
 * throws the {@link ScimError} to answer the IdP with; {@link ScimError#guardrail()} names the rule that refused.
 * Every rule is on by default and configured by its own property, {@code onepassword.scim.guardrails.<name>}.
 */
public final class Guardrails {

    private final AllowedEmailDomains allowedEmailDomains;
    private final SuspendedUserIdentity suspendedUserIdentity;
    private final GuestUsers guestUsers;
    private final NestedGroups nestedGroups;
    private final ManagedGroups managedGroups;
    private final DeleteAsSuspend userDelete;
    private final DuplicateCreate duplicateCreate;

    public Guardrails(AllowedEmailDomains allowedEmailDomains, SuspendedUserIdentity suspendedUserIdentity,
            GuestUsers guestUsers, NestedGroups nestedGroups, ManagedGroups managedGroups, DeleteAsSuspend userDelete,
            DuplicateCreate duplicateCreate) {
        this.allowedEmailDomains = allowedEmailDomains;
        this.suspendedUserIdentity = suspendedUserIdentity;
        this.guestUsers = guestUsers;
        this.nestedGroups = nestedGroups;
        this.managedGroups = managedGroups;
        this.userDelete = userDelete;
        this.duplicateCreate = duplicateCreate;
    }

    /** Reads every rule's property; a bad value is an {@link InvalidConfigException} naming it. */
    public static Guardrails from(Settings settings) {
        return new Guardrails(AllowedEmailDomains.from(settings), SuspendedUserIdentity.from(settings),
                GuestUsers.from(settings), NestedGroups.from(settings), ManagedGroups.from(settings),
                DeleteAsSuspend.from(settings), DuplicateCreate.from(settings));
    }

    /** Every rule, for metrics that count refusals by {@link Guardrail#name()}. */
    public List<Guardrail> all() {
        return List.of(allowedEmailDomains, suspendedUserIdentity, guestUsers, nestedGroups, managedGroups,
                userDelete, duplicateCreate);
    }

    /** The groups onepassword.scim.guardrails.managed-groups lists (empty: every group). */
    public List<String> managedGroupNames() {
        return managedGroups.names();
    }

    /** Whether {@link #userCreate} must be told if the userName exists (duplicate-create refuses). */
    public boolean needsUserNameLookup() {
        return duplicateCreate.needsLookup();
    }

    /** Whether {@link #userReplace} and {@link #userPatch} need the current user (suspended-user-identity refuses). */
    public boolean needsCurrentUser() {
        return suspendedUserIdentity.needsCurrent();
    }

    /** Whether {@link #groupReplace}, {@link #groupPatch} and {@link #groupDelete} need the current group. */
    public boolean needsCurrentGroup() {
        return !managedGroups.names().isEmpty();
    }

    /**
     * The user rules that need nothing from the bridge (guest users, allowed email domains), for a User
     * ({@code patch} false) or a normalised PatchOp: a caller that must look something up first applies these
     * before it does, so a request they refuse never reaches the bridge. The full checks below apply them again.
     */
    public void userContent(JsonNode userOrPatch, boolean patch) {
        UserChanges change = patch ? UserChanges.ofPatch(userOrPatch) : UserChanges.ofResource(userOrPatch);
        guestUsers.check(change);
        allowedEmailDomains.check(change);
    }

    /** POST /Users. {@code userNameExists}: whether the bridge already has a user with this userName. */
    public JsonNode userCreate(JsonNode user, boolean userNameExists) {
        UserChanges change = UserChanges.ofResource(user);
        guestUsers.check(change);
        allowedEmailDomains.check(change);
        duplicateCreate.check(user, userNameExists);
        return user;
    }

    /** PUT /Users/{id}. {@code current}: the user as the bridge returns it now. */
    public JsonNode userReplace(JsonNode user, JsonNode current) {
        UserChanges change = UserChanges.ofResource(user);
        guestUsers.check(change);
        allowedEmailDomains.check(change);
        suspendedUserIdentity.check(change, current);
        return user;
    }

    /** PATCH /Users/{id} (normalised). {@code current}: the user as the bridge returns it now. */
    public JsonNode userPatch(JsonNode patch, JsonNode current) {
        UserChanges change = UserChanges.ofPatch(patch);
        guestUsers.check(change);
        allowedEmailDomains.check(change);
        suspendedUserIdentity.check(change, current);
        return patch;
    }

    /** DELETE /Users/{id}: what to send the bridge instead, or the DELETE itself. */
    public UserDelete userDelete(String id) {
        return userDelete.decide(id);
    }

    /** POST /Groups; the result may have nested groups flattened. */
    public JsonNode groupCreate(JsonNode group, GroupLookup lookup) {
        String name = ScimNodes.text(group, "displayName");
        managedGroups.check(null, name == null ? "" : name);
        return nestedGroups.group(group, lookup);
    }

    /** PUT /Groups/{id}. {@code current}: the group as the bridge returns it now. */
    public JsonNode groupReplace(JsonNode group, JsonNode current, GroupLookup lookup) {
        managedGroups.check(requireCurrent(current), ScimNodes.text(group, "displayName"));
        return nestedGroups.group(group, lookup);
    }

    /** PATCH /Groups/{id} (normalised). {@code current}: the group as the bridge returns it now. */
    public JsonNode groupPatch(JsonNode patch, JsonNode current, GroupLookup lookup) {
        managedGroups.check(requireCurrent(current), null);
        for (String newName : renames(patch)) {
            managedGroups.check(current, newName);
        }
        return nestedGroups.patch(patch, lookup);
    }

    /** DELETE /Groups/{id}. {@code current}: the group as the bridge returns it now. */
    public void groupDelete(JsonNode current) {
        managedGroups.check(requireCurrent(current), null);
    }

    private JsonNode requireCurrent(JsonNode current) {
        if (current == null && !managedGroups.names().isEmpty()) {
            throw new IllegalArgumentException("guardrail " + ManagedGroups.NAME + " needs the current group");
        }
        return current;
    }

    /** The displayNames a group PatchOp sets, with a path or path-less. */
    private static List<String> renames(JsonNode patch) {
        List<String> names = new ArrayList<>();
        JsonNode ops = ScimNodes.field(patch, "Operations");
        for (JsonNode o : ops == null ? List.<JsonNode>of() : ops) {
            if ("remove".equalsIgnoreCase(ScimNodes.text(o, "op"))) {
                continue;
            }
            String path = ScimNodes.text(o, "path");
            JsonNode value = ScimNodes.field(o, "value");
            JsonNode name = path == null ? ScimNodes.field(value, "displayName")
                    : ScimPath.parse(path).is("displayName") ? value : null;
            if (name != null && name.isTextual()) {
                names.add(name.textValue());
            }
        }
        return names;
    }

    /** The lower-cased value of onepassword.scim.guardrails.&lt;rule&gt;, one of the choices. */
    static String choice(Settings settings, String rule, String... choices) {
        String key = Guardrail.PROPERTY_PREFIX + rule;
        String v = settings.required(key).toLowerCase(Locale.ROOT);
        if (!Arrays.asList(choices).contains(v)) {
            throw new InvalidConfigException(key, "must be one of " + String.join(", ", choices) + ", got '"
                    + settings.required(key) + "'");
        }
        return v;
    }
}
