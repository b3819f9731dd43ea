package io.opcamel.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.LoopbackBundle;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may start a run, and when: the on-demand endpoint wants a valid bearer token and a clear apply; a run never
 * starts beside another (the caller gets 409, a schedule tick is skipped and counted); the schedule exists only
 * with a cron, and runs on it.
 */
class ReconcileTriggersTest {

    private static final String PEOPLE = "[{\"email\":\"ada@example.com\",\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"}]";

    @Test
    void theEndpointWantsAValidTokenAndAClearApply(@TempDir Path dir) throws Exception {
        try (ReconcileRig rig = start(dir, Map.of())) {
            LoopbackBundle.Answer none = rig.reconcile(null, null);
            assertEquals(401, none.status());
            assertEquals("unauthorized", none.json().path("error").asText());
            assertEquals(401, rig.reconcile(null, "not-the-token-0123456789").status());
            LoopbackBundle.Answer maybe = rig.reconcile("apply=maybe", ReconcileRig.OPS);
            assertEquals(400, maybe.status());
            assertTrue(maybe.json().path("detail").asText().contains("apply must be true or false"));
            assertEquals(Map.of(), rig.reportFiles(), "no run started");
            // no cron: no schedule
            assertNull(rig.bundle.context.getRoute("reconcile-on-schedule"));

            LoopbackBundle.Answer ok = rig.reconcile("apply=false", ReconcileRig.OPS);
            assertEquals(200, ok.status(), ok.body());
            assertEquals("on-demand", ok.json().path("trigger").asText());
            assertEquals(1, ok.json().path("counts").path("missing").asInt());
        }
    }

    /**
     * A request refused before the endpoint's route runs (another method, a query that does not decode) gets the
     * reconcile API's own JSON, as its route's refusals do, not the lifecycle API's that shares its base path.
     */
    @Test
    void whatIsRefusedBeforeTheRouteGetsTheReconcileApisShape(@TempDir Path dir) throws Exception {
        try (ReconcileRig rig = start(dir, Map.of())) {
            LoopbackBundle.Answer get = rig.send("GET", "/lifecycle/v1/reconcile", ReconcileRig.OPS, null);
            assertEquals(405, get.status(), get.body());
            assertEquals("POST", get.headers().firstValue("Allow").orElse(null));
            assertEquals(405, get.json().path("status").asInt(), get.body());
            assertEquals("method", get.json().path("error").asText(), get.body());
            // sent byte for byte: java.net.http will not send a target that does not decode
            io.opcamel.scim.gateway.RawHttp.Response undecodable = io.opcamel.scim.gateway.RawHttp.send(rig.port,
                    "POST", "/lifecycle/v1/reconcile?apply=%zz", ReconcileRig.OPS, null);
            assertEquals(400, undecodable.status(), undecodable.text());
            assertEquals("application/json", undecodable.header("Content-Type"));
            assertEquals("request", undecodable.json().path("error").asText(), undecodable.text());
            assertEquals(Map.of(), rig.reportFiles(), "no run started");
        }
    }

    @Test
    void aRunNeverStartsBesideAnother(@TempDir Path dir) throws Exception {
        try (ReconcileRig rig = start(dir, Map.of())) {
            ReconcileRuns runs = rig.bundle.context.getRegistry().lookupByNameAndType("reconcileRuns",
                    ReconcileRuns.class);
            ReconcileRun going = runs.begin(ReconcileTrigger.direct());
            LoopbackBundle.Answer busy = rig.reconcile("apply=true", ReconcileRig.OPS);
            assertEquals(409, busy.status(), busy.body());
            assertTrue(busy.json().path("detail").asText().contains(going.getId()), busy.body());
            assertEquals(Map.of(), rig.reportFiles(), "the refused trigger ran nothing");
            runs.end(going);

            assertEquals(200, rig.reconcile(null, ReconcileRig.OPS).status());
            assertNull(runs.running(), "a finished run lets the next one start");
        }
    }

    @Test
    void theScheduleRunsOnItsCronAndSkipsATickWhileARunIsGoingOn(@TempDir Path dir) throws Exception {
        try (ReconcileRig rig = start(dir, Map.of("onepassword.reconcile.cron", "0/1 * * * * ?"))) {
            assertNotNull(rig.bundle.context.getRoute("reconcile-on-schedule"));
            ReconcileRuns runs = rig.bundle.context.getRegistry().lookupByNameAndType("reconcileRuns",
                    ReconcileRuns.class);
            MeterRegistry meters = rig.bundle.context.getRegistry().lookupByNameAndType("metricsRegistry",
                    MeterRegistry.class);
            // hold the run the first tick finds, or take one (a tick may have started a run already)
            ReconcileRun going = null;
            while (going == null) {
                try {
                    going = runs.begin(ReconcileTrigger.direct());
                } catch (ReconcileAlreadyRunning busy) {
                    Thread.onSpinWait();
                }
            }
            ReconcileRun held = going;
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> meters.find("onepassword.reconcile.runs")
                    .tag("status", "skipped").counter() != null);
            runs.end(held);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> rig.reportFiles().values().stream()
                    .anyMatch(r -> r.path("trigger").asText().equals("schedule")));
            JsonNode scheduled = rig.reportFiles().values().stream()
                    .filter(r -> r.path("trigger").asText().equals("schedule")).findFirst().orElseThrow();
            assertEquals("completed", scheduled.path("status").asText());
            assertEquals(1, scheduled.path("counts").path("missing").asInt());
        }
    }

    private static ReconcileRig start(Path dir, Map<String, String> extra) throws Exception {
        Path people = dir.resolve("people.json");
        Files.writeString(people, PEOPLE);
        Map<String, String> settings = new java.util.HashMap<>(extra);
        settings.put("onepassword.reconcile.source.file", people.toString());
        return ReconcileRig.start(dir, settings, true);
    }
}
