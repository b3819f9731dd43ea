package io.opcamel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opcamel.OnePasswordBundle;
import io.opcamel.TestConfig;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.Route;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An on/off switch means the same however it is spelled: the routes read it through {@code {{bool:key}}}, the same
 * parser as the Java ({@link Settings#bool}). Before, {@code TRUE} stopped the gateway's, lifecycle's and
 * reconciliation's routes at start with "Unexpected token T" (a precondition is a simple expression) and turned the
 * reconciliation schedule quietly off (a comparison with 'true'). A value that is no boolean at all is an
 * invalid-config case per switch (src/test/resources/config/invalid/*-not-a-boolean.properties).
 */
class OnOffSwitchesTest {

    /** The routes that exist only when their switch is on. */
    private static final Set<String> SWITCHED = Set.of("serve-scim-request",
            "lifecycle-take-a-command-steps", "lifecycle-tell-a-result-steps", "take-lifecycle-commands-from-kafka",
            "reconcile-on-demand-steps", "reconcile-on-schedule");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"true", "TRUE", "True"})
    void onInAnyCaseBuildsEverySwitchedRoute(String on) throws Exception {
        assertEquals(SWITCHED, switchedRoutes(on));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"false", "FALSE", "False"})
    void offInAnyCaseBuildsNone(String off) throws Exception {
        assertEquals(Set.of(), switchedRoutes(off));
    }

    private Set<String> switchedRoutes(String value) throws Exception {
        Properties p = TestConfig.everyFeature(dir, value);
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(p);
        context.setAutoStartup(false); // built, not started: nothing listens or polls
        try {
            OnePasswordBundle.install(context);
            context.start();
            Set<String> ids = new TreeSet<>();
            for (Route r : context.getRoutes()) {
                if (SWITCHED.contains(r.getRouteId())) {
                    ids.add(r.getRouteId());
                }
            }
            return ids;
        } finally {
            context.stop();
        }
    }
}
