package io.opcamel.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The published JSON Schema of a command (schema/lifecycle-command.schema.json, in the jar) and the reader agree. */
class LifecycleCommandSchemaTest {

    @Test
    void theSchemaNamesExactlyTheFieldsTheReaderTakesAndRequiresWhatItRequires() throws Exception {
        JsonNode schema;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("schema/lifecycle-command.schema.json")) {
            schema = new ObjectMapper().readTree(in);
        }
        Set<String> properties = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(properties::add);
        assertEquals(new TreeSet<>(LifecycleCommands.FIELDS), properties);
        assertEquals(false, schema.path("additionalProperties").asBoolean(true), "unknown fields are refused");
        Set<String> required = new TreeSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        assertEquals(Set.of("requestId", "type", "email"), required);
        List<String> types = new java.util.ArrayList<>();
        schema.path("properties").path("type").path("enum").forEach(t -> types.add(t.asText()));
        assertEquals(List.of("joiner", "mover", "leaver", "rejoiner"),
                java.util.Arrays.stream(LifecycleCommand.Type.values()).map(LifecycleCommand.Type::label).toList());
        assertEquals(types, java.util.Arrays.stream(LifecycleCommand.Type.values()).map(LifecycleCommand.Type::label)
                .toList());
        assertEquals(LifecycleCommands.REQUEST_ID.pattern(), schema.path("properties").path("requestId")
                .path("pattern").asText().replaceAll("^\\^|\\$$", ""));
    }
}
