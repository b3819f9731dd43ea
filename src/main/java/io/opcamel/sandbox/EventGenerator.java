package io.opcamel.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes generated events with every documented field. Enum values are cycled by index so that every documented
 * value appears within a short run; everything else is drawn from a generator seeded by the event, so the same
 * index always gives the same event. v1 events lack the MSP fields, as in the API.
 */
final class EventGenerator {

    private static final String[] FIRST = {"Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "Dennis",
        "Barbara", "Ken", "Frances", "Edsger", "Radia", "Tim", "Hedy", "John", "Annie"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton",
        "Ritchie", "Liskov", "Thompson", "Allen", "Dijkstra", "Perlman", "Berners-Lee", "Lamarr", "Backus", "Easley"};
    private static final String[][] PLACES = {
        {"Canada", "Ontario", "Toronto", "43.64", "-79.433"},
        {"Canada", "British Columbia", "Vancouver", "49.2827", "-123.1207"},
        {"US", "California", "San Francisco", "37.7749", "-122.4194"},
        {"DE", "Berlin", "Berlin", "52.52", "13.405"},
        {"AR", "Buenos Aires", "Buenos Aires", "-34.6037", "-58.3816"},
        {"FR", "Ile-de-France", "Paris", "48.8566", "2.3522"}};
    private static final String[][] CLIENTS = {
        {"1Password Browser Extension", "20127", "Chrome", "93.0.4577.62", "MacOSX", "10.15.6"},
        {"1Password for Windows", "81044", "Windows", "10.0.19045", "Windows", "10"},
        {"1Password for Android", "80800", "Android", "14", "Android", "14"},
        {"1Password CLI", "2300101", "Linux", "6.5", "Linux", "Debian 12"}};

    /** Category and type pairs as the API pairs them; every documented type appears at least once. */
    private static final String[][] SIGNIN = {
        {"success", "credentials_ok"}, {"success", "mfa_ok"}, {"success", "federated"},
        {"credentials_failed", "password_secret_bad"}, {"credentials_failed", "platform_secret_bad"},
        {"credentials_failed", "platform_secret_disabled"}, {"credentials_failed", "platform_secret_proxy"},
        {"mfa_failed", "mfa_missing"}, {"mfa_failed", "totp_bad"}, {"mfa_failed", "totp_disabled"},
        {"mfa_failed", "totp_timeout"}, {"mfa_failed", "u2f_bad"}, {"mfa_failed", "u2f_disabled"},
        {"mfa_failed", "u2f_timeout"}, {"mfa_failed", "duo_bad"}, {"mfa_failed", "duo_disabled"},
        {"mfa_failed", "duo_native_bad"}, {"mfa_failed", "duo_timeout"}, {"mfa_failed", "code_bad"},
        {"mfa_failed", "code_disabled"}, {"mfa_failed", "code_timeout"},
        {"sso_failed", "sso_user_mismatch"}, {"sso_failed", "non_sso_user"},
        {"sso_failed", "service_account_sso_denied"},
        {"modern_version_failed", "modern_version_missing"}, {"modern_version_failed", "modern_version_old"},
        {"firewall_failed", "all_blocked"}, {"firewall_failed", "anonymous_blocked"},
        {"firewall_failed", "continent_blocked"}, {"firewall_failed", "country_blocked"},
        {"firewall_failed", "ip_blocked"}, {"firewall_reported_success", "country_blocked"},
        {"success", "credentials_ok"}};

    static final List<String> ITEM_ACTIONS = List.of("enter-item-edit-mode", "export", "fill", "other", "reveal",
            "secure-copy", "select-sso-provider", "server-create", "server-fetch", "server-update", "share");

    static final List<String> AUDIT_ACTIONS = List.of("activate", "addgsso", "begin", "beginr", "cancel", "cancelr",
            "changeks", "changela", "changemp", "changenm", "changesk", "chngasso", "chngdsso", "chngpsso", "complete",
            "completr", "convert", "create", "dealldev", "delete", "delgsso", "delshare", "deolddev", "detchild",
            "disblduo", "disblmfa", "disblsso", "dlgsess", "dvrfydmn", "enblduo", "enblmfa", "enblsso", "expire",
            "export", "grant", "hide", "join", "launchi", "leave", "musercom", "muserdec", "patch", "propose", "provsn",
            "prsndall", "purge", "rdmchild", "reactive", "reauth", "replace", "resendts", "revoke", "role", "sdvcsso",
            "sendpkg", "sendts", "share", "ssotknv", "suspend", "tdvcsso", "trename", "trevoke", "trvlaway",
            "trvlback", "tverify", "uisas", "unhide", "unknown", "unlink", "updatduo", "update", "updatea", "updatfw",
            "updatmfa", "upguest", "uvrfydmn", "verify", "view", "vrfydmn");

    static final List<String> AUDIT_OBJECT_TYPES = List.of("account", "card", "cred", "device", "dlgdsess", "ec",
            "famchild", "file", "gm", "group", "gva", "invite", "item", "itemhist", "items", "miguser", "mngdacc", "pm",
            "report", "sa", "satoken", "slackapp", "sso", "ssotkn", "sub", "template", "user", "uva", "vault",
            "vaultkey");

    private final long seed;
    private final String accountUuid;

    EventGenerator(long seed, String accountUuid) {
        this.seed = seed;
        this.accountUuid = accountUuid;
    }

    void write(JsonGenerator g, EventStream s, long i, int version) throws IOException {
        SplittableRandom r = new SplittableRandom(Ids.mix(s.seed() ^ Ids.mix(i + 1)));
        switch (s.feature()) {
            case "signinattempts" -> signinAttempt(g, s, i, version, r);
            case "itemusages" -> itemUsage(g, s, i, version, r);
            default -> auditEvent(g, s, i, version, r);
        }
    }

    private void signinAttempt(JsonGenerator g, EventStream s, long i, int v, SplittableRandom r) throws IOException {
        String[] ct = SIGNIN[(int) (i % SIGNIN.length)];
        g.writeStartObject();
        g.writeStringField("uuid", s.uuid(i));
        g.writeStringField("session_uuid", Ids.of(seed, "session", r.nextInt(5000)));
        g.writeStringField("timestamp", format(s.timestamp(i)));
        g.writeStringField("category", ct[0]);
        g.writeStringField("type", ct[1]);
        String[] place = PLACES[r.nextInt(PLACES.length)];
        g.writeStringField("country", place[0]);
        if (ct[0].equals("success")) {
            g.writeNullField("details"); // null on successful sign-ins, as in the samples
        } else {
            g.writeObjectFieldStart("details");
            g.writeStringField("value", ct[0].startsWith("firewall") ? "Europe" : ct[1]);
            g.writeEndObject();
        }
        user(g, "target_user", r.nextInt(64), v);
        client(g, r);
        location(g, i, place);
        if (v >= 2) {
            g.writeStringField("account_uuid", accountUuid);
        }
        g.writeEndObject();
    }

    private void itemUsage(JsonGenerator g, EventStream s, long i, int v, SplittableRandom r) throws IOException {
        g.writeStartObject();
        g.writeStringField("uuid", s.uuid(i));
        g.writeStringField("timestamp", format(s.timestamp(i)));
        g.writeNumberField("used_version", 1 + r.nextInt(40));
        g.writeStringField("vault_uuid", Ids.of(seed, "vault", r.nextInt(20)).toLowerCase());
        g.writeStringField("item_uuid", Ids.of(seed, "item", r.nextInt(500)).toLowerCase());
        g.writeStringField("action", ITEM_ACTIONS.get((int) (i % ITEM_ACTIONS.size())));
        user(g, "user", r.nextInt(64), v);
        client(g, r);
        location(g, i, PLACES[r.nextInt(PLACES.length)]);
        if (v >= 2) {
            g.writeStringField("account_uuid", accountUuid);
        }
        g.writeEndObject();
    }

    private void auditEvent(JsonGenerator g, EventStream s, long i, int v, SplittableRandom r) throws IOException {
        int actor = r.nextInt(64);
        int aux = r.nextInt(64);
        int n = AUDIT_ACTIONS.size();
        g.writeStartObject();
        g.writeStringField("uuid", s.uuid(i));
        g.writeStringField("timestamp", format(s.timestamp(i)));
        g.writeStringField("actor_uuid", userUuid(actor));
        details(g, "actor_details", actor);
        g.writeStringField("action", AUDIT_ACTIONS.get((int) (i % n)));
        g.writeStringField("object_type", AUDIT_OBJECT_TYPES.get((int) ((i / n + i) % AUDIT_OBJECT_TYPES.size())));
        g.writeStringField("object_uuid", Ids.of(seed, "object", r.nextInt(1000)));
        details(g, "object_details", r.nextInt(64));
        g.writeNumberField("aux_id", 1000 + r.nextInt(9_000_000));
        g.writeStringField("aux_uuid", userUuid(aux));
        details(g, "aux_details", aux);
        g.writeStringField("aux_info", r.nextBoolean() ? "A" : "R");
        g.writeObjectFieldStart("session");
        g.writeStringField("uuid", Ids.of(seed, "session", r.nextInt(5000)));
        g.writeStringField("login_time", format(s.timestamp(i).minusSeconds(60 + r.nextInt(3600))));
        g.writeStringField("device_uuid", Ids.of(seed, "device", r.nextInt(300)).toLowerCase());
        g.writeStringField("ip", ip(r));
        g.writeEndObject();
        location(g, i, PLACES[r.nextInt(PLACES.length)]);
        if (v >= 2) {
            g.writeStringField("actor_type", (actor % 9 == 0) ? "external_user" : "user");
            g.writeStringField("actor_account_uuid", accountUuid);
            g.writeStringField("account_uuid", accountUuid);
        }
        g.writeEndObject();
    }

    private void user(JsonGenerator g, String field, int who, int v) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("uuid", userUuid(who));
        g.writeStringField("name", name(who));
        g.writeStringField("email", email(who));
        if (v >= 2) {
            g.writeStringField("user_type", who % 9 == 0 ? "external_user" : "user");
            g.writeStringField("user_account_uuid", accountUuid);
        }
        g.writeEndObject();
    }

    private void details(JsonGenerator g, String field, int who) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("uuid", userUuid(who));
        g.writeStringField("name", name(who));
        g.writeStringField("email", email(who));
        g.writeEndObject();
    }

    private static void client(JsonGenerator g, SplittableRandom r) throws IOException {
        String[] c = CLIENTS[r.nextInt(CLIENTS.length)];
        g.writeObjectFieldStart("client");
        g.writeStringField("app_name", c[0]);
        g.writeStringField("app_version", c[1]);
        g.writeStringField("platform_name", c[2]);
        g.writeStringField("platform_version", c[3]);
        g.writeStringField("os_name", c[4]);
        g.writeStringField("os_version", c[5]);
        g.writeStringField("ip_address", ip(r));
        g.writeEndObject();
    }

    /** Location is missing on some events, as in the samples: every seventh one here. */
    private static void location(JsonGenerator g, long i, String[] place) throws IOException {
        if (i % 7 == 6) {
            return;
        }
        g.writeObjectFieldStart("location");
        g.writeStringField("country", place[0]);
        g.writeStringField("region", place[1]);
        g.writeStringField("city", place[2]);
        g.writeFieldName("latitude");
        g.writeNumber(place[3]);
        g.writeFieldName("longitude");
        g.writeNumber(place[4]);
        g.writeEndObject();
    }

    private String userUuid(int who) {
        return Ids.of(seed, accountUuid + "/user", who);
    }

    private static String name(int who) {
        return FIRST[who % FIRST.length] + " " + LAST[(who / FIRST.length + who) % LAST.length];
    }

    private static String email(int who) {
        String n = name(who).toLowerCase().replace(' ', '.');
        return n + (who >= FIRST.length ? who : "") + "@example.com";
    }

    private static String ip(SplittableRandom r) {
        // documentation ranges (RFC 5737) only: generated data must never name a real host
        String[] nets = {"192.0.2.", "198.51.100.", "203.0.113."};
        return nets[r.nextInt(nets.length)] + (1 + r.nextInt(254));
    }

    static String format(Instant t) {
        return t.toString(); // ISO-8601 in UTC, with as many fraction digits as the precision leaves
    }

}
