package io.opcamel.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.io.RandomAccessFile;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The file sink: appends a page's records to {@code <dir>/<account>-<feature>.ndjson}, one JSON object per line,
 * and forces them to disk before returning, so a returned call is an acknowledgement the cursor may rely on.
 */
public final class NdjsonFileSink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    /** Files whose end was checked for a torn line since this process started. */
    private final java.util.Set<Path> repaired = new java.util.HashSet<>();

    public NdjsonFileSink(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the file sink folder " + dir
                    + " (property onepassword.sink.file.dir)", e);
        }
    }

    public void append(List<SinkRecord> records, String account, String feature) {
        if (records.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder(records.size() * 1024);
        for (SinkRecord r : records) {
            sb.append(r.json()).append('\n');
        }
        Path file = file(account, feature);
        synchronized (this) {
            if (repaired.add(file)) {
                cutTornTail(file);
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("file sink could not write " + file, e);
            }
        }
    }

    /**
     * A crash while writing can leave half a line at the end. It was never acknowledged (the cursor did not move),
     * so it is cut before this process appends, or the next record would be glued to it and unreadable.
     */
    private static void cutTornTail(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long keep = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                ch.read(one, keep - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < size) {
                ch.truncate(keep);
                ch.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("file sink could not repair the end of " + file, e);
        }
    }

    /**
     * The uuids of the last {@code max} records of the feed's file: what may have reached the sink after the last
     * saved cursor, read back at start so a page re-read after a crash is not written twice. A torn last line (a
     * crash mid-write) is skipped: its event was not delivered and will be again.
     */
    public List<String> recentUuids(String account, String feature, int max) {
        Path file = file(account, feature);
        List<String> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            long from = Math.max(0, len - (long) max * 4096);
            raf.seek(from);
            byte[] tail = new byte[(int) (len - from)];
            raf.readFully(tail);
            String[] lines = new String(tail, StandardCharsets.UTF_8).split("\n");
            for (int i = from == 0 ? 0 : 1; i < lines.length; i++) { // the first line of a tail may be cut
                try {
                    String uuid = JSON.readTree(lines[i]).path("event").path("uuid").asText("");
                    if (!uuid.isEmpty()) {
                        out.add(uuid);
                    }
                } catch (IOException torn) {
                    // the line a crash cut short: that event counts as not delivered
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("file sink could not read back " + file, e);
        }
        return out.size() <= max ? out : out.subList(out.size() - max, out.size());
    }

    public Path file(String account, String feature) {
        return dir.resolve(account + "-" + feature + ".ndjson");
    }
}
