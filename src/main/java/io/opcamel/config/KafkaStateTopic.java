package io.opcamel.config;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
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
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the bundle keeps its own state in Kafka (the cursors, the delivered uuids, the lifecycle ledger): a
 * topic that instances of the bundle share as a keyed log. It creates or checks the topic, reads it back and writes
 * it; every record it writes goes to partition 0, so there is one order and an offset says which of two values of a
 * key is newer.
 *
 * <ul>
 * <li>{@link #send} is synchronous: each record is a transaction of its own ({@code acks=all}, idempotence), and it
 * returns once that is committed, or throws, so the caller never goes on from a write that may be lost.</li>
 * <li>{@link #sendLater} is for records that are true whenever they land (a uuid whose event the sinks hold): sent
 * without waiting ({@code acks=all}, idempotence, no transaction), so a page's records travel in a few batches, and
 * {@link #flush} waits until every record the calling thread sent is acknowledged. What could not be sent is sent
 * again by the next flush, on any thread, and the producer is replaced: an idempotent producer left in an error state
 * would fail the next page too.</li>
 * <li>{@link #readNew} hands over every committed record up to the topic's current end that this instance has not
 * read yet, its own writes included, so an instance sees what the others wrote before it decides.</li>
 * <li>{@link #follow} keeps handing over new records on a thread of its own, for a cache that must stay current
 * while the instance runs; {@link #close} stops it before it closes the consumer that thread polls.</li>
 * </ul>
 * A transactional write that timed out may still land; so after a failed {@link #send} the writer's transactional id
 * is taken again before the next read or write, which settles that write for good (aborted, or committed if its
 * commit had begun), and the reader sees committed records only ({@code read_committed}): what a read returns cannot
 * change afterwards because of a late write, nor a late write come in after a later one. The id is this instance's own
 * (one per process and topic): the instances sharing the topic write side by side.
 *
 * <p>Reads cover every partition of the topic, not only partition 0: a dedupe topic made beforehand with several
 * partitions holds what earlier versions (Camel's KafkaIdempotentRepository) spread over them by key.
 */
public final class KafkaStateTopic implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStateTopic.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** How long a read waits for transactions up to the log's end to settle before it takes the committed end. */
    private static final Duration SETTLING = Duration.ofSeconds(2);

    private final KafkaClients clients;
    private final String brokers;
    private final String topic;
    private final String what;
    private final Duration timeout;
    /** Guards the consumer, which is not thread-safe. */
    private final Object reading = new Object();
    private final KafkaConsumer<String, String> consumer;
    /**
     * Asks for the log's end including what is not committed yet: a commit returns before its marker is in the log,
     * so a read waits until every transaction up to that end is settled, and sees a write another instance was told
     * is committed.
     */
    private final KafkaConsumer<String, String> ends;
    /** The partitions read, found at the first read (under {@link #reading}). */
    private List<TopicPartition> partitions;
    private volatile boolean closed;

    /** Replaced after a failed send: taking its transactional id again settles the failed write. */
    private KafkaProducer<String, String> producer;
    /** A send failed and its write is not settled yet: the next read or write takes the id again first. */
    private boolean unsettled;
    private final String transactionalId;

    /** The producer of {@link #sendLater}; replaced after a failed flush. */
    private KafkaProducer<String, String> sender;
    /** The calling thread's sends since its last flush. */
    private final ThreadLocal<List<Sent>> pending = ThreadLocal.withInitial(ArrayList::new);
    /** Records whose send failed: the next flush, on any thread, sends them again before it can succeed. */
    private final Set<Later> unsent = ConcurrentHashMap.newKeySet();

    /** A record of {@link #sendLater}. */
    private record Later(String key, String value) {
    }

    private record Sent(Later record, Future<RecordMetadata> ack) {
    }

    /**
     * Clients only: no topic check and no read. {@link #open} is the way in; tests use this to reach no broker.
     *
     * @param what what the topic holds, for logs, errors and client ids ("cursor", "dedupe", "lifecycle ledger")
     */
    public KafkaStateTopic(KafkaClients clients, String topic, Duration timeout, String what) {
        this.clients = clients;
        this.brokers = clients.toString();
        this.topic = topic;
        this.what = what;
        this.timeout = timeout;
        this.transactionalId = clientId("writer") + "-" + java.util.UUID.randomUUID();
        Properties c = clients.properties();
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"); // ensureTopic makes it, with its settings
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // never a write that may still be aborted
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(timeout));
        c.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(timeout));
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId("reader"));
        this.consumer = new KafkaConsumer<>(c); // no group: assign() and our own position, nothing is committed
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId("end-reader"));
        this.ends = new KafkaConsumer<>(c);
    }

    /**
     * Creates the topic if missing (compacted, one partition; a WARN if it exists without compaction), then the
     * clients. A broker that cannot be reached fails here, naming the property and the brokers.
     */
    public static KafkaStateTopic open(KafkaClients clients, String topic, Duration timeout, String what,
            String brokersKey) {
        ensureTopic(clients, topic, timeout, what, brokersKey, true);
        return new KafkaStateTopic(clients, topic, timeout, what);
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
     * Sends one record to partition 0 without waiting; {@link #flush} waits for it. A send refused at once (no buffer,
     * no metadata, a producer replaced meanwhile) is left for the next flush to make.
     */
    public void sendLater(String key, String value) {
        sendLater(new Later(key, value), pending.get());
    }

    private void sendLater(Later record, List<Sent> into) {
        try {
            into.add(new Sent(record, sender().send(new ProducerRecord<>(topic, 0, record.key(), record.value()))));
        } catch (RuntimeException e) {
            unsent.add(record);
            LOG.debug("Sending {} to {} failed at once; the next flush sends it again: {}", record.key(), topic,
                    e.toString());
        }
    }

    /**
     * Waits until every record this thread sent with {@link #sendLater} is acknowledged; throws if one was not, and
     * keeps it for the next flush to send again.
     */
    public void flush() throws IOException {
        List<Sent> mine = pending.get();
        // what an earlier flush could not get acknowledged is sent again first, whichever thread made it: the
        // dedupe's next poll, which repeats the page, may run on another of the scheduler's threads
        List<Later> again = new ArrayList<>(unsent);
        unsent.removeAll(again);
        again.forEach(record -> sendLater(record, mine));
        KafkaProducer<String, String> used = sender();
        List<Later> failed = new ArrayList<>();
        Throwable failure = null;
        try {
            used.flush(); // sends everything buffered, this thread's records among it
            for (Sent sent : mine) {
                try {
                    sent.ack().get();
                } catch (ExecutionException e) {
                    failed.add(sent.record());
                    failure = failure == null ? e.getCause() : failure;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            mine.forEach(sent -> unsent.add(sent.record())); // not known to be acknowledged: sent again
            mine.clear();
            throw new InterruptedIOException("interrupted while writing to the " + what + " topic " + topic);
        }
        mine.clear();
        if (failure == null && !unsent.isEmpty()) {
            failure = new IllegalStateException(unsent.size() + " records could not be handed to the producer");
        }
        if (failure != null) {
            dropSender(used);
            unsent.addAll(failed);
            throw new IOException("the " + what + " topic " + topic + " at " + brokers + " did not take every record ("
                    + unsent.size() + " to send again): " + failure, failure);
        }
    }

    /**
     * Hands {@code apply} every record this instance has not read yet, up to the topic's end when called, in
     * order; throws if the topic cannot be read that far within the timeout.
     */
    public void readNew(Consumer<ConsumerRecord<String, String>> apply) {
        settle();
        synchronized (reading) {
            List<TopicPartition> all = partitions();
            Map<TopicPartition, Long> end = ends.endOffsets(all, timeout);
            long start = System.nanoTime();
            long deadline = start + timeout.toNanos();
            long grace = start + Math.min(timeout.toNanos(), SETTLING.toNanos());
            while (behind(end)) {
                for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                    apply.accept(r);
                }
                // a transaction still open past the grace is a writer's that died before committing (a kill -9): the
                // broker aborts it only after its transaction timeout, so what is committed (the read_committed end,
                // up to that transaction) is all there is to read; a commit another instance was told of is settled
                // well within the grace
                if (System.nanoTime() - grace > 0 && !behind(consumer.endOffsets(all, timeout))) {
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the " + what + " topic " + topic + " at " + brokers + " could not "
                            + "be read up to " + end + " within " + timeout + " (at " + positions() + ")");
                }
            }
        }
    }

    /**
     * After the records read so far, hands {@code apply} each new one on a thread of its own until {@link #close},
     * within about 100 ms of its landing. A broker away only delays it; a read that fails is logged and tried again.
     * The follower then holds the consumer nearly all the time: once followed, a topic is read by its follower only.
     */
    public void follow(Consumer<ConsumerRecord<String, String>> apply) {
        Thread follower = new Thread(() -> {
            while (!closed) {
                try {
                    synchronized (reading) {
                        if (closed) {
                            return; // close() holds the consumer now, or has closed it
                        }
                        partitions();
                        for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                            apply.accept(r);
                        }
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Following the {} topic {} at {} failed (tried again in a second): {}", what, topic,
                            brokers, e.toString());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }, clientId("follower"));
        follower.setDaemon(true);
        follower.start();
    }

    /** Partition 0, which the bundle writes, and any other the topic has; assigned at the first read. */
    private List<TopicPartition> partitions() {
        if (partitions == null) {
            Set<TopicPartition> all = new LinkedHashSet<>();
            all.add(new TopicPartition(topic, 0));
            consumer.partitionsFor(topic, timeout).forEach(p -> all.add(new TopicPartition(topic, p.partition())));
            consumer.assign(all);
            consumer.seekToBeginning(all);
            partitions = List.copyOf(all);
        }
        return partitions;
    }

    private boolean behind(Map<TopicPartition, Long> end) {
        for (TopicPartition p : partitions) {
            if (consumer.position(p, timeout) < end.getOrDefault(p, 0L)) {
                return true;
            }
        }
        return false;
    }

    private List<Long> positions() {
        return partitions.stream().map(consumer::position).toList();
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

    private synchronized KafkaProducer<String, String> sender() {
        if (closed) {
            throw new IllegalStateException("the " + what + " topic " + topic + " is closed");
        }
        if (sender == null) {
            Properties p = clients.idempotentProducer(clientId("sender"), timeout);
            p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536"); // a page's records in a few requests
            sender = new KafkaProducer<>(p);
        }
        return sender;
    }

    private synchronized void dropSender(KafkaProducer<String, String> failed) {
        if (sender == failed && sender != null) {
            sender.close(Duration.ZERO);
            sender = null;
        }
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

    /** Stops the follower, lets sends already made finish (within the timeout), and closes the clients. */
    @Override
    public void close() {
        closed = true; // the follower leaves within one poll, before it takes the consumer again
        synchronized (this) {
            if (producer != null) {
                producer.close(timeout);
                producer = null;
            }
            if (sender != null) {
                sender.close(timeout);
                sender = null;
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
