package io.opcamel.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.sink.NdjsonFileSink;
import io.opcamel.sink.SinkRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Where a command that was not carried out is parked for someone to look at: the command as it came, the rule or
 * the bridge failure that stopped it, how many times the failing call was sent, and what was and was not changed.
 * File ({@code <dir>/lifecycle-dead-letter.ndjson}, forced to disk) or a Kafka topic keyed by the person's email.
 * A record that cannot be written fails the command's delivery: a REST caller gets an error, a Kafka record is
 * read again.
 */
public final class LifecycleDeadLetters {

    public static final String SINK = "onepassword.lifecycle.dead-letter.sink";
    static final String FEATURE = "dead-letter";

    private final String sink;
    private final NdjsonFileSink files;
    private final LifecyclePlanner planner;
    private final Clock clock;

    public LifecycleDeadLetters(String sink, Path dir, LifecyclePlanner planner, Clock clock) {
        this.sink = sink;
        this.files = sink.equals("file") ? new NdjsonFileSink(dir) : null;
        this.planner = planner;
        this.clock = clock;
    }

    public String sink() {
        return sink;
    }

    public Path file() {
        return files == null ? null : files.file(FileLedgerJournal.ACCOUNT, FEATURE);
    }

    /** The dead-letter record of a rejected or failed command; its uuid is the Kafka key's fallback. */
    public SinkRecord record(LifecycleRun run) throws JsonProcessingException {
        ObjectNode o = LifecycleCommands.JSON.createObjectNode();
        o.put("parkedAt", DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.MILLIS)));
        o.put("channel", run.channel);
        o.setAll(planner.resultJson(run));
        o.put("attempts", Math.max(1, run.attempts));
        o.set("command", command(run));
        String key = run.getKey() == null ? UUID.randomUUID().toString() : run.getKey();
        return new SinkRecord(key, LifecycleCommands.JSON.writeValueAsString(o));
    }

    /** The command as it came: its JSON, or its text when it was not JSON. */
    private static JsonNode command(LifecycleRun run) {
        if (run.rawCommand == null) {
            return LifecycleCommands.JSON.getNodeFactory().nullNode();
        }
        try {
            JsonNode parsed = LifecycleCommands.JSON.readTree(run.rawCommand.getBytes(StandardCharsets.UTF_8));
            return parsed == null ? LifecycleCommands.JSON.getNodeFactory().textNode(run.rawCommand) : parsed;
        } catch (IOException notJson) {
            return LifecycleCommands.JSON.getNodeFactory().textNode(run.rawCommand);
        }
    }

    /** The file sink: appended and forced to disk before this returns. */
    public void append(SinkRecord record) {
        files.append(List.of(record), FileLedgerJournal.ACCOUNT, FEATURE);
    }
}
