package io.opcamel.scim;

import io.opcamel.config.Settings;
import java.util.Locale;

/**
 * Guests cannot be managed through 1Password's SCIM bridge. SCIM has no guest flag of its own, and the bridge
 * facts name none, so a guest is recognised by what IdPs send: {@code userType} "Guest" (RFC 7643 §4.1.1; Entra
 * B2B guests when userType is mapped) or Entra's B2B marker {@code #EXT#} in userName or an email (a guest's UPN,
 * alias#EXT#@tenant, when originalUserPrincipalName is mapped).
 */
public final class GuestUsers implements Guardrail {

    public static final String NAME = "guest-users";

    private final boolean refuse;

    public GuestUsers(boolean refuse) {
        this.refuse = refuse;
    }

    static GuestUsers from(Settings settings) {
        return new GuestUsers(Guardrails.choice(settings, NAME, "refuse", "allow").equals("refuse"));
    }

    @Override
    public String name() {
        return NAME;
    }

    void check(UserChanges change) {
        if (!refuse) {
            return;
        }
        if (change.userType() != null && change.userType().equalsIgnoreCase("Guest")) {
            throw refused("userType is '" + change.userType() + "'");
        }
        for (String address : change.addresses()) {
            if (address.toUpperCase(Locale.ROOT).contains("#EXT#")) {
                throw refused("'" + address + "' is an Entra B2B guest (#EXT#)");
            }
        }
    }

    private ScimError refused(String why) {
        return ScimError.guardrail(this, 400, "invalidValue",
                "guest users cannot be managed through 1Password's SCIM bridge: " + why);
    }
}
