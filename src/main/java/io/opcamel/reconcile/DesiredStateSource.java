package io.opcamel.reconcile;

import io.opcamel.config.KafkaClients;
import io.opcamel.config.Secrets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.apache.camel.Exchange;

/**
 * Where the desired state comes from ({@code onepassword.reconcile.source}) and how each kind is read into a
 * {@link DesiredState}: a file ({@code .json} or {@code .csv} by its extension), an HTTP URL (JSON or CSV by the
 * answer's Content-Type; fetched by read-desired-state-http, with an optional bearer token that never leaves this
 * class except into that request's header), or a compacted Kafka topic.
 */
public final class DesiredStateSource {

    private final String kind;
    private final Path file;
    private final String url;
    private final String token;
    private final KafkaClients kafka;
    private final String topic;
    private final Duration timeout;

    DesiredStateSource(String kind, Path file, String url, String token, KafkaClients kafka, String topic,
            Duration timeout) {
        this.kind = kind;
        this.file = file;
        this.url = url;
        this.token = token;
        this.kafka = kafka;
        this.topic = topic;
        this.timeout = timeout;
    }

    /** file, http or kafka. */
    public String kind() {
        return kind;
    }

    /** The brokers of a kafka source; null for the others. */
    public KafkaClients kafka() {
        return kafka;
    }

    /** The source as the report names it: the file, the URL or the topic; never a token. */
    public String location() {
        return switch (kind) {
            case "file" -> file.toString();
            case "http" -> url;
            default -> "Kafka topic " + topic + " at " + kafka;
        };
    }

    // ---- file -------------------------------------------------------------------------------------------------

    public DesiredState fromFile() throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return isCsv(file.getFileName().toString()) ? CsvPeople.read(reader(in, StandardCharsets.UTF_8),
                    file.toString()) : JsonPeople.read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("the desired-state file " + file + " does not exist "
                    + "(onepassword.reconcile.source.file)");
        }
    }

    static boolean isCsv(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    // ---- http -------------------------------------------------------------------------------------------------

    public String url() {
        return url;
    }

    public boolean hasToken() {
        return token != null;
    }

    public String authorization() {
        return "Bearer " + token;
    }

    /** The answer of read-desired-state-http: a 200 with JSON or CSV. */
    public DesiredState fromHttp(Exchange exchange) throws IOException {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null || status != 200) {
            throw new IllegalStateException("the desired-state URL " + url + " answered HTTP " + status
                    + " (expected 200 with JSON or CSV)");
        }
        String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        String media = type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        Charset charset = charset(type);
        InputStream in = exchange.getMessage().getBody(InputStream.class);
        if (in == null) {
            in = InputStream.nullInputStream();
        }
        try (InputStream body = in) {
            if (media.equals("application/json") || media.endsWith("+json")) {
                return JsonPeople.read(body, url);
            }
            if (media.equals("text/csv")) {
                return CsvPeople.read(reader(body, charset), url);
            }
        }
        throw new IllegalStateException("the desired-state URL " + url + " answered Content-Type '" + type
                + "': expected application/json or text/csv");
    }

    private static Charset charset(String contentType) {
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                try {
                    return Charset.forName(p.substring(8).replace("\"", "").trim());
                } catch (IllegalArgumentException unknown) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    // ---- kafka ------------------------------------------------------------------------------------------------

    public DesiredState fromKafka() {
        return KafkaPeople.read(kafka, topic, timeout);
    }

    private static BufferedReader reader(InputStream in, Charset charset) {
        return new BufferedReader(new InputStreamReader(in, charset), 1 << 16);
    }

    @Override
    public String toString() {
        return kind + " " + location() + (token == null ? "" : " (bearer token " + Secrets.mask(token) + ")");
    }
}
