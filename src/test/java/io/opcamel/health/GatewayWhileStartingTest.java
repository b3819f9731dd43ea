package io.opcamel.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An identity provider that calls while the bundle starts (the stop check of 2026-12-07 did: its first answer was a
 * 404 for ServiceProviderConfig, given by the HTTP server before the gateway's routes were in it). A 404 for
 * {@code GET /Users/{id}} tells Okta or Entra the user is gone. A call that comes before the routes are in the server
 * is held and gets its real answer once they are; never the server's own 404. Requests go out back to back from before the start until
 * the first 200; once a route answers, its own answers (a user the bridge does not have, a token of another API) are
 * the routes' business.
 */
class GatewayWhileStartingTest {

    private static final String TOKEN = "sandbox-idp-token-not-a-secret";

    @Test
    void aCallWhileTheBundleStartsIsHeldUntilTheRoutesServeIt(@TempDir Path dir) throws Exception {
        int port = MainRun.freePort();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Set<String> answers = ConcurrentHashMap.newKeySet();
        AtomicBoolean served = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            List<String> paths = List.of("/scim/v2/ServiceProviderConfig", "/scim/v2/Users/some-user",
                    "/lifecycle/v1/commands/some-request");
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            for (int i = 0; !served.get() && System.nanoTime() < deadline; i++) {
                String path = paths.get(i % paths.size());
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + path)).header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10))
                            .GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 503) {
                        answers.add("503 Retry-After " + r.headers().firstValue("Retry-After").orElse("none") + " "
                                + r.headers().firstValue("Content-Type").orElse(""));
                    } else if (r.body().contains("<html") || r.body().contains("no resource at")) {
                        // the server's answer for a path no route takes: the routes were not in it yet
                        answers.add(r.statusCode() + " " + path + " " + r.body());
                    } else if (path.endsWith("ServiceProviderConfig") && r.statusCode() == 200) {
                        served.set(true);
                    }
                } catch (ConnectException notListeningYet) {
                    // fine: nothing listens yet
                } catch (Exception e) {
                    answers.add(e.toString());
                }
            }
        }, "idp-calling-while-the-bundle-starts");
        caller.start();
        try (MainRun run = MainRun.start(dir, Map.of("camel.server.port", Integer.toString(port)))) {
            caller.join(Duration.ofSeconds(90).toMillis());
        }
        assertTrue(served.get(), "the gateway served ServiceProviderConfig once started");
        Set<String> unexpected = new TreeSet<>(answers);
        unexpected.removeIf(a -> a.startsWith("503 Retry-After 1 application/scim+json")
                || a.startsWith("503 Retry-After 1 application/json"));
        assertEquals(Set.of(), unexpected, "answers while starting other than a 503 asking to retry: " + answers);
    }
}
