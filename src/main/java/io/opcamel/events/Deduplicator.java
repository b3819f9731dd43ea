package io.opcamel.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Keeps an event from reaching the sink twice. Each feed has a persistent, bounded repository of the uuids it
 * delivered (Camel's {@link IdempotentRepository}: a file by default). A page drops what the repository knows
 * before delivery, and its uuids are remembered after the sink acknowledged them.
 *
 * <p>A crash between the sink's acknowledgement and that remembering is covered at start: the repository is
 * seeded with the uuids the sink itself holds at its tail, which is where everything after the last saved cursor
 * landed.
 */
public final class Deduplicator {

    private final BiFunction<String, String, IdempotentRepository> repositoryFactory;
    private final Map<String, IdempotentRepository> repositories = new ConcurrentHashMap<>();

    public Deduplicator(BiFunction<String, String, IdempotentRepository> repositoryFactory) {
        this.repositoryFactory = repositoryFactory;
    }

    /** The default: one FileIdempotentRepository per feed under {@code dir}, keeping the newest {@code capacity} uuids. */
    public static Deduplicator files(Path dir, int capacity) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the dedupe folder " + dir
                    + " (property onepassword.events.dedupe.dir)", e);
        }
        return new Deduplicator((account, feature) -> org.apache.camel.support.processor.idempotent
                .FileIdempotentRepository.fileIdempotentRepository(
                        dir.resolve(account + "-" + feature + ".uuids").toFile(), capacity, (long) capacity * 40));
    }

    /** The page without the events already delivered, nor a second copy of an event the page repeats. */
    public EventPage dropDelivered(EventPage page, String account, String feature) {
        IdempotentRepository repo = repository(account, feature);
        Set<String> inPage = new HashSet<>();
        List<JsonNode> fresh = new ArrayList<>(page.size());
        for (JsonNode item : page.items()) {
            String uuid = item.path("uuid").asText("");
            if (uuid.isEmpty() || (inPage.add(uuid) && !repo.contains(uuid))) {
                fresh.add(item); // an event without a uuid cannot be deduplicated: deliver rather than lose it
            }
        }
        return fresh.size() == page.size() ? page : new EventPage(page.cursor(), page.hasMore(), fresh);
    }

    /** Records that the page's events were acknowledged by the sink. */
    public void rememberDelivered(EventPage page, String account, String feature) {
        IdempotentRepository repo = repository(account, feature);
        for (JsonNode item : page.items()) {
            String uuid = item.path("uuid").asText("");
            if (!uuid.isEmpty()) {
                repo.add(uuid);
            }
        }
    }

    /** Seeds the feed's repository with uuids known to be in the sink. */
    public void seed(String account, String feature, Collection<String> delivered) {
        IdempotentRepository repo = repository(account, feature);
        for (String uuid : delivered) {
            repo.add(uuid);
        }
    }

    public boolean delivered(String account, String feature, String uuid) {
        return repository(account, feature).contains(uuid);
    }

    /** Stops every repository (flushing what it keeps in memory). */
    public void close() {
        repositories.values().forEach(ServiceHelper::stopService);
    }

    private IdempotentRepository repository(String account, String feature) {
        return repositories.computeIfAbsent(account + "/" + feature, k -> {
            IdempotentRepository r = repositoryFactory.apply(account, feature);
            ServiceHelper.startService(r);
            return r;
        });
    }
}
