package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
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
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the YAML routes call on Java objects, checked the way Camel will resolve it. A simple expression such as
 * {@code ${body.query}} or {@code ${exchangeProperty.reconcileRun.id}} names a property: a type that answers it
 * both as {@code query()} and as {@code getQuery()} (a record with a getter beside its accessor) leaves the choice
 * to the order in which the class loader lists methods, and under {@code mvn exec:java} Camel refused it with an
 * AmbiguousMethodCallException (every gateway request answered 500). Every bean a step or a {@code method:}
 * expression calls must exist in the registry with exactly one public method of that name.
 *
 * <p>The types are the bundle's own (every class of the jar's io.opcamel packages): the values an expression walks
 * are the bundle's, and which one is in the body at a step is not known before run time.
 */
class RouteExpressionTargetsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The property chain after the root of an OGNL-style simple expression: body, a property, a header, a variable. */
    private static final Pattern CHAIN = Pattern.compile("\\$\\{(?:body|in\\.body|exchangeProperty\\.\\w+"
            + "|header\\.\\w+|headers\\.\\w+|variable\\.\\w+)((?:\\??\\.\\w+(?:\\(\\))?)+)");
    /** {@code ${bean:name?method=x(...)}} and {@code ${bean:name.x}}. */
    private static final Pattern BEAN_FUNCTION = Pattern.compile("\\$\\{bean:(\\w+)(?:\\?method=|\\.)(\\w+)");

    @Test
    void noTypeOfTheBundleAnswersARoutePropertyInTwoWays() throws Exception {
        Set<String> names = new TreeSet<>();
        for (JsonNode doc : routeFiles().values()) {
            strings(doc, s -> {
                Matcher m = CHAIN.matcher(s);
                while (m.find()) {
                    for (String step : m.group(1).split("\\??\\.")) {
                        if (!step.isEmpty()) {
                            names.add(step.replace("()", ""));
                        }
                    }
                }
            });
        }
        assertTrue(names.containsAll(Set.of("query", "body", "request", "id")),
                "the walk should find the properties the routes name, found " + names);

        List<String> ambiguous = new ArrayList<>();
        for (Class<?> type : bundleClasses()) {
            for (String name : names) {
                List<String> candidates = candidates(type, name);
                if (candidates.size() > 1) {
                    ambiguous.add(type.getName() + " answers '" + name + "' as " + candidates);
                }
            }
        }
        assertEquals(List.of(), ambiguous, "a property a route names has two methods Camel could pick");
    }

    @Test
    void everyBeanMethodARouteCallsExistsOnceOnItsBean(@TempDir Path dir) throws Exception {
        Map<String, Set<String>> calls = new TreeMap<>();
        for (JsonNode doc : routeFiles().values()) {
            beanCalls(doc, calls);
            strings(doc, s -> {
                Matcher m = BEAN_FUNCTION.matcher(s);
                while (m.find()) {
                    calls.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
                }
            });
        }
        assertTrue(calls.size() >= 10, "the walk should find the beans the routes call, found " + calls.keySet());

        DefaultCamelContext context = everyFeatureOn(dir);
        List<String> wrong = new ArrayList<>();
        try {
            calls.forEach((ref, methods) -> {
                Object bean = context.getRegistry().lookupByName(ref);
                if (bean == null) {
                    wrong.add("no bean '" + ref + "' for " + methods);
                    return;
                }
                for (String method : methods) {
                    long n = Arrays.stream(bean.getClass().getMethods()).filter(m -> m.getName().equals(method)
                            && m.getDeclaringClass() != Object.class).count();
                    if (n != 1) {
                        wrong.add(ref + " (" + bean.getClass().getSimpleName() + ")." + method + ": " + n
                                + " public methods of that name");
                    }
                }
            });
        } finally {
            context.stop();
        }
        assertEquals(List.of(), wrong, "a route calls a bean method Camel cannot pick for certain");
    }

    /** The zero-argument public methods Camel's OGNL could take for {@code name}: name(), getName(), isName(). */
    static List<String> candidates(Class<?> type, String name) {
        String cap = name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
        List<String> out = new ArrayList<>();
        boolean ours = false;
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() == 0 && m.getDeclaringClass() != Object.class
                    && (m.getName().equals(name) || m.getName().equals("get" + cap) || m.getName().equals("is" + cap))) {
                out.add(m.getName() + "()");
                ours |= m.getDeclaringClass().getName().startsWith("io.opcamel.");
            }
        }
        // two of Camel's own (ServiceSupport's build() and isBuild()) are Camel's to keep apart, not ours
        return ours ? out : List.of();
    }

    private static DefaultCamelContext everyFeatureOn(Path dir) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties p = TestConfig.everyFeature(dir, "true");
        context.getPropertiesComponent().setInitialProperties(p);
        context.setAutoStartup(false);
        OnePasswordBundle.install(context);
        return context;
    }

    private static Map<Path, JsonNode> routeFiles() throws Exception {
        Map<Path, JsonNode> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                out.put(f, YAML.readTree(f.toFile()));
            }
        }
        assertTrue(out.size() >= 4, "expected the route files under routes/");
        return out;
    }

    /** Every {@code ref} with a {@code method}: a bean step or a method expression. */
    private static void beanCalls(JsonNode node, Map<String, Set<String>> calls) {
        if (node.isObject() && node.path("ref").isTextual() && node.path("method").isTextual()
                && !node.path("ref").asText().contains("{{")) {
            String method = node.path("method").asText();
            int paren = method.indexOf('(');
            calls.computeIfAbsent(node.path("ref").asText(), k -> new TreeSet<>())
                    .add(paren < 0 ? method : method.substring(0, paren));
        }
        node.elements().forEachRemaining(child -> beanCalls(child, calls));
    }

    private static void strings(JsonNode node, java.util.function.Consumer<String> each) {
        if (node.isTextual()) {
            each.accept(node.asText());
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
            strings(it.next(), each);
        }
    }

    /** Every class of the bundle's own packages, from where its classes were compiled to. */
    private static List<Class<?>> bundleClasses() throws Exception {
        Path root = classesRoot();
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("io/opcamel"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                out.add(Class.forName(name, false, RouteExpressionTargetsTest.class.getClassLoader()));
            }
        }
        assertTrue(out.size() > 50, "expected the bundle's classes under " + root);
        return out;
    }

    private static Path classesRoot() throws URISyntaxException {
        return Path.of(OnePasswordBundle.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
