package io.opcamel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.Docs;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.catalog.DefaultCamelCatalog;
import org.junit.jupiter.api.Test;

/**
 * The configuration table (docs/configuration.md) against what the code reads, both ways (ConfigReferenceTest holds
 * it against config/application.properties): every key the Java code or a YAML route reads is documented, and every
 * documented key is read by something. The Java sources are read as text: every argument of a call that reads or
 * names a property ({@link #KEY_CALLS}) is resolved as a concatenation of string literals, constants
 * ({@code PREFIX + "url"}, {@code ScimBridge.PREFIX + "retry."}) and local variables (the nearest assignment
 * above), and what starts with {@code onepassword.} is a key. A part that cannot be resolved (an account's name, a
 * rule given as a parameter) becomes {@code *}, which stands for one or more segments: the table shows per-account
 * keys for an account named {@code acme} ({@code onepassword.events.acme.token} documents
 * {@code onepassword.events.*.token}). The exceptions, each with its reason:
 * <ul>
 * <li>{@link #PREFIXING_HELPERS}: helpers that put a prefix before the key they are given, so the key appears in
 * the code as a suffix only (the sandbox's {@code str(lookup, "port", ...)}, a guardrail's
 * {@code Guardrails.choice(settings, NAME, ...)});</li>
 * <li>a key given to {@code Secrets.read} (or {@code IdpTokens.read}, which calls it) is read with its
 * {@code -file} twin;</li>
 * <li>a {@code *} with nothing after it ({@code onepassword.scim.guardrails.*}, the key of a rule given as a
 * parameter) must match a documented key, but does not count as reading any one of them;</li>
 * <li>a {@code camel.*} key is one of Camel Main's own options, read by Camel: it must be in the Camel catalog's
 * list of Main options;</li>
 * <li>a documented key may also be read through a placeholder ({@code {{onepassword.data-dir}}}) in a YAML route or
 * in the default of another key.</li>
 * </ul>
 */
public class ConfigReadByCodeTest {

    /**
     * Calls whose arguments are meter names (which share the onepassword. prefix), not properties: every other
     * call's arguments are read (Settings, Secrets, the properties component, a class's own helpers such as
     * {@code timeout(settings, KEY)}, and errors naming a property).
     */
    static final Set<String> METER_CALLS = Set.of("counter", "builder", "gauge", "timer", "summary");
    /**
     * Helpers that read {@code <prefix><the key they are given as their second argument>}, as
     * {@code <file>#<method>} ({@code *}: any file) -> prefix.
     */
    static final Map<String, String> PREFIXING_HELPERS = Map.of(
            // SandboxConfig.fromProperties: str/num/bool/listOr(lookup, "events.backlog", default)
            "SandboxConfig#str", "onepassword.sandbox.", "SandboxConfig#num", "onepassword.sandbox.",
            "SandboxConfig#bool", "onepassword.sandbox.", "SandboxConfig#listOr", "onepassword.sandbox.",
            // Guardrails.choice(settings, NAME, choices...): onepassword.scim.guardrails.<NAME>
            "*#choice", "onepassword.scim.guardrails.");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.\\-]+)` \\| (.*?) \\|", Pattern.MULTILINE);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{((?:onepassword|camel)\\.[a-z0-9.\\-]+)");
    private static final Pattern KEY = Pattern.compile("^[a-z0-9.*\\-]+");

    @Test
    void everyKeyTheCodeReadsIsDocumentedAndEveryDocumentedKeyIsRead() throws IOException {
        Set<String> documented = documentedKeys();
        CodeKeys code = CodeKeys.scan(Path.of("src/main/java"));
        Set<String> placeholders = placeholders();

        List<String> problems = new ArrayList<>();
        // the code's keys (and the routes' placeholders) are documented
        for (Map.Entry<String, String> k : code.keys.entrySet()) {
            if (k.getKey().startsWith("onepassword.") && documented.stream().noneMatch(d -> matches(k.getKey(), d))) {
                problems.add("read by " + k.getValue() + " but not in the Configuration table: "
                        + k.getKey());
            }
        }
        for (String p : placeholders) {
            if (p.startsWith("onepassword.") && !documented.contains(p)) {
                problems.add("a placeholder in routes/ or config/ but not in the Configuration table: " + p);
            }
        }
        // the documented keys are read
        Set<String> camelOptions = camelMainOptions();
        for (String d : documented) {
            boolean read;
            if (d.startsWith("camel.")) {
                read = camelOptions.contains(camelCase(d));
            } else {
                read = placeholders.contains(d) || code.keys.keySet().stream()
                        .filter(k -> !k.endsWith("*") || k.equals(d))
                        .anyMatch(k -> matches(k, d) || matches(k + "-file", d) && code.secrets.contains(k));
            }
            if (!read) {
                problems.add("in the Configuration table but " + (d.startsWith("camel.")
                        ? "not an option of Camel Main (camel catalog)" : "read by no code, route or default") + ": " + d);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        // the scan found what it should: a broken scan must not pass by finding nothing
        assertTrue(code.keys.containsKey("onepassword.events.*.token") && code.secrets.contains("onepassword.events.*.token"),
                "the scan should find the per-account token: " + code.keys.keySet());
        assertTrue(code.keys.containsKey("onepassword.sandbox.events.backlog"), "the sandbox helper keys");
        assertTrue(code.keys.containsKey("onepassword.scim.guardrails.user-delete"), "the guardrail helper keys");
        assertTrue(code.keys.containsKey("onepassword.scim.bridge.retry.attempts"), "a constant built on a constant");
        assertTrue(code.keys.size() > 100, "expected the bundle's keys, found " + code.keys.size());
    }

    @Test
    void theScanResolvesConstantsLocalsWildcardsAndHelpers() {
        String source = """
                class Example {
                    public static final String PREFIX = "onepassword.example.";
                    static final String KEY = PREFIX + "enabled";
                    void read(Settings s, String name) {
                        String p = PREFIX + name + ".";
                        s.required(KEY);
                        Secrets.read(s, p + "token"); // a comment: s.required("onepassword.not.a.key")
                        String k = PREFIX + "later";
                        s.optional(k);
                        registry.counter(PREFIX + "meter");
                        Counter.builder(KEY + ".meter");
                        timeout(s, PREFIX + "timeout");
                        str(lookup, "port", 0);
                        throw new InvalidConfigException(PREFIX + "mode", "must be a or b, got " + PREFIX + "x");
                    }
                }
                """;
        CodeKeys code = new CodeKeys();
        code.scanFile("Example.java", source, Map.of());
        assertEquals(Set.of("onepassword.example.enabled", "onepassword.example.*.token", "onepassword.example.later",
                "onepassword.example.timeout", "onepassword.example.mode"), code.keys.keySet());
        CodeKeys sandbox = new CodeKeys();
        sandbox.scanFile("SandboxConfig.java", "class SandboxConfig { void f() { str(lookup, \"port\", 0); } }", Map.of());
        assertEquals(Set.of("onepassword.sandbox.port"), sandbox.keys.keySet());
        assertEquals(Set.of("onepassword.example.*.token"), code.secrets);
        assertTrue(matches("onepassword.events.*.token", "onepassword.events.acme.token"));
        assertTrue(!matches("onepassword.events.*.token", "onepassword.events.token"));
    }

    /** Whether a key the code reads ({@code *}: one or more segments) is the documented key. */
    static boolean matches(String codeKey, String documented) {
        if (!codeKey.contains("*")) {
            return codeKey.equals(documented);
        }
        String regex = Stream.of(codeKey.split("\\*", -1)).map(Pattern::quote)
                .reduce((a, b) -> a + "[a-z0-9\\-]+(?:\\.[a-z0-9\\-]+)*" + b).orElseThrow();
        return documented.matches(regex);
    }

    /** The keys of the Configuration table, docs/configuration.md (DeployKitTest holds the deploy kit to them). */
    public static Set<String> documentedKeys() throws IOException {
        Matcher m = ROW.matcher(Docs.section("Configuration"));
        Set<String> keys = new TreeSet<>();
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    /** Keys read through {{placeholders}}: in the YAML routes and in the values of the properties files. */
    private static Set<String> placeholders() throws IOException {
        Set<String> out = new TreeSet<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Path.of("routes"))) {
            s.filter(f -> f.toString().endsWith(".yaml")).forEach(files::add);
        }
        for (Path f : files) {
            Matcher m = PLACEHOLDER.matcher(Files.readString(f));
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        Properties defaults = ConfigReferenceTest.declaredDefaults();
        for (String key : defaults.stringPropertyNames()) {
            Matcher m = PLACEHOLDER.matcher(defaults.getProperty(key));
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** Camel Main's options (camel.main.*, camel.server.*, ...) as the Camel catalog lists them, in camelCase. */
    private static Set<String> camelMainOptions() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(new DefaultCamelCatalog().mainJsonSchema());
        Set<String> out = new TreeSet<>();
        schema.path("properties").forEach(p -> out.add(p.path("name").asText()));
        assertTrue(out.contains("camel.main.shutdownTimeout"), "the catalog should list Camel Main's options");
        return out;
    }

    /** camel.main.shutdown-timeout -> camel.main.shutdownTimeout (the catalog's spelling). */
    public static String camelCase(String key) {
        StringBuilder out = new StringBuilder();
        boolean up = false;
        for (char c : key.toCharArray()) {
            if (c == '-') {
                up = true;
            } else {
                out.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return out.toString();
    }

    /** The keys found in Java sources, each with where it was read first. */
    static final class CodeKeys {

        final Map<String, String> keys = new TreeMap<>();
        /** Keys given to Secrets.read (or IdpTokens.read): each is read with its -file twin. */
        final Set<String> secrets = new TreeSet<>();
        private static final Pattern CONSTANT = Pattern.compile(
                "\\bString\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*([^;]+);");

        static CodeKeys scan(Path root) throws IOException {
            Map<String, String> sources = new LinkedHashMap<>();
            try (Stream<Path> s = Files.walk(root)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    sources.put(f.getFileName().toString(), stripComments(Files.readString(f)));
                }
            }
            // constants, qualified by their class (ScimBridge.PREFIX), resolved until nothing changes
            Map<String, String> constants = new TreeMap<>();
            for (int pass = 0; pass < 5; pass++) {
                for (Map.Entry<String, String> src : sources.entrySet()) {
                    String cls = src.getKey().replace(".java", "");
                    Matcher m = CONSTANT.matcher(src.getValue());
                    while (m.find()) {
                        if (!m.group(1).matches("[A-Z][A-Z0-9_]*")) {
                            continue;
                        }
                        String v = resolve(tokens(m.group(2)), 0, tokens(m.group(2)).size(), constants, cls, "", Map.of());
                        if (v != null && !v.contains("*")) {
                            constants.put(cls + "." + m.group(1), v);
                        }
                    }
                }
            }
            CodeKeys out = new CodeKeys();
            for (Map.Entry<String, String> src : sources.entrySet()) {
                out.scanFile(src.getKey(), src.getValue(), constants);
            }
            return out;
        }

        void scanFile(String file, String source, Map<String, String> knownConstants) {
            String text = stripComments(source);
            String cls = file.replace(".java", "");
            Map<String, String> constants = new TreeMap<>(knownConstants);
            Matcher c = CONSTANT.matcher(text);
            while (c.find()) {
                if (c.group(1).matches("[A-Z][A-Z0-9_]*") && !constants.containsKey(cls + "." + c.group(1))) {
                    List<Token> t = tokens(c.group(2));
                    String v = resolve(t, 0, t.size(), constants, cls, "", Map.of());
                    if (v != null && !v.contains("*")) {
                        constants.put(cls + "." + c.group(1), v);
                    }
                }
            }
            List<Token> tokens = tokens(text);
            // local variables: the nearest assignment above a use wins (token index -> value)
            Map<String, TreeMap<Integer, String>> locals = new TreeMap<>();
            for (int i = 0; i + 2 < tokens.size(); i++) {
                if (tokens.get(i).is("String") && tokens.get(i + 1).ident() && tokens.get(i + 2).is("=")
                        && !tokens.get(i + 1).text.matches("[A-Z][A-Z0-9_]*")) {
                    int end = i + 3;
                    while (end < tokens.size() && !tokens.get(end).is(";")) {
                        end++;
                    }
                    String v = resolve(tokens, i + 3, end, constants, cls, "", locals);
                    locals.computeIfAbsent(tokens.get(i + 1).text, k -> new TreeMap<>()).put(i, v);
                }
            }
            for (int i = 0; i + 1 < tokens.size(); i++) {
                Token call = tokens.get(i);
                if (!call.ident() || !tokens.get(i + 1).is("(")) {
                    continue;
                }
                String method = call.text.substring(call.text.lastIndexOf('.') + 1);
                String helperPrefix = PREFIXING_HELPERS.getOrDefault(cls + "#" + method,
                        PREFIXING_HELPERS.get("*#" + method));
                if (METER_CALLS.contains(method)) {
                    continue;
                }
                List<int[]> args = arguments(tokens, i + 1);
                boolean secret = method.equals("read") && (call.text.startsWith("Secrets.")
                        || call.text.startsWith("IdpTokens.") || cls.equals("IdpTokens") && call.text.equals("read"));
                for (int a = 0; a < args.size(); a++) {
                    if (helperPrefix != null && a != 1) {
                        continue;
                    }
                    String v = resolve(tokens, args.get(a)[0], args.get(a)[1], constants, cls, "", locals, i);
                    if (v == null) {
                        continue;
                    }
                    String key = helperPrefix != null ? helperPrefix + v : v;
                    Matcher k = KEY.matcher(key);
                    if (!k.find() || !k.group().startsWith("onepassword.") || k.group().endsWith(".")
                            || k.group().endsWith("-")) {
                        continue;
                    }
                    keys.putIfAbsent(k.group(), cls);
                    if (secret && a == 1) {
                        secrets.add(k.group());
                    }
                }
            }
        }

        /** The argument spans of the call whose "(" is at {@code open}. */
        private static List<int[]> arguments(List<Token> tokens, int open) {
            List<int[]> out = new ArrayList<>();
            int depth = 0;
            int start = open + 1;
            for (int i = open; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (t.is("(") || t.is("{") || t.is("[")) {
                    depth++;
                } else if (t.is(")") || t.is("}") || t.is("]")) {
                    depth--;
                    if (depth == 0) {
                        if (i > start) {
                            out.add(new int[] {start, i});
                        }
                        return out;
                    }
                } else if (t.is(",") && depth == 1) {
                    out.add(new int[] {start, i});
                    start = i + 1;
                }
            }
            return out;
        }

        private static String resolve(List<Token> tokens, int from, int to, Map<String, String> constants, String cls,
                String unused, Map<String, TreeMap<Integer, String>> locals) {
            return resolve(tokens, from, to, constants, cls, unused, locals, from);
        }

        /**
         * The text of a concatenation of literals, constants and locals, {@code *} for anything else; null when
         * the span is not a concatenation (a call, an operator other than +).
         */
        private static String resolve(List<Token> tokens, int from, int to, Map<String, String> constants, String cls,
                String unused, Map<String, TreeMap<Integer, String>> locals, int at) {
            StringBuilder out = new StringBuilder();
            boolean expectTerm = true;
            for (int i = from; i < to; i++) {
                Token t = tokens.get(i);
                if (expectTerm) {
                    if (t.string()) {
                        out.append(t.text);
                    } else if (t.ident()) {
                        if (i + 1 < to && tokens.get(i + 1).is("(")) {
                            // a call: unknown, skip its arguments
                            int depth = 0;
                            int j = i + 1;
                            for (; j < to; j++) {
                                if (tokens.get(j).is("(")) {
                                    depth++;
                                } else if (tokens.get(j).is(")") && --depth == 0) {
                                    break;
                                }
                            }
                            i = j;
                            out.append('*');
                        } else {
                            out.append(value(t.text, constants, cls, locals, at));
                        }
                    } else {
                        return null;
                    }
                    expectTerm = false;
                } else if (t.is("+")) {
                    expectTerm = true;
                } else {
                    return null;
                }
            }
            return expectTerm ? null : out.toString();
        }

        private static String value(String name, Map<String, String> constants, String cls,
                Map<String, TreeMap<Integer, String>> locals, int at) {
            String v = constants.get(name.contains(".") ? name : cls + "." + name);
            if (v == null && name.contains(".")) {
                // Outer.Inner.NAME or a field of the same class reached through this.
                String last = name.substring(name.lastIndexOf('.') + 1);
                v = constants.get(cls + "." + last);
            }
            if (v == null && locals.containsKey(name)) {
                Map.Entry<Integer, String> e = locals.get(name).floorEntry(at);
                v = e == null ? null : e.getValue();
            }
            return v == null ? "*" : v;
        }

        /** The source without comments; string literals kept as they are. */
        static String stripComments(String s) {
            StringBuilder out = new StringBuilder(s.length());
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '"' || c == '\'') {
                    int j = i + 1;
                    if (c == '"' && s.startsWith("\"\"\"", i)) {
                        j = s.indexOf("\"\"\"", i + 3) + 3;
                        out.append(s, i, j);
                        i = j;
                        continue;
                    }
                    while (j < s.length() && s.charAt(j) != c) {
                        j += s.charAt(j) == '\\' ? 2 : 1;
                    }
                    out.append(s, i, Math.min(j + 1, s.length()));
                    i = j + 1;
                } else if (s.startsWith("//", i)) {
                    int j = s.indexOf('\n', i);
                    i = j < 0 ? s.length() : j;
                } else if (s.startsWith("/*", i)) {
                    int j = s.indexOf("*/", i + 2);
                    out.append(' ');
                    i = j < 0 ? s.length() : j + 2;
                } else {
                    out.append(c);
                    i++;
                }
            }
            return out.toString();
        }

        record Token(String text, char kind) {
            boolean is(String s) {
                return kind != 's' && text.equals(s);
            }

            boolean ident() {
                return kind == 'i';
            }

            boolean string() {
                return kind == 's';
            }
        }

        /** Identifiers (dots included: a.b.c), string literals (unquoted, escapes kept), and single symbols. */
        static List<Token> tokens(String s) {
            List<Token> out = new ArrayList<>();
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '"') {
                    int j = i + 1;
                    StringBuilder lit = new StringBuilder();
                    while (j < s.length() && s.charAt(j) != '"') {
                        if (s.charAt(j) == '\\' && j + 1 < s.length()) {
                            lit.append(s.charAt(j + 1));
                            j += 2;
                        } else {
                            lit.append(s.charAt(j++));
                        }
                    }
                    out.add(new Token(lit.toString(), 's'));
                    i = j + 1;
                } else if (c == '\'') {
                    int j = i + 1;
                    while (j < s.length() && s.charAt(j) != '\'') {
                        j += s.charAt(j) == '\\' ? 2 : 1;
                    }
                    out.add(new Token(s.substring(i, Math.min(j + 1, s.length())), 'c'));
                    i = j + 1;
                } else if (Character.isJavaIdentifierStart(c)) {
                    int j = i;
                    while (j < s.length() && (Character.isJavaIdentifierPart(s.charAt(j))
                            || s.charAt(j) == '.' && j + 1 < s.length()
                            && Character.isJavaIdentifierStart(s.charAt(j + 1)))) {
                        j++;
                    }
                    out.add(new Token(s.substring(i, j), 'i'));
                    i = j;
                } else {
                    out.add(new Token(String.valueOf(c), 'o'));
                    i++;
                }
            }
            return out;
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
