package io.opcamel.sink;

import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.Settings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import io.opcamel.config.KafkaClients;
import io.opcamel.config.KafkaReachability;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads back the keys (event uuids) of the newest records of a feed's topic: what may have reached Kafka after the
 * feed's last saved cursor. Read once per feed at start, so a page re-read after a crash is not sent twice.
 *
 * <p>The whole read-back, from the first metadata request to the last record, is bounded by {@code timeout}
 * (property onepassword.sink.kafka.tail-timeout): an unreachable broker fails the poll then, and the cursor stays.
 * One partition is fetched at a time: a fetch that also names a partition already read to its end (or an empty one)
 * would wait out the broker's fetch.max.wait.ms on every round trip.
 */
public final class KafkaTail {

    static final String TIMEOUT_KEY = KafkaReachability.SINK_TIMEOUT;
    static final String BROKERS_KEY = KafkaReachability.SINK_BROKERS;
    /** How many chunks of a partition are read back at most, looking for the account's newest records. */
    static final int SCAN_CHUNKS = 50;

    private final KafkaClients clients;
    private final String brokers;
    private final Duration timeout;

    public KafkaTail(String brokers, Duration timeout) {
        this(KafkaClients.plaintext(brokers), timeout);
    }

    public KafkaTail(KafkaClients clients, Duration timeout) {
        this.clients = clients;
        this.brokers = clients.toString();
        this.timeout = timeout;
    }

    /** From onepassword.sink.kafka.brokers, onepassword.sink.kafka.tail-timeout and camel.component.kafka.*. */
    public static KafkaTail from(Settings settings, org.apache.camel.CamelContext context) {
        Duration timeout = settings.duration(TIMEOUT_KEY, settings.required(TIMEOUT_KEY));
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidConfigException(TIMEOUT_KEY, "must be a positive duration, got " + timeout);
        }
        return new KafkaTail(KafkaClients.of(context, settings.required(BROKERS_KEY)), timeout);
    }

    public List<String> recentUuids(String topic, String account, int max) {
        return recentUuids(topic, false, account, max);
    }

    /**
     * The recent uuids of a feed whose records may be spread over a topic per class (OCSF with
     * onepassword.sink.kafka.topic-per-class): its topic and every class topic of it that exists.
     */
    public List<String> recentUuids(KafkaRecords records, String feature, String account, int max) {
        return recentUuids(records.topic(feature), records.topicPerClass(), account, max);
    }

    private List<String> recentUuids(String topic, boolean classTopics, String account, int max) {
        try {
            return read(topic, classTopics, account, max);
        } catch (TimeoutException e) {
            // the brokers' key first: an operator fixes the address, rarely the wait
            throw new TimeoutException("Kafka brokers " + brokers + " (" + BROKERS_KEY + ") did not give back the tail "
                    + "of " + topic + " within " + timeout + " (" + TIMEOUT_KEY + "): " + e.getMessage()); // no cause: logs show the innermost
        } catch (KafkaException e) {
            // an unresolvable host ("No resolvable bootstrap urls") says nothing of where it was configured
            throw new KafkaException("Kafka brokers " + brokers + " (" + BROKERS_KEY + ") cannot be reached: "
                    + e.getMessage());
        }
    }

    /**
     * Accounts share a topic (and may share a partition), so the newest records of a partition can all be another
     * account's: each partition is read backwards, a chunk at a time, until {@code max} records of this account are
     * found, the partition's start is reached, or {@link #SCAN_CHUNKS} chunks were read (an account with nothing
     * recent in a busy topic has nothing in the crash window either).
     */
    private List<String> read(String feedTopic, boolean classTopics, String account, int max) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties p = clients.properties();
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // only the key and the account header are read: the envelope is left as bytes
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        // it reads what is there and waits for nothing new: a fetch that finds no record (such as the one the consumer
        // sends ahead once the last record is read) comes back at once instead of after the default 500 ms
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            List<String> topics = classTopics
                    ? c.listTopics(left(deadline)).keySet().stream().filter(t -> t.equals(feedTopic)
                            || KafkaRecords.isClassTopicOf(t, feedTopic)).sorted().toList()
                    : List.of(feedTopic);
            for (String topic : topics) {
                out.addAll(readTopic(c, topic, account, max, deadline));
            }
        }
        return out;
    }

    private List<String> readTopic(KafkaConsumer<String, byte[]> c, String topic, String account, int max,
            long deadline) {
        List<String> out = new ArrayList<>();
        var infos = c.partitionsFor(topic, left(deadline));
        if (infos == null || infos.isEmpty()) {
            return out; // the topic does not exist yet: nothing was delivered
        }
        List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        Map<TopicPartition, Long> starts = c.beginningOffsets(parts, left(deadline));
        Map<TopicPartition, Long> ends = c.endOffsets(parts, left(deadline));
        int chunk = Math.max(max, 100);
        for (TopicPartition tp : parts) {
            List<String> found = new ArrayList<>();
            long hi = ends.get(tp);
            for (int n = 0; n < SCAN_CHUNKS && hi > starts.get(tp) && found.size() < max; n++) {
                long lo = Math.max(starts.get(tp), hi - chunk);
                List<String> older = readRange(c, tp, lo, hi, account, deadline);
                older.addAll(found);
                found = older;
                hi = lo;
            }
            out.addAll(found.size() <= max ? found : found.subList(found.size() - max, found.size()));
        }
        return out;
    }

    /** The keys of the account's records in [lo, hi) of one partition, in offset order. */
    private static List<String> readRange(KafkaConsumer<String, byte[]> c, TopicPartition tp, long lo, long hi,
            String account, long deadline) {
        List<String> out = new ArrayList<>();
        c.assign(List.of(tp));
        c.seek(tp, lo);
        while (c.position(tp, left(deadline)) < hi) {
            for (ConsumerRecord<String, byte[]> r : c.poll(left(deadline))) {
                Header h = r.headers().lastHeader("account");
                if (r.offset() < hi && r.key() != null && h != null
                        && account.equals(new String(h.value(), StandardCharsets.UTF_8))) {
                    out.add(r.key());
                }
            }
            if (System.nanoTime() >= deadline) {
                throw new TimeoutException("records left to read in " + tp + " up to offset " + hi);
            }
        }
        return out;
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
