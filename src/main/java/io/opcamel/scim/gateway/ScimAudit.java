package io.opcamel.scim.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.scim.ScimNodes;
import io.opcamel.sink.NdjsonFileSink;
import io.opcamel.sink.SinkRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The provisioning audit trail: one JSON record per mutating IdP call, whatever came of it (forwarded, refused,
 * dry run), naming the IdP, the operation asked for and the action sent to the bridge (a user DELETE sent as a
 * suspend says "suspend"), the target, the names of the fields it changes and the guardrails' outcome, never a
 * token or a body's values. Written to the file sink's NDJSON appender ({@code <audit.dir>/scim-gateway.ndjson}, fsynced
 * before the IdP is answered) or to a Kafka topic, keyed by the record's id.
 */
public final class ScimAudit {

    public static final String SINK = "onepassword.scim.audit.sink";
    static final String ACCOUNT = "scim";
    static final String FEATURE = "gateway";

    private final String sink;
    private final NdjsonFileSink files;
    private final Clock clock;

    /** Records waiting for the next write, and whether a write is being forced now (guarded by this). */
    private List<Pending> waiting = new ArrayList<>();
    private boolean writing;

    /** @param sink file or kafka, as {@link #SINK} says (checked where it is read) */
    ScimAudit(String sink, Path dir, Clock clock) {
        this.sink = sink;
        this.files = sink.equals("file") ? new NdjsonFileSink(dir) : null;
        this.clock = clock;
    }

    public String sink() {
        return sink;
    }

    /** The file the file sink appends to. */
    public Path file() {
        return files == null ? null : files.file(ACCOUNT, FEATURE);
    }

    /** The record of one call. */
    public SinkRecord record(ScimRequest r) throws JsonProcessingException {
        ObjectNode o = ScimNodes.MAPPER.createObjectNode();
        String id = UUID.randomUUID().toString();
        o.put("record_id", id);
        o.put("time", DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.MILLIS)));
        o.put("idp", r.idp);
        o.put("operation", r.operation == null ? null : r.operation.name());
        o.put("resource_type", r.resource == null ? null : r.resource.equals("Users") ? "User"
                : r.resource.equals("Groups") ? "Group" : r.resource);
        ObjectNode target = o.putObject("target");
        String targetId = r.id != null ? r.id : r.answered != null && r.answered.path("id").isTextual()
                ? r.answered.path("id").asText() : null;
        target.put("id", targetId);
        String nameAttr = "Groups".equals(r.resource) ? "displayName" : "userName";
        JsonNode name = ScimNodes.field(r.json, nameAttr);
        if ((name == null || !name.isTextual()) && r.answered != null) {
            name = ScimNodes.field(r.answered, nameAttr);
        }
        target.put(nameAttr, name != null && name.isTextual() ? name.asText() : null);
        ArrayNode fields = o.putArray("fields_changed");
        fieldsChanged(r).forEach(fields::add);
        o.put("action", r.action);
        // refused (or failed) before the guardrails were applied: they were not reached
        o.put("guardrail", r.guardrail.equals("not-applied") && r.answerStatus >= 400 ? "not-reached" : r.guardrail);
        o.put("rejected_by", r.rejectedBy);
        o.put("status", r.answerStatus);
        if (r.bridgeStatus == null) {
            o.putNull("bridge_status");
        } else {
            o.put("bridge_status", r.bridgeStatus);
        }
        o.put("latency_ms", r.latencyMillis());
        o.put("dry_run", r.dryRun);
        return new SinkRecord(id, ScimNodes.MAPPER.writeValueAsString(o));
    }

    /** The names of the attributes a call changes: a body's top-level names, or each PATCH operation's target. */
    static Set<String> fieldsChanged(ScimRequest r) {
        Set<String> out = new LinkedHashSet<>();
        if (r.operation == ScimRequest.Operation.delete) {
            out.add("active"); // 1Password never deletes through SCIM: the bridge suspends
            return out;
        }
        if (r.json == null) {
            return out;
        }
        if (r.operation == ScimRequest.Operation.patch) {
            JsonNode ops = ScimNodes.field(r.json, "Operations");
            for (JsonNode op : ops == null ? ScimNodes.MAPPER.createArrayNode() : ops) {
                JsonNode path = ScimNodes.field(op, "path");
                if (path != null && path.isTextual()) {
                    out.add(attributeOf(path.asText()));
                } else {
                    names(ScimNodes.field(op, "value"), out);
                }
            }
            return out;
        }
        names(r.json, out);
        out.remove("schemas");
        out.remove("id");
        out.remove("meta");
        return out;
    }

    private static void names(JsonNode obj, Set<String> out) {
        if (obj != null && obj.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext();) {
                out.add(it.next().getKey());
            }
        }
    }

    /** "members[value eq \"x\"]" to "members", "name.givenName" stays, "urn:...:User:manager" stays. */
    static String attributeOf(String path) {
        int bracket = path.indexOf('[');
        return (bracket < 0 ? path : path.substring(0, bracket)).trim();
    }

    /**
     * The file sink: appended and forced to disk before this returns. Group commit: the records of concurrent calls
     * that arrive while a write is being forced go together in the next write and its one force, so eight IdP calls
     * at once wait for one or two fsyncs rather than queueing for eight. Every record is still on disk before its
     * call returns; when a write fails, every call whose record it held fails.
     */
    public void append(SinkRecord record) {
        Pending mine = new Pending(record);
        List<Pending> batch;
        synchronized (this) {
            waiting.add(mine);
            boolean interrupted = false;
            while (writing && !mine.done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true; // the record must be on disk (or failed) before this returns
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (mine.done) {
                mine.throwIfFailed();
                return;
            }
            writing = true; // this call writes every record waiting, its own among them
            batch = waiting;
            waiting = new ArrayList<>();
        }
        RuntimeException failure = new IllegalStateException("the audit write did not complete");
        try {
            files.append(batch.stream().map(p -> p.record).toList(), ACCOUNT, FEATURE);
            failure = null;
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            // whatever happened, the calls waiting learn it and the next one may write
            synchronized (this) {
                for (Pending p : batch) {
                    p.failure = failure;
                    p.done = true;
                }
                writing = false;
                notifyAll();
            }
        }
        mine.throwIfFailed();
    }

    private static final class Pending {
        final SinkRecord record;
        boolean done;
        RuntimeException failure;

        Pending(SinkRecord record) {
            this.record = record;
        }

        void throwIfFailed() {
            if (failure != null) {
                throw failure;
            }
        }
    }
}
