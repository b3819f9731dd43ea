package io.opcamel.lifecycle;

import io.opcamel.sink.NdjsonFileSink;
import io.opcamel.sink.SinkRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** The ledger in {@code <dir>/lifecycle-ledger.ndjson}, one line per entry, fsynced: this instance's alone. */
final class FileLedgerJournal implements LedgerJournal {

    static final String ACCOUNT = "lifecycle";
    static final String FEATURE = "ledger";

    private final NdjsonFileSink file;
    private boolean read;

    FileLedgerJournal(Path dir) {
        this.file = new NdjsonFileSink(dir);
    }

    Path file() {
        return file.file(ACCOUNT, FEATURE);
    }

    @Override
    public synchronized void append(String requestId, String entry) {
        file.append(List.of(new SinkRecord(requestId, entry)), ACCOUNT, FEATURE);
    }

    @Override
    public synchronized void readNew(Consumer<String> learn) {
        if (read) {
            return; // only this instance writes the file, and it learnt its own entries as it wrote them
        }
        read = true;
        Path f = file();
        if (!Files.exists(f)) {
            return;
        }
        try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                learn.accept(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lifecycle ledger " + f
                    + " (property onepassword.lifecycle.dir)", e);
        }
    }

    @Override
    public String toString() {
        return file().toString();
    }
}
