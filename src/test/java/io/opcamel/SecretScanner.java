package io.opcamel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Looks for each secret, in each of its forms (clear, base64 and base64url, the base64 of its Bearer header, a
 * JWT's signature alone), line by line; a finding names where, never the value. SecretsNeverLeakTest scans every
 * flow's output with it, the reliability suite every answer and log line of its fuzzing and crash runs.
 */
public final class SecretScanner {

    private static final Base64.Encoder URL64 = Base64.getUrlEncoder().withoutPadding();

    private final Map<String, String> needles = new LinkedHashMap<>(); // form -> label
    private final List<String> findings = new ArrayList<>();

    public synchronized void secret(String label, String secret) {
        needles.put(secret, label);
        byte[] b = secret.getBytes(StandardCharsets.UTF_8);
        needles.putIfAbsent(Base64.getEncoder().encodeToString(b), label + " (base64)");
        needles.putIfAbsent(Base64.getEncoder().withoutPadding().encodeToString(b), label + " (base64)");
        needles.putIfAbsent(URL64.encodeToString(b), label + " (base64url)");
        needles.putIfAbsent(Base64.getEncoder().encodeToString(("Bearer " + secret).getBytes(StandardCharsets.UTF_8)),
                label + " (base64 of the Bearer header)");
        String[] jwt = secret.split("\\.");
        if (jwt.length == 3 && jwt[2].length() >= 16) {
            needles.putIfAbsent(jwt[2], label + " (JWT signature)");
        }
    }

    public synchronized void text(String where, String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            for (Map.Entry<String, String> n : needles.entrySet()) {
                if (lines[i].contains(n.getKey())) {
                    findings.add(where + " line " + (i + 1) + ": " + n.getValue());
                }
            }
        }
    }

    public void tree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                text(f.toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
    }

    public synchronized List<String> findings() {
        return List.copyOf(findings);
    }
}
