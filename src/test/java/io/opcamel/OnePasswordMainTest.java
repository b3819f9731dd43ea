package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar's arguments and environment: where the properties come from (the external file, the sandbox
 * profile only when asked, the packaged defaults), and the Camel Main options taken from the environment.
 */
class OnePasswordMainTest {

    @Test
    void productionDefaultsUnlessTheSandboxIsAskedFor() {
        List<String> rest = new ArrayList<>();
        assertEquals("classpath:config/application.properties", OnePasswordMain.locations(new String[0], Map.of(), rest));
        assertEquals("classpath:config/application-sandbox.properties,classpath:config/application.properties",
                OnePasswordMain.locations(new String[] {"--sandbox"}, Map.of(), rest));
        assertEquals(List.of(), rest);
    }

    @Test
    void anExternalFileFromTheEnvironmentOrAnArgumentWinsOverTheDefaults(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("ops.properties"), "onepassword.events.accounts=acme\n");
        List<String> rest = new ArrayList<>();
        assertEquals("file:" + file + ",classpath:config/application.properties",
                OnePasswordMain.locations(new String[0], Map.of("ONEPASSWORD_CONFIG", file.toString()), rest));
        assertEquals("file:" + file + ",classpath:config/application-sandbox.properties,"
                + "classpath:config/application.properties", OnePasswordMain.locations(
                        new String[] {"--sandbox", "--config", file.toString(), "-dm", "60"}, Map.of(), rest));
        assertEquals(List.of("-dm", "60"), rest, "other arguments go to Camel Main");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> OnePasswordMain.locations(
                new String[0], Map.of("ONEPASSWORD_CONFIG", dir.resolve("nope.properties").toString()), rest));
        assertTrue(missing.getMessage().contains("nope.properties"), missing.getMessage());
    }

    @Test
    void camelServerAndManagementOptionsComeFromTheEnvironmentToo() {
        assertEquals(Map.of("camel.management.port", "9877", "camel.server.max-body-size", "1024",
                "camel.health.enabled", "false"), OnePasswordMain.camelGroupOptions(Map.of(
                        "CAMEL_MANAGEMENT_PORT", "9877", "CAMEL_SERVER_MAX_BODY_SIZE", "1024",
                        "CAMEL_HEALTH_ENABLED", "false",
                        // Camel Main reads these itself, and the others are not Camel's
                        "CAMEL_MAIN_SHUTDOWN_TIMEOUT", "10", "CAMEL_COMPONENT_KAFKA_BROKERS", "k:9092",
                        "ONEPASSWORD_EVENTS_ACCOUNTS", "acme", "CAMEL_SERVER_", "x")));
    }
}
