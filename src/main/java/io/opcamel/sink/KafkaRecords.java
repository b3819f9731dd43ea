package io.opcamel.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns a page's records into Kafka records: each keyed by its event uuid, sent to the feed's topic
 * ({@code <topic-prefix><feature>}), with the account and feature as record headers (UTF-8 text). With a topic per
 * class (onepassword.sink.kafka.topic-per-class), a record of a schema with classes (OCSF) goes to
 * {@code <topic-prefix><feature>.<class_uid>} instead, since Amazon Security Lake takes one class per source.
 */
public final class KafkaRecords {

    private final String topicPrefix;
    private final boolean topicPerClass;

    public KafkaRecords(String topicPrefix) {
        this(topicPrefix, false);
    }

    public KafkaRecords(String topicPrefix, boolean topicPerClass) {
        this.topicPrefix = topicPrefix;
        this.topicPerClass = topicPerClass;
    }

    public String topic(String feature) {
        return topicPrefix + feature;
    }

    public boolean topicPerClass() {
        return topicPerClass;
    }

    /** The topic of one record: its class's topic when there is one per class and the record has a class. */
    public String topic(String feature, String eventClass) {
        return topicPerClass && eventClass != null ? topicPrefix + feature + "." + eventClass : topicPrefix + feature;
    }

    /** Whether {@code topic} is one class's topic of a feed's topic ({@code <feed topic>.<digits>}). */
    static boolean isClassTopicOf(String topic, String feedTopic) {
        if (topic.length() <= feedTopic.length() + 1 || !topic.startsWith(feedTopic)
                || topic.charAt(feedTopic.length()) != '.') {
            return false;
        }
        for (int i = feedTopic.length() + 1; i < topic.length(); i++) {
            if (!Character.isDigit(topic.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public List<ProducerRecord<String, String>> producerRecords(List<SinkRecord> records, String account,
            String feature) {
        List<ProducerRecord<String, String>> out = new ArrayList<>(records.size());
        byte[] a = account.getBytes(StandardCharsets.UTF_8);
        byte[] f = feature.getBytes(StandardCharsets.UTF_8);
        for (SinkRecord r : records) {
            ProducerRecord<String, String> p = new ProducerRecord<>(topic(feature, r.eventClass()), r.uuid(),
                    r.json());
            p.headers().add("account", a).add("feature", f);
            out.add(p);
        }
        return out;
    }
}
