package io.opcamel.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an API answers; the server writes it, after the fault switches had their say. */
public record SandboxResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    public static final String JSON = "application/json; charset=utf-8";
    public static final String SCIM_JSON = "application/scim+json";

    public static SandboxResponse of(int status, String contentType, byte[] body) {
        return new SandboxResponse(status, contentType, body, new LinkedHashMap<>());
    }

    public static SandboxResponse json(int status, String json) {
        return of(status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    public static SandboxResponse empty(int status) {
        return of(status, null, new byte[0]);
    }

    public SandboxResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new SandboxResponse(status, contentType, body, h);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
