package io.opcamel.sink;

import io.opcamel.normalise.EventSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.io.RandomAccessFile;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The file sink: appends a page's records to {@code <dir>/<account>-<feature>.ndjson}, one JSON object per line,
 * and forces them to disk before returning, so a returned call is an acknowledgement the cursor may rely on.
 *
 * <p>Rolling: before a page that would take the file past {@code rollBytes}, the file is renamed to
 * {@code <account>-<feature>.<yyyyMMdd-HHmmss-SSS>.ndjson} (UTC, so names sort in time order) and a new one is
 * started; a page never spans two files. Of the rolled files, the newest {@code keep} are kept (0: all).
 */
public final class NdjsonFileSink {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);

    private final Path dir;
    private final long rollBytes;
    private final int keep;
    private final Clock clock;
    /** Files whose end was checked for a torn line since this process started. */
    private final java.util.Set<Path> repaired = new java.util.HashSet<>();

    /** A sink that never rolls. */
    public NdjsonFileSink(Path dir) {
        this(dir, 0, 0, Clock.systemUTC());
    }

    public NdjsonFileSink(Path dir, long rollBytes, int keep, Clock clock) {
        this.dir = dir;
        this.rollBytes = rollBytes;
        this.keep = keep;
        this.clock = clock;
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
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            if (repaired.add(file)) {
                cutTornTail(file);
            }
            rollIfFull(file, bytes.length, account, feature);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("file sink could not write " + file, e);
            }
        }
    }

    private void rollIfFull(Path file, long adding, String account, String feature) {
        try {
            long size = Files.exists(file) ? Files.size(file) : 0;
            if (rollBytes <= 0 || size == 0 || size + adding <= rollBytes) {
                return;
            }
            String stem = account + "-" + feature + "." + STAMP.format(clock.instant());
            Path rolled = dir.resolve(stem + ".ndjson");
            for (int n = 1; Files.exists(rolled); n++) {
                rolled = dir.resolve(stem + "-" + n + ".ndjson");
            }
            Files.move(file, rolled, StandardCopyOption.ATOMIC_MOVE);
            forceDir();
            if (keep > 0) {
                List<Path> all = rolled(account, feature);
                for (Path old : all.subList(0, Math.max(0, all.size() - keep))) {
                    Files.delete(old);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("file sink could not roll " + file, e);
        }
    }

    /** The feed's rolled files, oldest first. */
    public List<Path> rolled(String account, String feature) throws IOException {
        Pattern name = Pattern.compile(Pattern.quote(account + "-" + feature) + "\\.\\d{8}-\\d{6}-\\d{3}(-\\d+)?\\.ndjson");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> name.matcher(f.getFileName().toString()).matches()).sorted(
                    Comparator.comparing((Path f) -> f.getFileName().toString().replaceAll("\\.ndjson$", ""))).toList();
        }
    }

    /** The rename must survive a crash too, or the next page could land before the rolled file's records. */
    private void forceDir() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory; the rename is still atomic
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
        List<Path> files = new ArrayList<>();
        try {
            files.addAll(rolled(account, feature));
        } catch (IOException e) {
            throw new UncheckedIOException("file sink could not list " + dir, e);
        }
        files.add(file(account, feature));
        // newest file first, until enough: a page that just rolled the file may be all of the current one
        List<String> out = new ArrayList<>();
        for (int i = files.size() - 1; i >= 0 && out.size() < max; i--) {
            List<String> older = tailUuids(files.get(i), max - out.size());
            older.addAll(out);
            out = older;
        }
        return out;
    }

    private static List<String> tailUuids(Path file, int max) {
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
                    // any schema: onepassword.sink.file.schema may have changed between runs
                    String uuid = EventSchemas.uuidOf(JSON.readTree(lines[i]));
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
        return out.size() <= max ? out : new ArrayList<>(out.subList(out.size() - max, out.size()));
    }

    public Path file(String account, String feature) {
        return dir.resolve(account + "-" + feature + ".ndjson");
    }
}
