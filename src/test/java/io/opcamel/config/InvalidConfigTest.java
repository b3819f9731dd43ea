package io.opcamel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.OnePasswordBundle;
import io.opcamel.TestTokens;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad configuration stops the bundle at start with a message that names the property. Each case is a file under
 * src/test/resources/config/invalid: properties laid over a valid configuration, and an "# expect:" line with the
 * message. The token never appears in a message.
 */
class InvalidConfigTest {

    private static final Path CASES = Path.of("src/test/resources/config/invalid");

    @TempDir
    Path dir;

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(CASES)) {
            return files.map(p -> p.getFileName().toString().replace(".properties", "")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void startUpRefusesWithThePropertyNamed(String name) throws Exception {
        String text = Files.readString(CASES.resolve(name + ".properties"));
        String expect = header(text, "expect");
        String features = header(text, "token-features");
        String claims = header(text, "token-claims");
        String token = claims != null ? TestTokens.unsigned(claims)
                : features != null ? TestTokens.unsigned("{\"aud\":[\"events.1password.com\"],\"1password.com/fts\":"
                        + "[\"" + String.join("\",\"", features.split(",")) + "\"]}")
                : TestTokens.allFeatures();

        Properties p = valid(token);
        Properties overlay = new Properties();
        overlay.load(new StringReader(text));
        p.putAll(overlay);

        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(p);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> OnePasswordBundle.install(context));
        assertTrue(e.getMessage().startsWith(expect), "message was: " + e.getMessage());
        assertFalse(e.getMessage().contains(token), "the message shows the token");
        String secret = overlay.getProperty("onepassword.events.demo.token", "");
        assertFalse(!secret.isEmpty() && e.getMessage().contains(secret), "the message shows the configured secret");
    }

    @Test
    void theValidBaseStartsSoEachCaseFailsOnlyForItsOwnReason() throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(valid(TestTokens.allFeatures()));
        context.setAutoStartup(false);
        OnePasswordBundle.install(context);
        context.start();
        assertEquals(3, context.getRoutes().stream().filter(r -> r.getRouteId().startsWith("poll-demo-")).count());
        context.stop();
    }

    private Properties valid(String token) {
        Properties p = new Properties();
        p.setProperty("onepassword.events.accounts", "demo");
        p.setProperty("onepassword.events.demo.token", token);
        p.setProperty("onepassword.data-dir", dir.toString());
        return p;
    }

    private static String header(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith("# " + name + ": ")) {
                return line.substring(name.length() + 4).trim();
            }
        }
        return null;
    }
}
