package io.opcamel.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.bridge.BridgeRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command on its way through run-lifecycle-command: what was asked, what the bridge has, what is to be sent and
 * what was, and how it ended. The exchange property {@code lifecycle}; {@link LifecyclePlanner} fills it step by
 * step and the routes read the flags below to choose their next step.
 */
public final class LifecycleRun {

    public enum Outcome {
        /** the person was changed */
        APPLIED,
        /** the person was already as the command asks: nothing was sent */
        UNCHANGED,
        /** the requestId was carried out before: its result again, nothing sent */
        REPLAYED,
        /** a newer command for the person was applied already: nothing sent */
        SUPERSEDED,
        /** refused before anything was written (invalid, or the person's state forbids it) */
        REJECTED,
        /** the bridge failed after its retries: parked on the dead-letter destination */
        FAILED
    }

    String channel;
    LifecycleCommand command;
    /** the command's text as it came, for the dead-letter record */
    String rawCommand;
    /** the requestId of an invalid command, when it has a readable one */
    String requestIdHint;

    /** the person as the bridge has them before any change (null: no such user) */
    JsonNode current;
    boolean lookedForNewEmail;
    String userId;
    /** the user change to send (create, reactivate, update, suspend), or null */
    BridgeRequest userChange;
    String userAction;
    /** group displayName (as the command spells it) to id, as the bridge knows them */
    final Map<String, String> groupIds = new LinkedHashMap<>();
    List<BridgeRequest> groupLookups = List.of();
    /** group ids the person is in now (id to displayName) */
    final Map<String, String> memberOf = new LinkedHashMap<>();

    /** what was sent and succeeded, in order, e.g. "create user", "add to group Engineering" */
    final List<String> changes = new ArrayList<>();
    /** what still had to be sent when a call failed */
    final List<String> notDone = new ArrayList<>();

    Outcome outcome;
    String rule;
    String reason;
    int status = 200;
    int attempts;
    Integer bridgeStatus;
    /** whether this run holds its person's turn (LifecycleLedger.hold) */
    boolean holding;
    /** a replay: the result as it was first given */
    JsonNode previousResult;

    LifecycleRun(String channel) {
        this.channel = channel;
    }

    void reject(LifecycleRejected r) {
        outcome = Outcome.REJECTED;
        rule = r.rule();
        reason = r.getMessage();
        status = r.status();
    }

    /** Whether the command still has to be carried out (not answered already by a check or the ledger). */
    public boolean isOpen() {
        return outcome == null;
    }

    public boolean isParked() {
        return outcome == Outcome.REJECTED || outcome == Outcome.FAILED;
    }

    public boolean isLookForNewEmail() {
        return current == null && command.newEmail() != null && !lookedForNewEmail;
    }

    public boolean isSendUserChange() {
        return userChange != null;
    }

    public List<BridgeRequest> getGroupLookups() {
        return groupLookups;
    }

    public BridgeRequest getUserChange() {
        return userChange;
    }

    /** The person's email in lower case (the Kafka key of their results and dead letters), or null if unread. */
    public String getKey() {
        return command == null ? null : command.email().toLowerCase(java.util.Locale.ROOT);
    }

    public LifecycleCommand command() {
        return command;
    }

    public Outcome outcome() {
        return outcome;
    }

    public int status() {
        return status;
    }

    public String channel() {
        return channel;
    }

    @Override
    public String toString() {
        return command == null ? "unreadable command" : command.toString();
    }
}
