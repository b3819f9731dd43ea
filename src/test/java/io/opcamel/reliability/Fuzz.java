package io.opcamel.reliability;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A small property-based fuzzing harness: seeded generators and a runner that tries a property a bounded number of
 * times, each case from a seed of its own (derived from the run's seed and the case's number), so any case can be
 * generated again from what a failure prints. (jqwik, the usual choice, asks from version 1.10 on not to be used by
 * AI coding agents, which wrote this suite; so it keeps to JUnit Jupiter and this small harness.)
 */
public final class Fuzz {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Fuzz() {
    }

    /** The run's seed ({@link ReliabilitySummary#SEED}); printed by each fuzzing class. */
    public static long runSeed() {
        return ReliabilitySummary.SEED;
    }

    /** How many cases each property tries: {@code -Dreliability.fuzz.tries} or the property's own default. */
    public static int tries(int byDefault) {
        return Integer.getInteger("reliability.fuzz.tries", byDefault);
    }

    /** A generator: one value from a random source. */
    @FunctionalInterface
    public interface Gen<T> {
        T next(Random r);

        default <U> Gen<U> map(Function<T, U> f) {
            return r -> f.apply(next(r));
        }
    }

    /** The seed of case {@code n} of the property named {@code property} in a run seeded {@code seed}. */
    public static long caseSeed(long seed, String property, int n) {
        long h = seed * 0x9E3779B97F4A7C15L + property.hashCode();
        h ^= (long) n * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 31;
        return h * 0x94D049BB133111EBL;
    }

    /** Runs {@code tries} cases of a property; the check returns null when the case holds, else what went wrong. */
    public static <T> List<String> check(String property, long seed, int tries, Gen<T> gen,
            Function<T, String> check) {
        List<String> violations = new ArrayList<>();
        for (int n = 0; n < tries; n++) {
            long caseSeed = caseSeed(seed, property, n);
            T value = gen.next(new Random(caseSeed));
            String problem;
            try {
                problem = check.apply(value);
            } catch (RuntimeException | AssertionError e) {
                problem = "the check threw " + e;
            }
            if (problem != null) {
                violations.add(property + " case " + n + " (run seed " + seed + "): " + problem + "\n    input: "
                        + abbreviate(String.valueOf(value), 600));
            }
        }
        return violations;
    }

    public static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "... (" + s.length() + " chars)";
    }

    // ---- generators ---------------------------------------------------------------------------------------

    @SafeVarargs
    public static <T> Gen<T> oneOf(T... values) {
        return r -> values[r.nextInt(values.length)];
    }

    @SafeVarargs
    public static <T> Gen<T> oneOfGens(Gen<? extends T>... gens) {
        return r -> gens[r.nextInt(gens.length)].next(r);
    }

    /** A generator with its weight, for {@link #weighted}. */
    public record Choice<T>(int weight, Gen<? extends T> gen) {
    }

    public static <T> Choice<T> w(int weight, Gen<? extends T> gen) {
        return new Choice<>(weight, gen);
    }

    /** Picks a generator by weight: {@code weighted(w(3, a), w(1, b))}. */
    @SafeVarargs
    public static <T> Gen<T> weighted(Choice<T>... choices) {
        int total = 0;
        for (Choice<T> c : choices) {
            total += c.weight();
        }
        int sum = total;
        return r -> {
            int pick = r.nextInt(sum);
            for (Choice<T> c : choices) {
                pick -= c.weight();
                if (pick < 0) {
                    return c.gen().next(r);
                }
            }
            throw new IllegalStateException();
        };
    }

    public static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** What breaks parsers, paths and filters: quotes, escapes, separators, control and non-ASCII characters. */
    public static final String NASTY = "\"'\\/%.;:,?#&=+-_ ()[]{}<>|!*@$~`^\t\r\n\u0000\u0001\u007f\u00e9\u00df"
            + "\u200b\u202e\ufeff\ud83d\ude00\u4e2d";

    /** A string of length [min, max] from the alphabet (surrogate pairs may split: that is a case too). */
    public static Gen<String> string(String alphabet, int min, int max) {
        return r -> {
            int n = min + r.nextInt(max - min + 1);
            StringBuilder b = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            return b.toString();
        };
    }

    /** Mostly plain, sometimes nasty, sometimes long strings. */
    public static Gen<String> anyString() {
        return weighted(w(5, string(ALNUM, 0, 12)), w(3, string(ALNUM + NASTY, 0, 24)), w(1, string(NASTY, 1, 8)),
                w(1, string(ALNUM, 200, 5_000)));
    }

    /** Any JSON value, nested up to {@code depth}. */
    public static Gen<JsonNode> anyJson(int depth) {
        return r -> {
            int kind = r.nextInt(depth <= 0 ? 6 : 8);
            switch (kind) {
                case 0:
                    return NODES.nullNode();
                case 1:
                    return NODES.booleanNode(r.nextBoolean());
                case 2:
                    return NODES.numberNode(oneOf(0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, 2147483648L).next(r));
                case 3:
                    return NODES.numberNode(oneOf(0.5, -1e308, 1e308, 1e-320, 3.0).next(r));
                case 4:
                case 5:
                    return NODES.textNode(anyString().next(r));
                case 6: {
                    ArrayNode a = NODES.arrayNode();
                    for (int i = r.nextInt(4); i > 0; i--) {
                        a.add(anyJson(depth - 1).next(r));
                    }
                    return a;
                }
                default: {
                    ObjectNode o = NODES.objectNode();
                    for (int i = r.nextInt(4); i > 0; i--) {
                        o.set(anyString().next(r), anyJson(depth - 1).next(r));
                    }
                    return o;
                }
            }
        };
    }

    /**
     * Mutates a copy of a JSON object 1 to 4 times: a field removed, a field's value replaced by any JSON value or
     * by one of {@code likely} (values the target is known to be picky about), or an unknown field added; objects and
     * arrays inside are mutated the same way.
     */
    public static Gen<JsonNode> mutated(JsonNode template, Gen<JsonNode> likely) {
        return r -> {
            JsonNode copy = template.deepCopy();
            for (int i = 1 + r.nextInt(4); i > 0; i--) {
                copy = mutateOnce(copy, likely, r);
            }
            return copy;
        };
    }

    private static JsonNode mutateOnce(JsonNode node, Gen<JsonNode> likely, Random r) {
        List<JsonNode> containers = new ArrayList<>();
        collect(node, containers);
        JsonNode target = containers.get(r.nextInt(containers.size()));
        if (target instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = o.fieldNames(); it.hasNext();) {
                names.add(it.next());
            }
            int what = r.nextInt(4);
            if (what == 0 && !names.isEmpty()) {
                o.remove(names.get(r.nextInt(names.size())));
            } else if (what == 1 && !names.isEmpty()) {
                o.set(names.get(r.nextInt(names.size())), anyJson(2).next(r));
            } else if (what == 2 && !names.isEmpty()) {
                o.set(names.get(r.nextInt(names.size())), likely.next(r));
            } else {
                o.set(r.nextBoolean() ? anyString().next(r) : oneOf("id", "meta", "groups", "password", "userType",
                        "schemas", "Operations", "members", "externalId").next(r), r.nextBoolean() ? likely.next(r)
                        : anyJson(2).next(r));
            }
        } else if (target instanceof ArrayNode a) {
            int what = r.nextInt(3);
            if (what == 0 && a.size() > 0) {
                a.remove(r.nextInt(a.size()));
            } else if (what == 1 && a.size() > 0) {
                a.set(r.nextInt(a.size()), likely.next(r));
            } else {
                a.add(r.nextBoolean() ? likely.next(r) : anyJson(2).next(r));
            }
        }
        return node;
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            n.forEach(c -> collect(c, out));
        }
    }

    /**
     * What a request target is picky about, as bytes: form encoding's '+' and the escapes around it, escapes cut
     * short, invalid or overlong, separators, quotes, and Latin-1 bytes that are not UTF-8 (RawHttp sends ISO-8859-1).
     */
    private static final String[] TARGET_BYTES = {"+", "%2B", "%2b", "%20", " ", "%", "%2", "%ZZ", "%00", "%25",
        "%22", "\"", "%2F", "/", "//", "&", "=", "?", "#", ";", "%3B", ",", "'", "\\", "%5C", "~", "*", "%7F", "%0A",
        "%0D%0A", "%C3%A9", "%E9", "%C0%AF", "%ED%A0%80", "%F0%9F%98%80", "\u00e9", "%u0041", ".", ".."};
    private static final String[] EXTRA_PARAMETERS = {"filter=", "startIndex=0", "count=-1", "count=1",
        "attributes=userName", "excludedAttributes=members", "filter=userName+eq+%22seed0%40example.com%22", "=", "&",
        "filter=displayName%20eq%20%22Seed%20group%200%22", "sortBy=meta.lastModified&sortOrder=ascending"};

    /**
     * Mutates a request target as written (path and query, already encoded) one to three times: a byte inserted,
     * replaced or removed; form encoding swapped ('+' and %20, %2B and '+'); an escape decoded in place or escaped
     * again; a character percent-encoded; the case of one of {@code words} (resource names) changed; a query
     * parameter added. The result is a request line's target, byte for byte: it may no longer decode, which is a case.
     */
    public static Gen<String> mutatedTarget(String target, List<String> words) {
        return r -> {
            String t = target;
            for (int i = 1 + r.nextInt(3); i > 0; i--) {
                t = mutateTargetOnce(t, words, r);
            }
            return t;
        };
    }

    private static String mutateTargetOnce(String t, List<String> words, Random r) {
        int at = r.nextInt(t.length() + 1);
        String b = TARGET_BYTES[r.nextInt(TARGET_BYTES.length)];
        switch (r.nextInt(9)) {
            case 0:
                return t.substring(0, at) + b + t.substring(at);
            case 1:
                return at == t.length() ? t + b : t.substring(0, at) + b + t.substring(at + 1);
            case 2:
                return at == t.length() ? t : t.substring(0, at) + t.substring(at + 1);
            case 3: {
                String[][] swaps = {{"+", "%20"}, {"%20", "+"}, {"%2B", "+"}, {"+", "%2B"}, {"%22", "\""}, {"%40", "@"}};
                String[] s = swaps[r.nextInt(swaps.length)];
                return r.nextBoolean() ? t.replace(s[0], s[1]) : t.replaceFirst(java.util.regex.Pattern.quote(s[0]),
                        java.util.regex.Matcher.quoteReplacement(s[1]));
            }
            case 4: {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("%[0-9A-Fa-f]{2}").matcher(t);
                List<int[]> escapes = new ArrayList<>();
                while (m.find()) {
                    escapes.add(new int[] {m.start(), m.end()});
                }
                if (escapes.isEmpty()) {
                    return t + b;
                }
                int[] e = escapes.get(r.nextInt(escapes.size()));
                String replaced = r.nextBoolean() ? String.valueOf((char) Integer.parseInt(t.substring(e[0] + 1, e[1]), 16))
                        : "%25" + t.substring(e[0] + 1, e[1]);
                return t.substring(0, e[0]) + replaced + t.substring(e[1]);
            }
            case 5: {
                if (at == t.length()) {
                    return t;
                }
                String hex = String.format("%%%02X", (int) t.charAt(at) & 0xff);
                return t.substring(0, at) + (r.nextBoolean() ? hex : hex.toLowerCase(java.util.Locale.ROOT))
                        + t.substring(at + 1);
            }
            case 6:
            case 7: {
                String word = words.get(r.nextInt(words.size()));
                int i = t.toLowerCase(java.util.Locale.ROOT).indexOf(word.toLowerCase(java.util.Locale.ROOT));
                return i < 0 ? t : t.substring(0, i) + recased(word, r) + t.substring(i + word.length());
            }
            default:
                return t + (t.contains("?") ? "&" : "?") + EXTRA_PARAMETERS[r.nextInt(EXTRA_PARAMETERS.length)];
        }
    }

    /** The word in lower case, upper case, or each letter's case at random. */
    private static String recased(String word, Random r) {
        switch (r.nextInt(3)) {
            case 0:
                return word.toLowerCase(java.util.Locale.ROOT);
            case 1:
                return word.toUpperCase(java.util.Locale.ROOT);
            default: {
                StringBuilder b = new StringBuilder();
                for (char c : word.toCharArray()) {
                    b.append(r.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
                }
                return b.toString();
            }
        }
    }

    private static final String[] MEDIA_TYPES = {"application/scim+json", "application/json",
        "application/scim+json; charset=utf-8", "application/json;charset=UTF-8", "APPLICATION/SCIM+JSON",
        "application/scim+json; charset=latin1", "text/plain", "application/xml", "application/x-www-form-urlencoded",
        "application/json-patch+json", "*/*", "", "application/*", "application/scim+json, text/html;q=0.1"};
    /** Headers a mutation never adds or changes: they frame the request (RawHttp writes them), not describe it. */
    private static final java.util.Set<String> FRAMING = java.util.Set.of("host", "content-length",
            "transfer-encoding", "connection", "expect");

    /**
     * Mutates a copy of a request's headers one or two times: Content-Type or Accept set to another media type
     * (case, parameters, ones the server does not take), a value's case changed (Authorization: its scheme only,
     * the credential stays whole), spaces around a value, a header dropped, an unknown one added. Never the
     * headers that frame the request.
     */
    public static Gen<Map<String, String>> mutatedHeaders(Map<String, String> headers) {
        return r -> {
            Map<String, String> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            h.putAll(headers);
            for (int i = 1 + r.nextInt(2); i > 0; i--) {
                List<String> names = h.keySet().stream().filter(n -> !FRAMING.contains(n.toLowerCase(
                        java.util.Locale.ROOT))).toList();
                String name = names.isEmpty() ? "Accept" : names.get(r.nextInt(names.size()));
                String value = h.getOrDefault(name, "");
                switch (r.nextInt(6)) {
                    case 0 -> h.put("Content-Type", MEDIA_TYPES[r.nextInt(MEDIA_TYPES.length)]);
                    case 1 -> h.put("Accept", MEDIA_TYPES[r.nextInt(MEDIA_TYPES.length)]);
                    case 2 -> {
                        int space = value.indexOf(' ');
                        h.put(name, name.equalsIgnoreCase("Authorization") && space > 0
                                ? recased(value.substring(0, space), r) + value.substring(space) : recased(value, r));
                    }
                    case 3 -> h.put(name, name.equalsIgnoreCase("Authorization")
                            ? value.replaceFirst(" ", oneOf("  ", "\t", " \t").next(r))
                            : oneOf(" ", "\t", "").next(r) + value + oneOf(" ", "\t", " ;").next(r));
                    case 4 -> h.remove(name);
                    default -> h.put("X-" + string(ALNUM, 1, 12).next(r), string(ALNUM + " ;=,/*.-_\"'()", 0, 40)
                            .next(r));
                }
            }
            return new java.util.LinkedHashMap<>(h);
        };
    }

    /** Text that is not quite JSON: truncated, with trailing garbage, single quotes, comments, deeply nested. */
    public static Gen<String> brokenJson(Gen<JsonNode> valid) {
        return r -> {
            String text = valid.next(r).toString();
            switch (r.nextInt(9)) {
                case 0:
                    return text.substring(0, r.nextInt(Math.max(1, text.length())));
                case 1:
                    return text + oneOf("x", "}", ",", "{}", "\u0000", " // c").next(r);
                case 2:
                    return text.replace('"', '\'');
                case 3:
                    return "[".repeat(5_000) + "]".repeat(5_000);
                case 4:
                    return "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000);
                case 5:
                    return "\ufeff" + text;
                case 6:
                    return text.replace(",", ",,");
                case 7:
                    return "{\"userName\":NaN,\"n\":Infinity}";
                default:
                    return anyString().next(r);
            }
        };
    }

    /**
     * Authorization headers that must all be refused, for a caller whose token is {@code token}: none at all, an
     * empty one, other schemes, the token without a scheme, a prefix or an extension of it, one character off,
     * the token with a second word, in quotes, twice, {@code others} (the bridge's token sent by an IdP, an Events
     * API token, another caller's), and very long ones (up to 7,000 characters, under the server's 8 KB of headers,
     * and 10,000, over it).
     * Null stands for no header.
     */
    public static Gen<String> wrongAuthorization(String token, List<String> others) {
        return r -> {
            int cut = 1 + r.nextInt(token.length() - 1);
            char[] flipped = token.toCharArray();
            int at = r.nextInt(flipped.length);
            flipped[at] = flipped[at] == 'a' ? 'b' : 'a';
            List<String> variants = new ArrayList<>(java.util.Arrays.asList(
                    null, "", "Bearer", "Bearer ",
                    "Basic " + java.util.Base64.getEncoder().encodeToString(("caller:" + token)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    "Token " + token,
                    "Digest username=\"caller\", response=\"" + token + "\"",
                    token, // no scheme
                    "Bearer" + token, // no space
                    "Bearer " + token.substring(0, cut), // a prefix of the token
                    "Bearer " + token + string(ALNUM + "-_.~+/=", 1, 12).next(r), // the token and more
                    "Bearer " + string(ALNUM, 1, 12).next(r) + token, // more, then the token
                    "Bearer " + token + " " + string(ALNUM, 1, 8).next(r), // a second word
                    "Bearer " + new String(flipped), // one character different
                    "Bearer " + token.toUpperCase(java.util.Locale.ROOT),
                    "Bearer " + token + token,
                    "Bearer " + token + ", Bearer " + token,
                    "Bearer \"" + token + "\"",
                    "Bearer " + java.net.URLEncoder.encode(token + "\u0000", java.nio.charset.StandardCharsets.UTF_8),
                    "Bearer " + token + "x".repeat(oneOf(1_000, 4_000, 7_000).next(r)), // very long
                    "Bearer " + token + "x".repeat(10_000), // longer than the server takes: a 431 of its own
                    "Bearer " + string(ALNUM, 2_000, 7_000).next(r)));
            others.forEach(o -> variants.add("Bearer " + o));
            return variants.get(r.nextInt(variants.size()));
        };
    }

    /** A header value as a failure may show it: the caller's token replaced by {@code <token>}, and cut short. */
    public static String masked(String value, String token) {
        return value == null ? "(none)" : abbreviate(value.replace(token, "<token>"), 120);
    }

    public static String json(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** One generated HTTP request; printed with the token's length only, and long parts cut. */
    public record Req(String method, String target, Map<String, String> headers, byte[] body) {
        @Override
        public String toString() {
            Map<String, String> shown = new java.util.TreeMap<>(headers);
            shown.computeIfPresent("Authorization", (k, v) -> "<" + v.length() + " chars>");
            return method + " " + abbreviate(target, 300) + " " + shown + " " + (body == null ? "(no body)"
                    : abbreviate(new String(body, java.nio.charset.StandardCharsets.UTF_8), 300));
        }
    }
}
