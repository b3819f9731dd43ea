package io.opcamel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.Docs;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration table (the docs' section "Configuration", docs/configuration.md) is the reference for every
 * property: it must list exactly the declared keys ({@link #declaredDefaults()}), with the same defaults, plus the
 * documented per-account keys.
 */
class ConfigReferenceTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.\\-]+)` \\| (.*?) \\|", Pattern.MULTILINE);
    /**
     * Keys that exist per account (shown for "acme", and for the sandbox's account "demo") and so have no line of
     * their own in the defaults file; the overrides fall back to the bundle-wide key, named as their default.
     */
    private static final Set<String> PER_ACCOUNT = Set.of("onepassword.events.acme.token",
            "onepassword.events.acme.token-file", "onepassword.events.acme.host", "onepassword.events.acme.start-time",
            "onepassword.events.acme.features", "onepassword.events.acme.cron", "onepassword.events.acme.limit",
            "onepassword.events.acme.start-window", "onepassword.events.acme.api-version",
            "onepassword.events.acme.sink.file.schema", "onepassword.events.acme.sink.kafka.schema",
            "onepassword.events.acme.sink.http.schema",
            "onepassword.sandbox.account.demo.region");

    @Test
    void readmeTableListsEveryKeyWithItsDefault() throws IOException {
        Properties defaults = declaredDefaults();
        String reference = configurationSection();
        Set<String> documented = new TreeSet<>();
        Matcher m = ROW.matcher(reference);
        while (m.find()) {
            String key = m.group(1);
            documented.add(key);
            String shown = m.group(2).trim();
            String value = defaults.getProperty(key);
            if (value != null && !value.isEmpty()) {
                assertEquals("`" + value + "`", shown, "documented default of " + key);
            } else if (value != null) {
                assertTrue(shown.startsWith("*("), "the reference should show no default for " + key + ", shows " + shown);
            }
        }
        Set<String> expected = new TreeSet<>(defaults.stringPropertyNames());
        expected.addAll(PER_ACCOUNT);
        assertEquals(expected, documented, "configuration table vs config/application.properties");
    }

    /**
     * Every key the bundle declares, with its default: config/application.properties, and the sandbox's own keys,
     * which only its profile (config/application-sandbox.properties) declares (its other lines override the first).
     */
    public static Properties declaredDefaults() throws IOException {
        Properties defaults = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("config/application.properties"))) {
            defaults.load(r);
        }
        Properties profile = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("config/application-sandbox.properties"))) {
            profile.load(r);
        }
        for (String key : profile.stringPropertyNames()) {
            if (key.startsWith("onepassword.sandbox.")) {
                defaults.setProperty(key, profile.getProperty(key));
            }
        }
        return defaults;
    }

    /**
     * The one list of secret keys ({@link SecretKeys}) is what the reference calls secret: each secret key's row says
     * so, no other row does (a {@code -file} row names where one is), and no secret has a committed default.
     */
    @Test
    void theReferenceCallsSecretExactlyTheDeclaredSecretKeys() throws IOException {
        Properties defaults = declaredDefaults();
        Matcher m = Pattern.compile("^\\| `([a-z0-9.\\-]+)` \\| (.*) \\|$", Pattern.MULTILINE)
                .matcher(configurationSection());
        Set<String> secret = new TreeSet<>();
        Set<String> saidSecret = new TreeSet<>();
        while (m.find()) {
            String key = m.group(1);
            if (SecretKeys.isSecret(key)) {
                secret.add(key);
                assertEquals("", defaults.getProperty(key, ""), key + " is secret: no committed default");
            }
            if (m.group(2).contains("secret") && !key.endsWith("-file")) {
                saidSecret.add(key);
            }
        }
        assertTrue(secret.size() >= 8, "the secret keys of the reference: " + secret);
        assertEquals(secret, saidSecret, "the rows that say secret vs SecretKeys");
    }

    /** The docs' "Configuration" section: other tables (meters, for one) are not about keys. */
    private static String configurationSection() {
        return Docs.section("Configuration");
    }
}
