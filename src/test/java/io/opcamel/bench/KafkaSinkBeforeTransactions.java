package io.opcamel.bench;

import io.opcamel.sink.SinkRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;

/**
 * The Kafka sink as it was before each page became a transaction (issue 16; sink-kafka at 8112118^1), for the bench
 * to measure what exactly-once costs in the same run: camel-kafka sends the page as one batch from an idempotent
 * producer with acks=all and returns once every record is acknowledged; no transaction, no tail read-back.
 */
final class KafkaSinkBeforeTransactions {

    private KafkaSinkBeforeTransactions() {
    }

    /** Replaces the transactional send of route sink-kafka with the old camel-kafka batch, same parameters. */
    static void apply(DefaultCamelContext context, String brokers, String topicPrefix) throws Exception {
        String uri = "kafka:onepassword-events?brokers=" + brokers + "&requestRequiredAcks=all&enableIdempotence=true"
                + "&maxInFlightRequest=5&lingerMs=0&producerBatchSize=262144&batchWithIndividualHeaders=true"
                + "&partitioner=io.opcamel.sink.AccountPartitioner&lazyStartProducer=true";
        AdviceWith.adviceWith(context, "sink-kafka", r -> r.weaveById("send-the-page-in-one-kafka-transaction")
                .replace().process(e -> e.getMessage().setBody(messages(e, topicPrefix))).to(uri));
    }

    @SuppressWarnings("unchecked")
    private static List<Message> messages(Exchange exchange, String topicPrefix) {
        List<SinkRecord> records = exchange.getMessage().getBody(List.class);
        String account = exchange.getProperty("opAccount", String.class);
        String feature = exchange.getProperty("opFeature", String.class);
        List<Message> out = new ArrayList<>(records.size());
        for (SinkRecord r : records) {
            DefaultMessage m = new DefaultMessage(exchange.getContext());
            m.setBody(r.json());
            m.setHeader("kafka.KEY", r.uuid());
            m.setHeader("kafka.OVERRIDE_TOPIC", topicPrefix + feature);
            m.setHeader("account", account);
            m.setHeader("feature", feature);
            out.add(m);
        }
        return out;
    }
}
