package io.opcamel.events;

import io.opcamel.config.KafkaClients;
import io.opcamel.config.KafkaStateTopic;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.LRUCacheFactory;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The delivered uuids of every feed in one Kafka topic ({@link KafkaStateTopic}, like the cursors and the lifecycle
 * ledger), shared by the instances of the bundle: one per bundle, used by all its feeds, with a bounded cache
 * (capacity per feed times the feeds). Each uuid remembered is in the cache at once and sent without waiting
 * ({@link KafkaStateTopic#sendLater}): a page's uuids travel in a few batches, and {@link #flush()} (which the
 * Deduplicator calls after a page) waits for all of them, so the page's uuids are durable before its cursor is
 * saved. (Camel's KafkaIdempotentRepository waits for each uuid's acknowledgement in turn: a page of 1,000 took 1,000
 * round trips.)
 *
 * <p>The records are those Camel's KafkaIdempotentRepository writes and reads, which this store was built on before:
 * key the uuid, value {@code add} ({@code remove}, and {@code clear} with no key, are read and written too). So a
 * topic written by an earlier version is read as it is, and an instance not upgraded yet reads what this one writes.
 * The topic is not compacted: every key is a new uuid, and the topic's retention bounds what a starting instance
 * reads.
 *
 * <p>Why the cache keeps following the topic while the bundle runs, although each feed is polled by one instance at
 * a time: a cache read only at start holds what the topic had when this instance started. A standby that started
 * before the active instance delivered its last pages would take a feed over without those uuids, and re-deliver
 * the page the active one delivered but had not saved the cursor of (the one case the dedupe exists for). Following
 * the topic, the standby is behind by one poll of it (about 100 ms), far less than a failover takes.
 */
public final class KafkaDedupeRepository extends ServiceSupport implements IdempotentRepository, Flushable {

    public static final String BROKERS_KEY = "onepassword.events.dedupe.kafka.brokers";

    static final String ADD = "add";
    static final String REMOVE = "remove";
    static final String CLEAR = "clear";

    private final KafkaClients clients;
    private final String topicName;
    private final Duration timeout;
    private final Map<String, Boolean> cache;
    /** Open between start and stop. */
    private volatile KafkaStateTopic topic;

    private KafkaDedupeRepository(KafkaClients clients, String topic, int maxCacheSize, Duration timeout) {
        this.clients = clients;
        this.topicName = topic;
        this.timeout = timeout;
        this.cache = LRUCacheFactory.newLRUCache(maxCacheSize);
    }

    /**
     * Creates the topic if missing (one partition, not compacted), then the repository, not started: the caller adds
     * it to the CamelContext as a service. A broker that cannot be reached fails here.
     */
    public static KafkaDedupeRepository create(KafkaClients clients, String topic, int maxCacheSize,
            Duration timeout) {
        KafkaStateTopic.ensureTopic(clients, topic, timeout, "dedupe", BROKERS_KEY, false);
        return new KafkaDedupeRepository(clients, topic, maxCacheSize, timeout);
    }

    /** Plaintext, for tests. */
    public static KafkaDedupeRepository create(String brokers, String topic, int maxCacheSize, Duration timeout) {
        return create(KafkaClients.plaintext(brokers), topic, maxCacheSize, timeout);
    }

    /** Reads the topic whole, then keeps following it (see the class comment). */
    @Override
    protected void doStart() {
        cache.clear(); // what a stopped instance knew may have been removed meanwhile
        KafkaStateTopic t = new KafkaStateTopic(clients, topicName, timeout, "dedupe");
        try {
            t.readNew(this::apply);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        t.follow(this::apply);
        topic = t;
    }

    private void apply(ConsumerRecord<String, String> r) {
        if (ADD.equals(r.value()) && r.key() != null) {
            if (!cache.containsKey(r.key())) { // most are this instance's own, added already: a read is cheaper
                cache.put(r.key(), Boolean.TRUE);
            }
        } else if (REMOVE.equals(r.value()) && r.key() != null) {
            cache.remove(r.key());
        } else if (CLEAR.equals(r.value())) {
            cache.clear();
        }
    }

    /** Remembers the uuid at once and sends it without waiting; {@link #flush()} waits for the page's sends. */
    @Override
    public boolean add(String key) {
        KafkaStateTopic t = started();
        if (cache.putIfAbsent(key, Boolean.TRUE) != null) {
            return false;
        }
        t.sendLater(key, ADD);
        return true;
    }

    @Override
    public boolean contains(String key) {
        return cache.containsKey(key);
    }

    /** Forgets the uuid here and, once this returns, on every instance. */
    @Override
    public boolean remove(String key) {
        broadcast(key, REMOVE);
        cache.remove(key);
        return true;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    /** Forgets every uuid here and, once this returns, on every instance and in what a starting one reads. */
    @Override
    public void clear() {
        broadcast(null, CLEAR);
        cache.clear();
    }

    /**
     * Written at once or not at all ({@link KafkaStateTopic#send}): sent again later, as a failed add is, a remove or
     * a clear would undo adds made after it.
     */
    private void broadcast(String key, String action) {
        try {
            started().send(key, action);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until every uuid this thread added is acknowledged by the topic; throws if one was not. */
    @Override
    public void flush() throws IOException {
        // A failure leaves the page's cursor unsaved, and the page comes again; its uuids look delivered (they were,
        // to the sinks), so they are not added again: the topic sends them again at the next flush instead.
        started().flush();
    }

    /** How many uuids the cache holds. */
    public long getCacheSize() {
        return cache.size();
    }

    private KafkaStateTopic started() {
        KafkaStateTopic t = topic;
        if (t == null) {
            throw new IllegalStateException("the dedupe store on Kafka topic " + topicName + " is not started");
        }
        return t;
    }

    @Override
    protected void doStop() {
        KafkaStateTopic t = topic;
        topic = null;
        if (t != null) {
            t.close(); // sends already made finish first
        }
    }
}
