package io.opcamel.sink;

import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.KafkaClients;
import io.opcamel.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a feed's page to Kafka as one transaction, so a page is in the topic once or not at all for a
 * {@code read_committed} consumer, whatever the timing of the acknowledgements (docs/events-and-sinks.md, Delivery).
 *
 * <p>Each feed has its own transactional producer, {@code transactional.id = <prefix><account>.<feature>}. Taking the
 * id ({@code initTransactions}) fences any earlier producer of it, in this process or in the instance that polled
 * the feed before, and settles that producer's last transaction: aborted if it was open, committed if its commit had
 * begun. Then the topic's tail is read back (read_committed), and records already there are not sent again.
 *
 * <p>A page whose transaction failed before its commit is aborted; a commit whose answer did not come in time (a slow
 * broker, a pause) is asked again before the next page is sent, on the same producer (Kafka lets a timed-out commit be
 * retried, and nothing else): committed, its records are left out of the page that repeats them; when the producer
 * cannot say (it failed or was fenced), it is closed and the id taken again, which settles the transaction, and the
 * tail is read back. Either way the send throws while the outcome is unknown, so the page's cursor stays.
 */
public final class KafkaPageTransactions implements AutoCloseable {

    static final String TRANSACTIONAL_ID_KEY = "onepassword.sink.kafka.transactional-id-prefix";
    static final String SEND_TIMEOUT_KEY = "onepassword.sink.kafka.send-timeout";
    static final String COMPRESSION_KEY = "onepassword.sink.kafka.compression";
    /** What the tail read-back looks for: two pages of the largest size the API serves. */
    private static final int TAIL = 2_000;

    private static final Logger LOG = LoggerFactory.getLogger(KafkaPageTransactions.class);

    private final KafkaClients clients;
    private final KafkaRecords records;
    private final KafkaTail tail;
    private final String idPrefix;
    private final Duration timeout;
    private final String compression;
    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();

    /** One feed's producer and what is known of the topic since it took the transactional id. */
    private static final class Feed {
        KafkaProducer<String, String> producer;
        /** The uuids of a transaction whose commit got no answer yet: asked again before anything else. */
        List<String> committing;
        /** uuids known to be in the topic: its tail when the id was taken, then the last committed page. */
        Set<String> inTopic = Set.of();
    }

    public KafkaPageTransactions(KafkaClients clients, KafkaRecords records, KafkaTail tail, String idPrefix,
            Duration timeout, String compression) {
        this.clients = clients;
        this.records = records;
        this.tail = tail;
        this.idPrefix = idPrefix;
        this.timeout = timeout;
        this.compression = compression;
    }

    /** From onepassword.sink.kafka.* and camel.component.kafka.* (the brokers' security). */
    public static KafkaPageTransactions from(Settings settings, CamelContext context, KafkaRecords records,
            KafkaTail tail) {
        Duration timeout = settings.duration(SEND_TIMEOUT_KEY, settings.required(SEND_TIMEOUT_KEY));
        if (timeout.toMillis() < 1000) {
            throw new InvalidConfigException(SEND_TIMEOUT_KEY, "must be at least PT1S, got " + timeout);
        }
        String prefix = settings.required(TRANSACTIONAL_ID_KEY);
        return new KafkaPageTransactions(KafkaClients.of(context, settings.required("onepassword.sink.kafka.brokers")),
                records, tail, prefix, timeout, settings.oneOf(COMPRESSION_KEY, "none", "gzip", "snappy", "lz4", "zstd"));
    }

    /** The transactional id of a feed's producer. */
    public String transactionalId(String account, String feature) {
        return idPrefix + account + "." + feature;
    }

    /**
     * Sends the page's records not yet in the topic in one transaction and returns once it is committed; throws if
     * it is not, or not known to be.
     */
    public void send(List<SinkRecord> page, String account, String feature) {
        Feed feed = feeds.computeIfAbsent(account + "/" + feature, k -> new Feed());
        synchronized (feed) { // a feed is polled by one thread at a time; this only guards a stop racing a poll
            KafkaProducer<String, String> producer = claim(feed, account, feature);
            settle(feed, producer);
            List<ProducerRecord<String, String>> out = new ArrayList<>(page.size());
            List<String> uuids = new ArrayList<>(page.size());
            for (ProducerRecord<String, String> r : records.producerRecords(page, account, feature)) {
                if (!feed.inTopic.contains(r.key())) {
                    out.add(r);
                    uuids.add(r.key());
                }
            }
            if (out.isEmpty()) {
                return;
            }
            try {
                producer.beginTransaction();
                for (ProducerRecord<String, String> r : out) {
                    producer.send(r); // a failed send fails the commit
                }
                feed.committing = uuids;
                producer.commitTransaction(); // flushes, then commits
                feed.committing = null;
                feed.inTopic = new HashSet<>(uuids);
            } catch (TimeoutException | InterruptException e) {
                if (feed.committing == null) {
                    replace(feed); // before the commit: taking the id again aborts the transaction
                }
                if (e instanceof InterruptException) {
                    Thread.interrupted(); // the poll ends by the exception; the scheduler's thread carries on
                }
                throw new IllegalStateException("Kafka did not confirm the transaction of " + out.size()
                        + " records of " + account + "/" + feature + " within " + timeout + " (property "
                        + SEND_TIMEOUT_KEY + "); " + (feed.committing == null ? "it is aborted" : "its outcome is "
                        + "asked again before the next page") + ": " + e.getMessage(), e);
            } catch (KafkaException e) {
                abortOrReplace(feed);
                throw new IllegalStateException("Kafka refused the transaction of " + out.size() + " records of "
                        + account + "/" + feature + "; nothing of it is committed: " + e.getMessage(), e);
            }
        }
    }

    /** The feed's producer, taking its transactional id (and reading the tail back) if it has none. */
    private KafkaProducer<String, String> claim(Feed feed, String account, String feature) {
        if (feed.producer != null) {
            return feed.producer;
        }
        KafkaProducer<String, String> p = new KafkaProducer<>(properties(account, feature));
        try {
            p.initTransactions(); // fences the id's earlier producers and settles their last transaction
            feed.inTopic = new HashSet<>(tail.recentUuids(records, feature, account, TAIL));
        } catch (RuntimeException e) {
            p.close(Duration.ZERO);
            throw e;
        }
        feed.producer = p;
        feed.committing = null;
        return p;
    }

    /** Asks again for the outcome of a commit that got no answer; throws while there is none. */
    private void settle(Feed feed, KafkaProducer<String, String> producer) {
        if (feed.committing == null) {
            return;
        }
        try {
            producer.commitTransaction();
            feed.inTopic = new HashSet<>(feed.committing);
            LOG.info("A transaction of {} records whose commit had no answer in time is committed: the page that "
                    + "repeats them leaves them out", feed.committing.size());
            feed.committing = null;
        } catch (TimeoutException | InterruptException e) {
            if (e instanceof InterruptException) {
                Thread.interrupted();
            }
            throw new IllegalStateException("Kafka has still not answered the commit of " + feed.committing.size()
                    + " records (property " + SEND_TIMEOUT_KEY + "): " + e.getMessage(), e);
        } catch (KafkaException e) {
            // the producer cannot tell any more: taking the id again settles the transaction, the tail tells which way
            replace(feed);
            throw new IllegalStateException("the outcome of a commit of " + feed.committing.size() + " records is "
                    + "read back from the topic on the next poll: " + e.getMessage(), e);
        }
    }

    private void abortOrReplace(Feed feed) {
        try {
            feed.producer.abortTransaction();
            feed.committing = null;
        } catch (RuntimeException e) {
            replace(feed); // fenced, or a fatal error: the next page takes the id again
        }
    }

    /** Closes the feed's producer without waiting; the next page takes the transactional id again. */
    private static void replace(Feed feed) {
        if (feed.producer != null) {
            feed.producer.close(Duration.ZERO);
            feed.producer = null;
        }
        feed.committing = null;
        feed.inTopic = Set.of();
    }

    private Properties properties(String account, String feature) {
        Properties p = clients.transactionalProducer(transactionalId(account, feature),
                "onepassword-sink-" + account + "-" + feature, timeout);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        // the commit flushes the page's last batch: no linger needed, and records still batch up behind the requests
        // in flight
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, AccountPartitioner.class.getName());
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        return p;
    }

    @Override
    public void close() {
        for (Feed feed : feeds.values()) {
            synchronized (feed) {
                if (feed.producer != null) {
                    feed.producer.close(timeout);
                    feed.producer = null;
                }
            }
        }
    }
}
