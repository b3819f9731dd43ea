package io.opcamel.scim.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus (src/test/resources/scim/gateway/bad-input/<case>.http: comment lines, "# expect: <status>
 * <scimType or ->", the request line, headers, a blank line and the body), sent byte for byte over a socket. Every
 * case must be answered with a SCIM Error of the expected status and scimType, and nothing may reach the bridge.
 */
class ScimGatewayBadInputTest {

    static final Path CORPUS = Path.of("src/test/resources/scim/gateway/bad-input");

    @TempDir
    static Path dir;
    static GatewayRig rig;

    @BeforeAll
    static void start() throws Exception {
        rig = GatewayRig.start(dir, Map.of());
    }

    @AfterAll
    static void stop() {
        rig.close();
    }

    record Case(String name, int status, String scimType, String method, String target, Map<String, String> headers,
            byte[] body) {
    }

    @Test
    void theCorpusHasAtLeastFortyCases() throws IOException {
        assertTrue(cases().size() >= 40, "only " + cases().size() + " cases");
    }

    @TestFactory
    Stream<DynamicTest> everyBadRequestGetsItsScimErrorAndNothingReachesTheBridge() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            long before = rig.sandbox.requests().lastSeq();
            RawHttp.Response r = RawHttp.send(rig.port, c.method(), c.target(), c.headers(), c.body());
            assertEquals(c.status(), r.status(), c.name() + ": " + r.text());
            assertEquals("application/scim+json", r.header("Content-Type"), c.name());
            JsonNode error = r.json();
            assertEquals("urn:ietf:params:scim:api:messages:2.0:Error", error.path("schemas").path(0).asText());
            assertEquals(Integer.toString(c.status()), error.path("status").asText());
            assertEquals(c.scimType() == null ? "" : c.scimType(), error.path("scimType").asText(""), c.name());
            assertTrue(error.path("detail").asText().length() > 5, "a detail that says why");
            if (c.status() == 401) {
                assertEquals("Bearer realm=\"scim\"", r.header("WWW-Authenticate"));
            }
            assertEquals(List.of(), rig.sandbox.requests().since(before), c.name() + " reached the bridge");
        }));
    }

    static List<Case> cases() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(f -> f.toString().endsWith(".http")).sorted().map(ScimGatewayBadInputTest::parse)
                    .toList();
        }
    }

    private static Case parse(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String name = file.getFileName().toString().replace(".http", "");
            int blank = text.indexOf("\n\n");
            String head = blank < 0 ? text : text.substring(0, blank);
            String body = blank < 0 ? null : text.substring(blank + 2);
            if (body != null && body.endsWith("\n")) {
                body = body.substring(0, body.length() - 1);
            }
            int status = 0;
            String scimType = null;
            String method = null;
            String target = null;
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : head.split("\n")) {
                if (line.startsWith("# expect:")) {
                    String[] e = line.substring("# expect:".length()).trim().split("\\s+");
                    status = Integer.parseInt(e[0]);
                    scimType = e.length > 1 && !e[1].equals("-") ? e[1] : null;
                } else if (line.startsWith("#")) {
                    continue;
                } else if (method == null) {
                    String[] rl = line.split(" ", 2);
                    method = rl[0];
                    target = tokens(rl[1]);
                } else {
                    int c = line.indexOf(':');
                    headers.put(line.substring(0, c).trim(), tokens(line.substring(c + 1).trim()));
                }
            }
            if (status == 0 || method == null) {
                throw new IllegalStateException(file + " lacks '# expect:' or a request line");
            }
            byte[] bytes = body == null ? null : body.equals("{{big-body}}") ? bigBody(1024 * 1024)
                    : body.equals("{{body-over-the-server-limit}}") ? bigBody(4 * 1024 * 1024)
                    : tokens(body).getBytes(StandardCharsets.UTF_8);
            return new Case(name, status, scimType, method, target, headers, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String tokens(String s) {
        return s.replace("{{okta}}", GatewayRig.OKTA).replace("{{entra}}", GatewayRig.ENTRA);
    }

    /** Valid JSON a little over {@code bytes}: only its size is wrong. */
    private static byte[] bigBody(int bytes) {
        String pad = "x".repeat(bytes);
        return ("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"ada@example.com\","
                + "\"title\":\"" + pad + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
