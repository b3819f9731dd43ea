package io.opcamel.health;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opcamel.TeeStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The bridge's version against onepassword.scim.bridge.min-version: compared part by part, a WARN naming both once
 * per version seen (not at every check), the ok gauge, and one info gauge carrying the version now.
 */
class BridgeVersionTest {

    @Test
    void versionsCompareNumberByNumber() {
        assertArrayEquals(new int[] {2, 9, 16}, BridgeVersion.parse("2.9.16"));
        assertArrayEquals(new int[] {2, 10, 0}, BridgeVersion.parse("v2.10.0-beta.1"));
        assertNull(BridgeVersion.parse("latest"));
        assertNull(BridgeVersion.parse(null));
        assertTrue(BridgeVersion.compare(BridgeVersion.parse("2.10.0"), BridgeVersion.parse("2.9.16")) > 0,
                "2.10 is newer than 2.9: numbers, not text");
        assertEquals(0, BridgeVersion.compare(BridgeVersion.parse("2.9"), BridgeVersion.parse("2.9.0")));
        assertTrue(BridgeVersion.compare(BridgeVersion.parse("2.9.9"), BridgeVersion.parse("2.9.16")) < 0);
    }

    @Test
    void anOldVersionIsWarnedOncePerVersionAndShownInTheGauges() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(new TeeStream(err, captured), true, StandardCharsets.UTF_8));
        try {
            BridgeVersion v = new BridgeVersion("2.9.16", meters);
            assertTrue(Double.isNaN(meters.get(BridgeVersion.OK).gauge().value()), "NaN before the first answer");
            v.seen("2.9.12", "209123");
            v.seen("2.9.12", "209123");
            v.seen("2.9.12", "209123");
            assertEquals(0.0, meters.get(BridgeVersion.OK).gauge().value());
            v.seen("2.9.13", "209133");
            assertEquals(0.0, meters.get(BridgeVersion.OK).gauge().value());
            assertEquals(1, meters.find(BridgeVersion.INFO).gauges().size(), "one info gauge: the version now");
            Gauge info = meters.get(BridgeVersion.INFO).gauge();
            assertEquals("2.9.13", info.getId().getTag("version"));
            assertEquals("209133", info.getId().getTag("build"));
            v.seen("2.9.16", "209163");
            assertEquals(1.0, meters.get(BridgeVersion.OK).gauge().value());
            v.seen(null, null);
            assertEquals(0.0, meters.get(BridgeVersion.OK).gauge().value(), "no version: cannot be checked");
            assertEquals("unknown", meters.get(BridgeVersion.INFO).gauge().getId().getTag("version"));
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, count(log, "WARN scim - SCIM bridge version 2.9.12 is older than "
                + "onepassword.scim.bridge.min-version=2.9.16"), log);
        assertEquals(1, count(log, "WARN scim - SCIM bridge version 2.9.13 is older than"), log);
        assertEquals(0, count(log, "WARN scim - SCIM bridge version 2.9.16"), log);
        assertEquals(1, count(log, "WARN scim - SCIM bridge: its /health names no version"), log);
    }

    private static long count(String log, String text) {
        return log.lines().filter(l -> l.contains(text)).count();
    }
}
