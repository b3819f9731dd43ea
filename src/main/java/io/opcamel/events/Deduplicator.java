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
 * <p>A crash between the sink's acknowledgement and that remembering is covered by seeding: before a feed's first
 * page in this process, its repository learns the uuids the sinks themselves hold at their tail, which is where
 * everything after the last saved cursor landed. Seeding runs on the poll path, so a sink that is down at start
 * fails the poll (the cursor stays) and is read again on the next one.
 */
public final class Deduplicator {

    private final BiFunction<String, String, IdempotentRepository> repositoryFactory;
    private final Map<String, IdempotentRepository> repositories = new ConcurrentHashMap<>();
    private final Set<String> seeded = ConcurrentHashMap.newKeySet();
    private volatile BiFunction<String, String, Collection<String>> sinkTail = (a, f) -> Set.of();

    public Deduplicator(BiFunction<String, String, IdempotentRepository> repositoryFactory) {
        this.repositoryFactory = repositoryFactory;
    }

    /** Where a feed's delivered-but-maybe-unremembered uuids are read from: the sinks' tails. */
    public Deduplicator seedFrom(BiFunction<String, String, Collection<String>> tail) {
        this.sinkTail = tail;
        return this;
    }

    /** The default: one {@link FileUuidRepository} per feed under {@code dir}, keeping the newest {@code capacity} uuids. */
    public static Deduplicator files(Path dir, int capacity) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the dedupe folder " + dir
                    + " (property onepassword.events.dedupe.dir)", e);
        }
        return new Deduplicator((account, feature) -> new FileUuidRepository(
                dir.resolve(account + "-" + feature + ".uuids"), capacity));
    }

    /**
     * Several instances: one repository for every feed, e.g. a {@link KafkaDedupeRepository} the instances share
     * (uuids are unique across feeds, so one set serves them all; its own cache size bounds the memory).
     */
    public static Deduplicator shared(IdempotentRepository repository) {
        return new Deduplicator((account, feature) -> repository);
    }

    /** The page without the events already delivered, nor a second copy of an event the page repeats. */
    public EventPage dropDelivered(EventPage page, String account, String feature) {
        IdempotentRepository repo = repository(account, feature);
        if (!seeded.contains(account + "/" + feature)) {
            seed(account, feature, sinkTail.apply(account, feature));
            seeded.add(account + "/" + feature);
        }
        Set<String> inPage = new HashSet<>();
        List<JsonNode> fresh = new ArrayList<>(page.size());
        for (JsonNode item : page.items()) {
            String uuid = item.path("uuid").asText("");
            if (uuid.isEmpty() || (inPage.add(uuid) && !repo.contains(uuid))) {
                fresh.add(item); // an event without a uuid cannot be deduplicated: deliver rather than lose it
            }
        }
        return fresh.size() == page.size() ? page
                : new EventPage(page.cursor(), page.hasMore(), fresh, page.size() - fresh.size());
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
        flush(repo);
    }

    private static void flush(IdempotentRepository repo) {
        if (repo instanceof java.io.Flushable f) {
            try {
                f.flush();
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Seeds the feed's repository with uuids known to be in the sink. */
    public void seed(String account, String feature, Collection<String> delivered) {
        IdempotentRepository repo = repository(account, feature);
        for (String uuid : delivered) {
            repo.add(uuid);
        }
        flush(repo);
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
