package io.opcamel.sink;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.events.EventPage;
import io.opcamel.normalise.EventSchema;
import io.opcamel.normalise.EventSchemas;
import io.opcamel.normalise.Mapped;
import io.opcamel.normalise.MappingProblems;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A page's events as each sink writes them: in the schema the sink has for the page's account (raw, ecs or ocsf,
 * {@link EventSchemas}), mapped once per schema however many sinks share it, with one receive time for them all.
 */
public final class EventRecords {

    private final EventSchemas schemas;
    private final MappingProblems problems;
    private final Clock clock;
    private final Map<String, String> schemaOfSink = new ConcurrentHashMap<>();

    public EventRecords(EventSchemas schemas, MappingProblems problems, Clock clock) {
        this.schemas = schemas;
        this.problems = problems;
        this.clock = clock;
    }

    /** A page as it was received now, for its sinks to take in their schemas. */
    public PageRecords page(EventPage page, String account, String feature) {
        return new PageRecords(page, account, feature, clock.instant());
    }

    /** The page's records in the schema this sink writes for the page's account. */
    public List<SinkRecord> forSink(PageRecords page, String sink) {
        String schema = schemaOfSink.computeIfAbsent(sink + "/" + page.account,
                k -> schemas.nameFor(sink, page.account));
        return page.mapped.computeIfAbsent(schema,
                s -> records(page.page, page.account, page.feature, s, page.receivedAt));
    }

    /** The page's records in one schema, in page order. */
    public List<SinkRecord> records(EventPage page, String account, String feature, String schema,
            Instant receivedAt) {
        EventSchema mapper = schemas.named(schema);
        String received = receivedAt.toString();
        List<SinkRecord> out = new ArrayList<>(page.size());
        for (JsonNode item : page.items()) {
            Mapped m = mapper.map(item, account, feature, receivedAt);
            String uuid = item.path("uuid").asText();
            if (m.problem() != null) {
                problems.count(schema, feature, m.problem(), uuid);
            }
            String time = item.path("timestamp").asText("");
            out.add(new SinkRecord(uuid, m.json(), time.isEmpty() ? received : time, m.eventClass(),
                    schema));
        }
        return out;
    }

    /** One page on its way to the sinks: what every sink's records are made from, and those made so far. */
    public static final class PageRecords {

        private final EventPage page;
        private final String account;
        private final String feature;
        private final Instant receivedAt;
        private final Map<String, List<SinkRecord>> mapped = new ConcurrentHashMap<>();

        PageRecords(EventPage page, String account, String feature, Instant receivedAt) {
            this.page = page;
            this.account = account;
            this.feature = feature;
            this.receivedAt = receivedAt;
        }
    }
}
