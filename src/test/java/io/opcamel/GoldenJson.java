package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The golden-fixture folders' mechanics: the case folders of a root, and the one comparison of what the code did now
 * against an expected JSON file, equal as JSON.
 * {@code -Dgolden.update=true} rewrites the file from what the code does now instead (review the diff).
 */
public final class GoldenJson {

    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final boolean UPDATE = Boolean.getBoolean("golden.update");

    private GoldenJson() {
    }

    /** The case folders under {@code root}, by name, sorted. */
    public static List<String> cases(Path root) throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
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
