package io.opcamel.sandbox;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The slice of the RFC 7644 §3.4.2.2 filter grammar that IdPs use against the bridge: {@code attr eq value}
 * clauses joined with {@code and}. The simulator is the strict server behind a normalising gateway, so everything
 * else (other operators, {@code or}, grouping, value paths, unquoted values such as Entra's
 * {@code externalId eq jyoung}) is rejected with 400 invalidFilter rather than guessed at.
 */
final class ScimFilter {

    /** One {@code attr eq value} clause; value is a String or a Boolean. */
    record Clause(String attribute, Object value) {
    }

    private static final Set<String> OTHER_OPERATORS = Set.of("ne", "co", "sw", "ew", "pr", "gt", "ge", "lt", "le");
    private static final String CORE_URN_PREFIX = "urn:ietf:params:scim:schemas:core:2.0:";

    private final List<Clause> clauses;

    private ScimFilter(List<Clause> clauses) {
        this.clauses = List.copyOf(clauses);
    }

    List<Clause> clauses() {
        return clauses;
    }

    /**
     * Parses a filter over the given attributes (canonical spellings; matched ignoring case, as RFC 7644 makes
     * attribute names and operators case-insensitive).
     */
    static ScimFilter parse(String text, List<String> attributes) {
        return new Parser(text, attributes).parse();
    }

    /**
     * True when every clause matches. {@code valueOf} gives an attribute's value (null when unset);
     * {@code caseInsensitive} names the attributes compared ignoring case (caseExact=false in RFC 7643).
     */
    boolean matches(Function<String, String> valueOf, Set<String> caseInsensitive) {
        for (Clause c : clauses) {
            String actual = valueOf.apply(c.attribute());
            if (!(c.value() instanceof String expected) || actual == null) {
                return false; // a boolean never equals one of the string attributes filterable here
            }
            boolean eq = caseInsensitive.contains(c.attribute()) ? actual.equalsIgnoreCase(expected)
                    : actual.equals(expected);
            if (!eq) {
                return false;
            }
        }
        return true;
    }

    private static final class Parser {
        private final String s;
        private final List<String> attributes;
        private int i;

        Parser(String s, List<String> attributes) {
            this.s = s == null ? "" : s;
            this.attributes = attributes;
        }

        ScimFilter parse() {
            List<Clause> out = new ArrayList<>();
            skipWs();
            if (i >= s.length()) {
                throw ScimException.invalidFilter("filter is empty");
            }
            while (true) {
                out.add(clause());
                skipWs();
                if (i >= s.length()) {
                    return new ScimFilter(out);
                }
                String word = word();
                if (word.equalsIgnoreCase("or") || word.equalsIgnoreCase("not")) {
                    throw ScimException.invalidFilter("'" + word + "' is not supported; only 'eq' joined by 'and'");
                }
                if (!word.equalsIgnoreCase("and")) {
                    throw ScimException.invalidFilter("expected 'and' at position " + i + " of the filter");
                }
                skipWs();
            }
        }

        private Clause clause() {
            int start = i;
            while (i < s.length() && isAttrChar(s.charAt(i))) {
                i++;
            }
            String attr = s.substring(start, i);
            if (attr.isEmpty() || !Character.isLetter(attr.charAt(0))) {
                throw ScimException.invalidFilter("expected an attribute name at position " + start + " of the filter");
            }
            if (i < s.length() && (s.charAt(i) == '[' || s.charAt(i) == '(')) {
                throw ScimException.invalidFilter("value paths and grouping are not supported in filters");
            }
            String canonical = resolve(attr);
            requireWs();
            String op = word();
            if (!op.equalsIgnoreCase("eq")) {
                if (OTHER_OPERATORS.contains(op.toLowerCase(Locale.ROOT))) {
                    throw ScimException.invalidFilter("operator '" + op + "' is not supported; only 'eq'");
                }
                throw ScimException.invalidFilter("unknown operator '" + op + "'");
            }
            requireWs();
            return new Clause(canonical, value());
        }

        private String resolve(String attr) {
            String name = attr;
            int colon = name.lastIndexOf(':');
            if (colon >= 0 && name.regionMatches(true, 0, CORE_URN_PREFIX, 0, CORE_URN_PREFIX.length())) {
                name = name.substring(colon + 1); // urn:...:core:2.0:User:userName is userName
            }
            for (String a : attributes) {
                if (a.equalsIgnoreCase(name)) {
                    return a;
                }
            }
            throw ScimException.invalidFilter("attribute '" + attr + "' cannot be filtered on; supported: "
                    + String.join(", ", attributes));
        }

        private Object value() {
            if (i < s.length() && s.charAt(i) == '"') {
                int start = i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                if (i >= s.length()) {
                    throw ScimException.invalidFilter("unterminated string in filter");
                }
                i++;
                try {
                    return ScimJson.MAPPER.readValue(s.substring(start, i), String.class);
                } catch (IOException e) {
                    throw ScimException.invalidFilter("invalid escape in filter string");
                }
            }
            int start = i;
            while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String literal = s.substring(start, i);
            if (literal.equals("true") || literal.equals("false")) {
                return Boolean.valueOf(literal);
            }
            throw ScimException.invalidFilter("filter values must be double-quoted strings (or true/false), got '"
                    + literal + "'");
        }

        private String word() {
            int start = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            return s.substring(start, i);
        }

        private void requireWs() {
            if (i >= s.length() || !Character.isWhitespace(s.charAt(i))) {
                throw ScimException.invalidFilter("expected a space at position " + i + " of the filter");
            }
            skipWs();
        }

        private void skipWs() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private static boolean isAttrChar(char c) {
            return Character.isLetterOrDigit(c) || c == '.' || c == ':' || c == '_' || c == '-' || c == '$';
        }
    }
}
