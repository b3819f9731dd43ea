package io.opcamel.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fault switches given as properties at start, in the same words the admin endpoint takes. */
class SandboxFaultsFromConfigTest {

    @Test
    void faultPropertiesSetTheSwitchesAtStart() {
        Map<String, String> props = Map.of(
                "onepassword.sandbox.events.faults", "{\"serverErrorRatio\":0.25,\"latencyMillis\":15,\"serverErrorStatus\":503}",
                "onepassword.sandbox.scim.faults", "{\"wrongTotalResults\":true}");
        try (Sandbox s = Sandbox.start(SandboxConfig.fromProperties(props::get))) {
            assertEquals(0.25, s.eventsFaults().getServerErrorRatio());
            assertEquals(15, s.eventsFaults().getLatencyMillis());
            assertEquals(503, s.eventsFaults().getServerErrorStatus());
            assertTrue(s.bridgeFaults().isWrongTotalResults());
        }
    }

    @Test
    void theBridgesHealthFaultsAreSetAtStartToo() {
        Map<String, String> props = Map.of("onepassword.sandbox.scim.faults",
                "{\"unhealthyComponents\":{\"ConfirmationWatcher\":\"Disconnected\"},\"staleComponents\":[\"RedisCache\"]}");
        try (Sandbox s = Sandbox.start(SandboxConfig.fromProperties(props::get))) {
            assertEquals(Map.of("ConfirmationWatcher", "Disconnected"), s.bridgeFaults().getUnhealthyComponents());
            assertEquals(List.of("RedisCache"), s.bridgeFaults().getStaleComponents());
        }
        Map<String, String> typo = Map.of("onepassword.sandbox.scim.faults", "{\"staleComponents\":[\"Redis\"]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sandbox.start(SandboxConfig.fromProperties(typo::get)).close());
        assertTrue(e.getMessage().contains("onepassword.sandbox.scim.faults") && e.getMessage().contains("RedisCache"),
                e.getMessage());
    }

    @Test
    void aBadFaultPropertyNamesTheProperty() {
        Map<String, String> props = Map.of("onepassword.sandbox.events.faults", "{\"serverErrorRatio\":2}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sandbox.start(SandboxConfig.fromProperties(props::get)).close());
        assertTrue(e.getMessage().contains("onepassword.sandbox.events.faults"), e.getMessage());
    }
}
