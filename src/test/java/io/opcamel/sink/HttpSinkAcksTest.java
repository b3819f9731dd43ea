package io.opcamel.sink;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.opcamel.config.Settings;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What counts as an acknowledgement in the body of a 2xx, and what the refusal says. */
class HttpSinkAcksTest {

    @Test
    void elasticsearchTakesCreatedAndConflictItemsAndNamesTheFirstOtherFailure() {
        HttpSinkAcks acks = acks("elasticsearch-bulk");
        assertDoesNotThrow(() -> acks.check(bytes("{\"took\":2,\"errors\":false,\"items\":[{\"create\":{\"_id\":\"A\",\"status\":201}}]}")));
        assertDoesNotThrow(() -> acks.check(bytes("{\"errors\":true,\"items\":["
                + "{\"create\":{\"_id\":\"A\",\"status\":201}},"
                + "{\"create\":{\"_id\":\"B\",\"status\":409,\"error\":{\"type\":\"version_conflict_engine_exception\"}}}]}")));
        HttpSinkRefusedException e = assertThrows(HttpSinkRefusedException.class, () -> acks.check(bytes(
                "{\"errors\":true,\"items\":["
                        + "{\"create\":{\"_id\":\"A\",\"status\":409,\"error\":{\"type\":\"version_conflict_engine_exception\"}}},"
                        + "{\"create\":{\"_id\":\"B\",\"status\":201}},"
                        + "{\"create\":{\"_id\":\"C\",\"status\":500,\"error\":{\"type\":\"es_rejected_execution_exception\","
                        + "\"reason\":\"rejected execution of coordinating operation\"}}},"
                        + "{\"create\":{\"_id\":\"D\",\"status\":400,\"error\":{\"type\":\"document_parsing_exception\"}}}]}")));
        assertEquals("Elasticsearch refused item 3 of the batch (_id C): status 500, es_rejected_execution_exception: "
                + "rejected execution of coordinating operation", e.getMessage());
    }

    @Test
    void elasticsearchAnswerThatIsNotABulkResultIsNoAcknowledgement() {
        HttpSinkAcks acks = acks("elasticsearch-bulk");
        HttpSinkRefusedException e = assertThrows(HttpSinkRefusedException.class,
                () -> acks.check(bytes("<html>proxy login</html>")));
        assertEquals("Elasticsearch answered without a bulk result: '<html>proxy login</html>'", e.getMessage());
        assertThrows(HttpSinkRefusedException.class, () -> acks.check(new byte[0]));
        assertThrows(HttpSinkRefusedException.class, () -> acks.check(bytes("{\"errors\":true,\"items\":[]}")));
    }

    @Test
    void splunkTakesCodeZeroOnly() {
        HttpSinkAcks acks = acks("splunk-hec");
        assertDoesNotThrow(() -> acks.check(bytes("{\"text\":\"Success\",\"code\":0}")));
        HttpSinkRefusedException e = assertThrows(HttpSinkRefusedException.class, () -> acks.check(bytes(
                "{\"text\":\"Invalid data format\",\"code\":6,\"invalid-event-number\":2}")));
        assertEquals("Splunk HEC refused the batch: code 6 (Invalid data format), invalid event number 2 of the batch",
                e.getMessage());
        assertThrows(HttpSinkRefusedException.class, () -> acks.check(bytes("OK")));
        assertThrows(HttpSinkRefusedException.class, () -> acks.check(new byte[0]));
    }

    @Test
    void plainFormatsAreAcknowledgedByTheStatusAlone() {
        assertDoesNotThrow(() -> acks("ndjson").check(new byte[0]));
        assertDoesNotThrow(() -> acks("json-array").check(bytes("{\"errors\":true,\"code\":6}")));
    }

    private static HttpSinkAcks acks(String format) {
        Map<String, String> p = Map.of("onepassword.sink.http.url", "https://sink.example.com/in",
                "onepassword.sink.http.format", format, "onepassword.sink.http.batch-size", "500",
                "onepassword.sink.http.auth", "none", "onepassword.sink.http.connect-timeout", "PT10S",
                "onepassword.sink.http.response-timeout", "PT60S",
                "onepassword.sink.http.elasticsearch.index", "logs-1password.{feature}-default");
        return new HttpSinkAcks(HttpSinkSettings.read(new Settings(k -> Optional.ofNullable(p.get(k)))));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
