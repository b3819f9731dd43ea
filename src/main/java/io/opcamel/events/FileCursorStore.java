package io.opcamel.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The default cursor store: one small JSON file per account and feature. A save writes a temporary file, forces
 * it to disk, renames it over the old one and forces the folder, so a crash leaves either the old cursor or the
 * new one, never a torn file.
 */
public final class FileCursorStore implements CursorStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Clock clock;

    public FileCursorStore(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the cursor folder " + dir
                    + " (property onepassword.events.cursor.dir)", e);
        }
    }

    @Override
    public Optional<Instant> savedAt(String account, String feature) {
        return read(account, feature).filter(node -> node.path("saved_at").isTextual())
                .map(node -> Instant.parse(node.path("saved_at").asText()));
    }

    @Override
    public Optional<String> load(String account, String feature) {
        return read(account, feature).map(node -> node.path("cursor").asText());
    }

    private Optional<JsonNode> read(String account, String feature) {
        Path file = file(account, feature);
        try {
            JsonNode node = JSON.readTree(Files.readAllBytes(file));
            JsonNode cursor = node.path("cursor");
            if (!cursor.isTextual() || cursor.asText().isEmpty()) {
                throw new IllegalStateException("cursor file " + file + " has no cursor: fix or remove it");
            }
            return Optional.of(node);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cursor file " + file, e);
        }
    }

    @Override
    public synchronized void save(String account, String feature, String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            throw new IllegalArgumentException("refusing to save an empty cursor for " + account + "/" + feature);
        }
        Path file = file(account, feature);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Map<String, String> content = new LinkedHashMap<>();
        content.put("account", account);
        content.put("feature", feature);
        content.put("cursor", cursor);
        content.put("saved_at", clock.instant().toString());
        try {
            byte[] bytes = JSON.writeValueAsBytes(content);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save cursor file " + file, e);
        }
    }

    private void forceDirectory() {
        // makes the rename itself durable; not every platform lets a folder be opened, and that is fine
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }

    Path file(String account, String feature) {
        return dir.resolve(account + "-" + feature + ".cursor.json");
    }
}
