package io.opcamel.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The RFC 7644 §3.12 Error body. */
class ScimErrorTest {

    @Test
    void bodyHasTheStatusAsAString() throws Exception {
        JsonNode json = ScimError.invalidValue("active must be a boolean").toJson();
        assertEquals(Golden.JSON.readTree("""
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400",
                 "scimType":"invalidValue","detail":"active must be a boolean"}"""), json);
        assertEquals("400", json.get("status").textValue());
    }

    @Test
    void noScimTypeWhenRfc7644DefinesNone() {
        JsonNode json = new ScimError(403, null, "not a managed group").toJson();
        assertFalse(json.has("scimType"));
        assertEquals("403", json.get("status").textValue());
    }

    @Test
    void aGuardrailRefusalNamesItsRule() {
        ScimError e = ScimError.guardrail(new GuestUsers(true), 400, "invalidValue", "userType is 'Guest'");
        assertEquals("guardrail guest-users: userType is 'Guest'", e.detail());
        assertEquals("guest-users", e.guardrail());
        assertNull(ScimError.invalidSyntax("x").guardrail());
    }

    @Test
    void aGatewayCheckNamesItselfButNeverRenamesAGuardrail() {
        ScimError check = ScimError.invalidFilter("'or' is not supported").by("filter");
        assertEquals("filter", check.rule());
        assertNull(check.guardrail(), "a gateway check is not a guardrail");
        assertEquals("invalidFilter", check.scimType());
        assertEquals("filter", check.by("normalise").rule(), "the first name given stays");
        ScimError refusal = ScimError.guardrail(new GuestUsers(true), 400, "invalidValue", "guest");
        assertEquals("guest-users", refusal.by("normalise").rule());
        assertEquals("guest-users", refusal.by("normalise").guardrail());
        assertNull(ScimError.invalidSyntax("x").rule());
    }

    @Test
    void onlyErrorStatuses() {
        assertThrows(IllegalArgumentException.class, () -> new ScimError(200, null, "fine"));
    }
}
