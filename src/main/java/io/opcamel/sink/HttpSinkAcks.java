package io.opcamel.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads the answer to one batch for what its status line does not say. A 2xx is all {@code ndjson} and
 * {@code json-array} promise; Splunk HEC acknowledges with {@code {"text":"Success","code":0}}; Elasticsearch's
 * {@code _bulk} answers 200 even when items failed, so each item is read: 2xx is taken, and so is 409 (a document
 * with that {@code _id}, the event uuid, already exists: the record was delivered before). Anything else refuses
 * the batch, naming the first item that failed, and with it the page.
 */
public final class HttpSinkAcks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpSinkFormat format;

    public HttpSinkAcks(HttpSinkSettings settings) {
        this.format = settings.format();
    }

    /** Returns when the answer acknowledges every record of the batch; throws {@link HttpSinkRefusedException} otherwise. */
    public void check(byte[] answer) {
        switch (format) {
            case SPLUNK_HEC -> splunk(answer);
            case ELASTICSEARCH_BULK -> bulk(answer);
            default -> { } // the 2xx was the acknowledgement
        }
    }

    private static void splunk(byte[] answer) {
        JsonNode a = parse(answer);
        JsonNode code = a == null ? null : a.get("code");
        if (code == null || !code.isIntegralNumber()) {
            throw new HttpSinkRefusedException("Splunk HEC answered without an acknowledgement code: " + excerpt(answer));
        }
        if (code.asInt() != 0) {
            JsonNode invalid = a.get("invalid-event-number");
            throw new HttpSinkRefusedException("Splunk HEC refused the batch: code " + code.asInt() + " ("
                    + a.path("text").asText("no text") + ")"
                    + (invalid != null ? ", invalid event number " + invalid.asText() + " of the batch" : ""));
        }
    }

    private static void bulk(byte[] answer) {
        JsonNode a = parse(answer);
        JsonNode errors = a == null ? null : a.get("errors");
        if (errors == null || !errors.isBoolean()) {
            throw new HttpSinkRefusedException("Elasticsearch answered without a bulk result: " + excerpt(answer));
        }
        if (!errors.asBoolean()) {
            return;
        }
        int n = 0;
        for (JsonNode wrapper : a.path("items")) {
            n++;
            Iterator<Map.Entry<String, JsonNode>> op = wrapper.fields();
            if (!op.hasNext()) {
                throw new HttpSinkRefusedException("Elasticsearch answered item " + n + " of the batch without a result");
            }
            JsonNode item = op.next().getValue();
            int status = item.path("status").asInt(0);
            if ((status >= 200 && status < 300) || status == 409) {
                continue; // stored now, or stored before under the same _id (the event uuid)
            }
            JsonNode error = item.path("error");
            throw new HttpSinkRefusedException("Elasticsearch refused item " + n + " of the batch (_id "
                    + item.path("_id").asText("?") + "): status " + status + ", "
                    + error.path("type").asText("no error type") + ": " + error.path("reason").asText("no reason"));
        }
        if (n == 0) { // errors=true with no item at all: nothing says what was stored
            throw new HttpSinkRefusedException("Elasticsearch reported errors but listed no item: " + excerpt(answer));
        }
    }

    private static JsonNode parse(byte[] answer) {
        try {
            JsonNode n = answer == null || answer.length == 0 ? null : JSON.readTree(answer);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String excerpt(byte[] answer) {
        if (answer == null || answer.length == 0) {
            return "(empty body)";
        }
        String s = new String(answer, 0, Math.min(answer.length, 200), StandardCharsets.UTF_8);
        return "'" + s + (answer.length > 200 ? "...'" : "'");
    }
}
