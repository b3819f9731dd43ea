package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.catalog.DefaultCamelCatalog;
import org.apache.camel.catalog.EndpointValidationResult;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.FinallyDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads every YAML route the way the bundle does, without starting a consumer, and checks what a typo would break:
 * the route and template ids, that every step carries an explicit kebab-case id, and every endpoint URI against
 * the Camel catalog.
 */
class RoutesLoadTest {

    private static final String KEBAB = "[a-z0-9]+(-[a-z0-9]+)*";

    @TempDir
    Path dir;
    DefaultCamelContext context;

    @BeforeEach
    void load() throws Exception {
        context = new DefaultCamelContext();
        Properties p = new Properties();
        p.setProperty("onepassword.events.accounts", "demo");
        p.setProperty("onepassword.events.demo.token", TestTokens.allFeatures());
        p.setProperty("onepassword.data-dir", dir.toString());
        context.getPropertiesComponent().setInitialProperties(p);
        context.setAutoStartup(false); // routes are built, endpoints resolved, nothing polls
        OnePasswordBundle.install(context);
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void everyRouteFileIsNamedSoTheBundleLoadsIt() throws Exception {
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).toList();
            assertTrue(yaml.size() >= 4, "expected the route files under routes/");
            for (Path f : yaml) {
                assertTrue(f.getFileName().toString().matches(KEBAB + "\\.camel\\.yaml"),
                        f + " is not named <area>-<thing>.camel.yaml, so the bundle would not load it");
            }
        }
    }

    @Test
    void routesAndTemplatesHaveTheExpectedIds() {
        Set<String> routes = new TreeSet<>();
        for (Route r : context.getRoutes()) {
            routes.add(r.getRouteId());
        }
        assertEquals(new TreeSet<>(List.of("call-events-api", "deliver-events-page", "fetch-events-page",
                "save-events-cursor", "sink-file", "sink-kafka", "sink-http", "poll-demo-signinattempts",
                "poll-demo-itemusages", "poll-demo-auditevents", "tell-how-far-catch-ups-have-got",
                // the SCIM bridge client and the gateway's audit (its entry, serve-scim-request, only when it is on)
                "call-scim-bridge", "ask-scim-bridge", "try-scim-bridge-call", "send-to-scim-bridge",
                "record-scim-audit", "scim-audit-file", "scim-audit-kafka",
                // lifecycle commands (the REST API and the Kafka consumer exist only when they are on)
                "run-lifecycle-command", "apply-lifecycle-command", "park-lifecycle-command",
                "lifecycle-dead-letter-file", "lifecycle-dead-letter-kafka", "lifecycle-result-kafka",
                // reconciliation (the schedule and the REST endpoint exist only when it is on)
                "run-reconciliation", "read-desired-state-file", "read-desired-state-http", "read-desired-state-kafka",
                "reconcile-report-file", "reconcile-report-kafka")), routes);

        ModelCamelContext model = (ModelCamelContext) context;
        Set<String> templates = new TreeSet<>();
        for (RouteTemplateDefinition t : model.getRouteTemplateDefinitions()) {
            templates.add(t.getId());
        }
        assertEquals(Set.of("events-feed", "scim-bridge-request", "record-to-kafka"), templates);

        Set<String> configurations = new TreeSet<>();
        model.getRouteConfigurationDefinitions().forEach(c -> configurations.add(c.getId()));
        assertEquals(Set.of("stop-the-poll-on-error", "retry-scim-bridge-calls", "pass-errors-to-the-caller"),
                configurations);
    }

    @Test
    void everyStepHasAnExplicitKebabCaseId() {
        List<String> missing = new ArrayList<>();
        for (RouteDefinition r : ((ModelCamelContext) context).getRouteDefinitions()) {
            assertTrue(r.getRouteId().matches(KEBAB), "route id " + r.getRouteId() + " is not kebab-case");
            for (ProcessorDefinition<?> step : r.getOutputs()) {
                collectMissingIds(r.getRouteId(), step, missing);
            }
        }
        assertTrue(missing.isEmpty(), "steps without an explicit kebab-case id: " + missing);
    }

    private static void collectMissingIds(String route, ProcessorDefinition<?> step, List<String> missing) {
        // a doFinally block is a branch of its doTry, named by it
        if (!(step instanceof FinallyDefinition) && (!step.hasCustomIdAssigned() || !step.getId().matches(KEBAB))) {
            missing.add(route + ": " + step.getShortName() + " " + step.getLabel());
        }
        for (ProcessorDefinition<?> child : step.getOutputs()) {
            collectMissingIds(route, child, missing);
        }
    }

    @Test
    void everyEndpointUriIsValidForTheCamelCatalog() {
        // strict: a lenient component such as http would otherwise send a mistyped option on as a query parameter
        DefaultCamelCatalog catalog = new DefaultCamelCatalog();
        assertTrue(context.getEndpoints().size() >= 8, "expected the bundle's endpoints to be resolved");
        for (Endpoint e : context.getEndpoints()) {
            EndpointValidationResult result = catalog.validateEndpointProperties(e.getEndpointUri(), true);
            assertTrue(result.isSuccess(), e.getEndpointUri() + ": " + result.summaryErrorMessage(false));
        }
    }
}
