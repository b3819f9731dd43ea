package io.opcamel.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.config.InvalidConfigException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import io.opcamel.config.KafkaClients;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cursors in a compacted Kafka topic, so that several instances of the bundle share them and a feed can move to
 * another instance: one record per account and feature, key {@code <account>/<feature>}, value the JSON the file
 * store writes ({@code account}, {@code feature}, {@code cursor}, {@code saved_at}). A tombstone (null value) for a
 * key forgets that feed's cursor.
 *
 * <p>A save is a synchronous send with {@code acks=all} and idempotence, and returns only once the broker
 * acknowledged it; a failure throws, so the poll fails and nothing advances. A load first reads the topic up to its
 * current end, so an instance taking a feed over gets the cursor the previous one saved last. All records go to
 * partition 0: one log, one order, offsets that say which of two values of a key is newer.
 */
public final class KafkaCursorStore implements CursorStore, AutoCloseable {

    public static final String BROKERS_KEY = "onepassword.events.cursor.kafka.brokers";
    public static final String TOPIC_KEY = "onepassword.events.cursor.kafka.topic";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCursorStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The latest value of a key the store knows of, with its offset; a null cursor is a tombstone or a bad record. */
    private record Saved(String cursor, long offset, String problem) {
    }

    private final KafkaClients clients;
    private final String brokers;
    private final String topic;
    private final TopicPartition partition;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, Saved> latest = new ConcurrentHashMap<>();
    /** Guards the consumer, which is not thread-safe: feeds load on their own threads. */
    private final Object reading = new Object();
    private final KafkaConsumer<String, String> consumer;
    /** Replaced after a failed save, so an idempotent producer left in an error state never blocks the next one. */
    private KafkaProducer<String, String> producer;

    /** Clients only: no topic check and no read. {@link #open} is the way in; tests use this to reach no broker. */
    KafkaCursorStore(KafkaClients clients, String topic, Duration timeout, Clock clock) {
        this.clients = clients;
        this.brokers = clients.toString();
        this.topic = topic;
        this.partition = new TopicPartition(topic, 0);
        this.timeout = timeout;
        this.clock = clock;
        Properties c = clients.properties();
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(timeout));
        c.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(timeout));
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "onepassword-cursors-reader");
        this.consumer = new KafkaConsumer<>(c); // no group: assign() and our own position, nothing is committed
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    /**
     * Creates the topic if missing (compacted, one partition), then reads it: a broker that cannot be reached fails
     * here, naming the property and the brokers.
     */
    public static KafkaCursorStore open(KafkaClients clients, String topic, Duration timeout, Clock clock) {
        String brokers = clients.toString();
        ensureCompactedTopic(clients, topic, timeout);
        KafkaCursorStore store = new KafkaCursorStore(clients, topic, timeout, clock);
        try {
            synchronized (store.reading) {
                store.catchUp();
            }
        } catch (RuntimeException e) {
            store.close();
            throw new InvalidConfigException(BROKERS_KEY, "names Kafka brokers (" + brokers + ") the cursor topic '"
                    + topic + "' could not be read from within " + timeout + ": " + e.getMessage());
        }
        LOG.info("Cursors are saved in the compacted Kafka topic '{}' at {} (feeds known: {})", topic, brokers,
                store.latest.size());
        return store;
    }

    /** Plaintext, for tests. */
    public static KafkaCursorStore open(String brokers, String topic, Duration timeout, Clock clock) {
        return open(KafkaClients.plaintext(brokers), topic, timeout, clock);
    }

    static void ensureCompactedTopic(KafkaClients clients, String topic, Duration timeout) {
        String brokers = clients.toString();
        Properties p = clients.properties();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(timeout));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(timeout));
        try (Admin admin = Admin.create(p)) {
            NewTopic t = new NewTopic(topic, Optional.of(1), Optional.empty()) // the broker's replication factor
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(t)).all().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
                LOG.info("Created the compacted cursor topic '{}'", topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config config = admin.describeConfigs(List.of(r)).all()
                        .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS).get(r);
                ConfigEntry policy = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
                if (policy == null || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                    LOG.warn("The cursor topic '{}' exists without cleanup.policy=compact (it has {}): it keeps every "
                            + "cursor ever saved, and its retention may delete the only one of a quiet feed; make it "
                            + "compacted", topic, policy == null ? "none" : policy.value());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the cursor topic " + topic, e);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new InvalidConfigException(BROKERS_KEY, "names Kafka brokers (" + brokers + ") that did not create "
                    + "or describe the cursor topic '" + topic + "' within " + timeout + ": " + cause);
        }
    }

    @Override
    public Optional<String> load(String account, String feature) {
        String key = key(account, feature);
        synchronized (reading) {
            catchUp();
        }
        Saved s = latest.get(key);
        if (s == null || (s.cursor() == null && s.problem() == null)) {
            return Optional.empty();
        }
        if (s.problem() != null) {
            throw new IllegalStateException("the cursor of " + key + " in Kafka topic " + topic + " (offset "
                    + s.offset() + ") " + s.problem() + ": save a valid one or a tombstone under that key");
        }
        return Optional.of(s.cursor());
    }

    @Override
    public synchronized void save(String account, String feature, String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            throw new IllegalArgumentException("refusing to save an empty cursor for " + account + "/" + feature);
        }
        String key = key(account, feature);
        Map<String, String> content = new LinkedHashMap<>();
        content.put("account", account);
        content.put("feature", feature);
        content.put("cursor", cursor);
        content.put("saved_at", clock.instant().toString());
        try {
            String value = JSON.writeValueAsString(content);
            // delivery.timeout.ms equals the timeout, so the future fails on its own before this wait runs out. A
            // record whose ack was lost may still land: it is a cursor whose events were all delivered, so harmless.
            RecordMetadata m = producer().send(new ProducerRecord<>(topic, 0, key, value))
                    .get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
            remember(key, new Saved(cursor, m.offset(), null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropProducer();
            throw new IllegalStateException("interrupted while saving the cursor of " + key, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException | KafkaException | IOException e) {
            dropProducer();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot save the cursor of " + key + " to Kafka topic " + topic + " at "
                    + brokers + ": " + cause, cause);
        }
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties p = clients.properties();
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis(timeout));
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(timeout));
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis(timeout)); // >= linger + request timeout
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "onepassword-cursors-writer");
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    private void dropProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    /** Reads every record up to the topic's current end into {@link #latest}. Called holding {@link #reading}. */
    private void catchUp() {
        long end = consumer.endOffsets(List.of(partition), timeout).getOrDefault(partition, 0L);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(partition, timeout) < end) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                apply(r);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the cursor topic " + topic + " at " + brokers + " could not be read up "
                        + "to offset " + end + " within " + timeout + " (at " + consumer.position(partition) + ")");
            }
        }
    }

    private void apply(ConsumerRecord<String, String> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            remember(r.key(), new Saved(null, r.offset(), null)); // tombstone: the feed starts afresh
            return;
        }
        String problem;
        try {
            JsonNode cursor = JSON.readTree(r.value()).path("cursor");
            if (cursor.isTextual() && !cursor.asText().isEmpty()) {
                remember(r.key(), new Saved(cursor.asText(), r.offset(), null));
                return;
            }
            problem = "has no cursor";
        } catch (IOException e) {
            problem = "is not JSON";
        }
        remember(r.key(), new Saved(null, r.offset(), problem));
    }

    /** Keeps the newer of two values of a key: own saves and the reads of other instances' saves may interleave. */
    private void remember(String key, Saved s) {
        latest.merge(key, s, (old, now) -> now.offset() >= old.offset() ? now : old);
    }

    static String key(String account, String feature) {
        return account + "/" + feature;
    }

    private static String millis(Duration d) {
        return Long.toString(Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis())));
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
        }
    }

    @Override
    public String toString() {
        return "Kafka topic " + topic + " at " + brokers;
    }
}
