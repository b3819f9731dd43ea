package io.opcamel.events;

import java.io.BufferedWriter;
import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A persistent, bounded set of delivered uuids for one feed: the newest {@code capacity} in memory, an append-only
 * file on disk. Lookups never touch the disk (Camel's FileIdempotentRepository scans its file on every miss, which
 * made a backfill quadratic), and {@link #flush()} forces a page's additions to disk with one fsync. The file is
 * rewritten with the newest entries when it holds twice the capacity.
 */
public final class FileUuidRepository extends ServiceSupport implements IdempotentRepository, Flushable {

    private final Path file;
    private final int capacity;
    private final LinkedHashSet<String> uuids = new LinkedHashSet<>();
    private FileChannel channel;
    private Writer writer;
    private long linesInFile;

    public FileUuidRepository(Path file, int capacity) {
        this.file = file;
        this.capacity = capacity;
    }

    @Override
    protected synchronized void doStart() throws IOException {
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            linesInFile = lines.size();
            for (String line : lines) {
                if (!line.isBlank()) {
                    uuids.remove(line);
                    uuids.add(line);
                }
            }
            trim();
        }
        open();
    }

    private void open() throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        writer = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8), 1 << 16);
    }

    @Override
    public synchronized boolean add(String key) {
        if (uuids.contains(key)) {
            return false;
        }
        uuids.add(key);
        trim();
        try {
            writer.write(key);
            writer.write('\n');
            linesInFile++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record delivered uuids in " + file, e);
        }
        return true;
    }

    /** Forces every addition so far to disk: called once per page, before the page's cursor is saved. */
    @Override
    public synchronized void flush() {
        try {
            writer.flush();
            channel.force(false);
            if (linesInFile > 2L * capacity) {
                compact();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record delivered uuids in " + file, e);
        }
    }

    private void compact() throws IOException {
        writer.close();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, new ArrayList<>(uuids), StandardCharsets.UTF_8);
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        linesInFile = uuids.size();
        open();
    }

    private void trim() {
        var it = uuids.iterator();
        while (uuids.size() > capacity && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    @Override
    public synchronized boolean contains(String key) {
        return uuids.contains(key);
    }

    @Override
    public synchronized boolean remove(String key) {
        return uuids.remove(key); // the file keeps it until the next compaction; a restart may remember it again
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public synchronized void clear() {
        uuids.clear();
    }

    @Override
    protected synchronized void doStop() throws IOException {
        if (writer != null) {
            writer.flush();
            channel.force(false);
            writer.close();
        }
    }
}
