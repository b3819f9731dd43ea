package io.opcamel.scim.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks that a list request's {@code filter} is RFC 7644 s3.4.2.2 syntax before the bridge sees it: attribute
 * paths (with an optional [value filter]), the comparison operators, {@code pr}, {@code and}/{@code or}/{@code not}
 * and parentheses. Values may be quoted strings, numbers, true/false/null, or a bare word: IdPs send unquoted
 * values, which normalisation quotes. Anything else is a 400 invalidFilter. It checks shape only, not meaning.
 */
final class FilterSyntax {

    static final int MAX_LENGTH = 2048;
    private static final Set<String> COMPARE = Set.of("eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le");

    private final List<String> tokens;
    private int at;

    private FilterSyntax(List<String> tokens) {
        this.tokens = tokens;
    }

    static void check(String filter) {
        if (filter.isBlank()) {
            throw invalid("the filter is empty");
        }
        if (filter.length() > MAX_LENGTH) {
            throw invalid("the filter is longer than " + MAX_LENGTH + " characters");
        }
        FilterSyntax p = new FilterSyntax(tokenize(filter));
        p.expression();
        if (p.at != p.tokens.size()) {
            throw invalid("unexpected '" + p.tokens.get(p.at) + "' in the filter");
        }
    }

    private void expression() {
        term();
        while (peekWord("or")) {
            at++;
            term();
        }
    }

    private void term() {
        factor();
        while (peekWord("and")) {
            at++;
            factor();
        }
    }

    private void factor() {
        if (peekWord("not")) {
            at++;
            if (!"(".equals(peek())) {
                throw invalid("'not' must be followed by a parenthesised filter");
            }
        }
        if ("(".equals(peek())) {
            at++;
            expression();
            expect(")");
            return;
        }
        attributePath();
        if ("[".equals(peek())) { // emails[type eq "work"]
            at++;
            expression();
            expect("]");
            if (peek() != null && peek().startsWith(".")) {
                at++; // emails[type eq "work"].value
            }
        }
        String op = next("an operator");
        String lower = op.toLowerCase(Locale.ROOT);
        if (lower.equals("pr")) {
            return;
        }
        if (!COMPARE.contains(lower)) {
            throw invalid("'" + op + "' is not a filter operator (eq, ne, co, sw, ew, gt, lt, ge, le, pr)");
        }
        String value = next("a value");
        if (value.equals("(") || value.equals(")") || value.equals("[") || value.equals("]")) {
            throw invalid("a value must follow '" + op + "'");
        }
    }

    private void attributePath() {
        String name = next("an attribute");
        if (!name.matches("(urn:[A-Za-z0-9.:_-]+:)?[A-Za-z][A-Za-z0-9_$-]*(\\.[A-Za-z][A-Za-z0-9_$-]*)?")) {
            throw invalid("'" + name + "' is not an attribute path");
        }
    }

    private void expect(String t) {
        String got = next("'" + t + "'");
        if (!got.equals(t)) {
            throw invalid("expected '" + t + "' but found '" + got + "'");
        }
    }

    private String peek() {
        return at < tokens.size() ? tokens.get(at) : null;
    }

    private boolean peekWord(String w) {
        String p = peek();
        return p != null && p.equalsIgnoreCase(w);
    }

    private String next(String what) {
        if (at >= tokens.size()) {
            throw invalid("the filter ends where " + what + " was expected");
        }
        return tokens.get(at++);
    }

    private static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == '[' || c == ']') {
                out.add(String.valueOf(c));
                i++;
            } else if (c == '"') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != '"') {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                if (j >= s.length()) {
                    throw invalid("a quoted value is not closed");
                }
                out.add(s.substring(i, j + 1));
                i = j + 1;
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && "()[]\"".indexOf(s.charAt(j)) < 0) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
        }
        return out;
    }

    private static ScimRejection invalid(String detail) {
        return new ScimRejection(400, "invalidFilter", "filter", detail);
    }
}
