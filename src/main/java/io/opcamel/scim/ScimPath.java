package io.opcamel.scim;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A PATCH path (RFC 7644 §3.5.2: {@code [urn:]attr[.sub]} or {@code attr[filter][.sub]}), parsed so it can be
 * checked and written back in one canonical form: the core schema URN dropped, the value filter normalised.
 *
 * @param urn       an extension schema URN the attribute belongs to, or null
 * @param attribute the attribute, as sent
 * @param filter    the clauses of {@code [filter]}, or null
 * @param sub       the sub-attribute, or null
 */
record ScimPath(String urn, String attribute, List<ScimFilters.Clause> filter, String sub) {

    private static final Pattern NAME = Pattern.compile("\\$?[A-Za-z][A-Za-z0-9_$-]*");
    private static final Pattern URN = Pattern.compile("(?i)urn:[A-Za-z0-9._:-]+");
    private static final Pattern CORE_URN = Pattern.compile("(?i)urn:ietf:params:scim:schemas:core:2\\.0:(User|Group)");

    static ScimPath parse(String text) {
        String p = text.trim();
        if (p.isEmpty()) {
            throw ScimError.invalidPath("path must not be empty");
        }
        int bracket = p.indexOf('[');
        String head = bracket < 0 ? p : p.substring(0, bracket);
        String urn = null;
        if (head.regionMatches(true, 0, "urn:", 0, 4)) {
            int colon = head.lastIndexOf(':');
            urn = head.substring(0, colon);
            head = head.substring(colon + 1);
            if (!URN.matcher(urn).matches()) {
                throw ScimError.invalidPath("path '" + text + "' has an invalid schema URN");
            }
            if (CORE_URN.matcher(urn).matches()) {
                urn = null; // urn:...:core:2.0:User:name.givenName is name.givenName
            }
        }
        String attribute;
        List<ScimFilters.Clause> filter = null;
        String sub;
        if (bracket < 0) {
            int dot = head.indexOf('.');
            attribute = dot < 0 ? head : head.substring(0, dot);
            sub = dot < 0 ? null : head.substring(dot + 1);
        } else {
            attribute = head;
            int close = closingBracket(p, bracket, text);
            String inner = p.substring(bracket + 1, close);
            try {
                filter = ScimFilters.parse(inner, null, true);
            } catch (ScimError e) {
                throw ScimError.invalidPath("path '" + text + "': " + e.detail());
            }
            String rest = p.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(".")) {
                throw ScimError.invalidPath("unexpected '" + rest + "' after ']' in path '" + text + "'");
            }
            sub = rest.isEmpty() ? null : rest.substring(1);
        }
        if (!NAME.matcher(attribute).matches() || (sub != null && !NAME.matcher(sub).matches())) {
            throw ScimError.invalidPath("path '" + text + "' is not an attribute path such as name.givenName or "
                    + "members[value eq \"<id>\"]");
        }
        return new ScimPath(urn, attribute, filter, sub);
    }

    /** A path naming this attribute alone: no URN, filter or sub-attribute. */
    boolean is(String attr) {
        return urn == null && filter == null && sub == null && attribute.equalsIgnoreCase(attr);
    }

    boolean isAttribute(String attr) {
        return urn == null && attribute.equalsIgnoreCase(attr);
    }

    /** The innermost name: the sub-attribute when there is one. */
    String leaf() {
        return sub != null ? sub : attribute;
    }

    String render() {
        StringBuilder b = new StringBuilder();
        if (urn != null) {
            b.append(urn).append(':');
        }
        b.append(attribute);
        if (filter != null) {
            b.append('[').append(ScimFilters.render(filter)).append(']');
        }
        if (sub != null) {
            b.append('.').append(sub);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    private static int closingBracket(String p, int open, String text) {
        boolean quoted = false;
        for (int i = open + 1; i < p.length(); i++) {
            char c = p.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ']' && !quoted) {
                return i;
            }
        }
        throw ScimError.invalidPath("unclosed '[' in path '" + text + "'");
    }
}
