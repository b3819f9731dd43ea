package io.opcamel.events;

import io.opcamel.config.CompactedTopic;
import java.io.Flushable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import io.opcamel.config.KafkaClients;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.camel.CamelContext;
import org.apache.camel.processor.idempotent.kafka.KafkaIdempotentRepository;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivered uuids of every feed in one Kafka topic, shared by the instances of the bundle: Camel's
 * {@link KafkaIdempotentRepository}, one per bundle, used by all its feeds, with a bounded cache (capacity per feed
 * times the feeds). Each uuid remembered is sent with {@code acks=all} and idempotence, without waiting: a page's
 * uuids travel in a few batches, and {@link #flush()} (which the Deduplicator calls after a page) waits for all of
 * them, so the page's uuids are durable before its cursor is saved. (Camel's own add waits for each uuid's
 * acknowledgement in turn: a page of 1,000 took 1,000 round trips.)
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
    private static final String ADD = "add"; // Camel's CacheAction.add, as its sync thread reads it back

    /** The sends of the calling thread (a feed's poll) not yet flushed: {@link #flush()} waits for them. */
    private final ThreadLocal<List<Sent>> pending = ThreadLocal.withInitial(ArrayList::new);
    /**
     * uuids this instance added that the sync thread has not read back into Camel's cache yet: without them a uuid
     * would look new again until its record came back from the topic. Pruned after each page; bounded like the
     * cache, so a sync thread that falls behind (a broker away) cannot make it grow without end.
     */
    private final Set<String> notSyncedYet;
    private final String topicName;
    /** Replaced after a failed send, so an idempotent producer left in an error state never blocks the next page. */
    private KafkaProducer<String, String> sender;
    private Properties senderConfig;

    /** A uuid sent, and its acknowledgement. */
    private record Sent(String key, Future<RecordMetadata> ack) {
    }

    /** uuids whose send failed: the next flush, on any thread, sends them again before it can succeed. */
    private final Set<String> unsent = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private KafkaDedupeRepository(String topic, Properties consumer, Properties producer, int maxCacheSize) {
        super(topic, consumer, producer, maxCacheSize, POLL_MILLIS);
        this.topicName = topic;
        this.notSyncedYet = java.util.Collections.newSetFromMap(java.util.Collections.synchronizedMap(
                new java.util.LinkedHashMap<>(16, 0.75f, false) {
                    @Override
                    protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
                        return size() > maxCacheSize;
                    }
                }));
    }

    /**
     * Creates the topic if missing (Camel's repository cannot start without it), then the repository, not started:
     * the caller adds it to the CamelContext as a service. A broker that cannot be reached fails here.
     */
    public static KafkaDedupeRepository create(CamelContext context, KafkaClients clients, String topic,
            int maxCacheSize, Duration timeout) {
        // one partition keeps the sync simple; the broker's retention bounds what a starting instance reads
        CompactedTopic.ensureTopic(clients, topic, timeout, "dedupe", BROKERS_KEY, false);
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

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Properties p = new Properties();
        p.putAll(getProducerConfig()); // Camel's, with its serializers
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "onepassword-dedupe-sender");
        synchronized (this) {
            senderConfig = p;
        }
    }

    /**
     * Remembers the uuid at once and sends it to the topic without waiting; {@link #flush()} waits for the page's
     * sends before the page's cursor is saved.
     */
    @Override
    public boolean add(String key) {
        if (contains(key) || !notSyncedYet.add(key)) {
            return false;
        }
        send(key, pending.get());
        return true;
    }

    /** Sends without waiting; a send refused at once (no buffer, no metadata) is left for the next flush to make. */
    private void send(String key, List<Sent> into) {
        try {
            into.add(new Sent(key, sender().send(new ProducerRecord<>(topicName, key, ADD))));
        } catch (RuntimeException e) {
            unsent.add(key);
            LOG.debug("Sending {} to {} failed at once; the next flush sends it again: {}", key, topicName, e.toString());
        }
    }

    private synchronized KafkaProducer<String, String> sender() {
        if (sender == null) {
            if (senderConfig == null) {
                throw new IllegalStateException("the dedupe store on Kafka topic " + topicName + " is not started");
            }
            sender = new KafkaProducer<>(senderConfig);
        }
        return sender;
    }

    private synchronized void dropSender(KafkaProducer<String, String> failed) {
        if (sender == failed && sender != null) {
            sender.close(Duration.ZERO);
            sender = null;
        }
    }

    @Override
    public boolean contains(String key) {
        return super.contains(key) || notSyncedYet.contains(key);
    }

    @Override
    public boolean remove(String key) {
        boolean mine = notSyncedYet.remove(key);
        return super.remove(key) || mine;
    }

    @Override
    public void clear() {
        notSyncedYet.clear();
        super.clear();
    }

    /** Waits until every uuid this thread added is acknowledged by the topic; throws if one was not. */
    @Override
    public void flush() throws IOException {
        List<Sent> mine = pending.get();
        // what an earlier flush could not get acknowledged is sent again first, whichever thread made it: the feed's
        // next poll, which repeats the page, may run on another of the scheduler's threads
        List<String> again = new ArrayList<>(unsent);
        unsent.removeAll(again);
        again.forEach(key -> send(key, mine));
        KafkaProducer<String, String> used = sender();
        List<String> failed = new ArrayList<>();
        Throwable failure = null;
        try {
            used.flush(); // sends everything buffered, this page's uuids among it
            for (Sent sent : mine) {
                try {
                    sent.ack().get();
                } catch (ExecutionException e) {
                    failed.add(sent.key());
                    failure = failure == null ? e.getCause() : failure;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            mine.forEach(sent -> unsent.add(sent.key())); // not known to be acknowledged: sent again (harmless)
            mine.clear();
            throw new IOException("interrupted while remembering delivered uuids in Kafka topic " + topicName, e);
        } finally {
            // what the sync thread has read back is in Camel's cache now (removeIf holds the map's lock)
            notSyncedYet.removeIf(super::contains);
        }
        mine.clear();
        if (failure == null && !unsent.isEmpty()) {
            failure = new IllegalStateException(unsent.size() + " uuids could not be handed to the producer");
        }
        if (failure != null) {
            // The page's cursor is not saved, and the page comes again; its uuids look delivered (they were, to the
            // sinks), so they are not added again. These are sent again by the next flush, before it can succeed.
            dropSender(used);
            unsent.addAll(failed);
            throw new IOException("could not remember delivered uuids in Kafka topic " + topicName + " ("
                    + unsent.size() + " to send again): " + failure, failure);
        }
    }

    /**
     * Camel's doStop closes the consumer while its sync thread may still be inside poll(), which throws a
     * ConcurrentModificationException before anything is closed (and skips closing the producer). By then the sync
     * thread was told to stop and leaves poll() within one poll duration, so the stop is simply tried again.
     */
    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            if (sender != null) {
                sender.close(Duration.ofSeconds(30)); // sends already made finish first
                sender = null;
            }
            senderConfig = null;
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
