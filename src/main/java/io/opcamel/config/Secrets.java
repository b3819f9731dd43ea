package io.opcamel.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a secret from a property (fed by an environment variable) or from a file. The value never appears in a
 * message: errors name the property and the file, not what was read.
 */
public final class Secrets {

    private Secrets() {
    }

    /** The secret from {@code key} or, failing that, from the file named by {@code key-file}. */
    public static String read(Settings settings, String key) {
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
