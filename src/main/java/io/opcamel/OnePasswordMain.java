package io.opcamel;

import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.SecretKeys;
import io.opcamel.config.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.main.Main;

/**
 * The runnable jar's entry point ({@code java -jar onepassword-camel-bundle-<version>.jar}): Camel Main with the
 * packaged defaults, an optional external properties file and, only when asked, the sandbox.
 *
 * <ul>
 * <li>{@code --config FILE}, or the environment variable {@value #CONFIG_ENV}: a properties file whose keys win
 * over the packaged defaults (config/application.properties inside the jar). A file that is named but cannot be
 * read stops the start.</li>
 * <li>{@code --sandbox}: the demo; {@code mvn compile exec:java} runs this class with it: the packaged sandbox profile
 * (config/application-sandbox.properties) between that file and the defaults.</li>
 * </ul>
 *
 * Environment variables win over every file ({@code ONEPASSWORD_EVENTS_ACME_TOKEN} is
 * {@code onepassword.events.acme.token}, {@code CAMEL_MANAGEMENT_PORT} is {@code camel.management.port}). Every
 * other argument goes to Camel Main as it is. SIGTERM (or Ctrl-C) stops the routes gracefully: a feed ends its poll
 * after the page in flight, whose cursor is saved, within {@code camel.main.shutdown-timeout}.
 */
public final class OnePasswordMain {

    /** The environment variable naming an external properties file. */
    public static final String CONFIG_ENV = "ONEPASSWORD_CONFIG";
    static final String DEFAULTS = "classpath:" + OnePasswordBundle.DEFAULTS;
    static final String SANDBOX_PROFILE = "classpath:config/application-sandbox.properties";
    /** The Camel Main option groups the configuration table sets that Camel reads from files only. */
    static final List<String> CAMEL_GROUPS = List.of("server", "management", "metrics", "health");

    private OnePasswordMain() {
    }

    public static void main(String... args) throws Exception {
        List<String> camelArgs = new ArrayList<>();
        Main main;
        try {
            main = configure(args, System.getenv(), camelArgs);
        } catch (IllegalArgumentException e) {
            System.err.println("onepassword-camel-bundle: " + e.getMessage());
            System.exit(2);
            return;
        }
        int code;
        try {
            code = main.run(camelArgs.toArray(String[]::new));
        } catch (Exception e) {
            String error = configError(main, e);
            if (error == null) {
                throw e;
            }
            refuse(main, error);
            return;
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * The Camel Main that {@link #main} runs for these arguments and environment: its property locations and the
     * environment's Camel group options. Every run path starts the bundle through it ({@code mvn compile exec:java}
     * with {@code --sandbox}, {@code java -jar}, the tests), so all of them read the same property sources. The
     * arguments that are not the bundle's own are added to {@code camelArgs}.
     */
    public static Main configure(String[] args, Map<String, String> env, List<String> camelArgs) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(locations(args, env, camelArgs));
        camelGroupOptions(env).forEach(main::addOverrideProperty);
        return main;
    }

    /**
     * The configuration error behind a failed start, as one line naming the key, or null when the start failed for
     * another reason: the bundle's own check ({@link InvalidConfigException}, which Camel may wrap), or Camel Main
     * refusing a value for one of its options (named with the bundle key it comes from, when it is a placeholder:
     * camel.server.enabled is {{bool:onepassword.scim.gateway.enabled}}).
     */
    static String configError(Main main, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidConfigException invalid) {
                return invalid.getMessage();
            }
            if (t instanceof PropertyBindingException binding && binding.getOptionKey() != null) {
                String key = binding.getOptionPrefix() == null ? binding.getOptionKey()
                        : binding.getOptionPrefix() + binding.getOptionKey();
                String raw = main.getCamelContext() == null ? null
                        : main.getCamelContext().getPropertiesComponent().loadProperties(key::equals).getProperty(key);
                String from = raw != null && raw.startsWith("{{") && raw.endsWith("}}")
                        ? "property " + raw.substring(2, raw.length() - 2).replaceFirst("^bool:", "") + " (through "
                                + key + ")"
                        : "property " + key;
                Throwable why = binding.getCause() == null ? binding : binding.getCause();
                return from + " cannot be '" + (SecretKeys.isSecret(key) ? "****" : binding.getValue()) + "': "
                        + why.getMessage();
            }
        }
        return null;
    }

    /**
     * A configuration error is the operator's to fix, not a crash: one line naming the key, value and reason, exit
     * code 2 (as for a bad argument), no stack trace. Main's shutdown strategy is told first, so that its JVM hook
     * (installed for SIGTERM) finds nothing to do and does not report a "JVM shutdown hook triggered by SIGTERM".
     */
    static void refuse(Main main, String error) {
        main.getShutdownStrategy().shutdown();
        System.err.println("onepassword-camel-bundle: " + Secrets.redact(error).replaceAll("\\s*\\R\\s*", " "));
        System.exit(2);
    }

    /**
     * Camel Main reads {@code camel.main.*} and {@code camel.component.*} from the environment itself, but not the
     * server, management, metrics and health groups, which it takes from the properties files only. So that every
     * key of the configuration table can be set by an environment variable, those are read here
     * ({@code CAMEL_MANAGEMENT_PORT} is {@code camel.management.port}, {@code CAMEL_SERVER_MAX_BODY_SIZE}
     * {@code camel.server.max-body-size}) and given to Main as overrides.
     */
    static Map<String, String> camelGroupOptions(Map<String, String> env) {
        Map<String, String> options = new java.util.TreeMap<>();
        env.forEach((name, value) -> {
            for (String group : CAMEL_GROUPS) {
                String prefix = "CAMEL_" + group.toUpperCase(java.util.Locale.ROOT) + "_";
                if (name.startsWith(prefix) && name.length() > prefix.length()) {
                    options.put("camel." + group + "." + name.substring(prefix.length())
                            .toLowerCase(java.util.Locale.ROOT).replace('_', '-'), value);
                }
            }
        });
        return options;
    }

    /**
     * The property locations for these arguments and environment, the first that has a key winning: the external
     * file, the sandbox profile, the packaged defaults. The arguments that are not the bundle's own are added to
     * {@code camelArgs}.
     */
    static String locations(String[] args, Map<String, String> env, List<String> camelArgs) {
        String config = env.get(CONFIG_ENV);
        boolean sandbox = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sandbox" -> sandbox = true;
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--config needs the properties file it names");
                    }
                    config = args[++i];
                }
                default -> camelArgs.add(args[i]);
            }
        }
        List<String> locations = new ArrayList<>();
        if (config != null && !config.isBlank()) {
            Path file = Path.of(config.trim()).toAbsolutePath();
            if (!Files.isReadable(file) || Files.isDirectory(file)) {
                throw new IllegalArgumentException("the properties file " + file + " (" + CONFIG_ENV
                        + " or --config) cannot be read");
            }
            locations.add("file:" + file);
        }
        if (sandbox) {
            locations.add(SANDBOX_PROFILE);
        }
        locations.add(DEFAULTS);
        return String.join(",", locations);
    }
}
