package io.opcamel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.EmbeddedKafka;
import io.opcamel.OnePasswordBundle;
import io.opcamel.TeeStream;
import io.opcamel.TestTokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15.8, an operator's first hour with Kafka out of reach (docs/events-and-sinks.md, "When Kafka cannot be
 * reached": one policy for every Kafka use). At start, brokers that do not answer (a port where nothing listens) or cannot be resolved stop the start with
 * the key of those brokers named; once started, a broker that goes away and comes back is reported once per change
 * of state, with the key; and Kafka's clients' own reconnect warnings (NetworkClient, ClientUtils) stay out of the
 * log. The log is what slf4j-simple writes to stderr, captured here, with the shipped simplelogger.properties.
 */
class KafkaUnreachableIT {

    private static final String KEY = "onepassword.sink.kafka.brokers";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nothing-listens", "unresolvable"})
    void brokersThatDoNotAnswerStopTheStartNamingTheirKey(String kind) throws Exception {
        String brokers;
        if (kind.equals("unresolvable")) {
            brokers = "kafka.invalid:9092"; // .invalid never resolves (RFC 2606)
        } else {
            try (ServerSocket free = new ServerSocket(0)) {
                brokers = "127.0.0.1:" + free.getLocalPort();
            }
        }
        Properties p = base();
        p.setProperty("onepassword.sink.type", "kafka");
        p.setProperty(KEY, brokers);
        p.setProperty("onepassword.sink.kafka.tail-timeout", "PT3S");
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(p);
        InvalidConfigException[] refused = new InvalidConfigException[1];
        String log = captured(() -> refused[0] = assertThrows(InvalidConfigException.class,
                () -> OnePasswordBundle.install(context)));
        InvalidConfigException e = refused[0];
        assertEquals(KEY, e.property());
        assertTrue(e.getMessage().startsWith("property " + KEY + " names Kafka brokers (" + brokers + ") that did not "
                + "answer within PT3S (the Kafka sink)"), e.getMessage());
        assertEquals(List.of(), kafkaNoise(log), "Kafka's clients said it themselves:\n" + log);
    }

    @Test
    void aBrokerThatGoesAwayAndComesBackIsReportedOncePerChange() throws Exception {
        Properties p = base();
        p.setProperty("onepassword.events.accounts", ""); // no feed: the watch is the only Kafka client here
        p.setProperty("onepassword.sink.type", "kafka");
        p.setProperty(KEY, EmbeddedKafka.bootstrapServers());
        p.setProperty("onepassword.sink.kafka.tail-timeout", "PT1S"); // the watch asks every second
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(p);
        OnePasswordBundle.install(context);
        KafkaReachability watch = KafkaReachability.of(context);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(new TeeStream(err, out), true, StandardCharsets.UTF_8));
        try {
            context.start();
            EmbeddedKafka.stopBroker();
            awaitLines(out, "cannot be reached", 1);
            long asked = watch.probes();
            // more probes that find it down add no line
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> watch.probes() >= asked + 3);
            assertEquals(1, lines(out, "cannot be reached").size(), text(out));

            EmbeddedKafka.startBroker();
            awaitLines(out, "are reachable again", 1);
            EmbeddedKafka.stopBroker();
            awaitLines(out, "cannot be reached", 2);
            for (String line : lines(out, "Kafka brokers")) {
                assertTrue(line.contains(KEY) && line.contains("the Kafka sink"), line);
            }
            assertEquals(List.of(), kafkaNoise(text(out)), text(out));
        } finally {
            System.setErr(err);
            context.stop();
            EmbeddedKafka.startBroker(); // the other tests of this JVM share the broker
        }
    }

    /** Runs {@code start}, returning what was logged meanwhile. */
    private static String captured(Runnable start) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(new TeeStream(err, out), true, StandardCharsets.UTF_8));
        try {
            start.run();
        } finally {
            System.setErr(err);
        }
        return text(out);
    }

    /** Lines Kafka's own clients logged (their loggers' short names), not the bundle's. */
    private static List<String> kafkaNoise(String log) {
        return log.lines().filter(l -> l.contains(" NetworkClient - ") || l.contains(" ClientUtils - ")
                || l.contains("Connection to node") || l.contains("Couldn't resolve server")).toList();
    }

    private static void awaitLines(ByteArrayOutputStream out, String marker, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> lines(out, marker).size() >= count);
        assertEquals(count, lines(out, marker).size(), text(out));
    }

    private static List<String> lines(ByteArrayOutputStream out, String marker) {
        return text(out).lines().filter(l -> l.contains("Kafka brokers") && l.contains(marker)).toList();
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private Properties base() {
        Properties p = new Properties();
        p.setProperty("onepassword.events.accounts", "demo");
        p.setProperty("onepassword.events.demo.token", TestTokens.allFeatures());
        p.setProperty("onepassword.data-dir", dir.toString());
        return p;
    }
}
