package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.sandbox.LoggedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The building blocks are a versioned interface (the docs' section "Building blocks", docs/building-blocks.md): its
 * table of each route template is its declaration in routes/ (parameter, default, description), the parameters of
 * the interface version it names are all still there and no new one is required, and the documented direct:
 * endpoints exist. The bridge call is also used the way the docs say, from YAML, against the sandbox's bridge.
 */
class BuildingBlocksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TEMPLATE = Pattern.compile("^### `([a-z0-9-]+)`$", Pattern.MULTILINE);
    private static final Pattern VERSION = Pattern.compile("\\*\\*interface version (\\d+)\\*\\*");
    private static final Pattern ENDPOINT = Pattern.compile("^\\| `(direct:[a-z0-9-]+)` \\|", Pattern.MULTILINE);
    @RegisterExtension
    static final SandboxExtension SANDBOX = SandboxExtension.finite(10);

    @Test
    void theReadmeTablesAreTheTemplatesDeclarationsAndTheVersionsParametersAreKept(@TempDir Path dir) throws Exception {
        String section = Docs.section("Building blocks");
        DefaultCamelContext context = loaded(dir);
        try {
            Map<String, RouteTemplateDefinition> templates = new TreeMap<>();
            for (RouteTemplateDefinition t : ((ModelCamelContext) context).getRouteTemplateDefinitions()) {
                templates.put(t.getId(), t);
            }
            Map<String, String> documented = tables(section);
            assertEquals(templates.keySet(), documented.keySet(), "templates in routes/ vs the docs' ### sections");
            for (RouteTemplateDefinition t : templates.values()) {
                String expected = table(t);
                assertEquals(expected, documented.get(t.getId()), "the docs' table of " + t.getId()
                        + " differs from its declaration in routes/; the declaration renders as:\n" + expected);
            }

            Matcher v = VERSION.matcher(section);
            assertTrue(v.find(), "the docs name the interface version");
            Path versionFile = Path.of("src/test/resources/building-blocks/interface-v" + v.group(1) + ".txt");
            assertTrue(Files.exists(versionFile), "the parameters of interface version " + v.group(1) + ": " + versionFile);
            for (String line : Files.readAllLines(versionFile)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String id = line.substring(0, line.indexOf(':')).trim();
                Set<String> kept = new TreeSet<>(List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s*,\\s*")));
                RouteTemplateDefinition t = templates.get(id);
                assertTrue(t != null, "interface version " + v.group(1) + " has template " + id + ": it is gone");
                Set<String> declared = new TreeSet<>();
                t.getTemplateParameters().forEach(p -> declared.add(p.getName()));
                assertTrue(declared.containsAll(kept), id + " lost parameters of interface version " + v.group(1)
                        + ": it declares " + declared + ", the version has " + kept);
                for (RouteTemplateParameterDefinition p : t.getTemplateParameters()) {
                    assertTrue(kept.contains(p.getName()) || p.getDefaultValue() != null, id + " parameter "
                            + p.getName() + " is new and required: existing instances would break (a new version)");
                }
            }

            Matcher e = ENDPOINT.matcher(section);
            int endpoints = 0;
            while (e.find()) {
                String uri = e.group(1);
                assertTrue(context.getRoutes().stream().anyMatch(r -> r.getEndpoint().getEndpointUri()
                        .equals(uri.replace("direct:", "direct://"))), "no route consumes " + uri);
                endpoints++;
            }
            assertTrue(endpoints >= 2, "the docs' endpoints table");
        } finally {
            context.stop();
        }
    }

    @Test
    void scimBridgeRequestCallsTheBridgeFromYaml(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("my-bridge-calls.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: scim-bridge-request
                    routeId: create-user
                    parameters:
                      - {name: from, value: "direct:create-user"}
                      - {name: method, value: POST}
                      - {name: path, value: /Users}
                - templatedRoute:
                    routeTemplateRef: scim-bridge-request
                    routeId: find-user
                    parameters:
                      - {name: from, value: "direct:find-user"}
                      - {name: path, value: '/Users?filter=userName eq "${header.email}"'}
                - templatedRoute:
                    routeTemplateRef: scim-bridge-request
                    routeId: get-user
                    parameters:
                      - {name: from, value: "direct:get-user"}
                      - {name: path, value: "/Users/${header.userId}"}
                """);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("onepassword.data-dir", dir.toString());
        props.put("onepassword.scim.bridge.url", SANDBOX.get().bridgeUrl());
        props.put("onepassword.scim.bridge.token", SANDBOX.get().bridgeToken());
        try (BundleHarness bundle = BundleHarness.start(props, dir, false,
                ctx -> OnePasswordBundle.loadRoutes(ctx, "file:" + dir + "/*.camel.yaml"))) {
            ProducerTemplate calls = bundle.context.createProducerTemplate();
            Exchange created = calls.request("direct:create-user", x -> x.getMessage().setBody("""
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada+lovelace@example.com",
                     "name":{"givenName":"Ada","familyName":"Lovelace"},
                     "emails":[{"value":"ada+lovelace@example.com","primary":true}]}"""));
            assertEquals(201, created.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
            String id = JSON.readTree(created.getMessage().getBody(String.class)).path("id").asText();
            assertTrue(!id.isEmpty());

            Exchange found = calls.request("direct:find-user", x -> x.getMessage().setHeader("email",
                    "ada+lovelace@example.com"));
            assertEquals(200, found.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
            JsonNode page = JSON.readTree(found.getMessage().getBody(String.class));
            assertEquals(1, page.path("Resources").size(), page.toString());
            assertEquals(id, page.path("Resources").get(0).path("id").asText());
            List<LoggedRequest> lookups = SANDBOX.get().requests().matching(r -> r.method().equals("GET")
                    && r.query() != null && r.query().startsWith("filter="));
            assertEquals("filter=userName%20eq%20%22ada%2Blovelace%40example.com%22", lookups.get(lookups.size() - 1)
                    .query(), "the filter's value is percent-encoded once");

            Exchange got = calls.request("direct:get-user", x -> x.getMessage().setHeader("userId", id));
            assertEquals(200, got.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
            assertEquals("ada+lovelace@example.com", JSON.readTree(got.getMessage().getBody(String.class))
                    .path("userName").asText());
            Exchange missing = calls.request("direct:get-user", x -> x.getMessage().setHeader("userId", "nobody"));
            assertEquals(404, missing.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE), "an answer, not an error");
            assertTrue(missing.getException() == null);
        }
    }

    /** The docs' table under each "### `template`" heading of the section, as text. */
    private static Map<String, String> tables(String section) {
        Map<String, String> out = new TreeMap<>();
        Matcher m = TEMPLATE.matcher(section);
        List<int[]> spans = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
            spans.add(new int[] {m.end(), 0});
        }
        for (int i = 0; i < ids.size(); i++) {
            int end = section.indexOf("\n### ", spans.get(i)[0]);
            String body = section.substring(spans.get(i)[0], end < 0 ? section.length() : end);
            StringBuilder table = new StringBuilder();
            body.lines().filter(l -> l.startsWith("|")).forEach(l -> table.append(l).append('\n'));
            out.put(ids.get(i), table.toString());
        }
        return out;
    }

    /** A template's declaration rendered as the docs show it. */
    private static String table(RouteTemplateDefinition t) {
        StringBuilder out = new StringBuilder("| Parameter | Default | Meaning |\n|---|---|---|\n");
        for (RouteTemplateParameterDefinition p : t.getTemplateParameters()) {
            out.append("| `").append(p.getName()).append("` | ")
                    .append(p.getDefaultValue() == null ? "*(required)*" : "`" + p.getDefaultValue() + "`")
                    .append(" | ").append(p.getDescription()).append(" |\n");
        }
        return out.toString();
    }

    /** The bundle's routes and templates in a context that starts nothing. */
    private static DefaultCamelContext loaded(Path dir) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties p = new Properties();
        p.setProperty("onepassword.events.accounts", "demo");
        p.setProperty("onepassword.events.demo.token", TestTokens.allFeatures());
        p.setProperty("onepassword.data-dir", dir.toString());
        context.getPropertiesComponent().setInitialProperties(p);
        context.setAutoStartup(false);
        OnePasswordBundle.install(context);
        context.start();
        return context;
    }
}
