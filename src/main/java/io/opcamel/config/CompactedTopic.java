package io.opcamel.config;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compacted, one-partition Kafka topic that instances of the bundle share as a keyed log of their state (the
 * cursors, the lifecycle ledger): every record goes to partition 0, so there is one order and an offset says which
 * of two values of a key is newer.
 *
 * <ul>
 * <li>{@link #send} is synchronous: each record is a transaction of its own ({@code acks=all}, idempotence), and it
 * returns once that is committed, or throws, so the caller never goes on from a write that may be lost.</li>
 * <li>{@link #readNew} hands over every committed record up to the topic's current end that this instance has not
 * read yet, its own writes included, so an instance sees what the others wrote before it decides.</li>
 * </ul>
 * A write that timed out may still land; so after a failed send the writer's transactional id is taken again before
 * the next read or write, which settles that write for good (aborted, or committed if its commit had begun), and the
 * reader sees committed records only ({@code read_committed}): what a read returns cannot change afterwards because
 * of a late write, nor a late write come in after a later one. The id is this instance's own (one per process and
 * topic): the instances sharing the topic write side by side.
 */
public final class CompactedTopic implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopic.class);

    private final KafkaClients clients;
    private final String brokers;
    private final String topic;
    private final String what;
    private final TopicPartition partition;
    private final Duration timeout;
    /** Guards the consumer, which is not thread-safe. */
    private final Object reading = new Object();
    /** How long a read waits for transactions up to the log's end to settle before it takes the committed end. */
    private static final Duration SETTLING = Duration.ofSeconds(2);
    private final KafkaConsumer<String, String> consumer;
    /**
     * Asks for the log's end including what is not committed yet: a commit returns before its marker is in the log,
     * so a read waits until every transaction up to that end is settled, and sees a write another instance was told
     * is committed.
     */
    private final KafkaConsumer<String, String> ends;
    /** Replaced after a failed send: taking its transactional id again settles the failed write. */
    private KafkaProducer<String, String> producer;
    /** A send failed and its write is not settled yet: the next read or write takes the id again first. */
    private boolean unsettled;
    private final String transactionalId;

    /**
     * Clients only: no topic check and no read. {@link #open} is the way in; tests use this to reach no broker.
     *
     * @param what what the topic holds, for logs and errors ("cursor", "lifecycle ledger")
     */
    public CompactedTopic(KafkaClients clients, String topic, Duration timeout, String what) {
        this.clients = clients;
        this.brokers = clients.toString();
        this.topic = topic;
        this.what = what;
        this.partition = new TopicPartition(topic, 0);
        this.timeout = timeout;
        this.transactionalId = clientId("writer") + "-" + java.util.UUID.randomUUID();
        Properties c = clients.properties();
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // never a write that may still be aborted
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(timeout));
        c.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(timeout));
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId("reader"));
        this.consumer = new KafkaConsumer<>(c); // no group: assign() and our own position, nothing is committed
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId("end-reader"));
        this.ends = new KafkaConsumer<>(c);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    /**
     * Creates the topic if missing (compacted, one partition; a WARN if it exists without compaction), then the
     * clients. A broker that cannot be reached fails here, naming the property and the brokers.
     */
    public static CompactedTopic open(KafkaClients clients, String topic, Duration timeout, String what,
            String brokersKey) {
        ensureTopic(clients, topic, timeout, what, brokersKey, true);
        return new CompactedTopic(clients, topic, timeout, what);
    }

    /**
     * Creates a one-partition topic for the bundle's own state if it is missing; {@code compacted}: with
     * cleanup.policy=compact, and a WARN if it exists without. A broker that cannot be reached fails here, naming
     * {@code brokersKey} and the brokers.
     */
    public static void ensureTopic(KafkaClients clients, String topic, Duration timeout, String what,
            String brokersKey, boolean compacted) {
        Properties p = clients.properties();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(timeout));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(timeout));
        try (Admin admin = Admin.create(p)) {
            NewTopic t = new NewTopic(topic, Optional.of(1), Optional.empty()); // the broker's replication factor
            if (compacted) {
                t.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            }
            try {
                admin.createTopics(List.of(t)).all().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
                LOG.info("Created the {}{} topic '{}'", compacted ? "compacted " : "", what, topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                if (!compacted) {
                    return;
                }
                ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config config = admin.describeConfigs(List.of(r)).all()
                        .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS).get(r);
                ConfigEntry policy = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
                if (policy == null || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                    LOG.warn("The {} topic '{}' exists without cleanup.policy=compact (it has {}): it keeps every "
                            + "value ever saved, and its retention may delete the only one of a key; make it "
                            + "compacted", what, topic, policy == null ? "none" : policy.value());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the " + what + " topic " + topic, e);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new InvalidConfigException(brokersKey, "names Kafka brokers (" + clients + ") that did not create "
                    + "or find the " + what + " topic '" + topic + "' within " + timeout + ": " + cause);
        }
    }

    /** Sends one record to partition 0 in a transaction of its own and waits until it is committed; its offset. */
    public synchronized long send(String key, String value) throws IOException {
        try {
            KafkaProducer<String, String> p = producer();
            p.beginTransaction();
            var ack = p.send(new ProducerRecord<>(topic, 0, key, value));
            p.commitTransaction(); // bounded by max.block.ms, the timeout; a failed send fails it
            return ack.get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset(); // done by now
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropProducer();
            throw new InterruptedIOException("interrupted while writing " + key + " to Kafka topic " + topic);
        } catch (ExecutionException | java.util.concurrent.TimeoutException | KafkaException e) {
            dropProducer();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IOException("Kafka topic " + topic + " at " + brokers + " did not take " + key + ": " + cause,
                    cause);
        }
    }

    /**
     * Hands {@code apply} every record this instance has not read yet, up to the topic's end when called, in
     * order; throws if the topic cannot be read that far within the timeout.
     */
    public void readNew(Consumer<ConsumerRecord<String, String>> apply) {
        settle();
        synchronized (reading) {
            long end = ends.endOffsets(List.of(partition), timeout).getOrDefault(partition, 0L);
            long start = System.nanoTime();
            long deadline = start + timeout.toNanos();
            long grace = start + Math.min(timeout.toNanos(), SETTLING.toNanos());
            while (consumer.position(partition, timeout) < end) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    apply.accept(r);
                }
                // a transaction still open past the grace is a writer's that died before committing (a kill -9): the
                // broker aborts it only after its transaction timeout, so what is committed (the read_committed end,
                // up to that transaction) is all there is to read; a commit another instance was told of is settled
                // well within the grace
                if (System.nanoTime() - grace > 0 && consumer.position(partition, timeout)
                        >= consumer.endOffsets(List.of(partition), timeout).getOrDefault(partition, 0L)) {
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the " + what + " topic " + topic + " at " + brokers + " could not "
                            + "be read up to offset " + end + " within " + timeout + " (at "
                            + consumer.position(partition) + ")");
                }
            }
        }
    }

    /** After a failed send, takes the transactional id again, so that write is aborted or committed for good. */
    private synchronized void settle() {
        if (unsettled) {
            producer();
        }
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties p = clients.transactionalProducer(transactionalId, clientId("writer"), timeout);
            p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            KafkaProducer<String, String> created = new KafkaProducer<>(p);
            try {
                created.initTransactions(); // fences the failed producer of this id and settles its last write
            } catch (RuntimeException e) {
                created.close(Duration.ZERO); // the next read or write tries again
                throw e;
            }
            producer = created;
            unsettled = false;
        }
        return producer;
    }

    private synchronized void dropProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
        unsettled = true;
    }

    private String clientId(String role) {
        return "onepassword-" + what.replace(' ', '-') + "-" + role;
    }

    private static String millis(Duration d) {
        return Long.toString(Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis())));
    }

    public String topic() {
        return topic;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (producer != null) {
                producer.close(timeout);
                producer = null;
            }
        }
        synchronized (reading) {
            consumer.close(timeout);
            ends.close(timeout);
        }
    }

    @Override
    public String toString() {
        return "Kafka topic " + topic + " at " + brokers;
    }
}
