package io.opcamel.scim;

import io.opcamel.config.Settings;

/**
 * An IdP's DELETE of a user becomes a suspend. 1Password keeps a suspended user's vaults and lets the IdP reactivate
 * them; a real deletion is an owner's decision on 1Password.com. The bridge itself suspends on DELETE today, but
 * sending the suspend explicitly does not depend on that, and reports the change for what it is.
 */
public final class DeleteAsSuspend implements Guardrail {

    public static final String NAME = "user-delete";

    private final boolean suspend;

    public DeleteAsSuspend(boolean suspend) {
        this.suspend = suspend;
    }

    static DeleteAsSuspend from(Settings settings) {
        return new DeleteAsSuspend(Guardrails.choice(settings, NAME, "suspend", "forward").equals("suspend"));
    }

    @Override
    public String name() {
        return NAME;
    }

    UserDelete decide(String id) {
        return suspend ? UserDelete.asSuspend(id) : UserDelete.forward(id);
    }
}
