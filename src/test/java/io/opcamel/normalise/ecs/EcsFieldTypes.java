package io.opcamel.normalise.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.GoldenJson;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ECS field types of {@code normalise/ecs-fields.json} as a check of one document: every field outside the
 * vendor's {@code onepassword.*} and {@code labels.*} is listed, has a value of its type, is one of the allowed values,
 * and every {@code event.category} / {@code event.type} pair is one ECS allows.
 */
final class EcsFieldTypes {

    static final Path FILE = Path.of("src/test/resources/normalise/ecs-fields.json");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withResolverStyle(ResolverStyle.STRICT);

    private final JsonNode fields;
    private final JsonNode categoryTypes;

    private EcsFieldTypes(JsonNode spec) {
        this.fields = spec.get("fields");
        this.categoryTypes = spec.get("category_types");
    }

    static EcsFieldTypes load() throws IOException {
        return new EcsFieldTypes(GoldenJson.JSON.readTree(FILE.toFile()));
    }

    /** What is wrong with the document as ECS; empty when nothing. */
    List<String> violations(JsonNode doc) {
        List<String> wrong = new ArrayList<>();
        for (String required : List.of("@timestamp", "ecs", "event")) {
            if (!doc.has(required)) {
                wrong.add(required + " is missing");
            }
        }
        if (!doc.path("event").has("kind")) {
            wrong.add("event.kind is missing");
        }
        for (Map.Entry<String, JsonNode> field : doc.properties()) {
            switch (field.getKey()) {
                case "onepassword" -> { }
                case "labels" -> field.getValue().properties().forEach(label -> {
                    if (!label.getValue().isTextual()) {
                        wrong.add("labels." + label.getKey() + " is not of type keyword: " + label.getValue());
                    }
                });
                default -> walk(field.getKey(), field.getValue(), wrong);
            }
        }
        pairs(doc.path("event"), wrong);
        return wrong;
    }

    private void walk(String path, JsonNode value, List<String> wrong) {
        JsonNode spec = fields.get(path);
        if (spec == null) {
            if (value.isObject()) {
                value.properties().forEach(f -> walk(path + "." + f.getKey(), f.getValue(), wrong));
            } else {
                wrong.add(path + " is not an ECS field EcsSchema may write (ecs-fields.json)");
            }
            return;
        }
        boolean array = spec.path("array").asBoolean(false);
        if (array != value.isArray()) {
            wrong.add(path + (array ? " must be an array: " : " must not be an array: ") + value);
            return;
        }
        if (array && value.isEmpty()) {
            wrong.add(path + " is an empty array");
        }
        for (JsonNode one : array ? value : List.of(value)) {
            String type = spec.get("type").asText();
            if (!ofType(type, one)) {
                wrong.add(path + " is not of type " + type + ": " + one);
            }
            JsonNode allowed = spec.get("allowed");
            if (allowed != null && !contains(allowed, one)) {
                wrong.add(path + " = " + one + " is not one of " + allowed);
            }
        }
    }

    private static boolean ofType(String type, JsonNode value) {
        return switch (type) {
            case "keyword", "match_only_text", "text", "wildcard" -> value.isTextual() && !value.textValue().isEmpty();
            case "date" -> value.isTextual() && date(value.textValue());
            case "ip" -> value.isTextual() && ip(value.textValue());
            case "long" -> value.isIntegralNumber();
            case "float" -> value.isNumber();
            case "geo_point" -> value.isObject() && value.size() == 2
                    && value.path("lat").isNumber() && Math.abs(value.get("lat").doubleValue()) <= 90
                    && value.path("lon").isNumber() && Math.abs(value.get("lon").doubleValue()) <= 180;
            default -> throw new IllegalArgumentException("ecs-fields.json: no check for the type " + type);
        };
    }

    private static boolean date(String text) {
        try {
            DATE.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Dotted quads by hand (the JDK would look up a name it cannot parse); IPv6 by the JDK's literal parser. */
    private static boolean ip(String text) {
        if (!text.contains(":")) {
            String[] parts = text.split("\\.", -1);
            if (parts.length != 4) {
                return false;
            }
            for (String part : parts) {
                if (!part.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (!text.matches("[0-9a-fA-F:.]+")) {
            return false;
        }
        try {
            InetAddress.getByName(text);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private void pairs(JsonNode event, List<String> wrong) {
        for (JsonNode category : event.path("category")) {
            JsonNode types = categoryTypes.get(category.asText());
            if (types == null) {
                wrong.add("event.category " + category + " has no allowed types listed");
                continue;
            }
            for (JsonNode type : event.path("type")) {
                if (!contains(types, type)) {
                    wrong.add("event.type " + type + " is not allowed with event.category " + category);
                }
            }
        }
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode one : array) {
            if (one.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
