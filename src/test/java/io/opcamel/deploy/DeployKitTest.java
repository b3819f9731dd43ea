package io.opcamel.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.opcamel.health.MainRun;
import io.opcamel.health.Scrape;
import io.opcamel.OnePasswordMain;
import io.opcamel.config.ConfigReadByCodeTest;
import io.opcamel.config.SecretKeys;
import io.opcamel.config.Secrets;
import io.opcamel.events.EventPage;
import io.opcamel.sink.EventRecords;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.camel.catalog.DefaultCamelCatalog;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainConfigurationProperties;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The operator's kit in deploy/ (issue 18, point 9) against the bundle itself, so that neither can drift from the
 * other: the Kubernetes manifests are valid objects of their kinds; their probes and ports are the ones the bundle
 * serves (Camel Main's management defaults and config/application.properties, then asked of a running bundle); every
 * {@code onepassword.*} key and {@code ONEPASSWORD_*} variable named anywhere in deploy/ is a key of the README's
 * Configuration table; every secret comes from the Secret, never as a literal; the Role grants what Kubernetes feed
 * leadership needs. The Prometheus rules and the Grafana dashboard are well formed, and every metric, label and
 * label value their PromQL names is served by a running bundle (the run command's sandbox, with the traffic that
 * makes each series exist: a gateway call, a lifecycle command, a failed reconciliation, an event the OCSF mapping
 * cannot place, a sink that fails, 429s from the Events API).
 */
class DeployKitTest {

    private static final Path DEPLOY = Path.of("deploy");
    private static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
    private static final Path RULES = DEPLOY.resolve("prometheus/onepassword-bundle.rules.yml");
    private static final Path DASHBOARD = DEPLOY.resolve("grafana/onepassword-bundle.dashboard.json");
    /** The external properties file's key in the ConfigMap (the Deployment points ONEPASSWORD_CONFIG at it). */
    private static final String PROPERTIES_KEY = "application.properties";
    /** README "Configuration": "Per-account keys are shown for an account named acme". */
    private static final String README_ACCOUNT = "acme";
    /** Series Prometheus makes itself for every target, not the bundle: their labels are the target's. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    private static final ObjectMapper JSON = new ObjectMapper();

    // ------------------------------------------------------------------------------------------------ Kubernetes

    @Test
    void theManifestsAreValidKubernetesObjectsOfEveryKindTheKitNeeds() throws Exception {
        List<Doc> docs = manifests();
        Set<String> kinds = new TreeSet<>();
        docs.forEach(d -> kinds.add(d.kind()));
        assertTrue(kinds.containsAll(Set.of("Deployment", "Service", "ServiceAccount", "Role", "RoleBinding",
                "ConfigMap", "Secret", "PodDisruptionBudget", "Kustomization")), "kinds: " + kinds);

        // typed by the Kubernetes model the bundle's own client uses: a misspelt field lands in additionalProperties
        KubernetesSerialization k8s = new KubernetesSerialization();
        List<String> unknown = new ArrayList<>();
        for (Doc d : docs) {
            if (d.kind().equals("Kustomization")) {
                continue;
            }
            Object typed = k8s.unmarshal(JSON.writeValueAsString(d.map()));
            assertFalse(typed.getClass().getSimpleName().startsWith("Generic"), d + " is not a known kind");
            unknownFields(typed, d + " ", unknown);
        }
        assertEquals(List.of(), unknown, "fields the Kubernetes API does not have");

        Set<String> namespaces = new TreeSet<>();
        docs.stream().filter(d -> !d.kind().equals("Kustomization")).forEach(d -> namespaces.add(d.namespace()));
        assertEquals(1, namespaces.size(), "one namespace for every object: " + namespaces);

        // kubectl apply -k applies every manifest but the Secret's placeholders
        Map<String, Object> kustomization = one(docs, "Kustomization", null).map();
        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(KUBERNETES)) {
            s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
                    .forEach(files::add);
        }
        Set<String> secretFiles = new TreeSet<>();
        docs.stream().filter(d -> d.kind().equals("Secret")).forEach(d -> secretFiles.add(d.file().getFileName()
                .toString()));
        files.removeAll(secretFiles);
        assertEquals(files, new TreeSet<>(list(kustomization.get("resources"))), "kustomization.yaml's resources");

        // the Deployment's selector picks its pods; each Service picks them too, on a port the container has
        Map<String, Object> deployment = one(docs, "Deployment", null).map();
        Map<String, Object> podLabels = map(path(deployment, "spec", "template", "metadata", "labels"));
        assertTrue(podLabels.entrySet().containsAll(map(path(deployment, "spec", "selector", "matchLabels"))
                .entrySet()), "the Deployment's selector matches its pods");
        Map<String, Integer> containerPorts = containerPorts(container(deployment));
        for (Doc s : docs.stream().filter(d -> d.kind().equals("Service")).toList()) {
            assertTrue(podLabels.entrySet().containsAll(map(path(s.map(), "spec", "selector")).entrySet()),
                    s + " selects the bundle's pods");
            for (Object p : list(path(s.map(), "spec", "ports"))) {
                assertNotNull(port(map(p).get("targetPort"), containerPorts), s + ": targetPort " + p);
            }
        }
    }

    @Test
    void theContainerRunsTheJarOfTheDistArchive() throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile())
                .getDocumentElement();
        String artifact = child(project, "artifactId") + "-" + child(project, "version");
        Map<String, Object> c = container(one(manifests(), "Deployment", null).map());
        List<Object> command = list(c.get("command"));
        assertEquals("java", command.get(0));
        int jar = command.indexOf("-jar");
        assertTrue(jar > 0, "java -jar: " + command);
        assertEquals(artifact + ".jar", command.get(jar + 1), "the jar mvn package builds");
        // the -dist.tar.gz unpacks to <artifact>/ with the jar and its lib/, which the manifest's Class-Path names
        assertTrue(String.valueOf(c.get("workingDir")).endsWith("/" + artifact), "workingDir " + c.get("workingDir"));
    }

    @Test
    void theProbesAndPortsAreTheOnesTheBundleServes() throws Exception {
        Kit kit = Kit.load();
        Map<String, Object> c = container(kit.deployment);
        Map<String, Integer> ports = containerPorts(c);
        int management = Integer.parseInt(kit.effective("camel.management.port"));
        int server = Integer.parseInt(kit.effective("camel.server.port"));
        assertTrue(ports.containsValue(management) && ports.containsValue(server), "container ports " + ports);

        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            Map<String, Object> get = map(path(c, probe, "httpGet"));
            assertEquals(probe.equals("readinessProbe") ? kit.readyPath() : kit.livePath(), get.get("path"), probe);
            assertEquals(management, port(get.get("port"), ports), probe + " on the management port");
        }
        // a Prometheus that discovers pods by their annotations scrapes the bundle's metrics path and port
        Map<String, Object> annotations = map(path(kit.deployment, "spec", "template", "metadata", "annotations"));
        assertEquals(kit.metricsPath(), annotations.get("prometheus.io/path"));
        assertEquals(Integer.toString(management), annotations.get("prometheus.io/port"));

        // both of the bundle's ports have a Service
        Set<Integer> exposed = new TreeSet<>();
        for (Doc s : kit.docs.stream().filter(d -> d.kind().equals("Service")).toList()) {
            list(path(s.map(), "spec", "ports")).forEach(p -> exposed.add(port(map(p).get("targetPort"), ports)));
        }
        assertEquals(Set.of(management, server), exposed, "the Services' target ports");

        // a SIGTERM lets each feed finish its page: Kubernetes must wait longer than the bundle's shutdown
        int grace = ((Number) path(kit.deployment, "spec", "template", "spec", "terminationGracePeriodSeconds"))
                .intValue();
        assertTrue(grace > Integer.parseInt(kit.effective("camel.main.shutdown-timeout")),
                "terminationGracePeriodSeconds " + grace);
    }

    @Test
    void theRootFileSystemIsReadOnlyAndEveryFolderTheBundleWritesIsAnEmptyDir() throws Exception {
        Kit kit = Kit.load();
        Map<String, Object> pod = map(path(kit.deployment, "spec", "template", "spec"));
        Map<String, Object> c = container(kit.deployment);
        assertEquals(Boolean.TRUE, path(pod, "securityContext", "runAsNonRoot"));
        assertTrue(((Number) path(pod, "securityContext", "runAsUser")).intValue() > 0, "a non-root uid");
        assertEquals(Boolean.TRUE, path(c, "securityContext", "readOnlyRootFilesystem"));
        assertEquals(Boolean.FALSE, path(c, "securityContext", "allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), path(c, "securityContext", "capabilities", "drop"));

        Set<String> emptyDirs = new TreeSet<>();
        for (Object v : list(pod.get("volumes"))) {
            if (map(v).containsKey("emptyDir")) {
                emptyDirs.add((String) map(v).get("name"));
            }
        }
        List<String> writable = new ArrayList<>();
        for (Object m : list(c.get("volumeMounts"))) {
            if (emptyDirs.contains(map(m).get("name")) && !Boolean.TRUE.equals(map(m).get("readOnly"))) {
                writable.add((String) map(m).get("mountPath"));
            }
        }
        // the folders the bundle writes: onepassword.data-dir (the defaults of every other folder key are under it)
        // and any such key the kit sets; the JVM's tmpdir (Vert.x's cache, Kafka's compression libraries)
        List<String> written = new ArrayList<>();
        written.add(kit.effective("onepassword.data-dir"));
        kit.properties.stringPropertyNames().stream()
                .filter(k -> k.startsWith("onepassword.") && (k.endsWith(".dir") || k.endsWith(".root")))
                .forEach(k -> written.add(kit.properties.getProperty(k)));
        String tmp = "/tmp";
        for (Object arg : list(c.get("command"))) {
            if (String.valueOf(arg).startsWith("-Djava.io.tmpdir=")) {
                tmp = String.valueOf(arg).substring("-Djava.io.tmpdir=".length());
            }
        }
        written.add(tmp);
        for (String folder : written) {
            assertTrue(folder.startsWith("/"), folder + ": the working folder is in the read-only image");
            assertTrue(writable.stream().anyMatch(m -> folder.equals(m) || folder.startsWith(m + "/")),
                    folder + " is written by the bundle but is on no writable emptyDir: " + writable);
        }

        // ONEPASSWORD_CONFIG names the ConfigMap's properties file where the Deployment mounts it
        String config = kit.env.get(OnePasswordMain.CONFIG_ENV).literal();
        String configVolume = null;
        for (Object v : list(pod.get("volumes"))) {
            if (kit.configMapName.equals(path(v, "configMap", "name"))) {
                configVolume = (String) map(v).get("name");
            }
        }
        String volume = configVolume;
        assertTrue(list(c.get("volumeMounts")).stream().map(DeployKitTest::map).anyMatch(m -> volume != null
                && volume.equals(m.get("name")) && config.equals(m.get("mountPath") + "/" + PROPERTIES_KEY)
                && Boolean.TRUE.equals(m.get("readOnly"))), OnePasswordMain.CONFIG_ENV + "=" + config
                + " is the ConfigMap's " + PROPERTIES_KEY + ", mounted read-only");
    }

    @Test
    void everyKeyAndVariableTheKitNamesIsARealConfigurationKey() throws Exception {
        Kit kit = Kit.load();
        List<String> wrong = new ArrayList<>();
        for (String key : kit.properties.stringPropertyNames()) {
            if (!kit.isKey(key)) {
                wrong.add("configmap.yaml " + PROPERTIES_KEY + ": " + key);
            }
        }
        for (String name : kit.env.keySet()) {
            if (!name.equals(OnePasswordMain.CONFIG_ENV) && kit.keyOfEnv(name) == null) {
                wrong.add("deployment.yaml env: " + name);
            }
        }
        // free text too: comments, descriptions, the README of the kit
        Pattern dotted = Pattern.compile("(?<![\\w.\\-])onepassword(?:\\.[a-z0-9][a-z0-9\\-]*)+(\\.\\*)?");
        Pattern env = Pattern.compile("(?<![A-Za-z0-9_])ONEPASSWORD_[A-Z0-9_]+");
        int named = 0;
        try (Stream<Path> s = Files.walk(DEPLOY)) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                String text = Files.readString(f);
                Matcher m = dotted.matcher(text);
                while (m.find()) {
                    named++;
                    String key = m.group().replaceFirst("\\.\\*$", "");
                    boolean ok = m.group(1) != null ? kit.realKeys.stream().anyMatch(k -> k.startsWith(key + "."))
                            : kit.realKeys.contains(key);
                    if (!ok) {
                        wrong.add(f + ": " + m.group());
                    }
                }
                m = env.matcher(text);
                while (m.find()) {
                    named++;
                    String name = m.group();
                    // ONEPASSWORD_EVENTS_<ACCOUNT>_TOKEN names a pattern: its fixed part must begin a real one
                    boolean ok = name.endsWith("_") ? kit.realKeys.stream().anyMatch(k -> Secrets.envName(k)
                            .startsWith(name)) : name.equals(OnePasswordMain.CONFIG_ENV) || kit.keyOfEnv(name) != null;
                    if (!ok) {
                        wrong.add(f + ": " + name);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong, "not configuration keys of the bundle (README \"Configuration\")");
        assertTrue(named > 40 && kit.properties.size() > 10, "the scan found the kit's keys: " + named);
    }

    @Test
    void everySecretComesFromTheSecretAndNeverAsALiteral() throws Exception {
        Kit kit = Kit.load();
        Doc secret = one(kit.docs, "Secret", null);
        assertFalse(secret.map().containsKey("data"), "a template: stringData placeholders, no encoded values");
        Map<String, Object> values = map(secret.map().get("stringData"));
        for (Map.Entry<String, Object> v : values.entrySet()) {
            assertTrue(String.valueOf(v.getValue()).contains("REPLACE_ME"), v.getKey() + " must be a placeholder");
        }

        List<String> wrong = new ArrayList<>();
        Set<String> given = new TreeSet<>();
        Set<String> referenced = new TreeSet<>();
        for (Map.Entry<String, EnvVar> e : kit.env.entrySet()) {
            EnvVar v = e.getValue();
            if (v.secretName() != null) {
                referenced.add(v.secretKey());
                if (!v.secretName().equals(secret.name()) || !values.containsKey(v.secretKey())) {
                    wrong.add(e.getKey() + " refers to " + v.secretName() + "/" + v.secretKey()
                            + ", not in the Secret");
                }
            }
            String key = kit.keyOfEnv(e.getKey());
            if (key != null && SecretKeys.isSecret(key)) {
                if (v.secretName() == null) {
                    wrong.add(e.getKey() + " (" + key + ") is a secret given as a literal");
                } else {
                    given.add(key);
                }
            }
        }
        // README "Deploying": tokens never go in a properties file; a secret's -file names where it is instead
        for (String key : kit.properties.stringPropertyNames()) {
            if (SecretKeys.isSecret(key)) {
                wrong.add(key + " is a secret in the ConfigMap");
            } else if (key.endsWith("-file") && SecretKeys.isSecret(key.replaceFirst("-file$", ""))) {
                given.add(key.replaceFirst("-file$", ""));
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(values.keySet(), referenced, "every key of the Secret is given to the bundle");

        // and every secret the kit's switches call for is given (the bundle refuses to start without them)
        Set<String> needed = new TreeSet<>();
        kit.accounts.forEach(a -> needed.add("onepassword.events." + a + ".token"));
        if (kit.bool("onepassword.scim.gateway.enabled")) {
            needed.addAll(List.of("onepassword.scim.gateway.tokens", "onepassword.scim.bridge.token"));
        }
        if (kit.bool("onepassword.lifecycle.enabled")) {
            needed.add("onepassword.lifecycle.tokens");
        }
        if (kit.bool("onepassword.reconcile.enabled")) {
            needed.add("onepassword.reconcile.tokens");
        }
        if (kit.effective("camel.component.kafka.sasl-mechanism") != null) {
            needed.add("camel.component.kafka.sasl-jaas-config");
        }
        needed.removeAll(given);
        assertEquals(Set.of(), needed, "secrets the configuration needs but the Deployment does not give");
    }

    @Test
    void kubernetesFeedLeadershipHasTheRbacItNeeds() throws Exception {
        Kit kit = Kit.load();
        // the kit runs replicas that share the feeds, so leadership must be on (FeedLeadership: Kubernetes Leases)
        assertEquals("kubernetes", kit.effective("onepassword.cluster.service"));
        // FeedLeadership refuses to start without the shared stores
        assertEquals("kafka", kit.effective("onepassword.events.cursor.store"));
        assertEquals("kafka", kit.effective("onepassword.events.dedupe.store"));

        Map<String, Object> pod = map(path(kit.deployment, "spec", "template", "spec"));
        String account = (String) pod.get("serviceAccountName");
        assertNotNull(account, "the pods run as the kit's ServiceAccount");
        assertNotEquals(Boolean.FALSE, pod.get("automountServiceAccountToken"), "the Leases need the pod's token");
        one(kit.docs, "ServiceAccount", account);
        String namespace = one(kit.docs, "Deployment", null).namespace();
        Doc binding = kit.docs.stream().filter(d -> d.kind().equals("RoleBinding") && list(d.map().get("subjects"))
                .stream().map(DeployKitTest::map).anyMatch(s -> "ServiceAccount".equals(s.get("kind"))
                        && account.equals(s.get("name")) && namespace.equals(s.get("namespace"))))
                .findFirst().orElseThrow(() -> new AssertionError("no RoleBinding for ServiceAccount " + account));
        Map<String, Object> ref = map(binding.map().get("roleRef"));
        assertEquals("Role", ref.get("kind"));
        Doc role = one(kit.docs, "Role", (String) ref.get("name"));
        assertEquals(namespace, role.namespace(), "the Leases are in the pod's namespace");
        // camel-kubernetes: get, create and update each feed's Lease; list the pods to know the Ready members
        assertTrue(grants(role, "coordination.k8s.io", "leases", Set.of("get", "create", "update")), role + " leases");
        assertTrue(grants(role, "", "pods", Set.of("list")), role + " pods");
    }

    // ------------------------------------------------------------------------------------ Prometheus and Grafana

    @Test
    void theRuleFileIsWellFormedAndCoversWhatAnOperatorWatches() throws Exception {
        Set<String> names = new TreeSet<>();
        Set<String> metrics = new TreeSet<>();
        for (Expression e : ruleExpressions()) {
            metrics.addAll(e.query().metrics());
        }
        Map<String, Object> root = map(yaml().load(Files.readString(RULES)));
        assertEquals(Set.of("groups"), root.keySet());
        for (Object g : list(root.get("groups"))) {
            assertTrue(String.valueOf(map(g).get("name")).matches("[a-z][a-z0-9-]+"), "group " + map(g).get("name"));
            for (Object r : list(map(g).get("rules"))) {
                Map<String, Object> rule = map(r);
                String alert = (String) rule.get("alert");
                assertTrue(alert != null && alert.matches("[A-Z][A-Za-z0-9]+") && names.add(alert), "alert " + alert);
                assertTrue(Set.of("alert", "expr", "for", "labels", "annotations").containsAll(rule.keySet()),
                        alert + ": " + rule.keySet());
                assertTrue(rule.get("expr") instanceof String s && !s.isBlank(), alert + " expr");
                assertTrue(!rule.containsKey("for")
                        || String.valueOf(rule.get("for")).matches("([0-9]+(ms|s|m|h|d|w|y))+"),
                        alert + " for: " + rule.get("for"));
                assertTrue(Set.of("critical", "warning", "info").contains(map(rule.get("labels")).get("severity")),
                        alert + " severity");
                Map<String, Object> annotations = map(rule.get("annotations"));
                for (String a : List.of("summary", "description")) {
                    assertTrue(annotations.get(a) instanceof String s && !s.isBlank(), alert + " " + a);
                }
            }
        }
        assertTrue(metrics.containsAll(Set.of("onepassword_events_last_success_seconds",
                "onepassword_events_cursor_lag_seconds", "onepassword_events_api_responses_total",
                "resilience4j_circuitbreaker_state", "camel_exchanges_failed_total",
                "onepassword_scim_gateway_requests_total", "onepassword_lifecycle_commands_total",
                "onepassword_reconcile_drift", "onepassword_events_unmapped_events_total", "up")),
                "the alerts watch feed freshness and lag, 429s, the breaker, sink failures, the gateway, lifecycle, "
                        + "reconciliation, unmapped events and the instances: " + metrics);
    }

    @Test
    void theDashboardIsWellFormedAndShowsWhatAnOperatorWatches() throws Exception {
        JsonNode d = JSON.readTree(DASHBOARD.toFile());
        assertTrue(d.path("schemaVersion").asInt() >= 36, "schemaVersion " + d.path("schemaVersion"));
        assertFalse(d.path("uid").asText().isBlank() || d.path("title").asText().isBlank());
        JsonNode source = null;
        for (JsonNode v : d.path("templating").path("list")) {
            if (v.path("type").asText().equals("datasource")) {
                source = v;
            }
        }
        assertNotNull(source, "a data source variable");
        assertEquals("prometheus", source.path("query").asText());
        String uid = "${" + source.path("name").asText() + "}";
        Set<Integer> ids = new TreeSet<>();
        int panels = 0;
        for (JsonNode p : d.path("panels")) {
            assertTrue(ids.add(p.path("id").asInt()), "panel ids are unique: " + p.path("id"));
            assertTrue(p.path("gridPos").has("w") && p.path("gridPos").has("h"), p.path("title") + " gridPos");
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            panels++;
            assertEquals(uid, p.path("datasource").path("uid").asText(), p.path("title") + ": its data source");
            assertTrue(p.path("targets").size() > 0, p.path("title") + ": targets");
            for (JsonNode t : p.path("targets")) {
                assertFalse(t.path("expr").asText().isBlank(), p.path("title") + " " + t.path("refId"));
                assertEquals(uid, t.path("datasource").path("uid").asText(), p.path("title") + " " + t.path("refId"));
            }
        }
        assertTrue(panels >= 10, panels + " panels");
        Set<String> metrics = new TreeSet<>();
        for (Expression e : dashboardExpressions()) {
            metrics.addAll(e.query().metrics());
        }
        assertTrue(metrics.containsAll(Set.of("onepassword_events_cursor_lag_seconds",
                "onepassword_events_delivered_events_total", "onepassword_events_api_responses_total",
                "resilience4j_circuitbreaker_state", "onepassword_scim_gateway_requests_total",
                "onepassword_lifecycle_commands_total", "onepassword_reconcile_drift",
                "onepassword_events_unmapped_events_total")),
                "the panels show lag and throughput, 429s and the breaker, the gateway, lifecycle, drift and "
                        + "unmapped events: " + metrics);
    }

    @Test
    void thePromqlScanFindsMetricsLabelsAndNothingElse() {
        PromQl q = PromQl.scan("sum by (account, feature) (rate(onepassword_events_fetched_events_total{"
                + "status=~\"5..\", account=\"$account\"}[$__rate_interval] offset 5m))"
                + " / on (account) group_left max without (x) (a:recorded_total) > 0.05"
                + " and absent(up{job=\"j\"} == 1) or time() - m_seconds > 1h30m"
                + " unless label_replace(other, \"dst\", \"$1\", \"src\", \"(by|sum)\") # a comment: not_a_metric");
        assertEquals(Set.of("onepassword_events_fetched_events_total", "a:recorded_total", "up", "m_seconds", "other"),
                q.metrics());
        assertEquals(Set.of("account", "feature", "x"), q.grouping);
        Selector first = q.selectors.get(0);
        assertEquals(List.of(new LabelMatcher("status", "=~", "5.."), new LabelMatcher("account", "=", "$account")),
                first.matchers());
        assertEquals(List.of(new LabelMatcher("job", "=", "j")), q.selectors.get(2).matchers());
        assertThrows(IllegalArgumentException.class, () -> PromQl.scan("rate(x[5m]"), "unbalanced");
        assertThrows(IllegalArgumentException.class, () -> PromQl.scan("x ! y"), "not PromQL");
        assertEquals(Set.of("onepassword_events_pages_total"),
                labelValues("label_values(onepassword_events_pages_total, account)").query().metrics());
    }

    // ----------------------------------------------------------------------------------------- the running bundle

    /**
     * The run command's bundle (Camel Main, the sandbox profile, as MetricsEndpointTest starts it): the kit's probe
     * paths answer on its management port, and every metric, label and label value the rules and the dashboard
     * name is in its /observe/metrics. Series that exist only once something happened are made to happen, each by
     * the bundle's own code path; the failing sink also shows that the delivery-failure alert's series moves.
     */
    @Test
    void theBundleServesTheKitsProbesAndEveryMetricItNames(@TempDir Path dir) throws Exception {
        Kit kit = Kit.load();
        Properties sandbox = properties(Path.of("config/application-sandbox.properties"));
        Properties defaults = properties(Path.of("config/application.properties"));
        try (MainRun run = MainRun.start(dir, Map.of("onepassword.events.cron", "0/1 * * * * ?"))) {
            Main main = run.main;
            int sandboxPort = run.sandboxPort;
            String management = "http://127.0.0.1:" + run.managementPort;
            String server = "http://127.0.0.1:" + run.serverPort;
            // the probes: liveness (and the startup probe, the same path) at once, readiness once the feeds polled
            HttpResponse<String> live = send("GET", management + kit.livePath(), null, null);
            assertEquals(200, live.statusCode(), kit.livePath() + ": " + live.body());
            assertEquals("UP", JSON.readTree(live.body()).path("status").asText(), live.body());
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> send("GET", management + kit.readyPath(), null, null).statusCode() == 200);
            assertEquals(200, send("GET", management + kit.metricsPath(), null, null).statusCode(), kit.metricsPath());

            // the SCIM gateway and a lifecycle command: their counters
            HttpResponse<String> users = send("GET", server + defaults.getProperty("onepassword.scim.gateway.base-path")
                    + "/Users", token(sandbox, "onepassword.scim.gateway.tokens"), null);
            assertEquals(200, users.statusCode(), users.body());
            String lifecycle = server + defaults.getProperty("onepassword.lifecycle.base-path");
            HttpResponse<String> joiner = send("POST", lifecycle + "/commands", token(sandbox,
                    "onepassword.lifecycle.tokens"), "{\"requestId\":\"deploy-kit-1\",\"type\":\"joiner\","
                            + "\"email\":\"grace@example.com\",\"givenName\":\"Grace\",\"familyName\":\"Hopper\"}");
            assertEquals(200, joiner.statusCode(), joiner.body());
            // a reconciliation without its desired state: a failed run
            HttpResponse<String> reconcile = send("POST", lifecycle + "/reconcile", token(sandbox,
                    "onepassword.reconcile.tokens"), null);
            assertEquals(500, reconcile.statusCode(), reconcile.body());
            // an event the OCSF mapping cannot place (no timestamp), through the bundle's own EventRecords, which
            // every sink takes its records from: the unmapped meter exists from the first such event
            EventRecords records = main.getCamelContext().getRegistry().lookupByNameAndType("eventRecords",
                    EventRecords.class);
            records.records(new EventPage("deploy-kit", false, List.of(JSON.readTree("{\"uuid\":\"deploy-kit-1\","
                    + "\"category\":\"success\",\"target_user\":{\"uuid\":\"U\"}}"))), "demo", "signinattempts", "ocsf",
                    Instant.now());
            // a sink that fails: the file sink's file becomes a folder, so its next append fails
            Path file = dir.resolve("events").resolve("demo-signinattempts.ndjson");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.isRegularFile(file));
            Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                Files.deleteIfExists(file);
                Files.createDirectory(file); // an append in between makes the file again: then again
                return true;
            });
            awaitSample(management + kit.metricsPath(), "camel_exchanges_failed_total",
                    l -> "deliver-events-page".equals(l.get("routeId")), v -> v > 0);
            // the Events API's budget spent (as by another client of the token): 429s
            HttpResponse<String> limit = send("PUT", "http://127.0.0.1:" + sandboxPort + "/__sandbox/faults/events",
                    null, "{\"rateLimits\":[\"1/3s\"]}");
            assertEquals(200, limit.statusCode(), limit.body());
            awaitSample(management + kit.metricsPath(), "onepassword_events_api_responses_total",
                    l -> "429".equals(l.get("status")), v -> v > 0);

            Scrape served = Scrape.parse(send("GET", management + kit.metricsPath(), null, null).body());
            List<String> wrong = new ArrayList<>();
            List<Expression> expressions = new ArrayList<>(ruleExpressions());
            expressions.addAll(dashboardExpressions());
            Set<String> checked = new TreeSet<>();
            for (Expression e : expressions) {
                check(e, served, wrong);
                checked.addAll(e.query().metrics());
            }
            assertEquals(List.of(), wrong, "the kit's PromQL vs the bundle's " + kit.metricsPath());
            assertTrue(checked.size() > 15, "the scan found the kit's metrics: " + checked);
        }
    }

    /** Every metric of the expression is served, with the labels and label values the expression names. */
    private static void check(Expression e, Scrape served, List<String> wrong) {
        Set<String> labels = new TreeSet<>(TARGET_LABELS);
        for (String m : e.query().metrics()) {
            if (PROMETHEUS_OWN.contains(m)) {
                continue;
            }
            if (!served.labels.containsKey(m)) {
                wrong.add(e.where() + ": " + m + " is not served");
                continue;
            }
            labels.addAll(served.labels.get(m).keySet());
        }
        for (Selector s : e.query().selectors) {
            Map<String, Set<String>> values = served.labels.get(s.metric());
            if (values == null) {
                continue;
            }
            for (LabelMatcher m : s.matchers()) {
                if (!values.containsKey(m.label())) {
                    wrong.add(e.where() + ": " + s.metric() + " has no label " + m.label() + " " + values.keySet());
                } else if (m.op().equals("=") && !m.value().contains("$")
                        && !values.get(m.label()).contains(m.value())) {
                    wrong.add(e.where() + ": " + s.metric() + " has no " + m.label() + "=\"" + m.value() + "\" "
                            + values.get(m.label()));
                }
            }
        }
        for (String l : e.query().grouping) {
            if (!labels.contains(l)) {
                wrong.add(e.where() + ": grouped by " + l + ", a label of none of its metrics " + labels);
            }
        }
        for (String l : e.shownLabels()) {
            if (!labels.contains(l)) {
                wrong.add(e.where() + ": shows label " + l + ", a label of none of its metrics " + labels);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- the kit read

    /** One YAML document of deploy/kubernetes. */
    record Doc(Path file, Map<String, Object> map) {
        String kind() {
            return String.valueOf(map.get("kind"));
        }

        String name() {
            return (String) path(map, "metadata", "name");
        }

        String namespace() {
            return (String) path(map, "metadata", "namespace");
        }

        @Override
        public String toString() {
            return file.getFileName() + " " + kind() + " " + name();
        }
    }

    /** An environment variable of the bundle's container: a literal value, or a Secret's key. */
    record EnvVar(String literal, String secretName, String secretKey) {
    }

    /** A PromQL expression of the kit, where it is, and the labels its legend or annotations show. */
    record Expression(String where, PromQl query, Set<String> shownLabels) {
    }

    /** The kit's configuration as the bundle would read it, and the keys that are real. */
    static final class Kit {
        final List<Doc> docs;
        final Map<String, Object> deployment;
        final String configMapName;
        final Properties properties;
        final Map<String, EnvVar> env = new LinkedHashMap<>();
        final Properties defaults;
        final Set<String> accounts = new TreeSet<>();
        /** The README's keys, the per-account ones for each account the kit configures. */
        final Set<String> realKeys = new TreeSet<>();
        private final Set<String> camelMainOptions = new TreeSet<>();
        private final Map<String, String> kafkaOptions = new TreeMap<>(); // lower case, no dashes -> kebab case

        private Kit(List<Doc> docs) throws Exception {
            this.docs = docs;
            deployment = one(docs, "Deployment", null).map();
            Map<String, Object> c = container(deployment);
            for (Object o : list(c.get("env"))) {
                Map<String, Object> e = map(o);
                Map<String, Object> ref = map(path(e, "valueFrom", "secretKeyRef"));
                env.put((String) e.get("name"), new EnvVar(e.containsKey("value") ? String.valueOf(e.get("value"))
                        : null, (String) ref.get("name"), (String) ref.get("key")));
            }
            assertFalse(c.containsKey("envFrom"), "each variable named, so that each can be checked");
            Doc configMap = one(docs, "ConfigMap", null);
            configMapName = configMap.name();
            properties = new Properties();
            properties.load(new StringReader((String) map(configMap.map().get("data")).get(PROPERTIES_KEY)));
            defaults = properties(Path.of("config/application.properties"));
            String listed = effective("onepassword.events.accounts");
            if (listed != null) {
                for (String a : listed.split(",")) {
                    accounts.add(a.trim());
                }
            }
            String perAccount = "onepassword.events." + README_ACCOUNT + ".";
            for (String k : ConfigReadByCodeTest.documentedKeys()) {
                realKeys.add(k);
                if (k.startsWith(perAccount)) {
                    accounts.forEach(a -> realKeys.add("onepassword.events." + a + "." + k.substring(perAccount
                            .length())));
                }
            }
            DefaultCamelCatalog catalog = new DefaultCamelCatalog();
            JSON.readTree(catalog.mainJsonSchema()).path("properties")
                    .forEach(p -> camelMainOptions.add(p.path("name").asText()));
            JSON.readTree(catalog.componentJSonSchema("kafka")).path("componentProperties").fieldNames()
                    .forEachRemaining(o -> kafkaOptions.put(o.toLowerCase(Locale.ROOT), kebab(o)));
            assertTrue(camelMainOptions.size() > 100 && kafkaOptions.containsKey("sasljaasconfig"), "the catalog");
        }

        static Kit load() throws Exception {
            return new Kit(manifests());
        }

        /** A literal environment variable, then the ConfigMap's properties, then the jar's defaults, then Camel's. */
        String effective(String key) {
            EnvVar e = env.get(Secrets.envName(key));
            if (e != null && e.literal() != null) {
                return e.literal();
            }
            String v = properties.getProperty(key, defaults.getProperty(key));
            if (v != null) {
                return v;
            }
            MainConfigurationProperties camel = new MainConfigurationProperties();
            return switch (key) {
                case "camel.management.health-path" -> camel.httpManagementServer().getHealthPath();
                case "camel.metrics.path" -> camel.metrics().getPath();
                default -> null;
            };
        }

        boolean bool(String key) {
            return Boolean.parseBoolean(String.valueOf(effective(key)).trim());
        }

        /** Camel Main's management server serves health at {@code <health-path>/live} and {@code /ready}. */
        String livePath() {
            return effective("camel.management.health-path") + "/live";
        }

        String readyPath() {
            return effective("camel.management.health-path") + "/ready";
        }

        String metricsPath() {
            return effective("camel.metrics.path");
        }

        /** A key of the README's table, a Camel Main option, or a camel-kafka component option. */
        boolean isKey(String key) {
            if (realKeys.contains(key)) {
                return true;
            }
            if (key.startsWith("camel.component.kafka.")) {
                return kafkaOptions.containsKey(key.substring("camel.component.kafka.".length())
                        .replace("-", "").toLowerCase(Locale.ROOT));
            }
            return key.startsWith("camel.") && camelMainOptions.contains(ConfigReadByCodeTest.camelCase(key));
        }

        /** The key an environment variable sets (Secrets.envName's mapping, as the bundle and Camel read it). */
        String keyOfEnv(String name) {
            for (String k : realKeys) {
                if (Secrets.envName(k).equals(name)) {
                    return k;
                }
            }
            String prefix = "CAMEL_COMPONENT_KAFKA_";
            if (name.startsWith(prefix)) {
                String option = kafkaOptions.get(name.substring(prefix.length()).replace("_", "")
                        .toLowerCase(Locale.ROOT));
                return option == null ? null : "camel.component.kafka." + option;
            }
            return null;
        }
    }

    static List<Doc> manifests() throws IOException {
        List<Doc> docs = new ArrayList<>();
        try (Stream<Path> s = Files.list(KUBERNETES)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted()
                    .toList()) {
                for (Object d : yaml().loadAll(Files.readString(f))) {
                    if (d != null) {
                        docs.add(new Doc(f, map(d)));
                    }
                }
            }
        }
        return docs;
    }

    static List<Expression> ruleExpressions() throws IOException {
        List<Expression> out = new ArrayList<>();
        for (Object g : list(map(yaml().load(Files.readString(RULES))).get("groups"))) {
            for (Object r : list(map(g).get("rules"))) {
                Map<String, Object> rule = map(r);
                Set<String> shown = new TreeSet<>();
                Matcher m = Pattern.compile("\\$labels\\.([A-Za-z_][A-Za-z0-9_]*)").matcher(String.valueOf(
                        rule.get("annotations")));
                while (m.find()) {
                    shown.add(m.group(1));
                }
                out.add(new Expression("rule " + rule.get("alert"), PromQl.scan((String) rule.get("expr")), shown));
            }
        }
        return out;
    }

    static List<Expression> dashboardExpressions() throws IOException {
        List<Expression> out = new ArrayList<>();
        JsonNode d = JSON.readTree(DASHBOARD.toFile());
        for (JsonNode p : d.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                Set<String> shown = new TreeSet<>();
                Matcher m = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}").matcher(t.path("legendFormat")
                        .asText());
                while (m.find()) {
                    shown.add(m.group(1));
                }
                out.add(new Expression("panel '" + p.path("title").asText() + "' " + t.path("refId").asText(),
                        PromQl.scan(t.path("expr").asText()), shown));
            }
        }
        for (JsonNode v : d.path("templating").path("list")) {
            if (v.path("type").asText().equals("query")) {
                JsonNode q = v.path("query");
                out.add(labelValues(q.isObject() ? q.path("query").asText() : q.asText()));
            }
        }
        return out;
    }

    /** Grafana's {@code label_values(<series>, <label>)}: the series' metrics, and the label it lists. */
    static Expression labelValues(String query) {
        Matcher m = Pattern.compile("label_values\\((.+),\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)").matcher(query.trim());
        assertTrue(m.matches(), "a label_values(series, label) query: " + query);
        return new Expression("variable " + query, PromQl.scan(m.group(1)), Set.of(m.group(2)));
    }

    // ------------------------------------------------------------------------------------------------------ PromQL

    record LabelMatcher(String label, String op, String value) {
    }

    record Selector(String metric, List<LabelMatcher> matchers) {
    }

    /**
     * What an expression reads: its vector selectors (metric names, label matchers) and the labels it groups or
     * matches on. Every identifier outside a selector's braces and a range's brackets is a metric name, but for
     * keywords, the grouping clauses' label lists and the names of functions and aggregations (followed by
     * {@code (} or by {@code by}/{@code without}): so no list of PromQL's functions is needed.
     */
    static final class PromQl {
        private static final Pattern TOKEN = Pattern.compile("(?<skip>\\s+|#[^\\n]*)"
                + "|(?<str>\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`)"
                + "|(?<var>\\$\\{[^}]*}|\\$[A-Za-z_][A-Za-z0-9_]*)"
                + "|(?<num>(?:0x[0-9a-fA-F]+|[0-9]+(?:\\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)(?:[a-z]+[0-9]*)*)"
                + "|(?<id>[A-Za-z_:][A-Za-z0-9_:]*)"
                + "|(?<op>=~|!~|!=|==|>=|<=|[-+*/%^=<>@,(){}\\[\\]])");
        private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left",
                "group_right");
        private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan",
                "atan2", "by", "without", "on", "ignoring", "group_left", "group_right");

        final List<Selector> selectors = new ArrayList<>();
        final Set<String> grouping = new TreeSet<>();

        private record Tok(String kind, String text) {
            boolean is(String s) {
                return kind.equals("op") && text.equals(s);
            }

            boolean id() {
                return kind.equals("id");
            }
        }

        static PromQl scan(String expr) {
            List<Tok> t = new ArrayList<>();
            Matcher m = TOKEN.matcher(expr);
            int at = 0;
            while (at < expr.length()) {
                m.region(at, expr.length());
                if (!m.lookingAt()) {
                    throw new IllegalArgumentException("not PromQL at " + at + ": " + expr);
                }
                for (String kind : List.of("str", "var", "num", "id", "op")) {
                    if (m.group(kind) != null) {
                        t.add(new Tok(kind, m.group(kind)));
                    }
                }
                at = m.end();
            }
            balanced(t, expr);
            PromQl q = new PromQl();
            for (int i = 0; i < t.size(); i++) {
                Tok k = t.get(i);
                Tok next = i + 1 < t.size() ? t.get(i + 1) : null;
                if (k.is("[")) {
                    while (!t.get(i).is("]")) {
                        i++;
                    }
                } else if (k.is("{")) {
                    i = q.matchers(t, i, null);
                } else if (k.id()) {
                    String word = k.text().toLowerCase(Locale.ROOT);
                    if (GROUPING.contains(word) && next != null && next.is("(")) {
                        for (i += 2; !t.get(i).is(")"); i++) {
                            if (t.get(i).id()) {
                                q.grouping.add(t.get(i).text());
                            }
                        }
                    } else if (!KEYWORDS.contains(word) && !(next != null && (next.is("(") || next.id()
                            && Set.of("by", "without").contains(next.text().toLowerCase(Locale.ROOT))))) {
                        if (next != null && next.is("{")) {
                            i = q.matchers(t, i + 1, k.text());
                        } else {
                            q.selectors.add(new Selector(k.text(), List.of()));
                        }
                    }
                }
            }
            return q;
        }

        /** The matchers between the {@code {} at {@code open} and its {@code }}; returns the index of the latter. */
        private int matchers(List<Tok> t, int open, String metric) {
            List<LabelMatcher> out = new ArrayList<>();
            int i = open + 1;
            while (!t.get(i).is("}")) {
                if (t.get(i).is(",")) {
                    i++;
                    continue;
                }
                if (!t.get(i).id() || i + 2 >= t.size() || !t.get(i + 2).kind().equals("str")) {
                    throw new IllegalArgumentException("not a label matcher: " + t.get(i).text());
                }
                String value = t.get(i + 2).text();
                out.add(new LabelMatcher(t.get(i).text(), t.get(i + 1).text(), value.substring(1, value.length() - 1)));
                i += 3;
            }
            if (metric != null) {
                selectors.add(new Selector(metric, out));
            }
            return i;
        }

        private static void balanced(List<Tok> t, String expr) {
            StringBuilder open = new StringBuilder();
            for (Tok k : t) {
                if (k.kind().equals("op") && "({[".contains(k.text())) {
                    open.append(k.text());
                } else if (k.kind().equals("op") && ")}]".contains(k.text())) {
                    char last = open.length() == 0 ? ' ' : open.charAt(open.length() - 1);
                    if ("({[".indexOf(last) < 0 || "({[".indexOf(last) != ")}]".indexOf(k.text())) {
                        throw new IllegalArgumentException("unbalanced " + k.text() + ": " + expr);
                    }
                    open.setLength(open.length() - 1);
                }
            }
            if (open.length() > 0) {
                throw new IllegalArgumentException("unclosed " + open + ": " + expr);
            }
        }

        Set<String> metrics() {
            Set<String> out = new TreeSet<>();
            selectors.forEach(s -> out.add(s.metric()));
            return out;
        }
    }

    /** Prometheus text: each sample name's labels and the values each label has. */
    private static void awaitSample(String url, String name, Predicate<Map<String, String>> labels,
            Predicate<Double> value) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Scrape s = Scrape.parse(send("GET", url, null, null).body());
            for (int i = 0; i < s.samples.size(); i++) {
                if (s.samples.get(i).getKey().equals(name) && labels.test(s.samples.get(i).getValue())
                        && value.test(s.values.get(i))) {
                    return true;
                }
            }
            return false;
        });
    }

    // ----------------------------------------------------------------------------------------------------- helpers

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }

    /** The token of a list of named tokens ({@code name:<token>,...}) in the sandbox profile: its first. */
    private static String token(Properties profile, String key) {
        String first = profile.getProperty(key).split(",")[0];
        return first.substring(first.indexOf(':') + 1).trim();
    }

    private static Doc one(List<Doc> docs, String kind, String name) {
        List<Doc> found = docs.stream().filter(d -> d.kind().equals(kind) && (name == null || name.equals(d.name())))
                .toList();
        assertEquals(1, found.size(), "one " + kind + (name == null ? "" : " " + name) + ": " + found);
        return found.get(0);
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        List<Object> containers = list(path(deployment, "spec", "template", "spec", "containers"));
        assertEquals(1, containers.size(), "the bundle's container");
        return map(containers.get(0));
    }

    private static Map<String, Integer> containerPorts(Map<String, Object> container) {
        Map<String, Integer> out = new TreeMap<>();
        for (Object p : list(container.get("ports"))) {
            out.put((String) map(p).get("name"), ((Number) map(p).get("containerPort")).intValue());
        }
        return out;
    }

    /** A probe's or Service's port: a container port's name or number. */
    private static Integer port(Object ref, Map<String, Integer> ports) {
        if (ref instanceof Number n) {
            return ports.containsValue(n.intValue()) ? n.intValue() : null;
        }
        return ports.get(String.valueOf(ref));
    }

    private static boolean grants(Doc role, String group, String resource, Set<String> verbs) {
        Set<String> granted = new TreeSet<>();
        for (Object r : list(role.map().get("rules"))) {
            Map<String, Object> rule = map(r);
            if (list(rule.get("apiGroups")).contains(group) && list(rule.get("resources")).contains(resource)) {
                list(rule.get("verbs")).forEach(v -> granted.add(String.valueOf(v)));
            }
        }
        return granted.containsAll(verbs);
    }

    /** Fields the typed Kubernetes model did not know, anywhere in the object. */
    private static void unknownFields(Object o, String where, List<String> out) throws Exception {
        if (o == null || !o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || Modifier.isStatic(m.getModifiers())
                    || m.getName().equals("getClass")) {
                continue;
            }
            Object v = m.invoke(o);
            if (m.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add(where + ": " + extra.keySet());
                }
            } else if (v instanceof Collection<?> c) {
                for (Object e : c) {
                    unknownFields(e, where + m.getName().substring(3) + "[].", out);
                }
            } else if (v instanceof Map<?, ?> map) {
                for (Object e : map.values()) {
                    unknownFields(e, where + m.getName().substring(3) + "{}.", out);
                }
            } else {
                unknownFields(v, where + m.getName().substring(3) + ".", out);
            }
        }
    }

    private static String child(Element e, String name) {
        for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return c.getTextContent().trim();
            }
        }
        throw new AssertionError("pom.xml has no " + name);
    }

    /** saslJaasConfig -> sasl-jaas-config */
    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    static Object path(Object o, String... keys) {
        for (String k : keys) {
            if (!(o instanceof Map<?, ?> m)) {
                return null;
            }
            o = m.get(k);
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> ? (Map<String, Object>) o : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List<?> ? (List<Object>) o : List.of();
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> send(String method, String url, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            b.header("Content-Type", url.contains("/scim/") ? "application/scim+json" : "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
