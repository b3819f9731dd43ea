package io.opcamel.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.opcamel.Docs;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, "must show": the scrape endpoint returns the documented metric names after a run. The run command
 * (Camel Main, the sandbox profile) polls the three feeds, serves a gateway call and a lifecycle command and answers
 * a readiness probe; then /observe/metrics on the management port is read and checked against the metrics table
 * (the docs' section "Metrics", docs/operations.md) both ways: every row is served, with its Prometheus type and its
 * labels, and is a meter of that Micrometer name in the context's registry; every onepassword_ series served has a
 * row. The table is parsed from the docs, so the doc and the endpoint cannot drift.
 */
class MetricsEndpointTest {

    /** | `prometheus_name` | `micrometer.name` | type | labels | meaning | */
    private static final Pattern ROW = Pattern.compile(
            "^\\| `([a-z_:0-9]+)` \\| `([a-z0-9.]+)` \\| (counter|gauge|summary) \\| ([^|]*) \\| [^|]+ \\|$",
            Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("`([A-Za-z_][A-Za-z0-9_]*)`");

    record Row(String prometheus, String micrometer, String type, List<String> labels) {
    }

    @Test
    void theScrapeEndpointServesEveryDocumentedMeterAfterARun(@TempDir Path dir) throws Exception {
        List<Row> rows = documentedMeters();
        try (MainRun run = MainRun.start(dir, Map.of("onepassword.events.cron", "0/1 * * * * ?"))) {
            for (String feature : List.of("signinattempts", "itemusages", "auditevents")) {
                Path file = dir.resolve("events").resolve("demo-" + feature + ".ndjson");
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(file) && Files.size(file) > 0);
            }
            HttpResponse<String> users = run.server("GET", "/scim/v2/Users", "sandbox-idp-token-not-a-secret", null);
            assertEquals(200, users.statusCode(), users.body());
            HttpResponse<String> joiner = run.server("POST", "/lifecycle/v1/commands", "sandbox-hr-token-not-a-secret",
                    "{\"requestId\":\"hr-1\",\"type\":\"joiner\",\"email\":\"grace@example.com\",\"givenName\":\"Grace\","
                            + "\"familyName\":\"Hopper\"}");
            assertEquals(200, joiner.statusCode(), joiner.body());
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> run.management("/observe/health/ready").statusCode() == 200);

            HttpResponse<String> scrape = run.management("/observe/metrics");
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                    scrape.headers().toString());
            Scrape served = Scrape.parse(scrape.body());
            MeterRegistry registry = run.main.getCamelContext().getRegistry()
                    .lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);

            List<String> wrong = new ArrayList<>();
            for (Row r : rows) {
                String type = served.types.get(r.prometheus());
                if (type == null) {
                    wrong.add(r.prometheus() + ": not served");
                    continue;
                }
                if (!type.equals(r.type())) {
                    wrong.add(r.prometheus() + ": served as " + type + ", documented as " + r.type());
                }
                Set<String> labels = served.labels.getOrDefault(r.type().equals("summary") ? r.prometheus() + "_count"
                        : r.prometheus(), Map.of()).keySet();
                for (String l : r.labels()) {
                    if (!labels.contains(l)) {
                        wrong.add(r.prometheus() + ": no label " + l + " (served: " + labels + ")");
                    }
                }
                if (registry.find(r.micrometer()).meters().isEmpty()) {
                    wrong.add(r.prometheus() + ": no meter named " + r.micrometer() + " in the registry");
                }
            }
            Set<String> documented = new HashSet<>();
            rows.forEach(r -> documented.add(r.prometheus()));
            for (String name : new TreeSet<>(served.types.keySet())) {
                boolean summaryMax = name.endsWith("_max") && "summary".equals(served.types.get(
                        name.substring(0, name.length() - "_max".length())));
                // reconciliation (issue 6) and the normalised output (issue 17, a meter that exists once an event could
                // not be placed) document their own meters in their own sections
                if (name.startsWith("onepassword_") && !name.startsWith("onepassword_reconcile_")
                        && !name.startsWith("onepassword_events_unmapped_") && !summaryMax
                        && !documented.contains(name)) {
                    wrong.add(name + ": served but not in the documented metrics table");
                }
            }
            assertEquals(List.of(), wrong, "documented metrics table vs " + "/observe/metrics");

            // and the run shows in them
            for (String feature : List.of("signinattempts", "itemusages", "auditevents")) {
                assertTrue(served.value("onepassword_events_delivered_events_total", Map.of("account", "demo",
                        "feature", feature)) > 0, feature + " delivered events");
            }
            assertEquals(1.0, served.value("onepassword_scim_bridge_version_ok", Map.of()));
            assertEquals(1.0, served.value("onepassword_scim_bridge_version_info", Map.of("version", "2.9.16")));
            assertEquals(1.0, served.value("onepassword_lifecycle_commands_total", Map.of("type", "joiner",
                    "outcome", "applied", "channel", "rest")));
            assertTrue(served.value("camel_exchanges_total", Map.of("routeId", "poll-demo-auditevents")) > 0);

            // JMX keeps MBeans for the context and routes only (camel.main.jmx-management-m-beans-level): one per
            // step of every feed route took about 6 MiB of heap per account (ManyAccountsBench)
            var agent = run.main.getCamelContext().getManagementStrategy().getManagementAgent();
            assertEquals(org.apache.camel.ManagementMBeansLevel.RoutesOnly, agent.getMBeansLevel());
            assertTrue(agent.getMBeanServer().queryNames(new javax.management.ObjectName(
                    "org.apache.camel:type=processors,*"), null).isEmpty(), "no MBean for a route's step");
            assertFalse(agent.getMBeanServer().queryNames(new javax.management.ObjectName(
                    "org.apache.camel:type=routes,*"), null).isEmpty(), "the routes' MBeans are there");
        }
    }

    /** The rows of the docs' "Metrics" table. */
    static List<Row> documentedMeters() throws Exception {
        Matcher m = ROW.matcher(Docs.section("Metrics"));
        List<Row> rows = new ArrayList<>();
        while (m.find()) {
            List<String> labels = new ArrayList<>();
            Matcher l = LABEL.matcher(m.group(4));
            while (l.find()) {
                labels.add(l.group(1));
            }
            rows.add(new Row(m.group(1), m.group(2), m.group(3), labels));
        }
        assertTrue(rows.size() >= 20, "the documented metrics table was not read: " + rows.size() + " rows");
        assertFalse(rows.stream().map(Row::prometheus).distinct().count() < rows.size(), "a meter is listed twice");
        return rows;
    }
}
