package io.opcamel.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns a page's records into Kafka records: each keyed by its event uuid, sent to the feed's topic
 * ({@code <topic-prefix><feature>}), with the account and feature as record headers (UTF-8 text).
 */
public final class KafkaRecords {

    private final String topicPrefix;

    public KafkaRecords(String topicPrefix) {
        this.topicPrefix = topicPrefix;
    }

    public String topic(String feature) {
        return topicPrefix + feature;
    }

    public List<ProducerRecord<String, String>> producerRecords(List<SinkRecord> records, String account,
            String feature) {
        List<ProducerRecord<String, String>> out = new ArrayList<>(records.size());
        String topic = topic(feature);
        byte[] a = account.getBytes(StandardCharsets.UTF_8);
        byte[] f = feature.getBytes(StandardCharsets.UTF_8);
        for (SinkRecord r : records) {
            ProducerRecord<String, String> p = new ProducerRecord<>(topic, r.uuid(), r.json());
            p.headers().add("account", a).add("feature", f);
            out.add(p);
        }
        return out;
    }
}
