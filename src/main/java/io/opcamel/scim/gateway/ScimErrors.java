package io.opcamel.scim.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The RFC 7644 s3.12 Error body every refusal of the gateway carries. */
public final class ScimErrors {

    public static final String ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
    static final ObjectMapper JSON = new ObjectMapper();

    private ScimErrors() {
    }

    public static byte[] body(int status, String scimType, String detail) {
        ObjectNode e = JSON.createObjectNode();
        e.putArray("schemas").add(ERROR_SCHEMA);
        e.put("status", Integer.toString(status)); // a string, as RFC 7644 s3.12 shows it
        if (scimType != null) {
            e.put("scimType", scimType);
        }
        if (detail != null) {
            e.put("detail", detail);
        }
        try {
            return JSON.writeValueAsBytes(e);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
