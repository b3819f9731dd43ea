package io.opcamel.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.Settings;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The HTTP sink's settings: the Authorization header of each scheme, secrets kept out of every message, Splunk's
 * time, and the delivery order that keeps the dedupe seeding safe. (Start-up refusals with the property named are
 * cases of InvalidConfigTest: src/test/resources/config/invalid/http-sink-*.properties.)
 */
class HttpSinkConfigTest {

    private static final String SECRET = "s3cr3t-sink-credential-7731";

    @Test
    void eachSchemeSendsItsAuthorizationHeader() {
        assertEquals("Bearer " + SECRET, settings(Map.of("auth", "bearer", "token", SECRET)).authorization());
        assertEquals("Splunk " + SECRET, settings(Map.of("auth", "splunk", "token", SECRET)).authorization());
        assertEquals("ApiKey " + SECRET, settings(Map.of("auth", "apikey", "token", SECRET)).authorization());
        assertEquals("Basic " + Base64.getEncoder().encodeToString(("ops:" + SECRET).getBytes(StandardCharsets.UTF_8)),
                settings(Map.of("auth", "basic", "username", "ops", "password", SECRET)).authorization());
        HttpSinkSettings none = settings(Map.of("auth", "none"));
        assertFalse(none.authorizes());
        assertEquals(null, none.authorization());
    }

    @Test
    void theSecretIsNeverShown() {
        HttpSinkSettings s = settings(Map.of("auth", "bearer", "token", SECRET, "batch-bytes", "800000"));
        assertEquals("POST https://sink.example.com/in as ndjson, batches of at most 500 records and 800000 bytes, "
                + "auth bearer **** (" + SECRET.length() + " chars)", s.toString());
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> settings(Map.of("url", "https://ops:" + SECRET + "@sink.example.com/in")));
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        assertEquals("onepassword.sink.http.url", e.property());
    }

    @Test
    void splunkTimeIsEpochSecondsWithTheEventsOwnPrecision() {
        assertEquals("1772443800.000", HttpSinkBatches.epochSeconds("2026-03-02T09:30:00Z"));
        assertEquals("1772443800.120", HttpSinkBatches.epochSeconds("2026-03-02T09:30:00.12Z"));
        assertEquals("1772443800.123456789", HttpSinkBatches.epochSeconds("2026-03-02T09:30:00.123456789Z"));
        assertEquals("1772440200.500", HttpSinkBatches.epochSeconds("2026-03-02T09:30:00.5+01:00"));
        assertEquals(null, HttpSinkBatches.epochSeconds("yesterday"));
    }

    @Test
    void theHttpSinkIsWrittenBeforeTheSinksTheDedupeSeedingReadsBack() {
        assertEquals("direct:sink-http,direct:sink-file", sinks("file,http").endpoints());
        assertEquals("direct:sink-http,direct:sink-kafka,direct:sink-file", sinks("kafka,file,http").endpoints());
        assertEquals("direct:sink-file,direct:sink-kafka", sinks("file,kafka").endpoints());
        assertTrue(sinks("http").has("http"));
    }

    private static Sinks sinks(String types) {
        return new Sinks(new Settings(k -> k.equals(Sinks.KEY) ? Optional.of(types) : Optional.empty()));
    }

    private static HttpSinkSettings settings(Map<String, String> overrides) {
        Map<String, String> p = new HashMap<>(Map.of("url", "https://sink.example.com/in", "format", "ndjson",
                "batch-size", "500", "auth", "none", "connect-timeout", "PT10S", "response-timeout", "PT60S",
                "elasticsearch.index", "logs-1password.{feature}-default"));
        p.putAll(overrides);
        return HttpSinkSettings.read(new Settings(k -> k.startsWith(HttpSinkSettings.PREFIX)
                ? Optional.ofNullable(p.get(k.substring(HttpSinkSettings.PREFIX.length()))) : Optional.empty()));
    }
}
