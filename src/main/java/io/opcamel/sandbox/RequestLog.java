package io.opcamel.sandbox;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/** What reached the sandbox, in order, bounded so a long benchmark cannot exhaust memory. */
public final class RequestLog {

    private static final int MAX_BODY_CHARS = 8192;

    private final int capacity;
    private final Deque<LoggedRequest> entries = new ArrayDeque<>();
    private long nextSeq = 1;

    public RequestLog(int capacity) {
        this.capacity = capacity;
    }

    synchronized LoggedRequest add(long at, String api, String method, String path, String query,
            String tokenFingerprint, String body, int status, String fault) {
        String kept = body == null || body.length() <= MAX_BODY_CHARS ? body : body.substring(0, MAX_BODY_CHARS);
        LoggedRequest r = new LoggedRequest(nextSeq++, at, api, method, path, query, tokenFingerprint, kept, status, fault);
        entries.addLast(r);
        if (entries.size() > capacity) {
            entries.removeFirst();
        }
        return r;
    }

    public synchronized List<LoggedRequest> all() {
        return new ArrayList<>(entries);
    }

    /** Entries with a sequence number above {@code seq}: lets a test look only at what its own step caused. */
    public synchronized List<LoggedRequest> since(long seq) {
        List<LoggedRequest> out = new ArrayList<>();
        for (LoggedRequest r : entries) {
            if (r.seq() > seq) {
                out.add(r);
            }
        }
        return out;
    }

    public List<LoggedRequest> matching(Predicate<LoggedRequest> p) {
        return all().stream().filter(p).toList();
    }

    /** The sequence number of the newest entry, 0 when empty. */
    public synchronized long lastSeq() {
        return nextSeq - 1;
    }

    public synchronized void clear() {
        entries.clear();
    }
}
