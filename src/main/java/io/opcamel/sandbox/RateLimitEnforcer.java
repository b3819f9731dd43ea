package io.opcamel.sandbox;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The server side of a rate limit: a sliding log of admitted requests per key, checked against every window at
 * once. A refused request is not counted, like an API that answers 429 before doing any work.
 */
final class RateLimitEnforcer {

    private final Map<String, Deque<Long>> admitted = new HashMap<>();

    /**
     * Admits the request, or returns how many milliseconds until it would be admitted (what Retry-After says).
     */
    synchronized long tryAdmit(String key, long nowMillis, List<RateWindow> windows) {
        if (windows.isEmpty()) {
            return 0;
        }
        long longest = windows.stream().mapToLong(RateWindow::windowMillis).max().orElse(0);
        Deque<Long> log = admitted.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (!log.isEmpty() && log.peekFirst() <= nowMillis - longest) {
            log.removeFirst();
        }
        long wait = 0;
        for (RateWindow w : windows) {
            long from = nowMillis - w.windowMillis();
            int inWindow = 0;
            Long oldestInWindow = null;
            // walk from the newest: only the last `limit` entries matter
            var it = log.descendingIterator();
            while (it.hasNext()) {
                long t = it.next();
                if (t <= from) {
                    break;
                }
                inWindow++;
                if (inWindow == w.limit()) {
                    oldestInWindow = t;
                    break;
                }
            }
            if (inWindow >= w.limit()) {
                // admitted again when the limit-th newest request leaves the window
                wait = Math.max(wait, oldestInWindow + w.windowMillis() - nowMillis);
            }
        }
        if (wait > 0) {
            return wait;
        }
        log.addLast(nowMillis);
        return 0;
    }

    /** Requests admitted for the key within the window ending now. */
    synchronized int used(String key, long nowMillis, RateWindow w) {
        Deque<Long> log = admitted.get(key);
        if (log == null) {
            return 0;
        }
        int n = 0;
        var it = log.descendingIterator();
        while (it.hasNext() && it.next() > nowMillis - w.windowMillis()) {
            n++;
        }
        return n;
    }

    /** Milliseconds until the oldest request in the window leaves it (a full window when there is none). */
    synchronized long untilOldestLeaves(String key, long nowMillis, RateWindow w) {
        Deque<Long> log = admitted.get(key);
        if (log != null) {
            for (long t : log) {
                if (t > nowMillis - w.windowMillis()) {
                    return t + w.windowMillis() - nowMillis;
                }
            }
        }
        return w.windowMillis();
    }

    synchronized void clear() {
        admitted.clear();
    }
}
