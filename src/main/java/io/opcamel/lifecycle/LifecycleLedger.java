package io.opcamel.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * What became of each command, kept in a {@link LedgerJournal} (a file of this instance, or a Kafka topic the
 * instances share) before the caller is answered, so that a command is carried out once however often it is sent:
 * <ul>
 * <li>a requestId seen before is answered with its first result (replayed), without a bridge call; the same
 * requestId with other content is refused (409 {@code request-id-reused});</li>
 * <li>a command older ({@code occurredAt}) than one already applied for the same person is set aside (superseded):
 * a mover delivered late cannot undo a leaver.</li>
 * </ul>
 * A failed command is not remembered: sent again, it is tried again. One command per person runs at a time
 * ({@link #hold}), so two deliveries of one person's commands cannot interleave their bridge calls. The newest
 * {@code keep} requestIds are remembered (older ones are forgotten in memory, still in the journal); every person's
 * newest applied time is kept. With a shared journal each check first reads what the other instances wrote; one
 * person's commands sent to two instances at the same moment can still both run (the lock is per instance): the
 * Kafka channel, keyed by email, is the way to keep a person's commands on one instance.
 */
public final class LifecycleLedger {

    private static final int STRIPES = 64;

    private record Seen(String fingerprint, JsonNode result) {
    }

    private record Newest(Instant at, String requestId) {
    }

    private final LedgerJournal journal;
    private final Map<String, Seen> byRequestId;
    private final Map<String, Newest> newestByPerson = new HashMap<>();
    private final Semaphore[] people = new Semaphore[STRIPES];

    /** The file journal in {@code dir}. */
    public LifecycleLedger(Path dir, int keep) {
        this(new FileLedgerJournal(dir), keep);
    }

    LifecycleLedger(LedgerJournal journal, int keep) {
        this.journal = journal;
        this.byRequestId = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
                return size() > keep;
            }
        };
        for (int i = 0; i < STRIPES; i++) {
            people[i] = new Semaphore(1);
        }
        catchUp();
    }

    /** Where the entries are kept, for the start-up log. */
    public String describe() {
        return journal.toString();
    }

    /**
     * Learns what the journal has that this instance has not read yet: all of it at start, then others' entries.
     * The journal is read outside the ledger's lock (a Kafka read may wait for the brokers), the entries applied
     * under it.
     */
    private void catchUp() {
        List<String> lines = new ArrayList<>();
        try {
            journal.readNew(lines::add);
        } catch (RuntimeException e) {
            throw new LedgerUnavailable(journal.toString(), e);
        }
        if (lines.isEmpty()) {
            return;
        }
        synchronized (this) {
            for (String line : lines) {
                JsonNode entry;
                try {
                    entry = LifecycleCommands.JSON.readTree(line);
                } catch (IOException torn) {
                    continue; // a line cut short by a crash: its command was not answered, and will be sent again
                }
                learn(entry);
            }
        }
    }

    private void learn(JsonNode entry) {
        byRequestId.put(entry.path("requestId").asText(), new Seen(entry.path("fingerprint").asText(),
                entry.path("result")));
        if (entry.hasNonNull("occurredAt") && entry.path("counts").asBoolean()) {
            Newest n = new Newest(Instant.parse(entry.path("occurredAt").asText()), entry.path("requestId").asText());
            for (JsonNode person : entry.path("people")) {
                newestByPerson.merge(person.asText(), n, (a, b) -> b.at().isAfter(a.at()) ? b : a);
            }
        }
    }

    /** Waits until no other command of this person runs. Paired with {@link #release}, whatever happens between. */
    public void hold(LifecycleRun run) throws InterruptedException {
        if (run.command != null) {
            stripe(run).acquire();
            run.holding = true;
        }
    }

    public void release(LifecycleRun run) {
        if (run.holding) {
            run.holding = false;
            stripe(run).release();
        }
    }

    private Semaphore stripe(LifecycleRun run) {
        return people[Math.floorMod(person(run.command.email()).hashCode(), STRIPES)];
    }

    /** A replay gets its first result; the same requestId with other content is refused. */
    public void recall(LifecycleRun run) {
        catchUp();
        Seen seen;
        synchronized (this) {
            seen = byRequestId.get(run.command.requestId());
        }
        if (seen == null) {
            return;
        }
        if (!seen.fingerprint().equals(run.command.fingerprint())) {
            throw new LifecycleRejected("request-id-reused", 409, "requestId " + run.command.requestId()
                    + " was used before for another command; give each command its own requestId");
        }
        run.outcome = LifecycleRun.Outcome.REPLAYED;
        run.previousResult = seen.result();
        run.status = 200;
    }

    /** The result of a finished command by its requestId, or null. */
    public JsonNode result(String requestId) {
        catchUp();
        Seen seen;
        synchronized (this) {
            seen = byRequestId.get(requestId);
        }
        return seen == null ? null : seen.result();
    }

    /**
     * A command older than the newest one applied for the same person is not carried out. Decided on what
     * {@link #recall} read from the journal just before (run-lifecycle-command calls the two in turn), so a shared
     * journal is read once per command.
     */
    public synchronized void supersede(LifecycleRun run) {
        LifecycleCommand c = run.command;
        if (c.occurredAt() == null) {
            return;
        }
        for (String email : c.newEmail() == null ? new String[] {c.email()} : new String[] {c.email(), c.newEmail()}) {
            Newest n = newestByPerson.get(person(email));
            if (n != null && n.at().isAfter(c.occurredAt())) {
                run.outcome = LifecycleRun.Outcome.SUPERSEDED;
                run.rule = "out-of-order";
                run.reason = "command " + n.requestId() + " of " + n.at() + " for " + email
                        + " was applied already; this one occurred at " + c.occurredAt();
                run.status = 200;
                return;
            }
        }
    }

    /**
     * Writes down how a command ended, durably before the caller is answered. Failed commands and replays are not
     * written: a failure is tried again when sent again, and a replay was written the first time.
     */
    public void remember(LifecycleRun run, String result) throws IOException {
        if (run.command == null || run.outcome == LifecycleRun.Outcome.FAILED
                || run.outcome == LifecycleRun.Outcome.REPLAYED) {
            return;
        }
        LifecycleCommand c = run.command;
        ObjectNode entry = LifecycleCommands.JSON.createObjectNode();
        entry.put("requestId", c.requestId());
        entry.put("fingerprint", c.fingerprint());
        entry.put("occurredAt", c.occurredAt() == null ? null : c.occurredAt().toString());
        // only a command that reached the person moves their clock: a rejected or superseded one changed nothing
        entry.put("counts", run.outcome == LifecycleRun.Outcome.APPLIED || run.outcome == LifecycleRun.Outcome.UNCHANGED);
        var people = entry.putArray("people").add(person(c.email()));
        if (c.newEmail() != null) {
            people.add(person(c.newEmail()));
        }
        entry.set("result", LifecycleCommands.JSON.readTree(result));
        // written first, outside the lock (the brokers may take a while); one person's commands do not overlap
        journal.append(c.requestId(), LifecycleCommands.JSON.writeValueAsString(entry));
        synchronized (this) {
            learn(entry);
        }
    }

    private static String person(String email) {
        return email.toLowerCase(Locale.ROOT);
    }
}
