package io.opcamel.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.quartz.CronExpression;

/**
 * When a feed counts as late, as data: src/test/resources/health/feed-freshness/cases.json holds a cron, its time
 * zone, the last success and the allowed missed polls of each case, and the time the feed is late from (null:
 * never). A new case is a new entry.
 */
class FeedFreshnessTest {

    @TestFactory
    List<DynamicTest> everyCase() throws IOException {
        JsonNode cases = new ObjectMapper().readTree(Path.of("src/test/resources/health/feed-freshness/cases.json")
                .toFile());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases) {
            tests.add(DynamicTest.dynamicTest(c.path("case").asText(), () -> {
                CronExpression cron = new CronExpression(c.path("cron").asText());
                cron.setTimeZone(TimeZone.getTimeZone(c.path("zone").asText()));
                Optional<Instant> expected = c.path("lateFrom").isNull() ? Optional.empty()
                        : Optional.of(Instant.parse(c.path("lateFrom").asText()));
                assertEquals(expected, FeedFreshness.lateFrom(cron, Instant.parse(c.path("since").asText()),
                        c.path("maxMissed").asInt()));
            }));
        }
        return tests;
    }

    @Test
    void atLeastOneMissedPoll() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> FeedFreshness.lateFrom(new CronExpression("0/30 * * * * ?"),
                Instant.EPOCH, 0));
    }
}
