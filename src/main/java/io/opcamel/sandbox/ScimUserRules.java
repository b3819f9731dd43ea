package io.opcamel.sandbox;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What 1Password demands of a user's email: userName is the account's sign-in email, so it must look like one, and
 * when the account restricts email domains the domain must be on the list (otherwise the real bridge's provisioning
 * fails; here it is a 400 so the caller sees why).
 */
final class ScimUserRules {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s.]+");

    /** Lower-cased; empty = any domain. */
    private final List<String> allowedDomains;

    ScimUserRules(List<String> allowedDomains) {
        this.allowedDomains = allowedDomains == null ? List.of()
                : allowedDomains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).toList();
    }

    /** The userName, checked: email-shaped and (when the account restricts them) on an allowed domain. */
    String userName(String userName) {
        email(userName, "userName");
        if (!allowedDomains.isEmpty()) {
            String domain = userName.substring(userName.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
            if (!allowedDomains.contains(domain)) {
                // exact domain match: a subdomain is a different domain to 1Password's allowed-domains list
                throw ScimException.invalidValue("email domain '" + domain
                        + "' is not an allowed domain of this 1Password account");
            }
        }
        return userName;
    }

    /** An email address, checked for shape only. */
    String email(String value, String attribute) {
        if (value == null || !EMAIL.matcher(value).matches()) {
            throw ScimException.invalidValue(attribute + " must be an email address, got '" + value + "'");
        }
        return value;
    }
}
