package io.opcamel.scim.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opcamel.sink.SinkRecord;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file audit's group commit: calls at once share writes and fsyncs, but each returns only once its own record
 * is in the file, every record is written exactly once, and a write that fails fails every call it held.
 */
class ScimAuditGroupCommitTest {

    @Test
    void concurrentAppendsEachReturnOnlyOnceTheirRecordIsInTheFile(@TempDir Path dir) throws Exception {
        ScimAudit audit = new ScimAudit("file", dir, Clock.systemUTC());
        int threads = 8;
        int each = 40;
        AtomicReference<Throwable> failed = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        String id = thread + "-" + i;
                        audit.append(new SinkRecord(id, "{\"record_id\":\"" + id + "\"}"));
                        if (!Files.readString(audit.file()).contains("\"" + id + "\"")) {
                            throw new AssertionError("append of " + id + " returned before its record was written");
                        }
                    }
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            });
            all.add(th);
            th.start();
        }
        go.countDown();
        for (Thread th : all) {
            th.join();
        }
        assertNull(failed.get());
        List<String> lines = Files.readAllLines(audit.file());
        assertEquals(threads * each, lines.size());
        Set<String> unique = new HashSet<>(lines);
        assertEquals(threads * each, unique.size());
        for (int t = 0; t < threads; t++) {
            // one thread's records stay in the order it appended them
            int last = -1;
            for (int i = 0; i < each; i++) {
                int at = lines.indexOf("{\"record_id\":\"" + t + "-" + i + "\"}");
                assertTrue(at > last);
                last = at;
            }
        }
    }

    @Test
    void aWriteThatFailsFailsTheCall(@TempDir Path dir) throws Exception {
        ScimAudit audit = new ScimAudit("file", dir, Clock.systemUTC());
        Files.createDirectories(audit.file()); // the file's name taken by a folder: no write can succeed
        assertThrows(UncheckedIOException.class, () -> audit.append(new SinkRecord("a", "{}")));
        // and the next call tries again rather than waiting on the failed one
        assertThrows(UncheckedIOException.class, () -> audit.append(new SinkRecord("b", "{}")));
    }
}
