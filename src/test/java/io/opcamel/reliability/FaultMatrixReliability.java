package io.opcamel.reliability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.BundleHarness;
import io.opcamel.EmbeddedKafka;
import io.opcamel.events.CursorStore;
import io.opcamel.events.EventsFeedRoutes;
import io.opcamel.events.Feature;
import io.opcamel.sandbox.EventStream;
import io.opcamel.sandbox.EventsApi;
import io.opcamel.sandbox.Faults;
import io.opcamel.sandbox.LoggedRequest;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import io.opcamel.sink.RecordingHttpSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.apache.camel.builder.AdviceWith;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, the fault matrix: every fault of the Events API (the sandbox's switches) and of each sink, against each
 * feed. A cell is one feed of 1,500 events in pages of 500, polled by the bundle on its real Quartz schedule (every
 * second); the fault is switched on once the first page is delivered and its cursor saved (a step woven in after
 * save-the-cursor-after-delivery), so it meets the feed mid-stream with a cursor in hand. Nothing else is done: no
 * poll by hand, no reset, no cursor touched. The cell passes when the sink holds every event exactly once, in order,
 * and the saved cursor is at the end of the stream; the fault must have fired.
 *
 * <p>Timings are the shipped ones but for the waits, which are shortened so a cell takes seconds: retry base 50 ms,
 * cap 250 ms, and the breaker's open-for 1 s (a breaker that opens just delays the recovery; it closes by itself).
 * The HTTP sink sends a page as one batch (batch-size = page size), so a refused request is a whole refused page;
 * the slow receiver that answers past the response timeout is an Elasticsearch {@code _bulk}, where a batch the
 * receiver took but answered too late is a 409 when sent again (a plain webhook would keep it twice: the
 * at-least-once contract of docs/events-and-sinks.md, HTTP sink).
 */
@ExtendWith(PrintTheSummaryAtTheEnd.class)
class FaultMatrixReliability {

    private static final int EVENTS = 1_500;
    private static final int PAGE = 500;
    private static final Duration CELL_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;
    static Sandbox sandbox;

    @BeforeAll
    static void start() {
        SandboxConfig c = new SandboxConfig();
        c.backlog = EVENTS;
        c.maxEvents = EVENTS;
        c.eventsPerSecond = 1000;
        c.eventsRateLimitEnabled = false;
        sandbox = Sandbox.start(c);
        EmbeddedKafka.bootstrapServers();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    /** Where a cell's events go, and how the test reads them back there. */
    enum SinkKind { file, kafka, http, elasticsearch }

    /**
     * A fault: the sink it needs, what it changes in the bundle's settings, how it is switched on (once, after the
     * first page; it switches itself off), and how many times it fired (answers faulted, outages).
     */
    interface Fault {
        String name();

        SinkKind sink();

        default void configure(Map<String, String> props) {
        }

        void arm(Cell cell) throws Exception;

        long injected(Cell cell);
    }

    /** The sandbox's Events API switches: each fires on the next requests; the request log counts what fired. */
    record ApiFault(String name, String faultName, BiConsumer<Faults, Cell> on, Consumer<Map<String, String>> settings)
            implements Fault {
        public SinkKind sink() {
            return SinkKind.file;
        }

        public void configure(Map<String, String> props) {
            settings.accept(props);
        }

        public void arm(Cell cell) {
            on.accept(sandbox.eventsFaults(), cell);
        }

        public long injected(Cell cell) {
            return cell.requests().stream().filter(r -> faultName.equals(r.fault())).count();
        }
    }

    /** A latency spike: every answer of the Events API comes 1.5 s late (past a 1 s response timeout) for 3 s. */
    record LatencySpike() implements Fault {
        public String name() {
            return "latency spike (1.5 s answers, past the 1 s response timeout, for 3 s)";
        }

        public SinkKind sink() {
            return SinkKind.file;
        }

        public void configure(Map<String, String> props) {
            props.put("onepassword.events.response-timeout", "PT1S");
        }

        public void arm(Cell cell) {
            sandbox.eventsFaults().setLatencyMillis(1500);
            cell.armedAt.set(System.currentTimeMillis());
            CompletableFuture.runAsync(() -> {
                sandbox.eventsFaults().setLatencyMillis(0);
                cell.disarmedAt.set(System.currentTimeMillis());
            }, CompletableFuture.delayedExecutor(3, TimeUnit.SECONDS));
        }

        public long injected(Cell cell) {
            // the sandbox logs a request once its delay is over: one that came during the spike is logged 1.5 s later
            long from = cell.armedAt.get() + 1500 - 50;
            long to = (cell.disarmedAt.get() == 0 ? System.currentTimeMillis() : cell.disarmedAt.get()) + 1500 + 50;
            return cell.requests().stream().filter(r -> r.receivedAtMillis() >= from && r.receivedAtMillis() <= to)
                    .count();
        }
    }

    /** The Kafka broker stopped for 4 s, then started again on the same port. */
    record BrokerOutage() implements Fault {
        public String name() {
            return "Kafka broker stopped for 4 s and restarted";
        }

        public SinkKind sink() {
            return SinkKind.kafka;
        }

        public void arm(Cell cell) {
            EmbeddedKafka.stopBroker();
            cell.outages.incrementAndGet();
            CompletableFuture.runAsync(() -> {
                try {
                    EmbeddedKafka.startBroker();
                } catch (Exception e) {
                    throw new IllegalStateException("the broker did not come back", e);
                }
            }, CompletableFuture.delayedExecutor(4, TimeUnit.SECONDS));
        }

        public long injected(Cell cell) {
            return cell.outages.get();
        }
    }

    /** The send timeout the Kafka cells give the bundle; the proxy holds acknowledgements back for longer. */
    static final String SEND_TIMEOUT = "PT2S";

    /**
     * The bundle reaches the broker through {@link io.opcamel.DelayingProxy} (every byte unchanged, answers held back
     * when told), with a 2 s send timeout. The same timeouts are given to camel-kafka's producer, which af99630's
     * sink used, so a cell measures the same fault on the code before the change.
     */
    static void throughTheProxy(Map<String, String> props) {
        props.put("onepassword.sink.kafka.brokers", EmbeddedKafka.proxiedBootstrapServers());
        props.put("onepassword.sink.kafka.send-timeout", SEND_TIMEOUT);
        props.put("camel.component.kafka.request-timeout-ms", "1000");
        props.put("camel.component.kafka.delivery-timeout-ms", "2000");
        props.put("camel.component.kafka.max-block-ms", "2000");
    }

    /** Waits (off the route's thread) until records of the page after the first have reached the broker's log. */
    static void onceTheNextPageLands(Cell cell, Runnable then) {
        CompletableFuture.runAsync(() -> {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(() -> logEnd(cell.topic) > PAGE + 1); // the first page and its commit marker, if any
            then.run();
        }).exceptionally(e -> {
            cell.armFailure.set(e);
            return null;
        });
    }

    /**
     * Kafka acknowledges produce requests 4 s late, past the 2 s send timeout, for 5 s: every write lands on time,
     * its acknowledgement comes after the sender gave up (a slow broker, a slow network).
     */
    record SlowAcks(int repeat) implements Fault {
        public String name() {
            return "Kafka acks 4 s late (past the 2 s send timeout) for 5 s" + (repeat == 0 ? "" : " #" + (repeat + 1));
        }

        public SinkKind sink() {
            return SinkKind.kafka;
        }

        public void configure(Map<String, String> props) {
            throughTheProxy(props);
        }

        public void arm(Cell cell) {
            cell.heldBefore.set(EmbeddedKafka.proxy().answersHeldBack());
            EmbeddedKafka.proxy().delayAnswers(Duration.ofSeconds(4));
            CompletableFuture.runAsync(() -> EmbeddedKafka.proxy().delayAnswers(Duration.ZERO),
                    CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS));
        }

        public long injected(Cell cell) {
            return EmbeddedKafka.proxy().answersHeldBack() - cell.heldBefore.get();
        }
    }

    /**
     * A fault that strikes while a page's records are in the broker's log and their acknowledgements on the way: the
     * proxy holds the answers back {@code ackDelay}, and once the page after the first has landed, {@code strike}
     * runs (it says how many faults it made); the answers come at once again {@code holdAfter} later.
     */
    record WhileAcksArePending(String name, Duration ackDelay, Duration holdAfter, ToIntFunction<Cell> strike)
            implements Fault {
        public SinkKind sink() {
            return SinkKind.kafka;
        }

        public void configure(Map<String, String> props) {
            throughTheProxy(props);
        }

        public void arm(Cell cell) {
            EmbeddedKafka.proxy().delayAnswers(ackDelay);
            onceTheNextPageLands(cell, () -> {
                cell.strikes.addAndGet(strike.applyAsInt(cell));
                CompletableFuture.runAsync(() -> EmbeddedKafka.proxy().delayAnswers(Duration.ZERO),
                        CompletableFuture.delayedExecutor(holdAfter.toMillis(), TimeUnit.MILLISECONDS));
            });
        }

        public long injected(Cell cell) {
            return cell.strikes.get();
        }
    }

    /** The broker stops (back after 4 s). */
    static int stopTheBroker(Cell cell) {
        EmbeddedKafka.stopBroker();
        CompletableFuture.runAsync(() -> {
            try {
                EmbeddedKafka.startBroker();
            } catch (Exception e) {
                cell.armFailure.set(e);
            }
        }, CompletableFuture.delayedExecutor(4, TimeUnit.SECONDS));
        return 1;
    }

    /** Another producer takes the feed's transactional id, as an instance taking the feed over would. */
    static int fenceTheProducer(Cell cell) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", EmbeddedKafka.bootstrapServers());
        c.put("transactional.id", "onepassword-events.demo." + cell.feed); // the shipped prefix
        try (org.apache.kafka.clients.producer.KafkaProducer<String, String> other =
                new org.apache.kafka.clients.producer.KafkaProducer<>(c,
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new org.apache.kafka.common.serialization.StringSerializer())) {
            other.initTransactions();
        }
        return 1;
    }

    /** The Kafka producers' I/O threads suspended for 3 s, past the 2 s send timeout: a stop-the-world pause. */
    @SuppressWarnings({"deprecation", "removal"}) // Thread.suspend: the one way to stop a thread from outside
    static int pauseTheSenders(Cell cell) {
        List<Thread> paused = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("kafka-producer-network-thread")).toList();
        paused.forEach(Thread::suspend);
        CompletableFuture.runAsync(() -> paused.forEach(Thread::resume),
                CompletableFuture.delayedExecutor(3, TimeUnit.SECONDS));
        return paused.size();
    }

    /** The HTTP sink answering the next requests badly, then well again. */
    record SinkAnswers(String name, SinkKind sink, int times, Supplier<RecordingHttpSink.Answer> bad,
            Consumer<Map<String, String>> settings) implements Fault {
        public void configure(Map<String, String> props) {
            settings.accept(props);
        }

        public void arm(Cell cell) {
            cell.badAnswersLeft.set(times);
        }

        public long injected(Cell cell) {
            return cell.badAnswersGiven.get();
        }
    }

    /** How many times the slow-acknowledgement cell runs against each feed: a one-in-ten race shows in 30 runs. */
    static final int SLOW_ACK_REPEATS = Integer.getInteger("reliability.slow-acks.repeat", 10);

    static List<Fault> faults() {
        List<Fault> faults = new ArrayList<>(List.of(
                new ApiFault("429 storm with Retry-After (4 in a row, Retry-After: 1)", "too-many-requests",
                        (f, c) -> f.setTooManyRequestsRetryAfterSeconds(1).setTooManyRequestsNext(4), p -> { }),
                new ApiFault("429 storm without Retry-After (6 in a row: backoff)", "too-many-requests",
                        (f, c) -> f.setTooManyRequestsRetryAfterSeconds(-1).setTooManyRequestsNext(6), p -> { }),
                new ApiFault("5xx burst (6 in a row: 500, 502 or 503, one per feed)", "server-error",
                        (f, c) -> f.setServerErrorStatus(List.of(500, 502, 503).get(EventsApi.FEATURES.indexOf(c.feed)))
                                .setServerErrorNext(6), p -> { }),
                new LatencySpike(),
                new ApiFault("connection resets (4 in a row, no answer)", "reset", (f, c) -> f.setResetNext(4),
                        p -> { }),
                new ApiFault("malformed pages (2 in a row, cut mid-JSON)", "malformed",
                        (f, c) -> f.setMalformedNext(2), p -> { }),
                new ApiFault("invalid-cursor 400 (2 in a row: the poll stops, the next tick goes on)",
                        "invalid-cursor", (f, c) -> f.setInvalidCursorNext(2), p -> { }),
                new BrokerOutage(),
                new SinkAnswers("HTTP sink 503 (4 in a row)", SinkKind.http, 4,
                        () -> RecordingHttpSink.Answer.json(503, "{\"error\":\"unavailable\"}"), p -> { }),
                new SinkAnswers("HTTP sink slow within the response timeout (2 answers 0.8 s late)", SinkKind.http, 2,
                        () -> RecordingHttpSink.Answer.status(200).after(800),
                        p -> p.put("onepassword.sink.http.response-timeout", "PT5S")),
                new SinkAnswers("HTTP sink slow past the response timeout (3 answers 1.5 s late; Elasticsearch _bulk)",
                        SinkKind.elasticsearch, 3, null,
                        p -> p.put("onepassword.sink.http.response-timeout", "PT1S")),
                new WhileAcksArePending("Kafka broker stopped mid-page (records landed, acks pending), back after 4 s",
                        Duration.ofSeconds(3), Duration.ZERO, FaultMatrixReliability::stopTheBroker),
                // the acks stay late a while: a fenced producer that retried at once would not meet a slow broker
                new WhileAcksArePending("Kafka producer fenced mid-page (another takes the feed's transactional.id)",
                        Duration.ofSeconds(3), Duration.ofSeconds(3), FaultMatrixReliability::fenceTheProducer),
                new WhileAcksArePending("Kafka producer thread paused 3 s while acks are pending (past the 2 s send "
                        + "timeout)", Duration.ofSeconds(1), Duration.ZERO, FaultMatrixReliability::pauseTheSenders)));
        for (int i = 0; i < SLOW_ACK_REPEATS; i++) {
            faults.add(new SlowAcks(i));
        }
        return faults;
    }

    @TestFactory
    Stream<DynamicTest> everyFaultAgainstEveryFeedLosesNothingAndDuplicatesNothing() {
        List<DynamicTest> tests = new ArrayList<>();
        AtomicInteger n = new AtomicInteger();
        // -Dreliability.matrix.only=<part of a fault's name>: only those faults (e.g. "Kafka" for the Kafka cells)
        String only = System.getProperty("reliability.matrix.only", "");
        for (Fault fault : faults()) {
            if (!fault.name().contains(only)) {
                continue;
            }
            for (String feed : EventsApi.FEATURES) {
                tests.add(DynamicTest.dynamicTest(fault.name() + " / " + feed,
                        () -> runCell(fault, feed, dir.resolve("cell-" + n.incrementAndGet()))));
            }
        }
        return tests.stream();
    }

    /** One cell's state: what its fault did and when. */
    static final class Cell {
        final String feed;
        final long firstSeq;
        final AtomicLong armedAt = new AtomicLong();
        final AtomicLong disarmedAt = new AtomicLong();
        final AtomicInteger outages = new AtomicInteger();
        final AtomicInteger badAnswersLeft = new AtomicInteger();
        final AtomicInteger badAnswersGiven = new AtomicInteger();
        final AtomicInteger strikes = new AtomicInteger();
        final AtomicLong heldBefore = new AtomicLong();
        final java.util.concurrent.atomic.AtomicReference<Throwable> armFailure =
                new java.util.concurrent.atomic.AtomicReference<>();
        volatile String topic;

        Cell(String feed, long firstSeq) {
            this.feed = feed;
            this.firstSeq = firstSeq;
        }

        List<LoggedRequest> requests() {
            return sandbox.requests().since(firstSeq).stream().filter(r -> r.path().endsWith("/" + feed)).toList();
        }
    }

    private void runCell(Fault fault, String feed, Path cellDir) throws Exception {
        sandbox.reset();
        EmbeddedKafka.proxy().delayAnswers(Duration.ZERO); // whatever a cell before left
        EmbeddedKafka.proxy().delayRequests(Duration.ZERO);
        Cell cell = new Cell(feed, sandbox.requests().lastSeq());
        List<String> expected = expected(feed);
        RecordingHttpSink.ElasticsearchBulk es = new RecordingHttpSink.ElasticsearchBulk();
        String prefix = "matrix" + System.nanoTime() + ".";
        Map<String, String> p = BundleHarness.sandboxProperties(sandbox, cellDir);
        p.put("onepassword.events.demo.features", feed);
        p.put("onepassword.events.limit", Integer.toString(PAGE));
        p.put("onepassword.events.cron", "0/1 * * * * ?");
        p.put("onepassword.events.retry.base", "PT0.05S");
        p.put("onepassword.events.retry.cap", "PT0.25S");
        p.put("onepassword.events.breaker.open-for", "PT1S");
        try (RecordingHttpSink http = RecordingHttpSink.start(r -> {
            RecordingHttpSink.Answer good = fault.sink() == SinkKind.elasticsearch ? es.answer(r)
                    : RecordingHttpSink.Answer.status(200);
            if (cell.badAnswersLeft.getAndUpdate(x -> Math.max(0, x - 1)) > 0) {
                cell.badAnswersGiven.incrementAndGet();
                return fault instanceof SinkAnswers s && s.bad() != null ? s.bad().get() : good.after(1500);
            }
            return good;
        })) {
            switch (fault.sink()) {
                case file -> p.put("onepassword.sink.type", "file");
                case kafka -> {
                    EmbeddedKafka.createTopics(List.of(prefix + feed), 1);
                    cell.topic = prefix + feed;
                    p.put("onepassword.sink.type", "kafka");
                    p.put("onepassword.sink.kafka.brokers", EmbeddedKafka.bootstrapServers());
                    p.put("onepassword.sink.kafka.topic-prefix", prefix);
                }
                case http, elasticsearch -> {
                    p.put("onepassword.sink.type", "http");
                    p.put("onepassword.sink.http.url", http.url(fault.sink() == SinkKind.http ? "/hook" : "/_bulk"));
                    p.put("onepassword.sink.http.batch-size", Integer.toString(PAGE));
                    if (fault.sink() == SinkKind.elasticsearch) {
                        p.put("onepassword.sink.http.format", "elasticsearch-bulk");
                    }
                }
                default -> throw new IllegalStateException();
            }
            fault.configure(p);

            AtomicBoolean armed = new AtomicBoolean();
            AtomicLong armedAt = new AtomicLong();
            String route = EventsFeedRoutes.routeId("demo", Feature.valueOf(feed));
            try (BundleHarness bundle = BundleHarness.start(p, cellDir, false, ctx -> AdviceWith.adviceWith(ctx,
                    route, r -> r.weaveById("save-the-cursor-after-delivery").after().process(e -> {
                        if (armed.compareAndSet(false, true)) {
                            armedAt.set(System.nanoTime());
                            fault.arm(cell);
                        }
                    })))) {
                CursorStore cursors = bundle.context.getRegistry().lookupByNameAndType("cursorStore",
                        CursorStore.class);
                Supplier<List<String>> delivered = () -> switch (fault.sink()) {
                    case file -> bundle.records("demo", feed).stream()
                            .map(r -> r.path("event").path("uuid").asText()).toList();
                    case kafka -> kafkaKeys(prefix + feed);
                    case http -> http.acknowledged().stream().flatMap(r -> r.eventUuids().stream()).toList();
                    case elasticsearch -> es.stored();
                };
                await().atMost(CELL_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
                    if (cell.armFailure.get() != null) {
                        throw new AssertionError("the fault could not be set up", cell.armFailure.get());
                    }
                    return armed.get() && Optional.of((long) EVENTS).equals(offset(cursors.load("demo", feed)))
                            && delivered.get().size() >= EVENTS;
                });
                Duration recovery = Duration.ofNanos(System.nanoTime() - armedAt.get());
                List<String> got = delivered.get();
                long unique = got.stream().distinct().count();
                long lost = expected.stream().filter(u -> !got.contains(u)).count();
                long injected = fault.injected(cell);
                boolean survived = lost == 0 && got.size() == unique && got.equals(expected) && injected > 0;
                ReliabilitySummary.faultCell(new ReliabilitySummary.FaultCell(fault.name(), feed, (int) injected,
                        survived, lost, got.size() - unique, recovery));
                assertTrue(injected > 0, fault.name() + " never fired against " + feed);
                assertEquals(0, lost, "events lost");
                assertEquals(got.size(), unique, "events duplicated");
                assertEquals(expected, got, "every event once, in order");
            }
        }
    }

    private static List<String> expected(String feed) {
        EventStream stream = sandbox.events().stream("demo", feed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            out.add(stream.uuid(i));
        }
        return out;
    }

    /** The offset of the next event the saved cursor asks for (the sandbox's cursor encodes it). */
    private static Optional<Long> offset(Optional<String> cursor) {
        return cursor.map(c -> Long.parseLong(new String(Base64.getUrlDecoder().decode(c), StandardCharsets.UTF_8)
                .split("\\|")[2]));
    }

    /** The end of a one-partition topic's log, committed or not: where the broker has appended records up to. */
    static long logEnd(String topic) {
        Map<String, Object> config = new HashMap<>(EmbeddedKafka.consumerConfig());
        config.put("isolation.level", "read_uncommitted");
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            return c.endOffsets(List.of(tp), Duration.ofSeconds(10)).getOrDefault(tp, 0L);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return 0; // the broker is down
        }
    }

    /** Every key of the topic, in partition order (one partition). */
    private static List<String> kafkaKeys(String topic) {
        Map<String, Object> config = new HashMap<>(EmbeddedKafka.consumerConfig());
        config.put("fetch.max.wait.ms", 10);
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            Map<TopicPartition, Long> ends = c.endOffsets(parts, Duration.ofSeconds(10));
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp, Duration.ofSeconds(10)) < ends.get(tp))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
                    out.add(r.key());
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return List.of(); // the broker is down: nothing to read yet
        }
        return out;
    }
}
