package io.opcamel.reconcile;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * What the bridge has: every user by userName (ignoring case), every group's displayName by id, the ids of groups
 * it does not name even by id (unidentified), and how many pages it took to read them.
 */
public record BridgeState(Map<String, BridgeUser> users, Map<String, String> groupNames,
        Set<String> unidentifiedGroups, int userPages, int groupPages) {

    public BridgeUser user(String key) {
        return users.get(key);
    }

    public Collection<BridgeUser> allUsers() {
        return users.values();
    }
}
