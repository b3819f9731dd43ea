package io.opcamel.reconcile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;

/**
 * The JSON form of the desired state: one array of people, {@code [{"email": ..., "givenName": ...,
 * "familyName": ..., "groups": [...]}, ...]}. Streamed: one person at a time is a tree, never the whole array, so a
 * source of 100,000 people costs what the people cost. A record is named by its position and line.
 */
final class JsonPeople {

    static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private JsonPeople() {
    }

    static DesiredState read(InputStream in, String source) throws IOException {
        DesiredState desired = new DesiredState(source);
        int record = 0;
        try (JsonParser p = JSON.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_ARRAY) {
                throw desired.malformed("line " + p.currentTokenLocation().getLineNr(),
                        "expected a JSON array of people, got " + (t == null ? "nothing" : p.getText()));
            }
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                record++;
                String where = "record " + record + " (line " + p.currentTokenLocation().getLineNr() + ")";
                if (t == null) {
                    throw desired.malformed(where, "the array is not closed (the source ends early)");
                }
                if (t != JsonToken.START_OBJECT) {
                    throw desired.malformed(where, "expected a person (a JSON object), got " + p.getText());
                }
                desired.add(JSON.readTree(p), where);
            }
            if (p.nextToken() != null) {
                throw desired.malformed("line " + p.currentTokenLocation().getLineNr(), "more after the array");
            }
        } catch (JsonProcessingException e) {
            throw desired.malformed("record " + Math.max(1, record) + " (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")", "not valid JSON: " + e.getOriginalMessage());
        }
        return desired;
    }
}
