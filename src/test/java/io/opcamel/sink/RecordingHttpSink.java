package io.opcamel.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.normalise.EventSchemas;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP endpoint on loopback (a free port) that records every request in order and answers as told: a
 * webhook, a Splunk HEC, an Elasticsearch {@code _bulk}, or one that is down. Tests point the HTTP sink at it.
 */
public final class RecordingHttpSink implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as it arrived: header names in lower case, each with its values. */
    public record Request(String method, String path, Map<String, List<String>> headers, byte[] body) {

        /** The header's only value, or null when absent. */
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The uuids of the events the body carries, in order, whatever the format and the schema. */
        public List<String> eventUuids() {
            List<String> out = new ArrayList<>();
            try {
                String text = bodyText();
                if (text.startsWith("[")) {
                    for (JsonNode doc : JSON.readTree(text)) {
                        out.add(EventSchemas.uuidOf(doc));
                    }
                    return out;
                }
                for (String line : text.split("\n")) {
                    JsonNode n = JSON.readTree(line);
                    if (n.has("create")) {
                        continue; // a _bulk action line; its document follows
                    }
                    out.add(EventSchemas.uuidOf(n.has("sourcetype") ? n.path("event") : n)); // Splunk wraps it
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out;
        }
    }

    /**
     * How to answer: a status, a JSON (or empty) body, after a delay, with extra headers; {@code refusedInBody}
     * when a 2xx body says records were not taken (a Splunk code, a failed _bulk item).
     */
    public record Answer(int status, String body, long delayMillis, Map<String, String> headers,
            boolean refusedInBody) {

        public static Answer status(int status) {
            return new Answer(status, "", 0, Map.of(), false);
        }

        public static Answer json(int status, String body) {
            return new Answer(status, body, 0, Map.of(), false);
        }

        public Answer after(long millis) {
            return new Answer(status, body, millis, headers, refusedInBody);
        }

        public Answer withHeader(String name, String value) {
            Map<String, String> h = new TreeMap<>(headers);
            h.put(name, value);
            return new Answer(status, body, delayMillis, h, refusedInBody);
        }

        public Answer refusing() {
            return new Answer(status, body, delayMillis, headers, true);
        }

        /** Whether the HTTP sink should count this answer as an acknowledgement of the whole request. */
        public boolean acknowledges() {
            return status / 100 == 2 && !refusedInBody;
        }
    }

    /** A request with the answer it got. */
    public record Recorded(Request request, Answer answer) {
    }

    @FunctionalInterface
    public interface Responder {
        Answer answer(Request request);
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Recorded> recorded = Collections.synchronizedList(new ArrayList<>());
    private volatile Responder responder;

    private RecordingHttpSink(Responder responder) throws IOException {
        this.responder = responder;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "recording-http-sink");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    public static RecordingHttpSink start(Responder responder) {
        try {
            return new RecordingHttpSink(responder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sink's URL for a path such as /services/collector/event. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Changes how the next requests are answered. */
    public void answerWith(Responder r) {
        this.responder = r;
    }

    public List<Recorded> recorded() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    public List<Request> requests() {
        return recorded().stream().map(Recorded::request).toList();
    }

    /** The requests the sink acknowledged (answered 2xx, and for HEC / _bulk with a body that takes them all). */
    public List<Request> acknowledged() {
        return recorded().stream().filter(r -> r.answer().acknowledges()).map(Recorded::request).toList();
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, List<String>> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Request req = new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), headers, body);
            Answer a = responder.answer(req);
            recorded.add(new Recorded(req, a));
            if (a.delayMillis() > 0) {
                try {
                    Thread.sleep(a.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            if (out.length > 0) {
                ex.getResponseHeaders().set("Content-Type", "application/json");
            }
            a.headers().forEach(ex.getResponseHeaders()::set);
            ex.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        } catch (IOException e) {
            // the client gave up (a timeout test): nothing to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- answers of the real receivers ---------------------------------------------------------------------

    /** A webhook that takes everything. */
    public static Responder accepting() {
        return r -> Answer.status(200);
    }

    /** A receiver that is down. */
    public static Responder answering(int status) {
        return r -> Answer.json(status, "{\"error\":\"unavailable\"}");
    }

    /** Splunk HEC taking every batch. */
    public static Responder splunkSuccess() {
        return r -> Answer.json(200, "{\"text\":\"Success\",\"code\":0}");
    }

    /** Splunk HEC answering 200 with a code other than 0 (what some proxies and acknowledgement setups do). */
    public static Responder splunkRefusing(int code, String text) {
        return r -> Answer.json(200, "{\"text\":\"" + text + "\",\"code\":" + code + ",\"invalid-event-number\":0}")
                .refusing();
    }

    /**
     * Elasticsearch {@code _bulk} with an index that remembers the {@code _id}s it stored: a {@code create} of a
     * new id is 201, of a stored one 409 (version conflict), and an id told to fail answers that status once.
     * The answer is always 200 with {@code errors} and per-item results, as Elasticsearch does.
     */
    public static final class ElasticsearchBulk implements Responder {

        private final List<String> stored = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, Integer> failOnce = new ConcurrentHashMap<>();

        /** The next create of this id fails with this status. */
        public ElasticsearchBulk failOnce(String id, int status) {
            failOnce.put(id, status);
            return this;
        }

        /** The ids stored, in the order they were created. */
        public List<String> stored() {
            synchronized (stored) {
                return List.copyOf(stored);
            }
        }

        @Override
        public Answer answer(Request r) {
            String[] lines = r.bodyText().split("\n");
            ObjectNode answer = JSON.createObjectNode();
            answer.put("took", 3);
            ArrayNode items = JSON.createArrayNode();
            boolean errors = false;
            for (int i = 0; i + 1 < lines.length; i += 2) {
                JsonNode action;
                try {
                    action = JSON.readTree(lines[i]).path("create");
                } catch (IOException e) {
                    return Answer.json(400, "{\"error\":{\"type\":\"parse_exception\"},\"status\":400}");
                }
                String id = action.path("_id").asText();
                ObjectNode item = JSON.createObjectNode();
                item.put("_index", action.path("_index").asText());
                item.put("_id", id);
                Integer fail = failOnce.remove(id);
                if (fail != null) {
                    errors = true;
                    item.put("status", fail);
                    ObjectNode error = item.putObject("error");
                    error.put("type", "es_rejected_execution_exception");
                    error.put("reason", "rejected execution of coordinating operation");
                } else if (stored.contains(id)) {
                    errors = true;
                    item.put("status", 409);
                    ObjectNode error = item.putObject("error");
                    error.put("type", "version_conflict_engine_exception");
                    error.put("reason", "[" + id + "]: version conflict, document already exists (current version [1])");
                } else {
                    stored.add(id);
                    item.put("result", "created");
                    item.put("status", 201);
                }
                items.addObject().set("create", item);
            }
            answer.put("errors", errors);
            answer.set("items", items);
            Answer a = Answer.json(200, answer.toString());
            boolean takes = !errors || items.findValues("status").stream().allMatch(s -> s.asInt() / 100 == 2
                    || s.asInt() == 409);
            return takes ? a : a.refusing();
        }
    }
}
