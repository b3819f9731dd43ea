package io.opcamel.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.opcamel.BundleHarness;
import io.opcamel.events.EventsFeedRoutes;
import io.opcamel.events.Feature;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ServiceStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy kit's set-up, as Kubernetes runs it: feed leadership by Leases (Camel's KubernetesClusterService against
 * a Kubernetes API in the test JVM), and a kubelet that probes the pod's /observe/health/ready and marks the Pod
 * Ready or not from the answer, as the readinessProbe of deploy/kubernetes/deployment.yaml makes the real one do.
 * Camel's Kubernetes leadership lets only a Ready pod lead: if an unhealthy SCIM bridge made the pod unready, the
 * pod would give up its feeds (and every other pod too, since they all share the bridge). It must stay Ready and keep
 * leading, while /observe/health and the bridge's gauge report the bridge.
 */
class ReadinessUnderKubernetesLeadershipIT {

    private static final String NAMESPACE = "security";
    private static final String POD = "onepassword-bundle-7d9f8-x2x4q";
    private static final Duration LEASE = Duration.ofSeconds(3);

    @Test
    // a Camel deadlock (leadership lost while the context stops: ClusteredRoutePolicy vs the route's stop) must fail
    // the test, not hang the build; it showed when readiness still followed the bridge
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anUnhealthyBridgeLeavesThePodReadyAndLeadingItsFeeds(@TempDir Path dir) throws Exception {
        KubernetesMockServer kubernetes = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        kubernetes.init();
        // how the bundle's Kubernetes client finds the API server outside a cluster (fabric8's auto-configuration)
        Map<String, String> clientConfig = Map.of("kubernetes.master", kubernetes.url("/"),
                "kubernetes.namespace", NAMESPACE, "kubernetes.auth.tryKubeConfig", "false",
                "kubernetes.auth.tryServiceAccount", "false", "kubernetes.trust.certificates", "true");
        clientConfig.forEach(System::setProperty);
        try (NamespacedKubernetesClient api = kubernetes.createClient()) {
            api.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(POD)
                    .withNamespace(NAMESPACE).addToLabels("app", "onepassword-bundle").endMetadata()
                    .withNewStatus().withPhase("Running").endStatus().build()).create();
            Map<String, String> p = new LinkedHashMap<>();
            p.put("onepassword.cluster.service", "kubernetes");
            p.put("onepassword.cluster.kubernetes.namespace", NAMESPACE);
            p.put("onepassword.cluster.kubernetes.pod-name", POD);
            p.put("onepassword.cluster.kubernetes.lease-duration", "PT" + LEASE.toSeconds() + "S");
            p.put("onepassword.cluster.kubernetes.renew-deadline", "PT2S");
            p.put("onepassword.cluster.kubernetes.retry-period", "PT0.5S");
            p.put("onepassword.health.bridge-interval", "PT0.5S");
            BundleHarness.kafkaStores(p, "k8s-readiness-" + System.nanoTime() + "-");
            String feed = EventsFeedRoutes.routeId("demo", Feature.auditevents);
            try (MainRun run = MainRun.start(dir, p); Kubelet kubelet = new Kubelet(api, run)) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> routeStatus(run, feed)
                        == ServiceStatus.Started);

                run.faults("scim", "{\"serverErrorRatio\":1.0,\"serverErrorStatus\":503}");
                run.awaitBody("/observe/health", b -> b.contains("onepassword-scim-bridge"));
                run.awaitBody("/observe/metrics", b -> b.contains("onepassword_scim_bridge_healthy 0.0"));
                // three leases long: time for the kubelet to see the probe and for Camel to drop a pod not Ready
                long until = System.nanoTime() + LEASE.multipliedBy(3).toNanos();
                while (System.nanoTime() < until) {
                    assertEquals(ServiceStatus.Started, routeStatus(run, feed), "the pod keeps leading " + feed);
                    assertTrue(Readiness.isPodReady(kubelet.pod()), "the pod stays Ready while the bridge is down");
                    Thread.sleep(200);
                }
                assertEquals(200, run.management("/observe/health/ready").statusCode());
                assertEquals(503, run.management("/observe/health").statusCode(), "the full report names the bridge");
                assertTrue(kubelet.probes() > 10, "the kubelet probed readiness all along: " + kubelet.probes());

                run.faults("scim", "{\"serverErrorRatio\":0}");
                run.awaitBody("/observe/metrics", b -> b.contains("onepassword_scim_bridge_healthy 1.0"));
                run.awaitStatus("/observe/health", 200);
            }
        } finally {
            clientConfig.keySet().forEach(System::clearProperty);
            kubernetes.destroy();
        }
    }

    private static ServiceStatus routeStatus(MainRun run, String routeId) {
        return run.main.getCamelContext().getRouteController().getRouteStatus(routeId);
    }

    /** Probes the pod's readiness the way deployment.yaml's readinessProbe does, and writes it to the Pod's status. */
    private static final class Kubelet implements AutoCloseable {

        private final NamespacedKubernetesClient api;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile int probes;

        Kubelet(NamespacedKubernetesClient api, MainRun run) {
            this.api = api;
            this.thread = new Thread(() -> {
                Boolean last = null;
                while (running) {
                    boolean ready;
                    try {
                        ready = run.management("/observe/health/ready").statusCode() == 200;
                    } catch (Exception e) {
                        ready = false;
                    }
                    probes++;
                    if (last == null || ready != last) {
                        String status = ready ? "True" : "False";
                        api.pods().inNamespace(NAMESPACE).withName(POD).editStatus(pod -> new PodBuilder(pod)
                                .editStatus().withConditions(List.of(new PodConditionBuilder().withType("Ready")
                                        .withStatus(status).build())).endStatus().build());
                        last = ready;
                    }
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "kubelet");
            thread.setDaemon(true);
            thread.start();
        }

        Pod pod() {
            return api.pods().inNamespace(NAMESPACE).withName(POD).get();
        }

        int probes() {
            return probes;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(5_000);
        }
    }
}
