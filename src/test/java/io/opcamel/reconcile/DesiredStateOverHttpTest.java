package io.opcamel.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.LoopbackBundle;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The http source: a URL answering JSON or CSV, told apart by the answer's Content-Type, fetched with the
 * source's bearer token; anything else (another Content-Type, a 404, malformed content) fails the run with the
 * reason, and the token appears in neither the report nor an answer.
 */
class DesiredStateOverHttpTest {

    private static final String TOKEN = "hr-export-token-0123456789abcdef";

    @Test
    void readsJsonOrCsvByContentTypeWithTheTokenAndFailsOnAnythingElse(@TempDir Path dir) throws Exception {
        String[] answer = new String[3]; // status, content type, body
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/people", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = answer[2].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", answer[1]);
            exchange.sendResponseHeaders(Integer.parseInt(answer[0]), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/people";
        try (ReconcileRig rig = ReconcileRig.start(dir, Map.of("onepassword.reconcile.source", "http",
                "onepassword.reconcile.source.url", url, "onepassword.reconcile.source.token", TOKEN), true)) {
            rig.sandbox.bridge().addUser("ada@example.com", "Ada", "Lovelace");

            set(answer, "200", "application/json; charset=utf-8",
                    "[{\"email\":\"ada@example.com\",\"givenName\":\"Ada\",\"familyName\":\"King\"}]");
            JsonNode json = run(rig);
            assertEquals("completed", json.path("status").asText(), json.toString());
            assertEquals("http " + url, json.path("source").asText());
            assertEquals("King", json.path("entries").get(0).path("attributes").path("familyName").path("desired")
                    .asText());
            assertEquals("Bearer " + TOKEN, authorizations.get(0), "the source's token is sent");

            set(answer, "200", "text/csv", "email,givenName,familyName\nada@example.com,Ada,Lovelace\n"
                    + "grace@example.com,Grace,Hopper\n");
            JsonNode csv = run(rig);
            assertEquals(1, csv.path("counts").path("missing").asInt(), csv.toString());
            assertEquals(0, csv.path("counts").path("attributes").asInt());

            set(answer, "200", "text/html", "<html>login</html>");
            assertEquals("reading the desired state (http " + url + "): the desired-state URL " + url
                    + " answered Content-Type 'text/html': expected application/json or text/csv",
                    failed(rig).path("error").asText());

            set(answer, "404", "application/json", "{}");
            assertEquals("reading the desired state (http " + url + "): the desired-state URL " + url
                    + " answered HTTP 404 (expected 200 with JSON or CSV)", failed(rig).path("error").asText());

            set(answer, "200", "text/csv", "email,givenName,familyName\nada@example.com,Ada\n");
            assertEquals("the desired state in " + url + " is malformed: line 2: 2 fields, but the header has 3",
                    failed(rig).path("error").asText());
        } finally {
            server.stop(0);
        }
    }

    private static void set(String[] answer, String status, String type, String body) {
        answer[0] = status;
        answer[1] = type;
        answer[2] = body;
    }

    private static JsonNode run(ReconcileRig rig) {
        LoopbackBundle.Answer a = rig.reconcile(null, ReconcileRig.OPS);
        assertFalse(a.body().contains(TOKEN), "the token is in the answer");
        return a.json();
    }

    private static JsonNode failed(ReconcileRig rig) {
        LoopbackBundle.Answer a = rig.reconcile("apply=true", ReconcileRig.OPS);
        assertEquals(500, a.status(), a.body());
        assertFalse(a.body().contains(TOKEN), "the token is in the answer");
        assertTrue(a.json().path("reason").asText().contains("nothing was applied"));
        return a.json();
    }
}
