package io.opcamel.normalise;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.Settings;
import io.opcamel.normalise.ecs.EcsSchema;
import io.opcamel.normalise.ocsf.OcsfSchema;
import java.util.HashMap;
import java.util.Map;

/**
 * Which schema each sink writes for each account: onepassword.events.&lt;account&gt;.sink.&lt;type&gt;.schema, else
 * onepassword.sink.&lt;type&gt;.schema (raw, ecs or ocsf), with the schemas' own options
 * (onepassword.normalise.*). A Kafka topic of OCSF and a file of raw from the same feed is a normal set-up.
 */
public final class EventSchemas {

    public static final String RAW = "raw";
    public static final String ECS = "ecs";
    public static final String OCSF = "ocsf";

    static final String ECS_VERSION = "onepassword.normalise.ecs.version";
    static final String ECS_ORIGINAL = "onepassword.normalise.ecs.original";
    static final String OCSF_VERSION = "onepassword.normalise.ocsf.version";
    static final String OCSF_RAW_DATA = "onepassword.normalise.ocsf.raw-data";

    private final Settings settings;
    private final Map<String, EventSchema> byName = new HashMap<>();

    public EventSchemas(Settings settings) {
        this.settings = settings;
        byName.put(RAW, new RawSchema());
        byName.put(ECS, new EcsSchema(version(ECS_VERSION), settings.bool(ECS_ORIGINAL)));
        byName.put(OCSF, new OcsfSchema(version(OCSF_VERSION), settings.bool(OCSF_RAW_DATA)));
    }

    /** The schema's name a sink writes for an account; a bad value names the key that holds it. */
    public String nameFor(String sink, String account) {
        String key = settings.keyInForce("onepassword.events." + account + ".sink." + sink + ".schema",
                "onepassword.sink." + sink + ".schema");
        return settings.oneOf(key, RAW, ECS, OCSF);
    }

    public EventSchema named(String name) {
        EventSchema schema = byName.get(name);
        if (schema == null) {
            throw new IllegalArgumentException("no event schema '" + name + "': expected raw, ecs or ocsf");
        }
        return schema;
    }

    /** The event uuid of a document in any of the schemas: raw's event.uuid, ECS's event.id, OCSF's metadata.uid. */
    public static String uuidOf(JsonNode document) {
        JsonNode event = document.path("event");
        String uuid = event.path("uuid").asText("");
        if (uuid.isEmpty()) {
            uuid = event.path("id").asText("");
        }
        return uuid.isEmpty() ? document.path("metadata").path("uid").asText("") : uuid;
    }

    private String version(String key) {
        String v = settings.required(key);
        if (!v.matches("\\d+\\.\\d+\\.\\d+")) {
            throw new InvalidConfigException(key, "must be a schema version such as 1.8.0, got '" + v + "'");
        }
        return v;
    }
}
