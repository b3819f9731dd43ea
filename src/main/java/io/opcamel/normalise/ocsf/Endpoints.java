package io.opcamel.normalise.ocsf;

import static io.opcamel.normalise.ocsf.OcsfDocument.put;

import io.opcamel.normalise.Doc;
import io.opcamel.normalise.Countries;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code src_endpoint}: the client's or session's IP, device id, operating system and 1Password's own geolocation.
 * An endpoint needs an IP or id in OCSF: without one there is no {@code src_endpoint}, and the location and OS stay
 * under {@code unmapped}.
 */
final class Endpoints {

    private static final OcsfVersion LAT_LONG = new OcsfVersion(1, 2, 0);
    private static final Map<String, Integer> OS_TYPES = Map.of("macosx", 300, "macos", 300, "mac os x", 300,
            "os x", 300, "windows", 100, "linux", 200, "android", 201, "ios", 301, "ipados", 302);

    private final boolean latLong;

    Endpoints(OcsfVersion version) {
        this.latLong = version.atLeast(LAT_LONG);
    }

    /** Sign-ins and item usages: {@code client.ip_address} (or {@code client.ip}), the client's OS, the location. */
    Doc client(SourceFields src, boolean countryField) {
        String ipField = src.peek("client", "ip_address") != null ? "ip_address" : "ip";
        String ip = src.text("client", ipField);
        if (ip == null) {
            return null;
        }
        Doc endpoint = new Doc().put("ip", ip);
        location(endpoint, src, countryField);
        String os = src.text("client", "os_name");
        if (os != null) {
            Doc o = endpoint.putObject("os").put("name", os);
            put(o, "version", src.text("client", "os_version"));
            int type = OS_TYPES.getOrDefault(os.toLowerCase(Locale.ROOT), OcsfRoutes.OTHER);
            o.put("type_id", type);
            if (type == OcsfRoutes.OTHER) {
                o.put("type", os);
            }
        }
        return endpoint;
    }

    /** Audit events: {@code session.ip}, {@code session.device_uuid}, the location. */
    Doc session(SourceFields src) {
        String ip = src.text("session", "ip");
        String device = src.text("session", "device_uuid");
        if (ip == null && device == null) {
            return null;
        }
        Doc endpoint = new Doc();
        put(endpoint, "ip", ip);
        put(endpoint, "uid", device);
        location(endpoint, src, false);
        return endpoint;
    }

    /**
     * {@code location}: country as an ISO alpha-2 code (a name converted; else kept as {@code desc}); coordinates
     * passed through as written (1Password's own example swaps them: never "repaired") when in range. OCSF's location
     * needs a city, country or region: without one it is left out, its fields under {@code unmapped}.
     *
     * @param countryField whether the item's top-level {@code country} (sign-ins) stands in when there is no location
     */
    private void location(Doc endpoint, SourceFields src, boolean countryField) {
        if (!src.hasObject("location")) {
            if (countryField) {
                String country = src.peekText(null, "country");
                Optional<String> code = Countries.alpha2(country);
                if (code.isPresent()) {
                    src.use(null, "country");
                    endpoint.putObject("location").put("country", code.get());
                }
            }
            return;
        }
        String city = src.peekText("location", "city");
        String region = src.peekText("location", "region");
        String country = src.peekText("location", "country");
        Optional<String> code = Countries.alpha2(country);
        if (city == null && region == null && code.isEmpty()) {
            return;
        }
        Doc location = endpoint.putObject("location");
        put(location, "city", src.text("location", "city"));
        put(location, "region", src.text("location", "region"));
        if (country != null) {
            src.use("location", "country");
            if (code.isPresent()) {
                location.put("country", code.get());
            } else {
                location.put("desc", country);
            }
        }
        Double lat = src.peekNumber("location", "latitude");
        Double lon = src.peekNumber("location", "longitude");
        boolean latOk = lat != null && lat >= -90 && lat <= 90;
        boolean lonOk = lon != null && lon >= -180 && lon <= 180;
        if (latLong) {
            if (latOk) {
                location.set("lat", src.peek("location", "latitude"));
                src.use("location", "latitude");
            }
            if (lonOk) {
                location.set("long", src.peek("location", "longitude"));
                src.use("location", "longitude");
            }
        } else if (latOk && lonOk) {
            // before 1.2 the only home is coordinates, [longitude, latitude] as GeoJSON
            location.putArray("coordinates").add(src.peek("location", "longitude")).add(src.peek("location", "latitude"));
            src.use("location", "latitude");
            src.use("location", "longitude");
        }
    }
}
