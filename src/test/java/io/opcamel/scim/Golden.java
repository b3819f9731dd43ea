package io.opcamel.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opcamel.GoldenJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The golden-fixture mechanics the SCIM tests share: a case folder holds its input and either expected.json (the
 * body that goes on) or expected-error.json (the SCIM error the IdP gets). -Dgolden.update=true rewrites them from
 * what the code does now; review the diff.
 */
final class Golden {

    static final ObjectMapper JSON = GoldenJson.JSON;
    static final boolean UPDATE = GoldenJson.UPDATE;

    /** What a case produced: a body, or a SCIM error. */
    record Outcome(JsonNode body, ScimError error) {

        static Outcome of(ThrowingSupplier run) {
            try {
                return new Outcome(run.get(), null);
            } catch (ScimError e) {
                return new Outcome(null, e);
            }
        }

        JsonNode json() {
            return error != null ? error.toJson() : body;
        }
    }

    @FunctionalInterface
    interface ThrowingSupplier {
        JsonNode get();
    }

    private Golden() {
    }

    static List<String> cases(Path root) throws IOException {
        return GoldenJson.cases(root);
    }

    static JsonNode read(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    /** Compares the outcome with the case's expected file, or writes it when updating. */
    static void check(Path caseDir, Outcome outcome) throws IOException {
        Path expected = caseDir.resolve("expected.json");
        Path expectedError = caseDir.resolve("expected-error.json");
        Path actualFile = outcome.error() != null ? expectedError : expected;
        if (UPDATE) {
            Files.deleteIfExists(outcome.error() != null ? expected : expectedError);
            Files.writeString(actualFile, JSON.writeValueAsString(outcome.json()) + "\n");
            return;
        }
        boolean hasExpected = Files.exists(expected);
        boolean hasError = Files.exists(expectedError);
        assertTrue(hasExpected ^ hasError, caseDir + " needs exactly one of expected.json and expected-error.json");
        if (outcome.error() != null && hasExpected) {
            fail(caseDir + ": expected a body but got " + outcome.json());
        }
        if (outcome.error() == null && hasError) {
            fail(caseDir + ": expected " + read(expectedError) + " but got the body " + outcome.json());
        }
        assertEquals(read(actualFile), outcome.json(), "differs from " + actualFile);
    }
}
