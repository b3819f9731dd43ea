package io.opcamel.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Where the generated event streams begin, kept in the state folder ({@code onepassword.sandbox.state-dir}) so a
 * restarted sandbox serves the same account: the same events at the same positions, plus those "happened" while it
 * was down. A real account does not start over when the bundle restarts: the bundle's saved cursor still points into
 * it, and its next poll gets only what is new. Kept per seed: another seed is another account.
 */
final class EventsOrigin {

    private EventsOrigin() {
    }

    /** The origin kept for this seed, or {@code fresh}, then kept; no folder: {@code fresh}, kept nowhere. */
    static Instant of(Path stateDir, long seed, Instant fresh) {
        if (stateDir == null) {
            return fresh;
        }
        Path file = stateDir.resolve("events-origin-" + seed + ".txt");
        try {
            if (Files.exists(file)) {
                try {
                    return Instant.parse(Files.readString(file, StandardCharsets.US_ASCII).strip());
                } catch (DateTimeParseException unreadable) {
                    // not ours to guess: start a new account, as a missing file would
                }
            }
            Files.createDirectories(stateDir);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, fresh + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException("sandbox state in " + stateDir + " (property " + SandboxConfig.PREFIX
                    + "state-dir): " + e.getMessage(), e);
        }
    }
}
