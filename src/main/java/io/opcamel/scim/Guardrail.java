package io.opcamel.scim;

/**
 * One guardrail of the SCIM gateway: a rule checked before a request reaches the 1Password bridge. Its name is
 * what a refusal's detail starts with ("guardrail &lt;name&gt;: ...") and what metrics count rejections by; its
 * property is the key that configures or switches it.
 */
public interface Guardrail {

    String PROPERTY_PREFIX = "onepassword.scim.guardrails.";

    String name();

    default String property() {
        return PROPERTY_PREFIX + name();
    }
}
