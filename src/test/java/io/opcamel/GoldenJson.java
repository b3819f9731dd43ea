package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The golden-fixture folders' one comparison: what the code did now against the expected JSON file, equal as JSON.
 * {@code -Dgolden.update=true} rewrites the file from what the code does now instead (review the diff).
 */
public final class GoldenJson {

    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    private GoldenJson() {
    }

    public static void assertMatches(Path expected, JsonNode actual, String what) throws IOException {
        if (UPDATE) {
            Files.writeString(expected, JSON.writeValueAsString(actual) + "\n");
            return;
        }
        assertTrue(Files.exists(expected), expected + " is missing (regenerate with -Dgolden.update=true)");
        assertEquals(JSON.readTree(expected.toFile()), actual, what + ": differs from " + expected);
    }
}
