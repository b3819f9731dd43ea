package io.opcamel.normalise;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opcamel.events.FeedMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events a schema could not place: delivered all the same, marked (ECS {@code event.kind: pipeline_error}, OCSF
 * activity Other with the rest under {@code unmapped}), counted in {@code onepassword_events_unmapped_events_total}
 * (tags schema, feature, problem) and logged once per kind, so a new audit action 1Password ships shows up without flooding the log.
 */
public final class MappingProblems {

    private static final Logger LOG = LoggerFactory.getLogger(MappingProblems.class);

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public MappingProblems(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(String schema, String feature, String problem, String uuid) {
        String kind = schema + "/" + feature + "/" + problem;
        counters.computeIfAbsent(kind, k -> {
            LOG.warn("An event of {} could not be fully placed in {} ({}): it is delivered, marked as such; this is "
                    + "logged once, every one is counted in onepassword_events_unmapped_events_total (first: event {})",
                    feature, schema, problem, uuid);
            return Counter.builder(FeedMetrics.PREFIX + "unmapped")
                    .description("events a normalised schema could not fully place").baseUnit("events")
                    .tag("schema", schema).tag("feature", feature).tag("problem", problem).register(registry);
        }).increment();
    }
}
