package io.opcamel.scim.gateway;

import io.opcamel.scim.ScimError;
import io.opcamel.scim.ScimFilters;
import io.opcamel.scim.ScimRequestNormaliser;

/**
 * What Okta and Entra ID send, turned into the strict RFC 7644 form the bridge accepts ({@link ScimRequestNormaliser},
 * {@link ScimFilters}): the request's body and filter are replaced by their normal form. A body that cannot be read
 * unambiguously is refused (rule "normalise"), a filter the bridge cannot run is a 400 invalidFilter (rule "filter").
 */
public final class IdpDialect {

    private final ScimRequestNormaliser normaliser = new ScimRequestNormaliser();

    /** The normalise-the-idp-s-dialect step: the body of a create, replace or patch, the filter of a list. */
    public void normalise(ScimRequest r) {
        boolean users = "Users".equals(r.resource);
        try {
            switch (r.operation) {
                case create, replace -> r.json = users ? normaliser.user(r.json) : normaliser.group(r.json);
                case patch -> r.json = users ? normaliser.userPatch(r.json) : normaliser.groupPatch(r.json, null);
                default -> {
                }
            }
        } catch (ScimError e) {
            throw e.by("normalise");
        }
        String filter = r.query.get("filter");
        if (r.operation == ScimRequest.Operation.list && filter != null) {
            try {
                r.query.put("filter", ScimFilters.normalise(filter,
                        users ? ScimFilters.Endpoint.USERS : ScimFilters.Endpoint.GROUPS));
            } catch (ScimError e) {
                throw e.by("filter");
            }
        }
    }

    /**
     * The drop-okta-s-rename-to-the-same-name step: Okta sends the group's own displayName with every membership
     * change; with the current group known (looked up for a group PATCH), a rename to the name it has is dropped,
     * and a PATCH left with nothing to do is answered without calling the bridge.
     */
    public void dropRenameToTheSameName(ScimRequest r) {
        if (r.operation == ScimRequest.Operation.patch && "Groups".equals(r.resource) && r.current != null
                && !r.isNothingToChange()) {
            r.json = normaliser.groupPatch(r.json, r.current);
        }
    }
}
