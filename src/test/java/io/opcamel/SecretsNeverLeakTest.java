package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.config.InvalidConfigException;
import io.opcamel.sandbox.EventsApi;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import io.opcamel.sandbox.ScimUserState;
import io.opcamel.sink.RecordingHttpSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 7, "must show": every flow runs with known token values (the Events API tokens, one the API refuses, the
 * HTTP sink's bearer token, the SCIM bridge token, the identity providers' tokens, a token an IdP gets wrong, the
 * lifecycle API's caller token and a wrong one, the reconciliation caller's token and its HR export's bearer token,
 * the tokens of refused configurations), and everything the bundle wrote is scanned for any of them, in clear, in
 * base64 (standard and URL-safe) and, for a JWT, its signature alone: stdout and stderr (every log line), every
 * file of the data dir (events, cursors, dedupe, audit, lifecycle ledger and dead letters, drift reports), every request the HTTP sink received (but the
 * Authorization header it needs, checked on its own), every Kafka record (key, value, headers), the gateway's
 * answers to the IdP, what the health checks show (the bridge's /health is asked with its token), and the messages
 * and stack traces of refused start-ups. Zero occurrences.
 */
class SecretsNeverLeakTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL64 = Base64.getUrlEncoder().withoutPadding();

    private static final String SINK_TOKEN = "leakcheck-sink-token-" + hex(12);
    private static final String OKTA = "leakcheck-okta-token-" + hex(12);
    private static final String ENTRA = "leakcheck-entra-token-" + hex(12);
    private static final String WRONG_IDP = "leakcheck-wrong-idp-token-" + hex(12);
    private static final String HR = "leakcheck-hr-token-" + hex(12);
    private static final String WRONG_HR = "leakcheck-wrong-hr-token-" + hex(12);
    private static final String OPS = "leakcheck-ops-token-" + hex(12);
    private static final String SOURCE_TOKEN = "leakcheck-source-token-" + hex(12);
    private static final String PEOPLE = """
            [{"email":"ada@example.com","givenName":"Ada","familyName":"Lovelace"},
             {"email":"grace@example.com","givenName":"Grace","familyName":"Hopper"}]""";

    private static final String ADA = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada@example.com",
             "name":{"givenName":"Ada","familyName":"Lovelace"},"emails":[{"value":"ada@example.com","primary":true}],
             "active":true}""";

    @Test
    void noTokenReachesALogAFileASinkOrAnError(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream err = System.err;
        PrintStream out = System.out;
        // slf4j-simple writes to whatever System.err is at the time of the call
        System.setErr(new PrintStream(new TeeStream(err, captured), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new TeeStream(out, captured), true, StandardCharsets.UTF_8));
        SecretScanner scanner = new SecretScanner();
        try {
            run(dir, scanner);
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        scanner.text("stderr/stdout", captured.toString(StandardCharsets.UTF_8));
        scanner.tree(dir);
        assertEquals(List.of(), scanner.findings(), "a token was written out");
    }

    private void run(Path dir, SecretScanner scanner) throws Exception {
        SandboxConfig c = new SandboxConfig();
        c.accounts = new LinkedHashMap<>(Map.of("demo", "us", "second", "us"));
        c.backlog = 30;
        c.maxEvents = 30;
        c.eventsPerSecond = 1000;
        c.eventsRateLimitEnabled = false;
        // one loopback server: the HTTP sink's endpoint, and the HR export reconciliation reads (with its token)
        RecordingHttpSink.Responder sinkAnswers = RecordingHttpSink.accepting();
        try (Sandbox sandbox = Sandbox.start(c); RecordingHttpSink http = RecordingHttpSink.start(
                r -> r.path().startsWith("/people") ? RecordingHttpSink.Answer.json(200, PEOPLE)
                        : sinkAnswers.answer(r))) {
            String demoToken = sandbox.issueEventsToken("demo", EventsApi.FEATURES);
            // well formed (an ES256 JWT for a real account, with every feature) but not signed by 1Password: 401
            String wrongToken = forgedToken(sandbox.events().accountUuid("second"));
            scanner.secret("demo Events API token", demoToken);
            scanner.secret("second account's refused Events API token", wrongToken);
            scanner.secret("HTTP sink token", SINK_TOKEN);
            scanner.secret("SCIM bridge token", sandbox.bridgeToken());
            scanner.secret("okta IdP token", OKTA);
            scanner.secret("entra IdP token", ENTRA);
            scanner.secret("wrong IdP token", WRONG_IDP);
            scanner.secret("lifecycle caller token", HR);
            scanner.secret("wrong lifecycle token", WRONG_HR);
            scanner.secret("reconciliation caller token", OPS);
            scanner.secret("reconciliation source token", SOURCE_TOKEN);

            String prefix = "leak" + System.nanoTime() + ".";
            EmbeddedKafka.createTopics(EventsApi.FEATURES.stream().map(f -> prefix + f).toList(), 1);

            Path data = dir.resolve("data");
            Map<String, String> p = new LinkedHashMap<>();
            p.put("onepassword.events.accounts", "demo,second");
            p.put("onepassword.events.demo.host", sandbox.baseUrl());
            p.put("onepassword.events.demo.token", demoToken);
            p.put("onepassword.events.second.host", sandbox.baseUrl());
            p.put("onepassword.events.second.token", wrongToken);
            p.put("onepassword.events.second.features", "signinattempts");
            p.put("onepassword.events.start-window", "P1D");
            p.put("onepassword.events.retry.base", "PT0.01S");
            p.put("onepassword.events.retry.cap", "PT0.05S");
            p.put("onepassword.data-dir", data.toString());
            p.put("onepassword.sink.type", "file,http,kafka");
            p.put("onepassword.sink.http.url", http.url("/ingest"));
            p.put("onepassword.sink.http.auth", "bearer");
            p.put("onepassword.sink.http.token", SINK_TOKEN);
            p.put("onepassword.sink.kafka.brokers", EmbeddedKafka.bootstrapServers());
            p.put("onepassword.sink.kafka.topic-prefix", prefix);
            // the SCIM gateway in the same bundle, in front of the sandbox bridge
            p.put("onepassword.scim.gateway.enabled", "true");
            p.put("onepassword.scim.bridge.url", sandbox.bridgeUrl());
            p.put("onepassword.scim.bridge.token", sandbox.bridgeToken());
            p.put("onepassword.scim.gateway.tokens", "okta:" + OKTA + ",entra:" + ENTRA);
            p.put("onepassword.scim.bridge.retry.base", "PT0.01S");
            p.put("onepassword.scim.bridge.retry.cap", "PT0.05S");
            p.put("onepassword.scim.guardrails.allowed-email-domains", "example.com");
            p.put("onepassword.health.bridge-interval", "PT0.001S"); // every readiness probe asks the bridge's /health
            // lifecycle commands and reconciliation (its desired state from the HR export, with a bearer token)
            p.put("onepassword.lifecycle.enabled", "true");
            p.put("onepassword.lifecycle.tokens", "hr:" + HR);
            p.put("onepassword.reconcile.enabled", "true");
            p.put("onepassword.reconcile.tokens", "ops:" + OPS);
            p.put("onepassword.reconcile.source", "http");
            p.put("onepassword.reconcile.source.url", http.url("/people.json"));
            p.put("onepassword.reconcile.source.token", SOURCE_TOKEN);
            int port = freePort();
            VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
            conf.setBindHost("127.0.0.1");
            conf.setBindPort(port);
            conf.setPort(port);

            try (BundleHarness bundle = BundleHarness.start(p, data, true,
                    ctx -> ctx.addService(new VertxPlatformHttpServer(conf), true, true))) {
                // events: a 500 that is retried, then the page
                sandbox.eventsFaults().setServerErrorNext(1);
                bundle.poll("demo", "signinattempts");
                // a malformed page stops the poll (logged); the next poll delivers
                sandbox.eventsFaults().setMalformedNext(1);
                bundle.poll("demo", "itemusages");
                bundle.poll("demo", "itemusages");
                bundle.poll("demo", "auditevents");
                // a token the API refuses: 401, logged
                bundle.poll("second", "signinattempts");
                for (String f : EventsApi.FEATURES) {
                    assertEquals(30, bundle.records("demo", f).size(), "demo/" + f + " delivered to the file sink");
                }
                assertTrue(sandbox.requests().all().stream().anyMatch(r -> r.status() == 500), "a 500 was served");
                assertTrue(sandbox.requests().all().stream().anyMatch(r -> r.status() == 401), "a 401 was served");

                // SCIM: create, patch, delete (a suspend), and refusals
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                Scim scim = new Scim(client, port, scanner);
                sandbox.bridgeFaults().setServerErrorNext(1); // the create's look-up is retried (logged)
                HttpResponse<String> created = scim.call("POST", "/Users", OKTA, ADA);
                assertEquals(201, created.statusCode(), created.body());
                String id = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(created.body())
                        .path("id").asText();
                HttpResponse<String> patched = scim.call("PATCH", "/Users/" + id, ENTRA, """
                        {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                         "Operations":[{"op":"replace","path":"displayName","value":"Countess Lovelace"}]}""");
                assertEquals(200, patched.statusCode(), patched.body());
                HttpResponse<String> deleted = scim.call("DELETE", "/Users/" + id, OKTA, null);
                assertEquals(204, deleted.statusCode(), deleted.body());
                assertEquals(ScimUserState.SUSPENDED, sandbox.bridge().state(id));
                assertEquals(401, scim.call("POST", "/Users", WRONG_IDP, ADA.replace("ada@", "bob@")).statusCode());
                assertEquals(401, scim.call("GET", "/Users", null, null).statusCode());
                assertEquals(400, scim.call("POST", "/Users", OKTA, ADA.replace("example.com", "elsewhere.org"))
                        .statusCode(), "the allowed-email-domains guardrail");
                assertEquals(409, scim.call("POST", "/Users", ENTRA, ADA).statusCode(), "duplicate create");
                assertTrue(Files.exists(data.resolve("audit").resolve("scim-gateway.ndjson")), "the audit trail");

                // lifecycle commands: applied, replayed, refused and parked (a dead letter), a wrong token; and a
                // reconciliation that reads the HR export with its token and applies the drift as commands
                String joiner = "{\"requestId\":\"hr-1\",\"type\":\"joiner\",\"email\":\"grace@example.com\","
                        + "\"givenName\":\"Grace\",\"familyName\":\"Hopper\"}";
                assertEquals(200, scim.post("/lifecycle/v1/commands", HR, joiner).statusCode());
                assertEquals(200, scim.post("/lifecycle/v1/commands", HR, joiner).statusCode(), "a replay");
                assertEquals(422, scim.post("/lifecycle/v1/commands", HR, joiner.replace("hr-1", "hr-2")
                        .replace("example.com", "elsewhere.org")).statusCode(), "refused by a guardrail, parked");
                assertEquals(401, scim.post("/lifecycle/v1/commands", WRONG_HR, joiner).statusCode());
                assertEquals(401, scim.post("/lifecycle/v1/reconcile", WRONG_HR, "").statusCode());
                HttpResponse<String> reconciled = scim.post("/lifecycle/v1/reconcile?apply=true", OPS, "");
                assertEquals(200, reconciled.statusCode(), reconciled.body());
                assertTrue(http.requests().stream().anyMatch(r -> r.path().startsWith("/people")
                        && ("Bearer " + SOURCE_TOKEN).equals(r.header("Authorization"))), "the source's token is sent");
                assertTrue(Files.exists(data.resolve("lifecycle").resolve("lifecycle-dead-letter.ndjson")));

                // health: the bridge's /health is asked with the bridge token, failing once, then answering; what
                // a health endpoint would show of every check, at its fullest, is scanned
                sandbox.bridgeFaults().setServerErrorNext(1);
                for (int probe = 1; probe <= 2; probe++) {
                    for (org.apache.camel.health.HealthCheck.Result r : org.apache.camel.health.HealthCheckHelper
                            .invoke(bundle.context, "full")) {
                        scanner.text("health check " + r.getCheck().getId() + " (probe " + probe + ")", r.getState()
                                + " " + r.getMessage().orElse("") + " " + r.getDetails() + " " + r.getError()
                                .map(Throwable::toString).orElse(""));
                    }
                }
                assertTrue(sandbox.requests().all().stream().anyMatch(r -> r.path().equals("/health")
                        && r.status() == 500), "the bridge's /health failed once");
            }

            // the HTTP sink: its Authorization header carries the secret, nothing else does
            List<RecordingHttpSink.Request> requests = http.requests();
            assertFalse(requests.isEmpty(), "the HTTP sink received nothing");
            int n = 0;
            for (RecordingHttpSink.Request r : requests) {
                if (r.path().startsWith("/people")) {
                    continue; // reconciliation's read of the HR export, which carries the source's token
                }
                n++;
                assertEquals("Bearer " + SINK_TOKEN, r.header("Authorization"), "HTTP sink request " + n);
                StringBuilder sb = new StringBuilder(r.method()).append(' ').append(r.path()).append('\n');
                r.headers().forEach((k, v) -> {
                    if (!k.equals("authorization")) {
                        v.forEach(x -> sb.append(k).append(": ").append(x).append('\n'));
                    }
                });
                sb.append('\n').append(r.bodyText());
                scanner.text("HTTP sink request " + n, sb.toString());
            }

            // Kafka: every record of every feed's topic
            int records = 0;
            for (String f : EventsApi.FEATURES) {
                for (ConsumerRecord<String, String> r : readAll(prefix + f)) {
                    records++;
                    StringBuilder sb = new StringBuilder("key: ").append(r.key()).append('\n');
                    for (Header h : r.headers()) {
                        sb.append("header ").append(h.key()).append(": ")
                                .append(new String(h.value(), StandardCharsets.UTF_8)).append('\n');
                    }
                    sb.append(r.value());
                    scanner.text("Kafka " + r.topic() + "/" + r.partition() + "@" + r.offset(), sb.toString());
                }
            }
            assertEquals(90, records, "every event of demo's three feeds in Kafka");
        }

        // start-up: configurations that are refused for their token say so without showing it
        refusedStartUp(dir, scanner, "scim-token-given-for-events");
        refusedStartUp(dir, scanner, "http-sink-url-with-credentials");
        refusedStartUp(dir, scanner, "token-lacks-feature");
    }

    /** Starts a bundle with a case of src/test/resources/config/invalid: it must refuse, naming the property. */
    private static void refusedStartUp(Path dir, SecretScanner scanner, String name) throws Exception {
        String text = Files.readString(Path.of("src/test/resources/config/invalid", name + ".properties"));
        String expect = header(text, "expect");
        String features = header(text, "token-features");
        String token = forgedToken("LEAKCHECKACCOUNTUUID" + hex(3), features == null ? EventsApi.FEATURES
                : List.of(features.split(",")));
        Properties props = new Properties();
        props.setProperty("onepassword.events.accounts", "demo");
        props.setProperty("onepassword.events.demo.token", token);
        props.setProperty("onepassword.data-dir", dir.resolve("refused-" + name).toString());
        Properties overlay = new Properties();
        overlay.load(new StringReader(text));
        props.putAll(overlay);
        scanner.secret(name + ": the events token", props.getProperty("onepassword.events.demo.token"));
        if (name.equals("http-sink-url-with-credentials")) {
            scanner.secret(name + ": the password in the URL", "hunter2-sink-secret");
        }
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(props);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> OnePasswordBundle.install(context));
        assertTrue(e.getMessage().startsWith(expect), "message was: " + e.getMessage());
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        scanner.text("start-up refused (" + name + "): message", e.getMessage());
        scanner.text("start-up refused (" + name + "): stack trace", trace.toString());
        context.stop();
    }

    /**
     * The shipped main class in a JVM of its own, configured as the docs tell ops to: the settings in the file
     * ONEPASSWORD_CONFIG names, and every secret (the Events API token, the HTTP sink's token, the bridge's token, the
     * IdPs', lifecycle's and reconciliation's callers' tokens, the HR export's token, Kafka's JAAS config) either
     * from the environment or from files ({@code <key>-file}; the JAAS config from the properties file). Every
     * flow runs over real HTTP; then its whole stdout and stderr (Camel Main's start-up summary of the properties
     * included), its data folder, every answer (SCIM, lifecycle, reconciliation, health in full, metrics), every
     * HTTP sink request and Kafka record are scanned.
     */
    @ParameterizedTest(name = "secrets from {0}")
    @ValueSource(strings = {"environment", "files"})
    void theShippedMainClassPrintsNoSecretGivenThe(String way, @TempDir Path dir) throws Exception {
        SandboxConfig c = new SandboxConfig();
        c.backlog = 20;
        c.maxEvents = 20;
        c.eventsPerSecond = 1000;
        c.eventsRateLimitEnabled = false;
        SecretScanner scanner = new SecretScanner();
        String output;
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"bundle\" "
                + "password=\"leakcheck-kafka-password-" + hex(12) + "\";";
        try (Sandbox sandbox = Sandbox.start(c); RecordingHttpSink http = RecordingHttpSink.start(
                r -> r.path().startsWith("/people") ? RecordingHttpSink.Answer.json(200, PEOPLE)
                        : RecordingHttpSink.accepting().answer(r))) {
            Map<String, String> secrets = new LinkedHashMap<>();
            secrets.put("onepassword.events.demo.token", sandbox.issueEventsToken("demo", EventsApi.FEATURES));
            secrets.put("onepassword.sink.http.token", SINK_TOKEN);
            secrets.put("onepassword.scim.bridge.token", sandbox.bridgeToken());
            secrets.put("onepassword.scim.gateway.tokens", "okta:" + OKTA + ",entra:" + ENTRA);
            secrets.put("onepassword.lifecycle.tokens", "hr:" + HR);
            secrets.put("onepassword.reconcile.tokens", "ops:" + OPS);
            secrets.put("onepassword.reconcile.source.token", SOURCE_TOKEN);
            secrets.forEach((k, v) -> scanner.secret(k, v));
            List.of(OKTA, ENTRA, HR, OPS, WRONG_IDP).forEach(t -> scanner.secret("a caller's token", t));
            scanner.secret("Kafka's JAAS config", jaas);
            scanner.secret("Kafka's password", jaas.replaceAll(".*password=\"([^\"]+)\".*", "$1"));
            String prefix = "leakchild" + System.nanoTime() + ".";
            EmbeddedKafka.createTopics(EventsApi.FEATURES.stream().map(f -> prefix + f).toList(), 1);

            Path data = dir.resolve("data");
            Properties config = new Properties();
            config.setProperty("onepassword.events.accounts", "demo");
            config.setProperty("onepassword.events.demo.host", sandbox.baseUrl());
            config.setProperty("onepassword.events.cron", "0/1 * * * * ?");
            config.setProperty("onepassword.data-dir", data.toString());
            config.setProperty("onepassword.sink.type", "file,http,kafka");
            config.setProperty("onepassword.sink.http.url", http.url("/ingest"));
            config.setProperty("onepassword.sink.http.auth", "bearer");
            config.setProperty("onepassword.sink.kafka.brokers", EmbeddedKafka.bootstrapServers());
            config.setProperty("onepassword.sink.kafka.topic-prefix", prefix);
            config.setProperty("onepassword.scim.gateway.enabled", "true");
            config.setProperty("onepassword.scim.bridge.url", sandbox.bridgeUrl());
            config.setProperty("onepassword.lifecycle.enabled", "true");
            config.setProperty("onepassword.reconcile.enabled", "true");
            config.setProperty("onepassword.reconcile.source", "http");
            config.setProperty("onepassword.reconcile.source.url", http.url("/people.json"));
            config.setProperty("onepassword.health.bridge-interval", "PT0.001S");
            config.setProperty("camel.server.host", "127.0.0.1");
            config.setProperty("camel.management.host", "127.0.0.1");
            Map<String, String> env = new LinkedHashMap<>();
            if (way.equals("environment")) {
                secrets.forEach((k, v) -> env.put(io.opcamel.config.Secrets.envName(k), v));
                env.put("CAMEL_COMPONENT_KAFKA_SASL_JAAS_CONFIG", jaas);
            } else {
                Path folder = Files.createDirectories(dir.resolve("secrets"));
                for (Map.Entry<String, String> e : secrets.entrySet()) {
                    Path file = folder.resolve(e.getKey());
                    Files.writeString(file, e.getValue() + "\n");
                    config.setProperty(e.getKey() + "-file", file.toString());
                }
                config.setProperty("camel.component.kafka.sasl-jaas-config", jaas);
            }
            Path configFile = dir.resolve("onepassword.properties");
            try (var out = Files.newBufferedWriter(configFile)) {
                config.store(out, "what ops put in the file ONEPASSWORD_CONFIG names");
            }
            int port = freePort();
            int management = freePort();
            env.put("ONEPASSWORD_CONFIG", configFile.toString());
            env.put("CAMEL_SERVER_PORT", Integer.toString(port));
            env.put("CAMEL_MANAGEMENT_PORT", Integer.toString(management));

            Path log = dir.resolve("bundle.log");
            Process bundle = BundleProcess.start(dir.resolve("work"), log, List.of("-Xmx256m"), env);
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Scim scim = new Scim(client, port, scanner);
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                        .failFast("the bundle exited: " + log, () -> !bundle.isAlive()).ignoreExceptions()
                        .until(() -> EventsApi.FEATURES.stream().allMatch(f -> {
                            try {
                                return BundleHarness.wholeLines(data.resolve("events").resolve("demo-" + f
                                        + ".ndjson")).size() == 20;
                            } catch (IOException e) {
                                return false;
                            }
                        }));
                HttpResponse<String> created = scim.call("POST", "/Users", OKTA, ADA);
                assertEquals(201, created.statusCode(), created.body());
                String id = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(created.body())
                        .path("id").asText();
                assertEquals(200, scim.call("PATCH", "/Users/" + id, ENTRA, """
                        {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                         "Operations":[{"op":"replace","path":"displayName","value":"Countess Lovelace"}]}""")
                        .statusCode());
                assertEquals(200, scim.call("GET", "/Users?filter=userName+eq+%22ada%40example.com%22", ENTRA, null)
                        .statusCode());
                assertEquals(204, scim.call("DELETE", "/Users/" + id, OKTA, null).statusCode());
                assertEquals(401, scim.call("GET", "/Users", WRONG_IDP, null).statusCode());
                String joiner = "{\"requestId\":\"hr-1\",\"type\":\"joiner\",\"email\":\"grace@example.com\","
                        + "\"givenName\":\"Grace\",\"familyName\":\"Hopper\"}";
                assertEquals(200, scim.post("/lifecycle/v1/commands", HR, joiner).statusCode());
                assertEquals(401, scim.post("/lifecycle/v1/commands", WRONG_HR, joiner).statusCode());
                HttpResponse<String> reconciled = scim.post("/lifecycle/v1/reconcile?apply=true", OPS, "");
                assertEquals(200, reconciled.statusCode(), reconciled.body());
                for (String path : List.of("/observe/health?exposureLevel=full&data=true", "/observe/health/ready",
                        "/observe/metrics")) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + management + path)).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    scanner.text("management " + path, r.body());
                }
            } finally {
                bundle.destroy(); // SIGTERM: the shutdown's lines are scanned too
                if (!bundle.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    bundle.destroyForcibly();
                }
            }
            output = Files.readString(log);
            scanner.text("the bundle's stdout and stderr", output);
            scanner.tree(data);
            assertTrue(http.requests().stream().anyMatch(r -> r.path().startsWith("/people")
                    && ("Bearer " + SOURCE_TOKEN).equals(r.header("Authorization"))), "the source's token is sent");
            for (RecordingHttpSink.Request r : http.requests()) {
                StringBuilder sb = new StringBuilder(r.method()).append(' ').append(r.path()).append('\n');
                r.headers().forEach((k, v) -> {
                    if (!k.equals("authorization")) {
                        v.forEach(x -> sb.append(k).append(": ").append(x).append('\n'));
                    }
                });
                scanner.text("HTTP request " + r.path(), sb.append('\n').append(r.bodyText()).toString());
            }
            int records = 0;
            for (String f : EventsApi.FEATURES) {
                for (ConsumerRecord<String, String> r : readAll(prefix + f)) {
                    records++;
                    scanner.text("Kafka " + r.topic() + "@" + r.offset(), r.key() + "\n" + r.value());
                }
            }
            assertEquals(60, records, "every event of the three feeds in Kafka");
        }
        assertEquals(List.of(), scanner.findings(), "a secret given through the " + way + " was written out");
        assertTrue(output.contains("onepassword.scim.gateway.tokens" + (way.equals("files") ? "-file = " : " = xxxxxx")),
                "Camel Main's summary of the properties was printed, and scanned:\n" + output);
    }

    @Test
    void theScannerFindsATokenWhereverItIs(@TempDir Path dir) throws Exception {
        String token = forgedToken("PLANTEDACCOUNT", EventsApi.FEATURES);
        String signature = token.substring(token.lastIndexOf('.') + 1);
        Files.createDirectories(dir.resolve("events"));
        Files.writeString(dir.resolve("events/demo-auditevents.ndjson"), "{\"a\":1}\n{\"b\":\"" + token + "\"}\n");
        Files.writeString(dir.resolve("audit.ndjson"), "{\"auth\":\"Basic "
                + Base64.getEncoder().encodeToString(SINK_TOKEN.getBytes(StandardCharsets.UTF_8)) + "\"}\n");
        Files.writeString(dir.resolve("masked.log"), "token=eyJ...." + signature + "\n");
        Files.writeString(dir.resolve("clean.log"), "token=**** (" + token.length() + " chars)\n");
        SecretScanner s = new SecretScanner();
        s.secret("planted", token);
        s.secret("sink", SINK_TOKEN);
        s.text("stderr", "line one\nAuthorization: Bearer " + SINK_TOKEN + "\n");
        s.tree(dir);
        List<String> f = s.findings();
        assertTrue(f.contains("stderr line 2: sink"), f.toString());
        assertTrue(f.contains(dir.resolve("events/demo-auditevents.ndjson") + " line 2: planted"), f.toString());
        assertTrue(f.contains(dir.resolve("audit.ndjson") + " line 1: sink (base64)"), f.toString());
        assertTrue(f.contains(dir.resolve("masked.log") + " line 1: planted (JWT signature)"), f.toString());
        assertFalse(f.stream().anyMatch(x -> x.contains("clean.log")), f.toString());
        assertFalse(f.stream().anyMatch(x -> x.contains(token) || x.contains(SINK_TOKEN)),
                "a finding must not repeat the secret");
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** The gateway's client: each answer (status, headers, body) is scanned too, the IdP must not get a token. */
    private record Scim(HttpClient client, int port, SecretScanner scanner) {
        HttpResponse<String> call(String method, String path, String token, String json) throws Exception {
            return send(method, "/scim/v2" + path, token, json);
        }

        /** A POST to the lifecycle API (commands, reconciliation) on the same server. */
        HttpResponse<String> post(String path, String token, String json) throws Exception {
            return send("POST", path, token, json);
        }

        private HttpResponse<String> send(String method, String path, String token, String json) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                b.header("Content-Type", "application/scim+json");
            }
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            StringBuilder sb = new StringBuilder();
            r.headers().map().forEach((k, v) -> v.forEach(x -> sb.append(k).append(": ").append(x).append('\n')));
            sb.append('\n').append(r.body());
            scanner.text("answer to " + method + " " + path, sb.toString());
            return r;
        }
    }

    /** Every record of a topic, from the start. */
    private static List<ConsumerRecord<String, String>> readAll(String topic) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        Map<String, Object> config = new HashMap<>(EmbeddedKafka.consumerConfig());
        config.put("fetch.max.wait.ms", 10);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < ends.get(p))) {
                assertTrue(System.nanoTime() < deadline, "could not read " + topic + " to its end");
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** An ES256-shaped JWT with the claims of an Events API token and a signature nobody made. */
    private static String forgedToken(String accountUuid) {
        return forgedToken(accountUuid, EventsApi.FEATURES);
    }

    private static String forgedToken(String accountUuid, List<String> features) {
        String claims = "{\"1password.com/auuid\":\"" + accountUuid + "\",\"1password.com/fts\":[\""
                + String.join("\",\"", features) + "\"],\"aud\":[\"events.1password.com\"],\"sub\":\"LEAKCHECK"
                + hex(6).toUpperCase() + "\"}";
        byte[] sig = new byte[64];
        RANDOM.nextBytes(sig);
        return URL64.encodeToString("{\"alg\":\"ES256\",\"kid\":\"leakcheck\",\"typ\":\"JWT\"}"
                .getBytes(StandardCharsets.UTF_8)) + "." + URL64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
                + "." + URL64.encodeToString(sig);
    }

    private static String header(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith("# " + name + ": ")) {
                return line.substring(name.length() + 4).trim();
            }
        }
        return null;
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
