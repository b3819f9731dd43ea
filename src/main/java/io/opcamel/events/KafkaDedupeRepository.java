package io.opcamel.events;

import io.opcamel.config.InvalidConfigException;
import java.io.Flushable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import io.opcamel.config.KafkaClients;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.processor.idempotent.kafka.KafkaIdempotentRepository;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivered uuids of every feed in one Kafka topic, shared by the instances of the bundle: Camel's
 * {@link KafkaIdempotentRepository}, one per bundle, used by all its feeds, with a bounded cache (capacity per feed
 * times the feeds). Each uuid remembered is sent with {@code acks=all} and idempotence; the sends of a page run
 * side by side, and {@link #flush()} (which the Deduplicator calls after a page) waits for all of them, so the page's
 * uuids are durable before its cursor is saved.
 *
 * <p>Why the cache keeps syncing while the bundle runs ({@code startupOnly=false}), although each feed is polled by
 * one instance at a time: a startup-only cache holds what the topic had when this instance started. A standby that
 * started before the active instance delivered its last pages would take a feed over without those uuids, and
 * re-deliver the page the active one delivered but had not saved the cursor of (the one case the dedupe exists for).
 * Syncing continuously, the standby is behind by one poll of the topic (about 100 ms), far less than a failover
 * takes. The price is Camel's stop race (its consumer is closed while the sync thread may still be in poll()), which
 * {@link #doStop()} guards.
 */
public final class KafkaDedupeRepository extends KafkaIdempotentRepository implements Flushable {

    public static final String BROKERS_KEY = "onepassword.events.dedupe.kafka.brokers";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDedupeRepository.class);
    private static final int POLL_MILLIS = 100;
    /** Camel's add() waits for its own acknowledgement; this many run at once, so a page's sends share batches. */
    private static final int SENDERS = 16;

    /** The adds of the calling thread (a feed's poll) not yet flushed: {@link #flush()} waits for them. */
    private final ThreadLocal<List<Future<Boolean>>> pending = ThreadLocal.withInitial(ArrayList::new);
    private final String topicName;
    private ExecutorService senders;

    private KafkaDedupeRepository(String topic, Properties consumer, Properties producer, int maxCacheSize) {
        super(topic, consumer, producer, maxCacheSize, POLL_MILLIS);
        this.topicName = topic;
    }

    /**
     * Creates the topic if missing (Camel's repository cannot start without it), then the repository, not started:
     * the caller adds it to the CamelContext as a service. A broker that cannot be reached fails here.
     */
    public static KafkaDedupeRepository create(CamelContext context, KafkaClients clients, String topic,
            int maxCacheSize, Duration timeout) {
        ensureTopic(clients, topic, timeout);
        String ms = Long.toString(Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        Properties c = clients.properties();
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "onepassword-dedupe-reader");
        Properties p = clients.properties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536"); // Camel's default of 0 would send each uuid alone
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "onepassword-dedupe-writer");
        KafkaDedupeRepository repo = new KafkaDedupeRepository(topic, c, p, maxCacheSize);
        repo.setStartupOnly(false); // see the class comment
        repo.setCamelContext(context);
        return repo;
    }

    /** Plaintext, for tests. */
    public static KafkaDedupeRepository create(CamelContext context, String brokers, String topic, int maxCacheSize,
            Duration timeout) {
        return create(context, KafkaClients.plaintext(brokers), topic, maxCacheSize, timeout);
    }

    static void ensureTopic(KafkaClients clients, String topic, Duration timeout) {
        String brokers = clients.toString();
        Properties p = clients.properties();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Admin admin = Admin.create(p)) {
            // one partition keeps the sync simple; the broker's retention bounds what a starting instance reads
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            LOG.info("Created the dedupe topic '{}'", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw unreachable(brokers, topic, timeout, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the dedupe topic " + topic, e);
        } catch (Exception e) {
            throw unreachable(brokers, topic, timeout, e);
        }
    }

    private static InvalidConfigException unreachable(String brokers, String topic, Duration timeout, Throwable e) {
        return new InvalidConfigException(BROKERS_KEY, "names Kafka brokers (" + brokers + ") that did not create or "
                + "find the dedupe topic '" + topic + "' within " + timeout + ": " + e);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        AtomicInteger n = new AtomicInteger();
        senders = Executors.newFixedThreadPool(SENDERS, r -> {
            Thread t = new Thread(r, "onepassword-dedupe-sender-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Remembers the uuid in the cache at once and sends it to the topic in the background: one synchronous send per
     * uuid (what Camel's add does) would hold a page of 1,000 events for 1,000 round trips. The Deduplicator calls
     * {@link #flush()} after a page's adds, before the page's cursor is saved; that waits for every send.
     */
    @Override
    public boolean add(String key) {
        if (contains(key)) {
            return false;
        }
        pending.get().add(senders.submit(() -> KafkaDedupeRepository.super.add(key)));
        return true;
    }

    /** Waits until every uuid this thread added is acknowledged by the topic; throws if one was not. */
    @Override
    public void flush() throws IOException {
        List<Future<Boolean>> mine = pending.get();
        Throwable failure = null;
        try {
            for (Future<Boolean> f : mine) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while remembering delivered uuids in Kafka topic " + topicName, e);
        } finally {
            mine.clear();
        }
        if (failure != null) {
            throw new IOException("could not remember delivered uuids in Kafka topic " + topicName + ": " + failure,
                    failure);
        }
    }

    /**
     * Camel's doStop closes the consumer while its sync thread may still be inside poll(), which throws a
     * ConcurrentModificationException before anything is closed (and skips closing the producer). By then the sync
     * thread was told to stop and leaves poll() within one poll duration, so the stop is simply tried again.
     */
    @Override
    protected void doStop() throws Exception {
        if (senders != null) {
            senders.shutdown(); // sends already submitted finish before the producer closes
            senders.awaitTermination(30, TimeUnit.SECONDS);
            senders = null;
        }
        for (int attempt = 1;; attempt++) {
            try {
                super.doStop();
                return;
            } catch (ConcurrentModificationException e) {
                if (attempt >= 50) {
                    throw e;
                }
                LOG.debug("The sync thread of {} is still polling: stopping again", topicName);
                Thread.sleep(POLL_MILLIS / 2);
            }
        }
    }
}
