package io.opcamel.config;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedCamelContext;
import org.apache.camel.util.SensitiveUtils;

/**
 * Which of the bundle's keys hold a secret, declared once: every {@code *.token}, {@code *.tokens} and
 * {@code *.password} (Kafka's key store and trust store passwords among them) and Kafka's JAAS config
 * ({@code camel.component.kafka.sasl-jaas-config}). The value behind such a key's {@code -file} is as secret. From
 * this one list: Camel Main's start-up summary masks them ({@link #maskInCamelsSummary}), {@link Secrets#read}
 * reads only them and keeps what it read out of every text the bundle prints ({@link Secrets#redact}), and the
 * configuration reference marks exactly them as secret (ConfigReferenceTest).
 */
public final class SecretKeys {

    /** The last segment of a secret key, in lower case without dashes, as Camel compares them. */
    private static final List<String> SEGMENTS = List.of("token", "tokens", "sasljaasconfig");

    private SecretKeys() {
    }

    /** Whether {@code key} holds a secret (not its {@code -file}, which names where the secret is). */
    public static boolean isSecret(String key) {
        String last = segment(key);
        return SEGMENTS.contains(last) || last.endsWith("password");
    }

    /**
     * Camel masks a key in its start-up summary, logs and endpoint URIs when its last segment is one of its own
     * sensitive words ({@code token}, {@code password}, {@code sasljaasconfig}, ...), not {@code tokens}: the
     * bundle's words Camel lacks are added to the context's additional sensitive keywords.
     */
    public static void maskInCamelsSummary(CamelContext context) {
        ExtendedCamelContext ecc = context.getCamelContextExtension();
        Set<String> words = new LinkedHashSet<>();
        String existing = ecc.getAdditionalSensitiveKeywords();
        if (existing != null && !existing.isBlank()) {
            words.addAll(Arrays.asList(existing.split(",")));
        }
        for (String s : SEGMENTS) {
            if (!SensitiveUtils.containsSensitive(s)) {
                words.add(s);
            }
        }
        ecc.setAdditionalSensitiveKeywords(String.join(",", words));
    }

    private static String segment(String key) {
        return key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT).replace("-", "");
    }
}
