package io.opcamel.normalise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.Docs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The docs' example documents (the section "Normalised output: ECS and OCSF", docs/output-formats.md) are golden
 * cases: each block marked {@code <!-- golden: <path under src/test/resources> -->} equals that file as JSON, so the
 * documentation shows what the mappers write today; and each schema shows one document per feed.
 */
class ReadmeExamplesTest {

    private static final Pattern BLOCK = Pattern.compile("<!-- golden: (\\S+) -->\\n```json\\n(.*?)\\n```",
            Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyExampleIsItsGoldenCaseAndEachSchemaShowsEveryFeed() throws Exception {
        Matcher m = BLOCK.matcher(Docs.section("Normalised output: ECS and OCSF"));
        Set<String> shown = new TreeSet<>();
        while (m.find()) {
            Path golden = Path.of("src/test/resources").resolve(m.group(1));
            assertTrue(Files.exists(golden), "the docs show " + golden + ", which is no golden file");
            assertEquals(JSON.readTree(golden.toFile()), JSON.readTree(m.group(2)), "the docs' example of " + golden
                    + " (regenerate the block from the file)");
            String[] parts = m.group(1).split("/");
            if (parts[parts.length - 1].equals("expected.json")) {
                shown.add(parts[1] + "/" + parts[2]);
            }
        }
        assertEquals(Set.of("ecs/auditevents", "ecs/itemusages", "ecs/signinattempts", "ocsf/auditevents",
                "ocsf/itemusages", "ocsf/signinattempts"), shown, "one example document per schema and feed");
    }
}
