package io.opcamel.sink;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;

/**
 * Turns a page's records into Kafka messages: each keyed by its event uuid, sent to the feed's topic
 * ({@code <topic-prefix><feature>}), with the account and feature as record headers. camel-kafka sends such a list
 * as one batch and waits for every acknowledgement.
 */
public final class KafkaRecords {

    /** camel-kafka's header names (4.18: kafka.KEY, kafka.OVERRIDE_TOPIC). */
    static final String KEY = "kafka.KEY";
    static final String TOPIC = "kafka.OVERRIDE_TOPIC";

    private final String topicPrefix;

    public KafkaRecords(String topicPrefix) {
        this.topicPrefix = topicPrefix;
    }

    public String topic(String feature) {
        return topicPrefix + feature;
    }

    public List<Message> messages(List<SinkRecord> records, String account, String feature, Exchange exchange) {
        List<Message> out = new ArrayList<>(records.size());
        String topic = topic(feature);
        for (SinkRecord r : records) {
            DefaultMessage m = new DefaultMessage(exchange.getContext());
            m.setBody(r.json());
            m.setHeader(KEY, r.uuid());
            m.setHeader(TOPIC, topic);
            m.setHeader("account", account);
            m.setHeader("feature", feature);
            out.add(m);
        }
        return out;
    }
}
