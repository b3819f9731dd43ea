package io.opcamel.scim;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.config.Settings;

/**
 * A create for a userName that already exists is answered 409 uniqueness (RFC 7644 §3.3), which Okta and Entra
 * expect; what the bridge itself does with it is not documented.
 */
public final class DuplicateCreate implements Guardrail {

    public static final String NAME = "duplicate-create";

    private final boolean refuse;

    public DuplicateCreate(boolean refuse) {
        this.refuse = refuse;
    }

    static DuplicateCreate from(Settings settings) {
        return new DuplicateCreate(Guardrails.choice(settings, NAME, "refuse", "allow").equals("refuse"));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Whether {@link #check} needs to know if the userName exists: only when it refuses. */
    boolean needsLookup() {
        return refuse;
    }

    void check(JsonNode user, boolean userNameExists) {
        if (refuse && userNameExists) {
            throw ScimError.guardrail(this, 409, "uniqueness",
                    "a user with userName '" + ScimNodes.text(user, "userName") + "' already exists in 1Password");
        }
    }
}
