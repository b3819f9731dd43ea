package io.opcamel.normalise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The mappers' documents as text: what Jackson would write for the same values, byte for byte. */
class DocTest {

    private static final ObjectMapper PAGES = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS); // as EventsPageReader reads pages

    @Test
    void anItemIsWrittenAsJacksonWritesIt() throws Exception {
        JsonNode item = PAGES.readTree("""
                {"uuid":"56YE2TYN2VFYRLNSHKPW5NVT5E","n":1.50,"big":12345678901234567890,"e":1E+3,"neg":-0.0,
                 "t":true,"nil":null,"text":"quote \\" backslash \\\\ tab \\t nl \\n ctl \\u0001 é 😀 </script>",
                 "nested":{"a":[1,null,{"b":[]}],"o":{}},"arr":[]}""");
        Doc env = new Doc().put("account", "demo").set("event", item);
        assertEquals("{\"account\":\"demo\",\"event\":" + PAGES.writeValueAsString(item) + "}", env.toString());
    }

    @Test
    void aNamePutAgainKeepsItsPlaceWithTheNewValue() {
        Doc d = new Doc().put("a", "1").put("b", 2).put("a", true);
        d.putObject("o").put("x", "y");
        d.putArray("list").add("one").add(new Doc().put("k", 3L)).addObject().put("z", false);
        assertEquals("{\"a\":true,\"b\":2,\"o\":{\"x\":\"y\"},\"list\":[\"one\",{\"k\":3},{\"z\":false}]}", d.toString());
        assertEquals("true", d.text("a"));
        assertEquals("y", d.doc("o").text("x"));
        assertNull(d.text("o"));
        assertNull(d.doc("missing"));
    }

    @Test
    void writtenFieldsGoInTheirPlaceWithTheirCommas() {
        Doc.Written head = Doc.writtenFields(new Doc().put("class_name", "Authentication").put("status_id", 1));
        Doc d = new Doc().put("class_uid", 3002).written(head).put("time", 5L);
        assertEquals("{\"class_uid\":3002,\"class_name\":\"Authentication\",\"status_id\":1,\"time\":5}", d.toString());
        assertEquals("{\"a\":1,\"class_name\":\"Authentication\",\"status_id\":1}",
                new Doc().put("a", 1).written(head).toString());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> new Doc().written(head));
    }

    @Test
    void documentsOneAfterAnotherOnOneThreadShareNothing() {
        String first = new Doc().put("a", "x".repeat(5_000)).toString();
        String second = new Doc().put("b", 1).toString();
        assertEquals(5_008, first.length());
        assertEquals("{\"b\":1}", second);
    }
}
