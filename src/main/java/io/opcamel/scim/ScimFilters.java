package io.opcamel.scim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Filters in the dialect the 1Password bridge accepts: {@code attr eq "value"} clauses joined by {@code and}, on
 * the attributes it can filter (Users: userName, externalId, id; Groups: displayName, externalId, id). That is the
 * slice Okta and Entra use (RFC 7644 §3.4.2.2 allows far more). The normalised form quotes Entra's unquoted values
 * ({@code externalId eq jyoung}), lower-cases operators, drops the core schema URN prefix and spells attributes
 * canonically; anything else is a 400 invalidFilter here, with a detail the IdP's admin can act on, rather than a
 * guess or an opaque failure at the bridge.
 */
public final class ScimFilters {

    /** The endpoint a filter is sent to, and the attributes the bridge filters it on. */
    public enum Endpoint {
        USERS("userName", "externalId", "id"),
        GROUPS("displayName", "externalId", "id");

        private final List<String> attributes;

        Endpoint(String... attributes) {
            this.attributes = List.of(attributes);
        }

        public List<String> attributes() {
            return attributes;
        }
    }

    /** One {@code attr eq value} clause; value is a JSON string, or (in a value path only) true, false or null. */
    record Clause(String attribute, JsonNode value) {
    }

    private static final List<String> ANY_ENDPOINT;

    static {
        Set<String> all = new LinkedHashSet<>();
        for (Endpoint e : Endpoint.values()) {
            all.addAll(e.attributes());
        }
        ANY_ENDPOINT = List.copyOf(all);
    }

    private static final Set<String> OTHER_OPERATORS = Set.of("ne", "co", "sw", "ew", "pr", "gt", "ge", "lt", "le");
    private static final Pattern CORE_URN = Pattern.compile(
            "(?i)urn:ietf:params:scim:schemas:core:2\\.0:(User|Group):");
    private static final Pattern ATTR_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_$-]*");

    private ScimFilters() {
    }

    /**
     * The filter in the bridge's form, for either endpoint (null stays null: no filter). Prefer
     * {@link #normalise(String, Endpoint)} when the endpoint is known: it also refuses attributes of the other one.
     */
    public static String normalise(String filter) {
        return filter == null ? null : render(parse(filter, ANY_ENDPOINT, false));
    }

    /** The filter in the bridge's form for the given endpoint (null stays null: no filter). */
    public static String normalise(String filter, Endpoint endpoint) {
        return filter == null ? null : render(parse(filter, endpoint.attributes(), false));
    }

    /**
     * Parses a filter. {@code attributes} are the canonical names allowed (null: any attribute name, as inside a
     * value path such as {@code members[value eq "x"]}). In a value path, unquoted true, false and null keep their
     * JSON meaning ({@code emails[primary eq true]}); at the top level every filterable attribute is a string, so
     * every unquoted value is a string.
     */
    static List<Clause> parse(String filter, List<String> attributes, boolean valuePath) {
        return new Parser(filter, attributes, valuePath).parse();
    }

    static String render(List<Clause> clauses) {
        StringBuilder b = new StringBuilder();
        for (Clause c : clauses) {
            if (b.length() > 0) {
                b.append(" and ");
            }
            b.append(c.attribute()).append(" eq ").append(c.value().toString()); // toString is JSON, escapes included
        }
        return b.toString();
    }

    private static final class Parser {
        private final String s;
        private final List<String> attributes;
        private final boolean valuePath;
        private int i;

        Parser(String s, List<String> attributes, boolean valuePath) {
            this.s = s;
            this.attributes = attributes;
            this.valuePath = valuePath;
        }

        List<Clause> parse() {
            List<Clause> out = new ArrayList<>();
            skipWs();
            if (i >= s.length()) {
                throw fail("filter is empty");
            }
            while (true) {
                out.add(clause());
                skipWs();
                if (i >= s.length()) {
                    return out;
                }
                int at = i;
                String word = word();
                if (word.equalsIgnoreCase("or") || word.equalsIgnoreCase("not")) {
                    throw fail("'" + word + "' is not supported by the 1Password bridge; only 'eq' clauses joined by 'and'");
                }
                if (!word.equalsIgnoreCase("and")) {
                    throw fail("expected 'and' at position " + at + " of filter '" + s
                            + "' (an unquoted value cannot contain spaces: quote it)");
                }
                requireWs("after 'and'");
            }
        }

        private Clause clause() {
            int start = i;
            while (i < s.length() && isAttrChar(s.charAt(i))) {
                i++;
            }
            String attr = s.substring(start, i);
            if (attr.equalsIgnoreCase("not") && i < s.length()
                    && (s.charAt(i) == '(' || Character.isWhitespace(s.charAt(i)))) {
                throw fail("'not' is not supported by the 1Password bridge; only 'eq' clauses joined by 'and'");
            }
            if (i < s.length() && (s.charAt(i) == '[' || s.charAt(i) == '(')) {
                throw fail("value paths and grouping ('" + s.charAt(i) + "' at position " + i
                        + ") are not supported by the 1Password bridge; filter on " + supported());
            }
            if (attr.isEmpty() || !Character.isLetter(attr.charAt(0))) {
                throw fail("expected an attribute name at position " + start + " of filter '" + s + "'");
            }
            String canonical = resolve(attr);
            requireWs("after '" + attr + "'");
            int opAt = i;
            String op = word();
            if (!op.equalsIgnoreCase("eq")) {
                if (OTHER_OPERATORS.contains(op.toLowerCase(Locale.ROOT))) {
                    throw fail("operator '" + op + "' is not supported by the 1Password bridge; only 'eq'");
                }
                throw fail("expected an operator at position " + opAt + " of filter '" + s + "'");
            }
            if (i >= s.length()) {
                throw fail("'" + attr + " eq' needs a value");
            }
            requireWs("after 'eq'");
            if (i >= s.length()) {
                throw fail("'" + attr + " eq' needs a value");
            }
            return new Clause(canonical, value());
        }

        private String resolve(String attr) {
            String name = CORE_URN.matcher(attr).lookingAt() ? attr.substring(attr.lastIndexOf(':') + 1) : attr;
            if (attributes == null) {
                if (!ATTR_NAME.matcher(name).matches()) {
                    throw fail("'" + attr + "' is not a sub-attribute name");
                }
                return name;
            }
            for (String a : attributes) {
                if (a.equalsIgnoreCase(name)) {
                    return a;
                }
            }
            throw fail("attribute '" + attr + "' cannot be filtered on by the 1Password bridge; use " + supported());
        }

        private JsonNode value() {
            if (s.charAt(i) == '"') {
                int start = i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                if (i >= s.length()) {
                    throw fail("unterminated string starting at position " + start + " of filter '" + s + "'");
                }
                i++;
                try {
                    return TextNode.valueOf(ScimNodes.MAPPER.readValue(s.substring(start, i), String.class));
                } catch (JsonProcessingException e) {
                    throw fail("invalid escape in the string at position " + start + " of filter '" + s + "'");
                }
            }
            int start = i;
            while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String literal = s.substring(start, i);
            if (valuePath) {
                switch (literal) {
                    case "true" -> {
                        return BooleanNode.TRUE;
                    }
                    case "false" -> {
                        return BooleanNode.FALSE;
                    }
                    case "null" -> {
                        return NullNode.getInstance();
                    }
                    default -> {
                    }
                }
            }
            return TextNode.valueOf(literal); // Entra's unquoted externalId eq jyoung: a string, now quoted
        }

        private String supported() {
            return attributes == null ? "a sub-attribute" : String.join(", ", attributes) + " (with 'eq')";
        }

        private String word() {
            int start = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            return s.substring(start, i);
        }

        private void requireWs(String where) {
            if (i >= s.length()) {
                throw fail("filter '" + s + "' is incomplete: it ends " + where);
            }
            if (!Character.isWhitespace(s.charAt(i))) {
                throw fail("expected a space " + where + " (position " + i + " of filter '" + s + "')");
            }
            skipWs();
        }

        private void skipWs() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private ScimError fail(String detail) {
            return valuePath ? ScimError.invalidPath(detail) : ScimError.invalidFilter(detail);
        }

        private static boolean isAttrChar(char c) {
            return Character.isLetterOrDigit(c) || c == '.' || c == ':' || c == '_' || c == '-' || c == '$';
        }
    }
}
