package io.opcamel.sandbox;

/** A user's membership as shown in the user's {@code groups}: the group's id and its display name. */
public record ScimGroupRef(String id, String displayName) {
}
