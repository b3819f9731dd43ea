package io.opcamel.events;

import io.opcamel.config.KafkaClients;
import io.opcamel.config.KafkaReachability;
import io.opcamel.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Where a feed's state lives, chosen from config: its cursor ({@code onepassword.events.cursor.store}) and the uuids
 * it delivered ({@code onepassword.events.dedupe.store}), each in local files (the default) or in Kafka topics
 * that several instances of the bundle share, so that a feed can move from one instance to another. What needs
 * closing is registered with the CamelContext, which closes it on stop.
 */
public final class FeedStateStores {

    public static final String CURSOR_STORE = "onepassword.events.cursor.store";
    public static final String DEDUPE_STORE = "onepassword.events.dedupe.store";

    private FeedStateStores() {
    }

    /** The cursor store: {@link FileCursorStore} or {@link KafkaCursorStore}. */
    public static CursorStore cursorStore(Settings settings, Clock clock, CamelContext context) throws Exception {
        if (!kafka(settings, CURSOR_STORE)) {
            return new FileCursorStore(Path.of(settings.required("onepassword.events.cursor.dir")), clock);
        }
        KafkaClients clients = KafkaClients.of(context, settings.required(KafkaCursorStore.BROKERS_KEY));
        Duration timeout = settings.positiveDuration("onepassword.events.cursor.kafka.timeout");
        KafkaCursorStore store = KafkaCursorStore.open(clients, settings.kafkaTopic(KafkaCursorStore.TOPIC_KEY), timeout,
                clock);
        KafkaReachability.watch(context, KafkaCursorStore.BROKERS_KEY, clients, timeout, "the cursor store");
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                store.close();
            }
        });
        return store;
    }

    /**
     * The deduplicator: a {@link FileUuidRepository} per feed, or one {@link KafkaDedupeRepository} shared by the
     * feeds, whose cache holds {@code onepassword.events.dedupe.capacity} uuids per feed.
     */
    public static Deduplicator deduplicator(Settings settings, EventsAccounts accounts, CamelContext context)
            throws Exception {
        int capacity = settings.integer("onepassword.events.dedupe.capacity",
                settings.required("onepassword.events.dedupe.capacity"), 1000, 100_000_000);
        if (!kafka(settings, DEDUPE_STORE)) {
            return Deduplicator.files(Path.of(settings.required("onepassword.events.dedupe.dir")), capacity);
        }
        long feeds = Math.max(1, accounts.all().stream().mapToLong(a -> a.features().size()).sum());
        KafkaClients clients = KafkaClients.of(context, settings.required(KafkaDedupeRepository.BROKERS_KEY));
        Duration timeout = settings.positiveDuration("onepassword.events.dedupe.kafka.timeout");
        KafkaDedupeRepository repo = KafkaDedupeRepository.create(clients,
                settings.kafkaTopic("onepassword.events.dedupe.kafka.topic"),
                (int) Math.min(Integer.MAX_VALUE, capacity * feeds), timeout);
        KafkaReachability.watch(context, KafkaDedupeRepository.BROKERS_KEY, clients, timeout, "the dedupe store");
        context.addService(repo); // started with the context (it reads the topic then), stopped with it
        return Deduplicator.shared(repo);
    }

    /** For the start-up log: where the cursors are. */
    public static String describe(CursorStore cursors, Settings settings) {
        return cursors instanceof KafkaCursorStore k ? k.toString() : settings.required("onepassword.events.cursor.dir");
    }

    private static boolean kafka(Settings settings, String key) {
        return settings.oneOf(key, "file", "kafka").equals("kafka");
    }
}
