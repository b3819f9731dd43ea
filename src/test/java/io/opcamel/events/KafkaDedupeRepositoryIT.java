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
import org.apache.camel.processor.idempotent.kafka.KafkaIdempotentRepository;
import org.junit.jupiter.api.Test;

/** The shared dedupe repository against a real broker in the test JVM. */
class KafkaDedupeRepositoryIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private KafkaDedupeRepository started(String topic, int capacity) {
        KafkaDedupeRepository r = KafkaDedupeRepository.create(EmbeddedKafka.bootstrapServers(), topic,
                capacity, TIMEOUT);
        r.start(); // the topic did not exist: create() made it
        return r;
    }

    @Test
    void stoppingWhileTheSyncThreadPollsIsCleanEveryTime() throws Exception {
        String topic = "dedupe-it-stop-" + System.nanoTime();
        for (int i = 0; i < 5; i++) {
            KafkaDedupeRepository r = started(topic, 1000);
            r.add(UUID.randomUUID().toString());
            r.flush();
            Thread.sleep(30); // the following thread is inside poll() most of the time: the stop must not race it
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
        KafkaDedupeRepository r = KafkaDedupeRepository.create(EmbeddedKafka.bootstrapServers(), topic, 1000,
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
        KafkaDedupeRepository r = KafkaDedupeRepository.create(EmbeddedKafka.proxiedBootstrapServers(), topic,
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

    /**
     * An upgrade: the topic was written by the store as it was before (Camel's KafkaIdempotentRepository: key the
     * uuid, value its cache action, spread over the partitions of a topic made beforehand with three). This store
     * reads every partition, and applies a remove as Camel's does.
     */
    @Test
    void readsWhatCamelsRepositoryWroteOnEveryPartition() throws Exception {
        String topic = "dedupe-it-camel-wrote-" + System.nanoTime();
        EmbeddedKafka.createTopics(List.of(topic), 3);
        List<String> uuids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            uuids.add(UUID.randomUUID().toString());
        }
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            KafkaIdempotentRepository old = camelsRepository(context, topic);
            uuids.forEach(old::add);
            old.remove(uuids.get(0));
            old.stop();
        }
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<>(EmbeddedKafka.consumerConfig(),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            var first = new org.apache.kafka.common.TopicPartition(topic, 0);
            assertTrue(c.endOffsets(List.of(first)).get(first) < 31, "the records are not all on partition 0");
        }
        KafkaDedupeRepository r = started(topic, 1000);
        try {
            assertFalse(r.contains(uuids.get(0)), "removed");
            assertTrue(uuids.subList(1, uuids.size()).stream().allMatch(r::contains), "every uuid added");
            assertFalse(r.contains(UUID.randomUUID().toString()));
        } finally {
            r.stop();
        }
    }

    /** A rolling upgrade: an instance still on Camel's KafkaIdempotentRepository reads what this store writes. */
    @Test
    void camelsRepositoryReadsWhatThisOneWrites() throws Exception {
        String topic = "dedupe-it-camel-reads-" + System.nanoTime();
        KafkaDedupeRepository r = started(topic, 1000);
        List<String> uuids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            uuids.add(UUID.randomUUID().toString());
        }
        try {
            uuids.forEach(r::add);
            r.remove(uuids.get(0));
            r.flush();
        } finally {
            r.stop();
        }
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            KafkaIdempotentRepository old = camelsRepository(context, topic);
            assertFalse(old.contains(uuids.get(0)), "removed");
            assertTrue(uuids.subList(1, uuids.size()).stream().allMatch(old::contains), "every uuid added");
            old.stop();
        }
    }

    /** Camel's repository as the store used it before, read at start only (its stop races a following poll). */
    private static KafkaIdempotentRepository camelsRepository(DefaultCamelContext context, String topic) {
        KafkaIdempotentRepository old = new KafkaIdempotentRepository(topic, EmbeddedKafka.bootstrapServers());
        old.setStartupOnly(true);
        old.setCamelContext(context);
        old.start();
        return old;
    }
}
