package io.opcamel.reconcile;

import java.util.Collection;
import java.util.Map;

/**
 * What the bridge has: every user by userName (ignoring case), every group's displayName by id, and how many pages
 * it took to read them.
 */
public record BridgeState(Map<String, BridgeUser> users, Map<String, String> groupNames, int userPages,
        int groupPages) {

    public BridgeUser user(String key) {
        return users.get(key);
    }

    public Collection<BridgeUser> allUsers() {
        return users.values();
    }
}
