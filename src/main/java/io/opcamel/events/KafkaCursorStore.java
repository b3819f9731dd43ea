package io.opcamel.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.KafkaClients;
import io.opcamel.config.KafkaStateTopic;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cursors in a compacted Kafka topic, so that several instances of the bundle share them and a feed can move to
 * another instance: one record per account and feature, key {@code <account>/<feature>}, value the JSON the file
 * store writes ({@code account}, {@code feature}, {@code cursor}, {@code saved_at}). A tombstone (null value) for a
 * key forgets that feed's cursor.
 *
 * <p>A save returns only once the broker acknowledged it ({@link KafkaStateTopic#send}); a failure throws, so the
 * poll fails and nothing advances. A load first reads the topic up to its current end, so an instance taking a feed
 * over gets the cursor the previous one saved last.
 */
public final class KafkaCursorStore implements CursorStore, AutoCloseable {

    public static final String BROKERS_KEY = "onepassword.events.cursor.kafka.brokers";
    public static final String TOPIC_KEY = "onepassword.events.cursor.kafka.topic";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCursorStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The latest value of a key the store knows of, with its offset; a null cursor is a tombstone or a bad record. */
    private record Saved(String cursor, long offset, String problem, Instant at) {
    }

    private final String topic;
    private final Clock clock;
    private final Map<String, Saved> latest = new ConcurrentHashMap<>();
    private final KafkaStateTopic log;

    /** Clients only: no topic check and no read. {@link #open} is the way in; tests use this to reach no broker. */
    KafkaCursorStore(KafkaClients clients, String topic, Duration timeout, Clock clock) {
        this(new KafkaStateTopic(clients, topic, timeout, "cursor"), clock);
    }

    private KafkaCursorStore(KafkaStateTopic log, Clock clock) {
        this.log = log;
        this.topic = log.topic();
        this.clock = clock;
    }

    /**
     * Creates the topic if missing (compacted, one partition), then reads it: a broker that cannot be reached fails
     * here, naming the property and the brokers.
     */
    public static KafkaCursorStore open(KafkaClients clients, String topic, Duration timeout, Clock clock) {
        KafkaCursorStore store = new KafkaCursorStore(KafkaStateTopic.open(clients, topic, timeout, "cursor",
                BROKERS_KEY), clock);
        try {
            store.log.readNew(store::apply);
        } catch (RuntimeException e) {
            store.close();
            throw new InvalidConfigException(BROKERS_KEY, "names Kafka brokers (" + clients + ") the cursor topic '"
                    + topic + "' could not be read from within " + timeout + ": " + e.getMessage());
        }
        LOG.info("Cursors are saved in the compacted Kafka topic '{}' at {} (feeds known: {})", topic, clients,
                store.latest.size());
        return store;
    }

    /** Plaintext, for tests. */
    public static KafkaCursorStore open(String brokers, String topic, Duration timeout, Clock clock) {
        return open(KafkaClients.plaintext(brokers), topic, timeout, clock);
    }

    @Override
    public Optional<String> load(String account, String feature) {
        String key = key(account, feature);
        log.readNew(this::apply);
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
    public Optional<Instant> savedAt(String account, String feature) {
        log.readNew(this::apply);
        Saved s = latest.get(key(account, feature));
        return s == null ? Optional.empty() : Optional.ofNullable(s.at());
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
            // a record whose ack was lost may still land: it is a cursor whose events were all delivered, so harmless
            long offset = log.send(key, JSON.writeValueAsString(content));
            remember(key, new Saved(cursor, offset, null, clock.instant()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot save the cursor of " + key + ": " + e.getMessage(), e);
        }
    }

    private void apply(ConsumerRecord<String, String> r) {
        if (r.key() == null) {
            return;
        }
        if (r.value() == null) {
            remember(r.key(), new Saved(null, r.offset(), null, null)); // tombstone: the feed starts afresh
            return;
        }
        String problem;
        try {
            JsonNode cursor = JSON.readTree(r.value()).path("cursor");
            if (cursor.isTextual() && !cursor.asText().isEmpty()) {
                remember(r.key(), new Saved(cursor.asText(), r.offset(), null, Instant.ofEpochMilli(r.timestamp())));
                return;
            }
            problem = "has no cursor";
        } catch (IOException e) {
            problem = "is not JSON";
        }
        remember(r.key(), new Saved(null, r.offset(), problem, null));
    }

    /** Keeps the newer of two values of a key: own saves and the reads of other instances' saves may interleave. */
    private void remember(String key, Saved s) {
        latest.merge(key, s, (old, now) -> now.offset() >= old.offset() ? now : old);
    }

    static String key(String account, String feature) {
        return account + "/" + feature;
    }

    @Override
    public void close() {
        log.close();
    }

    @Override
    public String toString() {
        return log.toString();
    }
}
