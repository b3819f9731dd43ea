package io.opcamel.normalise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The hand-written reading and writing of times agree with the JDK's, for the usual shapes and the odd ones. */
class TimestampsTest {

    @Test
    void readsWhatTheJdkReadsAndRefusesWhatItRefuses() {
        for (String text : List.of("2021-08-11T14:28:03Z", "2021-08-30T18:57:42.484Z", "2022-10-24T21:16:52.827288935Z",
                "2020-06-11T16:32:50-03:00", "2023-05-02T10:11:12.5-03:00", "2024-02-29T23:59:59.999999999+14:00",
                "2021-08-11T14:28:03-00:00", "2021-08-11T14:28Z", "2021-08-11T14:28:03.Z", "2021-08-11T14:28:03",
                "2021-08-11T14:28:03.1234567890Z", "2021-02-29T14:28:03Z", "2021-08-11T24:00:00Z",
                "2021-08-11T14:28:60Z", "2021-08-11T14:28:03+19:00", "2021-08-11T14:28:03+01:75",
                "2021-08-11T14:28:03z", "2021-08-11 14:28:03Z", "+12021-08-11T14:28:03Z", "2021-08-11T14:28:03.\u0664Z",
                "2021-08-11T14:28:03+0100", "11/08/2021 14:28", "")) {
            assertEquals(jdk(text), Timestamps.parse(new TextNode(text)), text);
        }
        assertEquals(Optional.empty(), Timestamps.parse(new IntNode(1628692083)));
        assertEquals(Optional.empty(), Timestamps.parse(null));
    }

    @Test
    void writesUtcMillisecondsTruncated() {
        DateTimeFormatter jdk = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC);
        for (Instant at : List.of(Instant.EPOCH, Instant.parse("2022-10-24T21:16:52.827288935Z"),
                Instant.parse("2024-02-29T23:59:59.999999999Z"), Instant.parse("0001-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999Z"), Instant.parse("1969-12-31T23:59:59.001Z"))) {
            assertEquals(jdk.format(at), Timestamps.utcMillis(at), at.toString());
        }
        assertEquals("2022-10-24T21:16:52.827Z", Timestamps.utcMillis(Instant.parse("2022-10-24T21:16:52.827999Z")));
    }

    private static Optional<Instant> jdk(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
