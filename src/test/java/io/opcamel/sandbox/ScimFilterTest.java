package io.opcamel.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The filter and PATCH-path grammar on its own, for the corners HTTP tests would make hard to read. */
class ScimFilterTest {

    private static final List<String> USER_ATTRS = List.of("userName", "externalId", "id");

    @Test
    void stringsFollowJsonEscapingAndMayContainOperatorWords() {
        ScimFilter f = ScimFilter.parse("userName eq \"a\\\"b and c@example.com\"", USER_ATTRS);
        assertEquals(List.of(new ScimFilter.Clause("userName", "a\"b and c@example.com")), f.clauses());
    }

    @Test
    void coreUrnQualifiedAttributesAndBooleansParse() {
        ScimFilter f = ScimFilter.parse("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"x\"\tAND id eq true",
                USER_ATTRS);
        assertEquals(List.of(new ScimFilter.Clause("userName", "x"), new ScimFilter.Clause("id", true)), f.clauses());
        assertFalse(f.matches(Map.of("userName", "x", "id", "true")::get, Set.of()), "true is not the string \"true\"");
    }

    @Test
    void caseSensitivityIsPerAttribute() {
        ScimFilter f = ScimFilter.parse("userName eq \"ADA\" and externalId eq \"e1\"", USER_ATTRS);
        assertTrue(f.matches(Map.of("userName", "ada", "externalId", "e1")::get, Set.of("userName")));
        assertFalse(f.matches(Map.of("userName", "ada", "externalId", "E1")::get, Set.of("userName")));
        assertFalse(f.matches(Map.of("userName", "ada")::get, Set.of("userName")), "an unset attribute never matches");
    }

    @Test
    void everythingOutsideEqAndAndIsInvalidFilter() {
        for (String bad : List.of("userName eq null", "userName eq 5", "(userName eq \"x\")", "not(userName eq \"x\")",
                "userName pr", "userName eq\"x\"", "userName eq \"x\" \"y\"", "   ")) {
            ScimException e = assertThrows(ScimException.class, () -> ScimFilter.parse(bad, USER_ATTRS), bad);
            assertEquals("invalidFilter", e.scimType(), bad);
            assertEquals(400, e.status());
        }
    }

    @Test
    void patchPathsSplitIntoAttributeFilterAndSubAttribute() {
        ScimPatch.Path p = ScimPatch.parsePath("emails[type eq \"wo]rk\"].value");
        assertEquals("emails", p.attribute());
        assertEquals("type eq \"wo]rk\"", p.filter());
        assertEquals("value", p.sub());
        ScimPatch.Path n = ScimPatch.parsePath("urn:ietf:params:scim:schemas:core:2.0:User:name.givenName");
        assertTrue(n.is("name", "givenName"));
        ScimPatch.Path m = ScimPatch.parsePath("members[value eq \"abc\"]");
        assertEquals("members", m.attribute());
        assertNull(m.sub());
        for (String bad : List.of("members[value eq \"x\"", "members[value eq \"x\"]x", "a b", "name.", "9lives")) {
            ScimException e = assertThrows(ScimException.class, () -> ScimPatch.parsePath(bad), bad);
            assertEquals("invalidPath", e.scimType(), bad);
        }
    }
}
