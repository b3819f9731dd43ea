package io.opcamel.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The bridge's /health sits at its root, beside the SCIM base the gateway is configured with. */
class ScimBridgeHealthUriTest {

    @Test
    void theHealthReportIsBesideTheScimBase() {
        assertEquals("https://scim.example.com/health", ScimBridgeHealthCheck.healthUri("https://scim.example.com/scim/v2"));
        assertEquals("https://scim.example.com/health", ScimBridgeHealthCheck.healthUri("https://scim.example.com/scim/"));
        assertEquals("http://127.0.0.1:3002/health", ScimBridgeHealthCheck.healthUri("http://127.0.0.1:3002/scim/v2/"));
        assertEquals("https://proxy.example.com/bridge/health",
                ScimBridgeHealthCheck.healthUri("https://proxy.example.com/bridge/scim/v2"));
        assertEquals("https://scim.example.com:8443/health",
                ScimBridgeHealthCheck.healthUri("https://scim.example.com:8443/elsewhere"));
    }
}
