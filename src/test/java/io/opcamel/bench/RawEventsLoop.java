package io.opcamel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The baseline: the least code that does the bundle's work with the raw clients. Per page: POST the cursor with
 * the JDK HttpClient, parse the answer with Jackson, send each event keyed by its uuid (with the account and feature
 * headers, to the account's partition, as the bundle's sink does) from a plain idempotent acks=all producer,
 * {@code flush()} and check every ack, then ask for the next page. No dedupe, no cursor file, no metrics.
 */
final class RawEventsLoop implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final KafkaProducer<String, byte[]> producer;
    private final String baseUrl;
    private final String token;

    RawEventsLoop(String baseUrl, String token, String brokers) {
        this.baseUrl = baseUrl;
        this.token = token;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Reads the feed from {@code startTime} until has_more is false; returns the events sent. */
    long drain(String account, String feature, String topic, String startTime, int limit)
            throws IOException, InterruptedException, ExecutionException {
        int partitions = producer.partitionsFor(topic).size();
        int partition = Utils.toPositive(Utils.murmur2(account.getBytes(StandardCharsets.UTF_8))) % partitions;
        List<RecordHeader> headers = List.of(new RecordHeader("account", account.getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("feature", feature.getBytes(StandardCharsets.UTF_8)));
        ObjectNode body = JSON.createObjectNode().put("limit", limit).put("start_time", startTime);
        long sent = 0;
        List<Future<RecordMetadata>> acks = new ArrayList<>(limit);
        while (true) {
            HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v2/" + feature))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (resp.statusCode() != 200) {
                throw new IOException("HTTP " + resp.statusCode() + " from " + feature);
            }
            JsonNode page = JSON.readTree(resp.body());
            acks.clear();
            for (JsonNode item : page.path("items")) {
                acks.add(producer.send(new ProducerRecord<>(topic, partition, item.path("uuid").asText(),
                        JSON.writeValueAsBytes(item), new ArrayList<>(headers))));
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(); // done after flush; throws if the broker refused it
            }
            sent += acks.size();
            if (!page.path("has_more").asBoolean(false)) {
                return sent;
            }
            body = JSON.createObjectNode().put("cursor", page.path("cursor").asText());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
