package io.opcamel.sandbox;

/**
 * A provisioned user's state inside 1Password. SCIM itself only shows {@code active}: INVITED and ACTIVE both read
 * {@code active:true} (the bridge hides pending invitations), SUSPENDED reads {@code active:false}.
 */
public enum ScimUserState {
    /** Created through SCIM, invitation not yet accepted (1Password shows "Pending Provision"). */
    INVITED,
    /** Invitation accepted and confirmed by the bridge's ConfirmationWatcher. */
    ACTIVE,
    /** Deprovisioned ({@code active:false} or DELETE): kept, listed, but cannot sign in. */
    SUSPENDED
}
