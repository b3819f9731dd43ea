package io.opcamel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.BundleProcess;
import io.opcamel.TestTokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an operator sees when the runnable jar's main class meets a configuration error: one line on stderr naming
 * the key (with the value and the reason), exit code 2, no stack trace and no "JVM shutdown hook triggered by
 * SIGTERM". Each case is a file of src/test/resources/config/invalid (InvalidConfigTest's cases, whose
 * "# expect:" line is the message), laid over a valid configuration and run in a child JVM as
 * {@code java -cp ... io.opcamel.OnePasswordMain --config FILE}.
 */
class ConfigErrorExitTest {

    private static final Path CASES = Path.of("src/test/resources/config/invalid");

    /** The cases Camel Main refuses before the bundle's own check sees them. */
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bad-cron", "limit-above-1000", "cursor-store-unknown", "gateway-enabled-not-a-boolean",
            "scim-token-given-for-events", "sink-kafka-unresolvable"})
    void oneLineNamingTheKeyAndExitCodeTwo(String name) throws Exception {
        String overlay = Files.readString(CASES.resolve(name + ".properties"));
        String expect = overlay.lines().filter(l -> l.startsWith("# expect: ")).findFirst().orElseThrow()
                .substring("# expect: ".length()).trim();
        String key = expect.split(" ")[1];
        Path config = dir.resolve("ops.properties");
        // the overlay's lines come last, so they win over the valid base
        Files.writeString(config, "onepassword.events.accounts=demo\n"
                + "onepassword.events.demo.token=" + TestTokens.allFeatures() + "\n"
                + "onepassword.data-dir=" + dir.resolve("data").toString().replace('\\', '/') + "\n" + overlay);
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder pb = BundleProcess.builder(dir, List.of(), Map.of(), "--config", config.toString())
                .redirectError(err.toFile()).redirectOutput(dir.resolve("stdout.txt").toFile());
        Process child = pb.start();
        // a bound for a hung child, not a speed target
        assertTrue(child.waitFor(3, TimeUnit.MINUTES), "the bundle did not stop on a configuration error");
        List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
        String all = String.join("\n", lines);
        assertEquals(2, child.exitValue(), all);
        List<String> naming = lines.stream().filter(l -> l.contains(key)).toList();
        assertEquals(1, naming.size(), "one line names " + key + ":\n" + all);
        // camel.server.enabled is {{bool:onepassword.scim.gateway.enabled}}: Camel Main binds it before the bundle
        // reads its keys, through the bundle's own parser, so its refusal is the bundle's words too
        assertTrue(naming.get(0).contains(expect), naming.get(0));
        assertEquals(List.of(), lines.stream().filter(l -> l.startsWith("\tat ") || l.contains("Exception")
                || l.contains("Caused by") || l.toLowerCase().contains("shutdown hook")).toList(), all);
    }
}
