package io.opcamel.reliability;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.BundleProcess;
import io.opcamel.EmbeddedKafka;
import io.opcamel.events.KafkaCursorStore;
import io.opcamel.SecretScanner;
import io.opcamel.sandbox.EventStream;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Crash consistency with a real kill -9: the bundle runs in a JVM of its own (its Camel Main, the packaged
 * properties, the production defaults: file cursor store, file dedupe store; the Kafka sink), streaming the
 * sandbox's feeds (in this JVM, on loopback) to the in-JVM Kafka broker. It is killed with SIGKILL
 * ({@link Process#destroyForcibly()}) at seeded random moments, some while it starts, the others once the stream
 * reached a random point (plus a random few hundred milliseconds, so a kill lands anywhere in a page: mid-fetch,
 * mid-batch, between the sink's acks and the dedupe flush or the cursor save), and started again on the same files.
 *
 * <p>After each kill: the cursor file of every feed is read (the sandbox's cursor holds the offset of the next
 * event), it must not be behind the one read after the previous kill, and every event before it must be in Kafka.
 * At the end every event must be in Kafka exactly once, in order per feed, keyed by its uuid.
 */
public final class CrashRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What to run: events per feed, the feeds, how many kills, the seed, where the files go; and whether the bundle
     * keeps its cursors and delivered uuids in Kafka topics (the failover set-up) instead of files.
     */
    public record Settings(int perFeed, List<String> features, int kills, long seed, Path dir, double startupShare,
            Duration lifeTimeout, boolean kafkaStores) {
    }

    private final Settings s;
    private final PrintStream log;
    private final Random random;
    private final List<String> lifeLines = new ArrayList<>();
    /** The cursor topic, read as the next instance would, when the bundle keeps its cursors in Kafka. */
    private KafkaCursorStore kafkaCursors;
    private String storesPrefix;
    private long notInTheDedupeTopic = -1;

    public CrashRun(Settings settings, PrintStream log) {
        this.s = settings;
        this.log = log;
        this.random = new Random(settings.seed());
    }

    /** Events of the stream whose uuid is not in the dedupe topic at the end (Kafka stores only; else -1). */
    public long notInTheDedupeTopic() {
        return notInTheDedupeTopic;
    }

    /** Runs the whole thing; the counts, for the summary (the caller asserts the ones that must be zero). */
    public ReliabilitySummary.Crash run() throws Exception {
        try {
            return runLives();
        } finally {
            if (kafkaCursors != null) {
                kafkaCursors.close();
            }
        }
    }

    private ReliabilitySummary.Crash runLives() throws Exception {
        long t0 = System.nanoTime();
        Files.createDirectories(s.dir());
        SandboxConfig c = new SandboxConfig();
        c.backlog = s.perFeed();
        c.maxEvents = s.perFeed();
        c.eventsPerSecond = 10_000; // the whole backlog within the feeds' first start window
        c.eventsRateLimitEnabled = false;
        c.requestLogCapacity = 100_000;
        c.seed = s.seed();
        try (Sandbox sandbox = Sandbox.start(c)) {
            String token = sandbox.issueEventsToken("demo", s.features());
            Path tokenFile = s.dir().resolve("demo-events.token");
            Files.writeString(tokenFile, token + "\n", StandardCharsets.US_ASCII);
            String prefix = "crash" + System.nanoTime() + ".";
            storesPrefix = prefix;
            EmbeddedKafka.createTopics(s.features().stream().map(f -> prefix + f).toList(), 1);
            Map<String, EventStream> streams = new LinkedHashMap<>();
            s.features().forEach(f -> streams.put(f, sandbox.events().stream("demo", f)));
            long expected = (long) s.perFeed() * s.features().size();

            try (Observer kafka = new Observer(prefix, streams, s.perFeed())) {
                List<String> command = command(sandbox, tokenFile, prefix);
                Files.writeString(s.dir().resolve("child-command.txt"), String.join(" ", command) + "\n");
                Map<String, Long> lastCursor = new HashMap<>();
                int regressions = 0;
                int ahead = 0;
                int startupKills = 0;
                int afterTheEnd = 0;
                List<Long> targets = targets(expected);
                int nextTarget = 0;
                for (int life = 1; life <= s.kills(); life++) {
                    long before = kafka.unique();
                    long launched = System.nanoTime();
                    Process child = launch(command, life);
                    String how;
                    if (random.nextDouble() < s.startupShare() || nextTarget >= targets.size()) {
                        // while the JVM boots, Camel starts, the Kafka tail is read, the first page is asked for
                        long delay = 100 + random.nextInt(2_400);
                        how = "at start-up, " + delay + " ms after launch";
                        if (child.waitFor(delay, TimeUnit.MILLISECONDS)) {
                            throw new IllegalStateException("the bundle exited by itself (" + child.exitValue()
                                    + "): see " + logFile(life));
                        }
                    } else {
                        // once the stream passed the next point, and this life delivered something, then a random
                        // fraction of a page's time: anywhere in a page (fetch, batch, acks, dedupe, cursor save)
                        long soonest = before + 200 + random.nextInt(2_000);
                        long target = Math.min(Math.max(targets.get(nextTarget++), soonest), expected);
                        awaitProgress(kafka, child, life, () -> kafka.unique() >= target);
                        long extra = random.nextInt(100);
                        how = "once " + ReliabilitySummary.n(target) + " events were in Kafka, + " + extra + " ms";
                        if (child.waitFor(extra, TimeUnit.MILLISECONDS)) {
                            throw new IllegalStateException("the bundle exited by itself (" + child.exitValue()
                                    + "): see " + logFile(life));
                        }
                    }
                    child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush, no goodbye
                    child.waitFor();
                    kafka.drain();
                    if (before == expected) {
                        afterTheEnd++;
                    } else if (kafka.unique() == before) {
                        startupKills++;
                    }
                    StringBuilder cursors = new StringBuilder();
                    for (String f : s.features()) {
                        Long at = cursorOffset(f);
                        long prev = lastCursor.getOrDefault(f, 0L);
                        if (at != null) {
                            if (at < prev) {
                                regressions++;
                                cursors.append(" CURSOR BACK ").append(prev).append("->").append(at);
                            }
                            if (at > kafka.deliveredPrefix(f)) {
                                ahead++;
                                cursors.append(" CURSOR AHEAD of Kafka (").append(kafka.deliveredPrefix(f)).append(')');
                            }
                            lastCursor.put(f, Math.max(prev, at));
                        }
                        cursors.append(' ').append(f).append('=').append(at == null ? "-" : at);
                    }
                    line(String.format(Locale.ROOT, "life %2d: up %5.1f s, killed %s; Kafka %s events (+%s), "
                            + "cursors%s", life, (System.nanoTime() - launched) / 1e9, how,
                            ReliabilitySummary.n(kafka.unique()), ReliabilitySummary.n(kafka.unique() - before),
                            cursors));
                }

                // the last life: no kill; it must finish the stream on its own, then stop cleanly
                int last = s.kills() + 1;
                long launched = System.nanoTime();
                Process child = launch(command, last);
                awaitProgress(kafka, child, last, () -> kafka.unique() >= expected && s.features().stream()
                        .allMatch(f -> Long.valueOf(s.perFeed()).equals(cursorOffset(f))));
                // a few more polls on the schedule: nothing may arrive twice after the end either
                if (child.waitFor(2_500, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the bundle exited by itself: see " + logFile(last));
                }
                child.destroy(); // SIGTERM: Camel Main's graceful shutdown
                if (!child.waitFor(60, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                    child.waitFor();
                }
                kafka.drain();
                line(String.format(Locale.ROOT, "life %2d: up %5.1f s, stopped cleanly once done; Kafka %s events",
                        last, (System.nanoTime() - launched) / 1e9, ReliabilitySummary.n(kafka.unique())));

                SecretScanner scanner = new SecretScanner();
                scanner.secret("the Events API token", token);
                scanner.tree(s.dir().resolve("logs"));
                scanner.tree(s.dir().resolve("data"));
                scanner.findings().forEach(f -> line("TOKEN SEEN: " + f));
                if (s.kafkaStores()) {
                    // the Kafka sink's tail also seeds the dedupe at start: this shows the dedupe store itself held on
                    Set<String> remembered = new HashSet<>();
                    EmbeddedKafka.readAll(prefix + "dedupe", (int) expected).forEach(r -> remembered.add(r.key()));
                    notInTheDedupeTopic = streams.values().stream().mapToLong(stream -> java.util.stream.IntStream
                            .range(0, s.perFeed()).filter(i -> !remembered.contains(stream.uuid(i))).count()).sum();
                    line("dedupe topic: " + ReliabilitySummary.n(remembered.size()) + " uuids, "
                            + notInTheDedupeTopic + " events of the stream missing from it");
                }
                Files.write(s.dir().resolve("lives.txt"), lifeLines);

                long reread = served(sandbox) - expected;
                long lost = expected - kafka.unique();
                long duplicated = kafka.records() - kafka.unique();
                String stream = s.features().size() + " feeds x " + ReliabilitySummary.n(s.perFeed())
                        + ", pages of 1,000, " + (s.kafkaStores() ? "Kafka cursor and dedupe stores"
                        : "file cursors + file dedupe");
                line("crash run: " + ReliabilitySummary.n(expected) + " events expected, " + ReliabilitySummary.n(
                        kafka.unique()) + " in Kafka once, " + ReliabilitySummary.n(duplicated) + " duplicated, "
                        + kafka.foreign() + " not of the stream, " + kafka.outOfOrder() + " out of order, "
                        + regressions + " cursor regressions, " + ahead + " cursors ahead of Kafka; "
                        + ReliabilitySummary.n(reread) + " events served again after a kill");
                return new ReliabilitySummary.Crash(stream, expected, kafka.unique(), kafka.records(), s.kills(),
                        startupKills, afterTheEnd, reread, lost, duplicated, regressions, ahead,
                        kafka.outOfOrder() + kafka.foreign(),
                        scanner.findings().size(), s.seed(), Duration.ofNanos(System.nanoTime() - t0));
            }
        }
    }

    /** Where the stream must have got to before each mid-stream kill: sorted, spread over the whole stream. */
    private List<Long> targets(long expected) {
        List<Long> t = new ArrayList<>();
        for (int i = 0; i < s.kills(); i++) {
            t.add((long) (expected * (0.01 + 0.9 * random.nextDouble())));
        }
        t.sort(null);
        return t;
    }

    /** How many events the sandbox served in all (a page read again after a kill counts again). */
    private long served(Sandbox sandbox) throws IOException {
        long served = 0;
        for (var r : sandbox.requests().all()) {
            if (r.status() != 200 || !r.path().startsWith("/api/")) {
                continue;
            }
            String feature = r.path().substring(r.path().lastIndexOf('/') + 1);
            if (!s.features().contains(feature)) {
                continue; // introspection
            }
            JsonNode body = JSON.readTree(r.body());
            long from = 0; // a ResetCursor: the start window holds the whole stream
            if (body.hasNonNull("cursor")) {
                from = Long.parseLong(new String(Base64.getUrlDecoder().decode(body.path("cursor").asText()),
                        StandardCharsets.UTF_8).split("\\|")[2]);
            }
            served += Math.max(0, Math.min(1000, s.perFeed() - from));
        }
        return served;
    }

    private interface Condition {
        boolean met() throws Exception;
    }

    private void awaitProgress(Observer kafka, Process child, int life, Condition done) {
        await().atMost(s.lifeTimeout()).pollInterval(Duration.ofMillis(25)).pollDelay(Duration.ZERO)
                .failFast("the bundle (life " + life + ") exited by itself: see " + logFile(life),
                        () -> !child.isAlive())
                .until(() -> {
                    kafka.drain();
                    return done.met();
                });
    }

    private List<String> command(Sandbox sandbox, Path tokenFile, String prefix) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("onepassword.events.accounts", "demo");
        p.put("onepassword.events.demo.host", sandbox.baseUrl());
        p.put("onepassword.events.demo.token-file", tokenFile.toString());
        p.put("onepassword.events.features", String.join(",", s.features()));
        p.put("onepassword.events.cron", "0/1 * * * * ?");
        p.put("onepassword.events.limit", "1000");
        // the sandbox enforces no limit here, and the shipped 600 a minute would pace a long soak, not test it (the
        // throttle holds a permit object per request of its period: a few thousand, not millions)
        p.put("onepassword.events.rate.minute.requests", "6000");
        p.put("onepassword.events.rate.hour.requests", "100000");
        p.put("onepassword.data-dir", s.dir().resolve("data").toString());
        p.put("onepassword.sink.type", "kafka");
        p.put("onepassword.sink.kafka.brokers", EmbeddedKafka.bootstrapServers());
        p.put("onepassword.sink.kafka.topic-prefix", prefix);
        if (s.kafkaStores()) {
            io.opcamel.BundleHarness.kafkaStores(p, prefix);
        }
        p.put("camel.management.host", "127.0.0.1");
        p.put("camel.management.port", Integer.toString(freePort()));
        // JVM options only: the run command's main class reads the packaged defaults, and a -D wins over them
        List<String> options = new ArrayList<>(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto"));
        p.forEach((k, v) -> options.add("-D" + k + "=" + v));
        return options;
    }

    private Process launch(List<String> jvmOptions, int life) throws IOException {
        return BundleProcess.start(s.dir().resolve("work"), logFile(life), jvmOptions, Map.of());
    }

    private Path logFile(int life) {
        return s.dir().resolve("logs").resolve(String.format(Locale.ROOT, "life-%02d.log", life));
    }

    /** The offset of the next event the feed's saved cursor asks for, or null before the first save. */
    private Long cursorOffset(String feature) {
        String where;
        String cursor;
        if (s.kafkaStores()) {
            if (kafkaCursors == null) {
                kafkaCursors = KafkaCursorStore.open(EmbeddedKafka.bootstrapServers(), storesPrefix + "cursors",
                        Duration.ofSeconds(15), java.time.Clock.systemUTC());
            }
            where = kafkaCursors.toString();
            cursor = kafkaCursors.load("demo", feature).orElse(null);
        } else {
            Path file = s.dir().resolve("data").resolve("cursors").resolve("demo-" + feature + ".cursor.json");
            where = file.toString();
            try {
                cursor = JSON.readTree(Files.readAllBytes(file)).path("cursor").asText();
            } catch (NoSuchFileException e) {
                cursor = null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + " (a torn cursor file?)", e);
            }
        }
        if (cursor == null) {
            return null;
        }
        // the sandbox's cursor: base64url of "account|feature|next|limit|end|mac" (io.opcamel.sandbox.EventCursor)
        String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
        if (!parts[0].equals("demo") || !parts[1].equals(feature)) {
            throw new IllegalStateException(where + " holds the cursor of " + parts[0] + "/" + parts[1]);
        }
        return Long.parseLong(parts[2]);
    }

    private void line(String text) {
        lifeLines.add(text);
        log.println(text);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Follows the feeds' topics from the start: which events are there, how many times, in which order. Each record
     * must be keyed by the uuid its value carries, and be an event of the feed's stream.
     */
    static final class Observer implements AutoCloseable {

        private final KafkaConsumer<String, String> consumer;
        private final Map<String, String> featureOfTopic = new HashMap<>();
        private final Map<String, Map<String, Integer>> index = new HashMap<>();
        private final Map<String, BitSet> delivered = new HashMap<>();
        private final Map<String, Integer> lastIndex = new HashMap<>();
        private final List<TopicPartition> partitions = new ArrayList<>();
        private long records;
        private long unique;
        private long outOfOrder;
        private long foreign;

        Observer(String prefix, Map<String, EventStream> streams, int perFeed) {
            Map<String, Object> config = new HashMap<>(EmbeddedKafka.consumerConfig());
            config.put("fetch.max.wait.ms", 20);
            config.put("max.poll.records", 5_000);
            consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
            streams.forEach((f, stream) -> {
                Map<String, Integer> byUuid = new HashMap<>(perFeed * 2);
                for (int i = 0; i < perFeed; i++) {
                    byUuid.put(stream.uuid(i), i);
                }
                index.put(f, byUuid);
                delivered.put(f, new BitSet(perFeed));
                featureOfTopic.put(prefix + f, f);
                consumer.partitionsFor(prefix + f).forEach(p -> partitions.add(new TopicPartition(p.topic(),
                        p.partition())));
            });
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Reads every partition to the end offsets it finds now. */
        void drain() {
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    take(r);
                }
            }
        }

        private void take(ConsumerRecord<String, String> r) {
            records++;
            String feature = featureOfTopic.get(r.topic());
            Integer i = index.get(feature).get(r.key());
            String uuidInValue;
            try {
                uuidInValue = JSON.readTree(r.value()).path("event").path("uuid").asText();
            } catch (IOException e) {
                uuidInValue = null;
            }
            if (i == null || !r.key().equals(uuidInValue)) {
                foreign++;
                return;
            }
            BitSet seen = delivered.get(feature);
            if (!seen.get(i)) {
                seen.set(i);
                unique++;
            }
            String key = r.topic() + "/" + r.partition();
            Integer last = lastIndex.put(key, i);
            if (last != null && i <= last) {
                outOfOrder++;
            }
        }

        long unique() {
            return unique;
        }

        long records() {
            return records;
        }

        long outOfOrder() {
            return outOfOrder;
        }

        long foreign() {
            return foreign;
        }

        /** How many events of the feed, from the first, are all in Kafka. */
        long deliveredPrefix(String feature) {
            return delivered.get(feature).nextClearBit(0);
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The files of earlier runs under the same folder are removed first (a rerun with the same build dir). */
    public static void clean(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
