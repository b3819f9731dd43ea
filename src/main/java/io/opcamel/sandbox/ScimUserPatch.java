package io.opcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies PatchOp operations to a (copy of a) user. Supported paths: active, userName, displayName, externalId,
 * preferredLanguage, name and its sub-attributes, emails (the whole array) and the primary email's value as
 * {@code emails[type eq "work"].value} (or {@code emails[primary eq true].value}). An op without a path carries a
 * value object whose keys are such paths, e.g. Okta's {@code {"active":false}}.
 */
final class ScimUserPatch {

    private final ScimUserRules rules;

    ScimUserPatch(ScimUserRules rules) {
        this.rules = rules;
    }

    void apply(ScimUser u, List<ScimPatch.Op> ops) {
        for (ScimPatch.Op op : ops) {
            if (op.path() != null) {
                apply(u, op.op(), op.path(), op.value());
                continue;
            }
            if (!op.value().isObject()) {
                throw ScimException.invalidValue(op.op() + " without a path needs an object value");
            }
            for (Map.Entry<String, JsonNode> e : op.value().properties()) {
                if (e.getKey().equalsIgnoreCase("schemas")) {
                    continue; // some clients echo the resource's schemas: nothing to change
                }
                if (e.getKey().equalsIgnoreCase("id")) {
                    requireSameId(u, e.getValue());
                    continue;
                }
                apply(u, op.op(), ScimPatch.parsePath(e.getKey()), e.getValue());
            }
        }
    }

    private void apply(ScimUser u, String op, ScimPatch.Path path, JsonNode value) {
        boolean remove = op.equals("remove");
        if (path.is("active")) {
            requireNotRemoved(remove, path);
            u.setActive(ScimUserJson.bool(value, "active"));
        } else if (path.is("userName")) {
            requireNotRemoved(remove, path);
            u.userName = rules.userName(text(value, "userName", true).trim());
        } else if (path.is("displayName")) {
            u.displayName = remove ? null : blankToNull(text(value, "displayName", false));
        } else if (path.is("externalId")) {
            u.externalId = remove ? null : text(value, "externalId", false);
        } else if (path.is("preferredLanguage")) {
            String lang = remove ? null : blankToNull(text(value, "preferredLanguage", false));
            u.preferredLanguage = lang == null ? "en" : lang;
        } else if (path.is("name")) {
            requireNotRemoved(remove, path);
            if (value == null || !value.isObject()) {
                throw ScimException.invalidValue("name must be an object");
            }
            // RFC 7644 §3.5.2.3: sub-attributes not in the value are left unchanged
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                apply(u, op, new ScimPatch.Path("name." + e.getKey(), "name", null, e.getKey()), e.getValue());
            }
        } else if (path.is("name", "givenName")) {
            requireNotRemoved(remove, path);
            u.givenName = text(value, "name.givenName", true);
        } else if (path.is("name", "familyName")) {
            requireNotRemoved(remove, path);
            u.familyName = text(value, "name.familyName", true);
        } else if (path.is("name", "formatted")) {
            u.formatted = remove ? null : blankToNull(text(value, "name.formatted", false));
        } else if (path.is("emails")) {
            patchEmails(u, op, value);
        } else if (isPrimaryEmailValue(path)) {
            requireNotRemoved(remove, path);
            setPrimaryEmail(u, rules.email(text(value, "emails.value", true).trim(), "emails.value"));
        } else {
            throw ScimException.invalidPath("path '" + path.text() + "' is not supported on User");
        }
    }

    private void patchEmails(ScimUser u, String op, JsonNode value) {
        if (op.equals("remove")) {
            u.emails = null; // back to the derived [{userName, primary}]
            return;
        }
        List<ScimEmail> given = ScimUserJson.emails(value, rules);
        if (op.equals("replace") || given == null || u.emails == null) {
            u.emails = given;
            return;
        }
        // add to a multi-valued attribute appends (RFC 7644 §3.5.2.1); a new primary takes over from the old one
        boolean newPrimary = false; // did the client mark one primary (emails() marks the first when none is)?
        for (JsonNode e : value) {
            JsonNode p = ScimJson.field(e, "primary");
            newPrimary |= p != null && p.isBoolean() && p.booleanValue();
        }
        List<String> values = new ArrayList<>();
        int primary = -1;
        for (ScimEmail e : u.emails) {
            values.add(e.value());
            if (e.primary() && !newPrimary) {
                primary = values.size() - 1;
            }
        }
        for (ScimEmail e : given) {
            int at = indexOfIgnoreCase(values, e.value());
            if (at < 0) {
                values.add(e.value());
                at = values.size() - 1;
            }
            if (e.primary() && newPrimary) {
                primary = at;
            }
        }
        u.emails = ScimUserJson.withPrimary(values, Math.max(0, primary));
    }

    /** emails[type eq "work"].value and emails[primary eq true].value both address the primary email. */
    private static boolean isPrimaryEmailValue(ScimPatch.Path path) {
        if (!path.attribute().equalsIgnoreCase("emails") || path.filter() == null || path.sub() == null
                || !path.sub().equalsIgnoreCase("value")) {
            return false;
        }
        List<ScimFilter.Clause> clauses;
        try {
            clauses = ScimFilter.parse(path.filter(), List.of("type", "primary")).clauses();
        } catch (ScimException e) {
            throw ScimException.invalidPath("path '" + path.text() + "': " + e.getMessage());
        }
        if (clauses.size() != 1) {
            return false;
        }
        ScimFilter.Clause c = clauses.get(0);
        return (c.attribute().equals("type") && "work".equals(c.value()))
                || (c.attribute().equals("primary") && Boolean.TRUE.equals(c.value()));
    }

    private static void setPrimaryEmail(ScimUser u, String value) {
        if (u.emails == null) {
            u.emails = List.of(new ScimEmail(value, true));
            return;
        }
        List<ScimEmail> out = new ArrayList<>();
        for (ScimEmail e : u.emails) {
            out.add(e.primary() ? new ScimEmail(value, true) : e);
        }
        u.emails = List.copyOf(out);
    }

    private static void requireSameId(ScimUser u, JsonNode id) {
        if (id == null || !id.isTextual() || !id.textValue().equals(u.id)) {
            throw ScimException.badRequest("mutability", "id is read-only");
        }
    }

    private static void requireNotRemoved(boolean remove, ScimPatch.Path path) {
        if (remove) {
            throw ScimException.invalidValue("'" + path.text() + "' is required and cannot be removed");
        }
    }

    private static String text(JsonNode v, String attribute, boolean required) {
        if (v == null || !v.isTextual()) {
            throw ScimException.invalidValue(attribute + " must be a string, got " + v);
        }
        if (required && v.textValue().isBlank()) {
            throw ScimException.invalidValue(attribute + " must not be blank");
        }
        return v.textValue();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static int indexOfIgnoreCase(List<String> values, String v) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).equalsIgnoreCase(v)) {
                return i;
            }
        }
        return -1;
    }
}
