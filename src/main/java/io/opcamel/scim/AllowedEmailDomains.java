package io.opcamel.scim;

import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * userName and emails must be on one of the listed domains (none listed: any). Exact match, ignoring case: a
 * subdomain is another domain, as in 1Password's own allowed-domains list. Refusing here gives the IdP a clear
 * answer instead of a failed invitation at 1Password.
 */
public final class AllowedEmailDomains implements Guardrail {

    public static final String NAME = "allowed-email-domains";

    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");

    private final List<String> domains;

    public AllowedEmailDomains(List<String> domains) {
        this.domains = domains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).toList();
    }

    static AllowedEmailDomains from(Settings settings) {
        String key = Guardrail.PROPERTY_PREFIX + NAME;
        List<String> domains = new ArrayList<>();
        for (String d : Settings.list(settings.optional(key).orElse(""))) {
            String domain = (d.startsWith("@") ? d.substring(1) : d).toLowerCase(Locale.ROOT);
            if (!DOMAIN.matcher(domain).matches()) {
                throw new InvalidConfigException(key, "must list email domains such as example.com, got '" + d + "'");
            }
            domains.add(domain);
        }
        return new AllowedEmailDomains(domains);
    }

    @Override
    public String name() {
        return NAME;
    }

    public List<String> domains() {
        return domains;
    }

    void check(UserChanges change) {
        if (domains.isEmpty()) {
            return;
        }
        for (String address : change.addresses()) {
            int at = address.lastIndexOf('@');
            String domain = at < 0 ? null : address.substring(at + 1).toLowerCase(Locale.ROOT);
            if (domain == null || !domains.contains(domain)) {
                throw ScimError.guardrail(this, 400, "invalidValue", (domain == null
                        ? "'" + address + "' is not an email address"
                        : "email domain '" + domain + "' of '" + address + "' is not allowed")
                        + "; allowed: " + String.join(", ", domains));
            }
        }
    }
}
