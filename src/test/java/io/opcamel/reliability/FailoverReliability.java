package io.opcamel.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.BundleHarness;
import io.opcamel.BundleProcess;
import io.opcamel.LoopbackBundle;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15.8: the failover bound the start-up log states is the true one. Two instances of the runnable jar's main
 * class (child JVMs, as an operator runs them) share feed leadership by file locks, cursors and dedupe in the test
 * JVM's Kafka broker and one sandbox; the leader is killed with SIGKILL (no shutdown, its lock left to the OS and
 * its heartbeat to go stale), and the time until the standby has delivered its first event is measured against
 * "a dead one's within ..." of the standby's own log. A correctness bound, at a small scale (interval PT1S,
 * multiplier 3, a poll every second), not a speed target.
 */
class FailoverReliability {

    private static final String FEATURE = "itemusages";
    private static final Pattern STATED = Pattern.compile("a dead one(?:'s)? within (PT[0-9.]+S)");

    @TempDir
    Path dir;

    @Test
    void aKilledLeadersFeedIsDeliveredAgainWithinTheStatedBound() throws Exception {
        SandboxConfig c = new SandboxConfig();
        c.backlog = 50;
        c.eventsPerSecond = 20; // new events all along: the standby has something to deliver once it leads
        String topics = "failover-" + System.nanoTime();
        List<Process> started = new ArrayList<>();
        try (Sandbox sandbox = Sandbox.start(c)) {
            Instance a = new Instance("a", sandbox, topics);
            started.add(a.start());
            Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> a.delivered() > 0);
            Instance b = new Instance("b", sandbox, topics);
            started.add(b.start());
            // the standby is up (its leadership line logged, its routes started) and follows: it delivers nothing
            Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> b.log().contains("Feed leadership")
                    && b.log().contains("started in"));
            Duration stated = stated(b.log());
            assertTrue(b.delivered() == 0, "the standby delivers nothing while the leader lives");

            long killed = System.nanoTime();
            a.process.destroyForcibly(); // SIGKILL: no shutdown hook, no lock released by Camel
            assertTrue(a.process.waitFor(1, TimeUnit.MINUTES));
            Awaitility.await().atMost(stated.multipliedBy(4)).pollInterval(Duration.ofMillis(50))
                    .until(() -> b.delivered() > 0);
            Duration measured = Duration.ofNanos(System.nanoTime() - killed);
            System.out.println("FailoverReliability: after kill -9 of the leader the standby delivered in "
                    + measured.toMillis() + " ms; its log stated " + stated);
            assertTrue(measured.compareTo(stated) <= 0, "the standby delivered " + measured + " after the kill, "
                    + "past the bound its log stated (" + stated + "):\n" + b.log());
        } finally {
            for (Process p : started) {
                p.destroyForcibly();
                p.waitFor(1, TimeUnit.MINUTES);
            }
        }
    }

    private static Duration stated(String log) {
        Matcher m = STATED.matcher(log);
        assertTrue(m.find(), "no failover bound in the log:\n" + log);
        return Duration.parse(m.group(1));
    }

    /** One instance: its own data folder and log, the shared lock folder, topics and sandbox. */
    private final class Instance {
        final Path home;
        final Path config;
        Process process;

        Instance(String name, Sandbox sandbox, String topics) throws IOException {
            home = Files.createDirectories(dir.resolve(name));
            Map<String, String> p = BundleHarness.sandboxProperties(sandbox, home.resolve("data"));
            p.put("onepassword.events.demo.features", FEATURE);
            p.put("onepassword.events.cron", "0/1 * * * * ?");
            BundleHarness.kafkaStores(p, topics + "-");
            p.put("onepassword.cluster.service", "file");
            p.put("onepassword.cluster.file.root", dir.resolve("cluster").toString());
            p.put("onepassword.cluster.file.acquire-lock-interval", "PT1S");
            p.put("onepassword.cluster.file.heartbeat-timeout-multiplier", "3");
            p.put("camel.management.host", "127.0.0.1");
            p.put("camel.management.port", Integer.toString(LoopbackBundle.freePort()));
            Properties props = new Properties();
            props.putAll(p);
            config = home.resolve("instance.properties");
            try (var out = Files.newOutputStream(config)) {
                props.store(out, null);
            }
        }

        Process start() throws IOException {
            process = BundleProcess.start(home, home.resolve("run.log"), List.of("-Xmx384m"), Map.of(), "--config",
                    config.toString());
            return process;
        }

        String log() throws IOException {
            Path log = home.resolve("run.log");
            return Files.exists(log) ? Files.readString(log) : "";
        }

        /** Lines in this instance's NDJSON file of the feed (the default file sink). */
        long delivered() throws IOException {
            Path file = home.resolve("data").resolve("events").resolve("demo-" + FEATURE + ".ndjson");
            if (!Files.exists(file)) {
                return 0;
            }
            try (Stream<String> lines = Files.lines(file)) {
                return lines.filter(l -> !l.isBlank()).count();
            }
        }
    }
}
