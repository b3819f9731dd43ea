package io.opcamel.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What golden SCIM fixtures compare, read off a sandbox bridge: the calls that reached it (from its request log), and
 * everything it holds (including what SCIM does not show: 1Password states, group members); with the bridge's ids
 * masked as {@code <id-N>} (numbered in order of first appearance: users, then groups) and timestamps as
 * {@code <time>}, so a fixture reads the same on every run. Fixtures refer to ids the same way ({@link #unmask}).
 */
public final class BridgeGolden {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("<id-(\\d+)>");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

    private final Sandbox sandbox;
    private final Map<String, String> byId = new LinkedHashMap<>();
    private final Map<String, String> byToken = new HashMap<>();

    public BridgeGolden(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** Users and groups the bridge has before a sequence starts ({@code setup}: users[], groups[] with members). */
    public void setUp(JsonNode setup) {
        for (JsonNode u : setup.path("users")) {
            ScimUser user = sandbox.bridge().addUser(u.path("userName").asText(), u.path("givenName").asText(),
                    u.path("familyName").asText());
            if (u.path("suspended").asBoolean()) {
                sandbox.bridge().suspend(user.id());
            }
            learn();
        }
        for (JsonNode g : setup.path("groups")) {
            List<String> members = new ArrayList<>();
            g.path("members").forEach(m -> members.add(unmask(m.asText())));
            sandbox.bridge().addGroup(g.path("displayName").asText(), members.toArray(String[]::new));
            learn();
        }
    }

    /** Numbers the ids the bridge has that are not numbered yet, in its creation order (users, then groups). */
    public void learn() {
        sandbox.bridge().users().forEach(u -> add(u.id()));
        sandbox.bridge().groups().forEach(g -> add(g.id()));
    }

    private void add(String id) {
        if (!byId.containsKey(id)) {
            String token = "<id-" + (byId.size() + 1) + ">";
            byId.put(id, token);
            byToken.put(token, id);
        }
    }

    /** The SCIM calls the bridge got after request number {@code since} of its log, masked. */
    public ArrayNode callsSince(long since) {
        ArrayNode calls = JSON.createArrayNode();
        for (LoggedRequest l : sandbox.requests().since(since)) {
            if (!l.api().equals("scim")) {
                continue;
            }
            ObjectNode c = calls.addObject();
            c.put("method", l.method());
            c.put("path", text(l.path()));
            if (l.query() != null && !l.query().isEmpty()) {
                c.put("query", text(URLDecoder.decode(l.query(), StandardCharsets.UTF_8)));
            }
            if (l.body() != null && !l.body().isEmpty()) {
                try {
                    c.set("body", json(JSON.readTree(l.body())));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            c.put("status", l.status());
        }
        return calls;
    }

    /** What the bridge holds, masked. */
    public JsonNode state() {
        ObjectNode s = JSON.createObjectNode();
        ArrayNode users = s.putArray("users");
        for (ScimUser u : sandbox.bridge().users()) {
            ObjectNode o = users.addObject();
            o.put("id", u.id());
            o.put("userName", u.userName());
            o.put("displayName", u.displayName());
            o.put("givenName", u.givenName());
            o.put("familyName", u.familyName());
            ArrayNode emails = o.putArray("emails");
            for (ScimEmail e : u.emails()) {
                emails.addObject().put("value", e.value()).put("primary", e.primary());
            }
            o.put("externalId", u.externalId());
            o.put("state", u.state().name());
            ArrayNode groups = o.putArray("groups");
            u.groupIds().forEach(groups::add);
        }
        ArrayNode groups = s.putArray("groups");
        for (ScimGroup g : sandbox.bridge().groups()) {
            ObjectNode o = groups.addObject();
            o.put("id", g.id());
            o.put("displayName", g.displayName());
            o.put("externalId", g.externalId());
            ArrayNode members = o.putArray("members");
            g.memberIds().forEach(members::add);
        }
        return json(s);
    }

    /** {@code <id-N>} back to the bridge's id. */
    public String unmask(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String id = byToken.get(m.group());
            if (id == null) {
                throw new IllegalStateException(m.group() + " is used before the bridge has it");
            }
            m.appendReplacement(b, Matcher.quoteReplacement(id));
        }
        m.appendTail(b);
        return b.toString();
    }

    public String text(String s) {
        String out = s;
        for (Map.Entry<String, String> e : byId.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return TIME.matcher(out).replaceAll("<time>");
    }

    public JsonNode json(JsonNode n) {
        if (n == null) {
            return null;
        }
        if (n.isTextual()) {
            return TextNode.valueOf(text(n.textValue()));
        }
        if (n.isArray()) {
            ArrayNode a = JSON.createArrayNode();
            n.forEach(e -> a.add(json(e)));
            return a;
        }
        if (n.isObject()) {
            ObjectNode o = JSON.createObjectNode();
            n.properties().forEach(e -> o.set(e.getKey(), json(e.getValue())));
            return o;
        }
        return n;
    }
}
