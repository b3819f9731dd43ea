package io.opcamel.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.EmbeddedKafka;
import io.opcamel.LoopbackBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances behind one load balancer, sharing the ledger in Kafka (onepassword.lifecycle.ledger.store=kafka):
 * what one instance carried out, the other knows. Each instance has a bridge of its own here, so a call the second
 * one made would show in its (empty) bridge's request log.
 */
class LifecycleSharedLedgerIT {

    private static final String JOINER = "{\"requestId\":\"hr-1\",\"type\":\"joiner\",\"email\":\"ada@example.com\","
            + "\"givenName\":\"Ada\",\"familyName\":\"Lovelace\",\"occurredAt\":\"2026-11-20T10:00:00Z\"}";

    @Test
    void aReplayOrALateCommandSentToTheOtherInstanceIsAnsweredFromTheSharedLedger(@TempDir Path a, @TempDir Path b)
            throws Exception {
        Map<String, String> shared = Map.of(
                "onepassword.lifecycle.ledger.store", "kafka",
                "onepassword.lifecycle.ledger.kafka.brokers", EmbeddedKafka.bootstrapServers(),
                "onepassword.lifecycle.ledger.kafka.topic", "ledger-" + UUID.randomUUID());
        try (LifecycleRig first = LifecycleRig.start(a, shared); LifecycleRig second = LifecycleRig.start(b, shared)) {
            assertEquals("applied", first.post("/lifecycle/v1/commands", LifecycleRig.HR, JOINER).json()
                    .path("outcome").asText());
            long before = second.sandbox.requests().lastSeq();

            // the load balancer sends the same command again, to the other instance
            JsonNode again = second.post("/lifecycle/v1/commands", LifecycleRig.HR, JOINER).json();
            assertEquals("replayed", again.path("outcome").asText(), again.toString());
            assertEquals("applied", again.path("firstOutcome").asText());

            // asked after at the other instance
            LoopbackBundle.Answer asked = second.get("/lifecycle/v1/commands/hr-1", LifecycleRig.HR);
            assertEquals(200, asked.status(), asked.body());
            assertEquals("applied", asked.json().path("outcome").asText());

            // the same requestId with other content: refused there too
            LoopbackBundle.Answer reused = second.post("/lifecycle/v1/commands", LifecycleRig.HR,
                    JOINER.replace("Lovelace", "Byron"));
            assertEquals(409, reused.status(), reused.body());

            // a leaver that occurred before the joiner the first instance applied: set aside, not carried out
            JsonNode late = second.post("/lifecycle/v1/commands", LifecycleRig.HR, "{\"requestId\":\"hr-0\","
                    + "\"type\":\"leaver\",\"email\":\"ADA@example.com\",\"occurredAt\":\"2026-11-19T10:00:00Z\"}")
                    .json();
            assertEquals("superseded", late.path("outcome").asText(), late.toString());

            assertTrue(second.sandbox.requests().since(before).isEmpty(),
                    "the second instance answered everything from the shared ledger, without a bridge call");
            assertTrue(Files.notExists(b.resolve("lifecycle").resolve("lifecycle-ledger.ndjson")),
                    "no file ledger beside the shared one");
        }
    }

    @Test
    void aRestartedInstanceReadsTheWholeLedgerBackFromTheTopic(@TempDir Path a, @TempDir Path b) throws Exception {
        Map<String, String> shared = Map.of(
                "onepassword.lifecycle.ledger.store", "kafka",
                "onepassword.lifecycle.ledger.kafka.brokers", EmbeddedKafka.bootstrapServers(),
                "onepassword.lifecycle.ledger.kafka.topic", "ledger-" + UUID.randomUUID());
        try (LifecycleRig first = LifecycleRig.start(a, shared)) {
            assertEquals(200, first.post("/lifecycle/v1/commands", LifecycleRig.HR, JOINER).status());
        }
        // a new instance with a new, empty data folder: only the topic can know hr-1
        try (LifecycleRig fresh = LifecycleRig.start(b, shared)) {
            long before = fresh.sandbox.requests().lastSeq();
            assertEquals("replayed", fresh.post("/lifecycle/v1/commands", LifecycleRig.HR, JOINER).json()
                    .path("outcome").asText());
            assertTrue(fresh.sandbox.requests().since(before).isEmpty(), "a replay makes no bridge call");
        }
    }

    /**
     * docs/lifecycle.md: with the ledger's brokers away, a command fails before its first write, is parked, and runs
     * later.
     */
    @Test
    void withTheLedgersBrokersAwayACommandFailsBeforeItsFirstWriteAndIsParked(@TempDir Path a) throws Exception {
        Map<String, String> shared = Map.of(
                "onepassword.lifecycle.ledger.store", "kafka",
                "onepassword.lifecycle.ledger.kafka.brokers", EmbeddedKafka.bootstrapServers(),
                "onepassword.lifecycle.ledger.kafka.topic", "ledger-" + UUID.randomUUID(),
                "onepassword.lifecycle.ledger.kafka.timeout", "PT2S");
        try (LifecycleRig rig = LifecycleRig.start(a, shared)) {
            long before = rig.sandbox.requests().lastSeq();
            LoopbackBundle.Answer failed;
            try {
                EmbeddedKafka.stopBroker();
                failed = rig.post("/lifecycle/v1/commands", LifecycleRig.HR, JOINER);
            } finally {
                EmbeddedKafka.startBroker();
            }
            assertEquals("failed", failed.json().path("outcome").asText(), failed.body());
            assertEquals(503, failed.status(), "the ledger is away, not the bundle broken");
            assertEquals("ledger", failed.json().path("rule").asText());
            assertTrue(rig.sandbox.requests().since(before).isEmpty(), "not a single bridge call, so nothing applied");
            assertEquals(1, rig.deadLetters().size(), "parked");
            assertEquals("hr-1", rig.deadLetters().get(0).path("command").path("requestId").asText(),
                    rig.deadLetters().get(0).toString());

            // the brokers back: sent again, it runs
            JsonNode again = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> rig.post("/lifecycle/v1/commands", LifecycleRig.HR, JOINER).json(),
                            j -> !j.path("outcome").asText().equals("failed"));
            assertEquals("applied", again.path("outcome").asText(), again.toString());
        }
    }

    /**
     * Issue 16: an entry whose write reaches the broker only after the append gave up (the proxy holds the request
     * back past the timeout) must not appear afterwards: a command answered as failed and sent again is checked
     * against what the ledger will keep, so it is not carried out a second time by an entry that shows up late.
     */
    @Test
    void anAppendThatTimedOutAndLandsLaterLeavesNoEntryBehind() throws Exception {
        String topic = "ledger-late-" + UUID.randomUUID();
        io.opcamel.DelayingProxy proxy = EmbeddedKafka.proxy();
        try (KafkaLedgerJournal journal = KafkaLedgerJournal.open(
                io.opcamel.config.KafkaClients.plaintext(EmbeddedKafka.proxiedBootstrapServers()), topic,
                java.time.Duration.ofSeconds(2))) {
            java.util.List<String> seen = new java.util.ArrayList<>();
            journal.append("r1", "{\"requestId\":\"r1\"}");
            proxy.delayRequests(java.time.Duration.ofSeconds(5));
            try {
                org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                        () -> journal.append("r2", "{\"requestId\":\"r2\"}"));
            } finally {
                proxy.delayRequests(java.time.Duration.ZERO);
            }
            journal.readNew(seen::add);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> proxy.holding() == 0);
            java.util.List<String> later = new java.util.ArrayList<>();
            journal.readNew(later::add);
            assertEquals(java.util.List.of(), later, "entries that came in after the failed append was settled");
            java.util.List<String> all = new java.util.ArrayList<>();
            try (KafkaLedgerJournal fresh = KafkaLedgerJournal.open(
                    io.opcamel.config.KafkaClients.plaintext(EmbeddedKafka.bootstrapServers()), topic,
                    java.time.Duration.ofSeconds(15))) {
                fresh.readNew(all::add);
            }
            assertEquals(seen, all, "what a fresh instance reads is what this one read after the failure");
        }
    }
}
