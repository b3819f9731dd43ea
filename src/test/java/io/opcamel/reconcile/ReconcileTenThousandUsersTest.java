package io.opcamel.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.LoopbackBundle;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 users in the sandbox with drift injected at known places, and the bridge's wrong-totalResults bug on
 * (totalResults says the page's size, so a client that trusts it reads one page): a run finds exactly the injected
 * drift, no more and no less, after reading every page; and when the source loses 600 people, apply is refused by
 * the threshold, which says why, and nobody is suspended.
 */
class ReconcileTenThousandUsersTest {

    @Test
    void findsExactlyTheInjectedDriftAndTheThresholdBlocksAMassSuspension(@TempDir Path dir) throws Exception {
        InjectedDrift drift = new InjectedDrift(10_000, 5, 4, 6, 7, 8);
        Path desired = dir.resolve("hr").resolve("people.json");
        try (ReconcileRig rig = ReconcileRig.start(dir, Map.of("onepassword.reconcile.source.file",
                desired.toString()), true)) {
            drift.seed(rig.sandbox.bridge());
            rig.sandbox.bridgeFaults().setWrongTotalResults(true);
            drift.writeDesired(desired, 0);

            LoopbackBundle.Answer answer = rig.reconcile(null, ReconcileRig.OPS);
            assertEquals(200, answer.status(), answer.body());
            JsonNode report = answer.json();
            assertEquals(drift.expected(), InjectedDrift.found(report));
            assertEquals(10_000, report.path("bridge").path("users").asInt(), "every page was read");
            assertEquals(11, report.path("bridge").path("userPages").asInt(), "10 full pages of 1000 and a short one");
            assertEquals(10_000 - 6 + 5, report.path("desiredPeople").asInt());
            // Owners is not named by the source: not managed, so user 1's membership of it is no drift
            assertEquals("[\"Engineering\",\"Sales\",\"Support\"]", report.path("scope").path("managedGroups").toString());
            assertFalse(report.path("applied").asBoolean());
            MeterRegistry meters = rig.bundle.context.getRegistry().lookupByNameAndType("metricsRegistry",
                    MeterRegistry.class);
            Map<String, Integer> counts = Map.of("missing", 5, "suspended", 4, "extra", 6, "attributes", 7,
                    "groups", 8);
            counts.forEach((kind, n) -> {
                assertEquals(n, report.path("counts").path(kind).asInt(), kind);
                assertEquals(n.doubleValue(), meters.get("onepassword.reconcile.drift").tag("kind", kind).gauge().value(), kind);
            });

            // the source loses 600 more people: 606 suspensions, far past both limits
            drift.writeDesired(desired, 600);
            LoopbackBundle.Answer refused = rig.reconcile("apply=true", ReconcileRig.OPS);
            assertEquals(200, refused.status(), refused.body());
            JsonNode r = refused.json();
            assertEquals(drift.expected(), InjectedDrift.found(r));
            assertTrue(r.path("apply").asBoolean());
            assertFalse(r.path("applied").asBoolean());
            String reason = r.path("reason").asText();
            for (String said : new String[] {"606 users", "onepassword.reconcile.max-suspensions=10",
                    "onepassword.reconcile.max-suspension-percent=5%", "6.06%", "of the 9996 active users"}) {
                assertTrue(reason.contains(said), "the reason should say " + said + ": " + reason);
            }
            assertTrue(rig.commands.isEmpty(), "nothing may be applied: " + rig.commands.size() + " commands sent");
            long suspended = rig.sandbox.bridge().users().stream().filter(u -> !u.active()).count();
            assertEquals(4, suspended, "only the users suspended from the start are suspended");
        }
    }
}
