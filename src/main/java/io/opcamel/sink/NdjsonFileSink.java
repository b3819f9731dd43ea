package io.opcamel.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The file sink: appends a page's records to {@code <dir>/<account>-<feature>.ndjson}, one JSON object per line,
 * and forces them to disk before returning, so a returned call is an acknowledgement the cursor may rely on.
 */
public final class NdjsonFileSink {

    private final Path dir;

    public NdjsonFileSink(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the file sink folder " + dir
                    + " (property onepassword.sink.file.dir)", e);
        }
    }

    public void append(List<String> lines, String account, String feature) {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder(lines.size() * 1024);
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        Path file = file(account, feature);
        synchronized (this) {
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

    public Path file(String account, String feature) {
        return dir.resolve(account + "-" + feature + ".ndjson");
    }
}
