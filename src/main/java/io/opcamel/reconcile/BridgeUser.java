package io.opcamel.reconcile;

/**
 * One user as the bridge has them, reduced to what reconciliation compares: the SCIM id, userName (the email),
 * names, whether active, and the ids of their groups (shared instances, one per group).
 */
public record BridgeUser(String id, String userName, String givenName, String familyName, boolean active,
        String[] groupIds) {
}
