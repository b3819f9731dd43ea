package io.opcamel.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.LoopbackBundle;
import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.sandbox.ScimUser;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apply, through the REAL lifecycle route (direct:run-lifecycle-command, issue 6 items 1-3; no stub): 10,000 users
 * with drift injected and the wrong-totalResults bug on, a run with apply=true carries out every person's drift as
 * a lifecycle command, each one "applied", and a second run finds no drift at all. The bridge shows it: the joiners
 * exist, the suspended are back, the extra are suspended, the renamed and moved are as the source says, and the
 * Owner is still an Owner.
 */
class ReconcileAppliesDriftTest {

    @Test
    void applyFixesTheInjectedDriftAndTheNextRunFindsNone(@TempDir Path dir) throws Exception {
        InjectedDrift drift = new InjectedDrift(10_000, 5, 4, 6, 7, 8);
        Path desired = dir.resolve("hr").resolve("people.json");
        try (ReconcileRig rig = ReconcileRig.start(dir, Map.of("onepassword.reconcile.source.file",
                desired.toString()), false)) {
            drift.seed(rig.sandbox.bridge());
            rig.sandbox.bridgeFaults().setWrongTotalResults(true);
            drift.writeDesired(desired, 0);

            LoopbackBundle.Answer applied = rig.reconcile("apply=true", ReconcileRig.OPS);
            assertEquals(200, applied.status(), applied.body());
            JsonNode report = applied.json();
            assertEquals(drift.expected(), InjectedDrift.found(report));
            assertTrue(report.path("applied").asBoolean(), report.path("reason").asText());
            for (JsonNode e : report.path("entries")) {
                assertEquals("applied", e.path("command").path("outcome").asText(), e.toString());
            }
            assertEquals("{\"applied\":30}", report.path("outcomes").toString());

            LoopbackBundle.Answer again = rig.reconcile(null, ReconcileRig.OPS);
            assertEquals(200, again.status(), again.body());
            assertEquals(Set.of(), InjectedDrift.found(again.json()), "drift left after apply");

            Map<String, ScimUser> users = rig.users();
            assertEquals(10_005, users.size());
            for (int i = 1; i <= drift.users; i++) {
                ScimUser u = users.get(InjectedDrift.email(i));
                assertEquals(!drift.isExtra(i), u.active(), u.userName());
            }
            assertEquals("Renamed" + (2 * 2_000 + 1), users.get(InjectedDrift.email(4_001)).familyName());
            String owners = rig.sandbox.bridge().groups().stream().filter(g -> g.displayName().equals("Owners"))
                    .findFirst().orElseThrow().id();
            assertEquals(java.util.List.of(users.get(InjectedDrift.email(1)).id()),
                    rig.sandbox.bridge().groupMembers(owners));
        }
    }
}
