package io.opcamel.normalise.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.normalise.Countries;
import io.opcamel.normalise.Doc;
import io.opcamel.normalise.DocArray;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of one ECS document while a feed's fields are placed into them, the placements the feeds share (a person,
 * a client, a location, the vendor namespace), and what could not be placed. {@link EcsSchema} assembles the parts.
 *
 * <p>Values are moved, never copied into two places, except where Elastic or the reference says both. A value of the
 * wrong JSON type is not written anywhere (Elasticsearch would reject the whole document over it): the item then goes
 * out as a {@code pipeline_error} whose {@code event.original} still holds it.
 */
final class EcsDraft {

    final Doc event = new Doc();
    final Doc user = new Doc();
    final Doc target = new Doc();
    final Doc group = new Doc();
    final Doc organization = new Doc();
    final Doc os = new Doc();
    final DocArray relatedUser = new DocArray();
    final Doc vendor = new Doc();
    String ip;
    String problem;
    private ObjectNode location;
    private StringBuilder errors;

    /** Records what could not be placed: the first kind is the item's problem, every message is kept. */
    void problem(String kind, String message) {
        if (problem == null) {
            problem = kind;
            errors = new StringBuilder(message);
        } else {
            errors.append("; ").append(message);
        }
    }

    String errors() {
        return errors == null ? null : errors.toString();
    }

    /** The text of a field; null when absent or null, and a wrong-type problem when it is not text. */
    String text(JsonNode value, String path) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        wrongType(path, "a string", value);
        return null;
    }

    /** The object of a field; null when absent or null, and a wrong-type problem when it is not an object. */
    ObjectNode object(JsonNode value, String path) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value instanceof ObjectNode o) {
            return o;
        }
        wrongType(path, "an object", value);
        return null;
    }

    /** Whether a field is absent, null or a whole number (Elastic maps such fields as integer or long). */
    boolean wholeNumber(JsonNode value, String path) {
        if (value == null || value.isNull() || value.isIntegralNumber()) {
            return true;
        }
        wrongType(path, "a whole number", value);
        return false;
    }

    private void wrongType(String path, String expected, JsonNode value) {
        problem("wrong-type", path + ": expected " + expected + ", got " + kind(value));
    }

    /** "a string", "an array": the JSON type of a value, for error messages. */
    static String kind(JsonNode value) {
        if (value == null) {
            return "nothing";
        }
        String type = value.getNodeType().name().toLowerCase(Locale.ROOT);
        return (type.charAt(0) == 'a' || type.charAt(0) == 'o' ? "an " : "a ") + type;
    }

    /** {@code onepassword.<name>} = the value as the vendor wrote it, nulls left out. */
    void keep(String name, JsonNode value) {
        keep(vendor, name, value);
    }

    static void keep(Doc at, String name, JsonNode value) {
        if (value != null && !value.isNull()) {
            at.set(name, withoutNulls(value));
        }
    }

    /** Every field but the timestamp under {@code onepassword.*}: for items no feed mapping knows. */
    void keepAll(ObjectNode item) {
        for (Map.Entry<String, JsonNode> field : item.properties()) {
            if (!field.getKey().equals("timestamp")) {
                keep(field.getKey(), field.getValue());
            }
        }
    }

    /** The value without nulls: containers copied without them, values as they are. */
    private static Object withoutNulls(JsonNode value) {
        if (value instanceof ObjectNode o) {
            Doc copy = new Doc();
            for (Map.Entry<String, JsonNode> field : o.properties()) {
                keep(copy, field.getKey(), field.getValue());
            }
            return copy;
        }
        if (value instanceof ArrayNode a) {
            DocArray copy = new DocArray();
            for (JsonNode element : a) {
                if (!element.isNull()) {
                    copy.add(withoutNulls(element));
                }
            }
            return copy;
        }
        return value;
    }

    /** {@code onepassword.<name>} = the vendor's object, when anything is left in it. */
    void keepRest(String name, Doc rest) {
        if (!rest.isEmpty()) {
            vendor.set(name, rest);
        }
    }

    /** The event's uuid: Elastic's {@code onepassword.uuid} and, beyond Elastic, {@code event.id} (the dedupe key). */
    void uuid(JsonNode value) {
        String uuid = text(value, "uuid");
        if (uuid != null) {
            event.put("id", uuid);
            vendor.put("uuid", uuid);
        }
    }

    /** The v2 (MSP) account: the vendor's {@code onepassword.account_uuid} and ECS's tenant, {@code organization.id}. */
    void account(JsonNode value) {
        String account = text(value, "account_uuid");
        if (account != null) {
            organization.put("id", account);
            vendor.put("account_uuid", account);
        }
    }

    void action(JsonNode value, String path) {
        String action = text(value, path);
        if (action != null) {
            event.put("action", action);
        }
    }

    /** Appends to {@code related.user} unless null or already there (Elastic's allow_duplicates: false). */
    void related(String value) {
        if (value == null) {
            return;
        }
        if (!relatedUser.containsText(value)) {
            relatedUser.add(value);
        }
    }

    /** A person's name: Elastic writes it as both {@code name} and {@code full_name}. */
    static void name(Doc at, String name) {
        at.put("name", name);
        at.put("full_name", name);
    }

    /**
     * The sign-in's {@code target_user} or the item usage's {@code user}: {@code user.*}, {@code related.user} in
     * Elastic's order (uuid, email, name), the v2 fields as {@code onepassword.user_type} and
     * {@code onepassword.user_account_uuid} ({@code type} is a variant spelling of {@code user_type} in some samples).
     */
    void person(JsonNode value, String container) {
        ObjectNode person = object(value, container);
        if (person == null) {
            return;
        }
        String id = null;
        String name = null;
        String email = null;
        Doc rest = new Doc();
        for (Map.Entry<String, JsonNode> field : person.properties()) {
            JsonNode v = field.getValue();
            switch (field.getKey()) {
                case "uuid" -> id = text(v, container + ".uuid");
                case "name" -> name = text(v, container + ".name");
                case "email" -> email = text(v, container + ".email");
                case "user_type", "user_account_uuid" -> keep(field.getKey(), v);
                case "type" -> keep(person.hasNonNull("user_type") ? rest : vendor,
                        person.hasNonNull("user_type") ? "type" : "user_type", v);
                default -> keep(rest, field.getKey(), v);
            }
        }
        if (id != null) {
            user.put("id", id);
        }
        if (name != null) {
            name(user, name);
        }
        if (email != null) {
            user.put("email", email);
        }
        related(id);
        related(email);
        related(name);
        keepRest(container, rest);
    }

    /**
     * The sign-in's or item usage's {@code client}: the IP ({@code ip_address}, else the variant {@code ip}) to
     * {@code source.ip}, the OS to {@code host.os.*}, the app and platform to {@code onepassword.client.*}.
     */
    void client(JsonNode value) {
        ObjectNode client = object(value, "client");
        if (client == null) {
            return;
        }
        boolean ipAddress = client.hasNonNull("ip_address");
        Doc rest = new Doc();
        for (Map.Entry<String, JsonNode> field : client.properties()) {
            JsonNode v = field.getValue();
            switch (field.getKey()) {
                case "ip_address" -> ip(v, "client.ip_address");
                case "ip" -> {
                    if (ipAddress) {
                        keep(rest, "ip", v);
                    } else {
                        ip(v, "client.ip");
                    }
                }
                case "os_name" -> put(os, "name", text(v, "client.os_name"));
                case "os_version" -> put(os, "version", text(v, "client.os_version"));
                default -> keep(rest, field.getKey(), v);
            }
        }
        keepRest("client", rest);
    }

    /** The client's IP, to {@code source.ip} and {@code related.ip}; one that is not an IP would fail the document. */
    void ip(JsonNode value, String path) {
        String text = text(value, path);
        if (text == null) {
            return;
        }
        if (IpLiterals.isIp(text)) {
            ip = text;
        } else {
            problem("bad-ip", path + ": not an IP address");
        }
    }

    /** 1Password's {@code location}: placed by {@link #placeLocation()} once the IP it belongs to is known. */
    void location(JsonNode value) {
        location = object(value, "location");
    }

    /**
     * Beyond Elastic (which deletes it and runs GeoIP instead): {@code location} as {@code source.geo.*}. A country is
     * a code or an English name in the same field: a code goes to {@code country_iso_code}, a name to
     * {@code country_name} and, when it is a known country, its code to {@code country_iso_code}. Coordinates pass
     * untouched (1Password's own example has them swapped: never "repaired"); a pair that is no geo_point stays under
     * {@code onepassword.location}. Without an IP there is no {@code source}: the whole location stays there.
     *
     * @return {@code source.geo}, or null
     */
    Doc placeLocation() {
        if (location == null) {
            return null;
        }
        if (ip == null) {
            keep("location", location);
            return null;
        }
        JsonNode lat = location.get("latitude");
        JsonNode lon = location.get("longitude");
        boolean point = lat != null && lat.isNumber() && Math.abs(lat.doubleValue()) <= 90
                && lon != null && lon.isNumber() && Math.abs(lon.doubleValue()) <= 180;
        Doc geo = new Doc();
        Doc rest = new Doc();
        for (Map.Entry<String, JsonNode> field : location.properties()) {
            JsonNode v = field.getValue();
            switch (field.getKey()) {
                case "country" -> country(geo, text(v, "location.country"));
                case "region" -> put(geo, "region_name", text(v, "location.region"));
                case "city" -> put(geo, "city_name", text(v, "location.city"));
                case "latitude", "longitude" -> {
                    if (!point) {
                        keep(rest, field.getKey(), v);
                    }
                }
                default -> keep(rest, field.getKey(), v);
            }
        }
        if (point) {
            Doc at = geo.putObject("location");
            at.set("lat", lat);
            at.set("lon", lon);
        }
        keepRest("location", rest);
        return geo.isEmpty() ? null : geo;
    }

    private static void country(Doc geo, String country) {
        if (country == null) {
            return;
        }
        if (Countries.isAlpha2(country)) {
            geo.put("country_iso_code", country);
        } else {
            Countries.alpha2(country).ifPresent(code -> geo.put("country_iso_code", code));
            geo.put("country_name", country);
        }
    }

    static void put(Doc at, String name, String value) {
        if (value != null) {
            at.put(name, value);
        }
    }
}
