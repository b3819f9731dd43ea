package io.opcamel.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The filters the gateway passes to the bridge (normalised) and the ones it answers with 400 invalidFilter. */
class ScimFiltersTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        // IdP sends                                                       | the bridge gets
        "userName eq \"ada@example.com\"                                   | userName eq \"ada@example.com\"",
        "externalId eq jyoung                                              | externalId eq \"jyoung\"",
        "externalId eq 00ujl29u0le5T6Aj10h7                                | externalId eq \"00ujl29u0le5T6Aj10h7\"",
        "externalId eq 12345                                               | externalId eq \"12345\"",
        "externalId eq true                                                | externalId eq \"true\"",
        "UserName EQ \"Ada@Example.com\"                                   | userName eq \"Ada@Example.com\"",
        "urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"a@b.co\" | userName eq \"a@b.co\"",
        "userName eq \"a@b.co\" and externalId eq abc                      | userName eq \"a@b.co\" and externalId eq \"abc\"",
        "userName eq \"a@b.co\" AND  id eq \"QK3V7N2M5XJ4ZP6TB2RW8YCLHA\"  | userName eq \"a@b.co\" and id eq \"QK3V7N2M5XJ4ZP6TB2RW8YCLHA\"",
        "  userName   eq   \"spaced\"                                      | userName eq \"spaced\"",
        "userName eq \"with \\\"quotes\\\" and spaces\"                    | userName eq \"with \\\"quotes\\\" and spaces\"",
        "userName eq \"caf\\u00e9@example.com\"                            | userName eq \"café@example.com\"",
        "externalId eq jy\"oung                                            | externalId eq \"jy\\\"oung\"",
        "displayName eq \"Sales\"                                          | displayName eq \"Sales\"",
        "userName eq \"\"                                                  | userName eq \"\"",
    })
    void normalises(String sent, String normalised) {
        assertEquals(normalised, ScimFilters.normalise(sent));
        assertEquals(normalised, ScimFilters.normalise(normalised), "normalising is idempotent");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        // IdP sends                                                  | the detail says
        "''                                                           | filter is empty",
        "'   '                                                        | filter is empty",
        "emails[type eq \"work\"].value eq \"a@b.co\"                 | value paths and grouping",
        "(userName eq \"a@b.co\")                                     | value paths and grouping",
        "userName eq \"a@b.co\" or userName eq \"c@d.co\"             | 'or' is not supported",
        "not (userName eq \"a@b.co\")                                 | 'not' is not supported",
        "userName ne \"a@b.co\"                                       | operator 'ne' is not supported",
        "userName sw \"ada\"                                          | operator 'sw' is not supported",
        "userName pr                                                  | operator 'pr' is not supported",
        "meta.lastModified ge \"2026-05-21T00:00:00Z\"                | attribute 'meta.lastModified' cannot be filtered",
        "emails eq \"a@b.co\"                                         | attribute 'emails' cannot be filtered",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"1\" | cannot be filtered",
        "userName eq \"unterminated                                   | unterminated string",
        "userName eq                                                  | needs a value",
        "userName eq \"a@b.co\" and                                   | is incomplete",
        "displayName eq Sales Team                                    | expected 'and' at position",
        "userName == \"a@b.co\"                                       | expected an operator",
        "userName eq \"bad \\q escape\"                               | invalid escape",
        "userName\"a@b.co\"                                           | expected a space",
    })
    void refuses(String sent, String detail) {
        ScimError e = assertThrows(ScimError.class, () -> ScimFilters.normalise(sent));
        assertEquals(400, e.status());
        assertEquals("invalidFilter", e.scimType());
        assertTrue(e.detail().contains(detail), "detail '" + e.detail() + "' should contain '" + detail + "'");
    }

    @Test
    void eachEndpointFiltersOnlyItsOwnAttributes() {
        assertEquals("displayName eq \"Sales\"",
                ScimFilters.normalise("displayname eq Sales", ScimFilters.Endpoint.GROUPS));
        ScimError users = assertThrows(ScimError.class,
                () -> ScimFilters.normalise("displayName eq \"Sales\"", ScimFilters.Endpoint.USERS));
        assertTrue(users.detail().contains("use userName, externalId, id"), users.detail());
        ScimError groups = assertThrows(ScimError.class,
                () -> ScimFilters.normalise("userName eq \"a@b.co\"", ScimFilters.Endpoint.GROUPS));
        assertEquals("invalidFilter", groups.scimType());
    }

    @Test
    void noFilterStaysNoFilter() {
        assertNull(ScimFilters.normalise(null));
        assertNull(ScimFilters.normalise(null, ScimFilters.Endpoint.USERS));
    }
}
