package io.opcamel.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared dedupe repository (Camel's KafkaIdempotentRepository) against a real broker in the test JVM. */
class KafkaDedupeRepositoryIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private DefaultCamelContext context;

    @BeforeEach
    void context() {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private KafkaDedupeRepository started(String topic, int capacity) {
        KafkaDedupeRepository r = KafkaDedupeRepository.create(context, EmbeddedKafka.bootstrapServers(), topic,
                capacity, TIMEOUT);
        r.start(); // the topic did not exist: create() made it, or this start would fail (Camel needs it)
        return r;
    }

    @Test
    void stoppingWhileTheSyncThreadPollsIsCleanEveryTime() throws Exception {
        String topic = "dedupe-it-stop-" + System.nanoTime();
        for (int i = 0; i < 5; i++) {
            KafkaDedupeRepository r = started(topic, 1000);
            r.add(UUID.randomUUID().toString());
            r.flush();
            Thread.sleep(30); // the sync thread is inside poll() most of the time: Camel's stop races it
            assertDoesNotThrow(r::stop);
            assertTrue(r.isStopped(), "stopped, not failed");
        }
    }

    @Test
    void aRunningInstanceLearnsWhatAnotherRemembersAndBothStayBounded() throws Exception {
        String topic = "dedupe-it-sync-" + System.nanoTime();
        KafkaDedupeRepository a = started(topic, 1000);
        KafkaDedupeRepository b = started(topic, 1000);
        try {
            List<String> page = new ArrayList<>();
            for (int i = 0; i < 1500; i++) {
                page.add(UUID.randomUUID().toString());
            }
            page.forEach(a::add);
            a.flush(); // every uuid acknowledged by the topic
            String last = page.get(page.size() - 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> b.contains(last));
            assertTrue(a.getCacheSize() <= 1000 && b.getCacheSize() <= 1000, "the capacity bounds each cache");
            assertFalse(a.contains(page.get(0)), "the oldest were dropped from memory");
        } finally {
            a.stop();
            b.stop();
        }
        // a third instance starting now reads what the topic holds
        KafkaDedupeRepository c = started(topic, 5000);
        try {
            assertTrue(c.getCacheSize() >= 1500, "read the whole topic at start");
        } finally {
            c.stop();
        }
    }

    /**
     * A page whose uuids could not be sent (the broker away): flush fails, so the page's cursor is not saved; the
     * page comes again, its uuids look delivered (they were, to the sinks) and are not added again, so the next
     * flush must send them itself before it can succeed.
     */
    @Test
    void uuidsWhoseSendFailedAreSentAgainByTheNextFlush() throws Exception {
        String topic = "dedupe-it-resend-" + System.nanoTime();
        KafkaDedupeRepository r = KafkaDedupeRepository.create(context, EmbeddedKafka.bootstrapServers(), topic, 1000,
                Duration.ofSeconds(2));
        r.start();
        List<String> page = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            page.add(UUID.randomUUID().toString());
        }
        try {
            r.add(UUID.randomUUID().toString());
            r.flush();
            EmbeddedKafka.stopBroker();
            page.forEach(r::add);
            assertThrows(java.io.IOException.class, r::flush);
            assertTrue(page.stream().allMatch(r::contains), "known here all the same: they reached the sinks");
        } finally {
            EmbeddedKafka.startBroker();
        }
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            r.flush(); // the retried page adds nothing: only what failed before is sent
            return true;
        });
        r.stop();
        KafkaDedupeRepository fresh = started(topic, 1000);
        try {
            assertTrue(page.stream().allMatch(fresh::contains), "every uuid of the failed page is in the topic");
        } finally {
            fresh.stop();
        }
    }

    /**
     * Issue 16: uuids whose writes reach the broker only after the flush gave up (the proxy holds the requests back
     * past the timeout) are still only the page's, which the sinks had committed before the flush (the feed remembers
     * a page only after its delivery): what lands late is true. Another instance knows each of them, and nothing else.
     */
    @Test
    void uuidsWhoseWritesLandAfterTheFlushGaveUpAreOnlyThePagesDelivered() throws Exception {
        String topic = "dedupe-it-late-" + System.nanoTime();
        io.opcamel.DelayingProxy proxy = EmbeddedKafka.proxy();
        KafkaDedupeRepository r = KafkaDedupeRepository.create(context, EmbeddedKafka.proxiedBootstrapServers(), topic,
                1000, Duration.ofSeconds(2));
        r.start();
        String before = UUID.randomUUID().toString();
        List<String> page = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            page.add(UUID.randomUUID().toString());
        }
        r.add(before);
        r.flush();
        proxy.delayRequests(Duration.ofSeconds(5));
        try {
            page.forEach(r::add);
            assertThrows(java.io.IOException.class, r::flush);
        } finally {
            proxy.delayRequests(Duration.ZERO);
        }
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            r.flush();
            return true;
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> proxy.holding() == 0);
        r.stop();
        KafkaDedupeRepository fresh = started(topic, 1000);
        try {
            assertTrue(page.stream().allMatch(fresh::contains), "every uuid of the delivered page");
            assertTrue(fresh.contains(before));
            org.junit.jupiter.api.Assertions.assertFalse(fresh.contains(UUID.randomUUID().toString()));
        } finally {
            fresh.stop();
        }
    }
}
