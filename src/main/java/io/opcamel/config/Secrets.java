package io.opcamel.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Reads a secret from a property (fed by an environment variable) or from a file. The value never appears in a
 * message: errors name the property and the file, not what was read; and what was read is kept out of the text the
 * bundle prints ({@link #redact}). Which keys are secret: {@link SecretKeys}.
 */
public final class Secrets {

    private Secrets() {
    }

    /** Every secret read so far in this JVM, longest first: what {@link #redact} keeps out of printed text. */
    private static final Set<String> READ = new ConcurrentSkipListSet<>(
            Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
    /** Shorter values are not looked for: a redaction of "okta" or "true" would blank words, not secrets. */
    private static final int SHORTEST_REDACTED = 8;

    /**
     * The secret from {@code key} or, failing that, from the file named by {@code key-file}; {@code key} must be one
     * {@link SecretKeys} declares. What it reads is remembered for {@link #redact}, and for a list of named tokens
     * ({@code okta:<token>,entra:<token>}) each token too.
     */
    public static String read(Settings settings, String key) {
        if (!SecretKeys.isSecret(key)) {
            throw new IllegalArgumentException(key + " is not declared secret in SecretKeys");
        }
        String value = readDeclared(settings, key);
        remember(value);
        for (String part : value.split(",")) {
            remember(part.substring(part.indexOf(':') + 1).trim());
        }
        return value;
    }

    /**
     * Text to print (a log line, an error, a health detail) with every secret read so far replaced by {@code ****}:
     * a failure's message may quote what a server echoed back, a URL or a header.
     */
    public static String redact(String text) {
        if (text == null || text.length() < SHORTEST_REDACTED) {
            return text;
        }
        String out = text;
        for (String secret : READ) {
            if (out.contains(secret)) {
                out = out.replace(secret, "****");
            }
        }
        return out;
    }

    static void remember(String secret) {
        if (secret.length() >= SHORTEST_REDACTED) {
            READ.add(secret);
        }
    }

    private static String readDeclared(Settings settings, String key) {
        Optional<String> inline = settings.optional(key);
        if (inline.isPresent()) {
            return inline.get();
        }
        String fileKey = key + "-file";
        Optional<String> file = settings.optional(fileKey);
        if (file.isEmpty()) {
            throw new InvalidConfigException(key, "is not set: give it through the environment variable "
                    + envName(key) + " or name a file with " + fileKey);
        }
        try {
            String value = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).trim();
            if (value.isEmpty()) {
                throw new InvalidConfigException(fileKey, "names an empty file: " + file.get());
            }
            return value;
        } catch (IOException e) {
            throw new InvalidConfigException(fileKey, "names a file that cannot be read: " + file.get() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** The environment variable Camel maps onto a property: dots and dashes become underscores, upper case. */
    public static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** A secret as it may be shown: its length only. */
    public static String mask(String secret) {
        return secret == null || secret.isEmpty() ? "(none)" : "**** (" + secret.length() + " chars)";
    }
}
