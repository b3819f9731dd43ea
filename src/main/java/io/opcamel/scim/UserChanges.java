package io.opcamel.scim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a request asserts about a user's identity and status: from a full User (POST, PUT) or from the add and
 * replace operations of a PatchOp (with a path, or path-less with attribute keys). Nulls: not asserted.
 */
record UserChanges(String userName, List<String> emails, Boolean active, String userType) {

    static UserChanges ofResource(JsonNode user) {
        Builder b = new Builder();
        for (String attribute : List.of("userName", "emails", "active", "userType")) {
            b.set(ScimPath.parse(attribute), ScimNodes.field(user, attribute));
        }
        return b.build();
    }

    static UserChanges ofPatch(JsonNode patch) {
        Builder b = new Builder();
        JsonNode ops = ScimNodes.field(patch, "Operations");
        for (JsonNode o : ops == null ? List.<JsonNode>of() : ops) {
            String op = ScimNodes.text(o, "op");
            if (op == null || op.equalsIgnoreCase("remove")) {
                continue; // removing userName is refused by the bridge; removing emails falls back to userName
            }
            String path = ScimNodes.text(o, "path");
            JsonNode value = ScimNodes.field(o, "value");
            if (path != null) {
                b.set(ScimPath.parse(path), value);
            } else if (value != null && value.isObject()) {
                for (Map.Entry<String, JsonNode> e : value.properties()) {
                    b.set(ScimPath.parse(e.getKey()), e.getValue());
                }
            }
        }
        return b.build();
    }

    /** userName and every email, in that order: the addresses whose domain and identity matter. */
    List<String> addresses() {
        List<String> all = new ArrayList<>();
        if (userName != null) {
            all.add(userName);
        }
        if (emails != null) {
            all.addAll(emails);
        }
        return all;
    }

    private static final class Builder {
        private String userName;
        private List<String> emails;
        private Boolean active;
        private String userType;

        void set(ScimPath p, JsonNode v) {
            if (v == null) {
                return;
            }
            if (p.is("userName") && v.isTextual()) {
                userName = v.textValue().trim();
            } else if (p.is("active") && v.isBoolean()) {
                active = v.booleanValue();
            } else if (p.is("userType") && v.isTextual()) {
                userType = v.textValue().trim();
            } else if (p.isAttribute("emails")) {
                if (emails == null) {
                    emails = new ArrayList<>();
                }
                if (p.sub() != null) {
                    if (p.sub().equalsIgnoreCase("value") && v.isTextual()) {
                        emails.add(v.textValue().trim()); // emails[type eq "work"].value
                    }
                } else {
                    for (JsonNode e : v.isArray() ? v : List.of(v)) {
                        String value = ScimNodes.text(e, "value");
                        if (value != null) {
                            emails.add(value.trim());
                        }
                    }
                }
            }
        }

        UserChanges build() {
            return new UserChanges(userName, emails == null ? null : List.copyOf(emails), active, userType);
        }
    }
}
