package io.opcamel.sandbox;

/** One entry of a user's {@code emails}; the bridge echoes value and primary only, never type. */
public record ScimEmail(String value, boolean primary) {
}
