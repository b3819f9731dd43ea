package io.opcamel.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One HTTP request as the sandbox's APIs see it: already read, so handlers are plain functions. */
public record SandboxRequest(String method, String path, String rawQuery, Map<String, List<String>> headers,
        byte[] body) {

    /** The header's first value, matched case-insensitively, or null. */
    public String header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    /** The bearer token of the Authorization header, or null when there is none or the scheme is not Bearer. */
    public String bearerToken() {
        String auth = header("Authorization");
        if (auth == null || auth.length() < 7 || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = auth.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Decoded query parameters, first value wins. */
    public Map<String, String> query() {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Collections.emptyMap();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.putIfAbsent(k, v);
        }
        return out;
    }

    public String contentType() {
        String ct = header("Content-Type");
        return ct == null ? "" : ct.toLowerCase(Locale.ROOT);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a malformed escape stays as sent: the API decides whether that is an error
        }
    }
}
