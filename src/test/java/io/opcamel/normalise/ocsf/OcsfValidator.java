package io.opcamel.normalise.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.GoldenJson;
import io.opcamel.normalise.Countries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks an OCSF document against the class and object definitions of {@code normalise/ocsf-1.8.0-schema.json}:
 * required attributes, at-least-one constraints, enumerations (99 with its sibling string), attribute types,
 * class/category/type uid arithmetic, alpha-2 countries, no nulls, and no attribute the class or object does not define
 * (except under {@code unmapped}).
 */
final class OcsfValidator {

    private final JsonNode schema;

    OcsfValidator() throws IOException {
        schema = GoldenJson.JSON.readTree(Path.of("src/test/resources/normalise/ocsf-1.8.0-schema.json").toFile());
    }

    /** What is wrong with the document; empty when it validates. */
    List<String> validate(JsonNode doc) {
        List<String> errors = new ArrayList<>();
        noNulls(doc, "", errors);
        JsonNode c = schema.path("classes").path(doc.path("class_uid").asText());
        if (c.isMissingNode()) {
            errors.add("class_uid " + doc.path("class_uid") + " is not a class of the schema");
            return errors;
        }
        int classUid = doc.path("class_uid").asInt();
        int activity = doc.path("activity_id").asInt();
        if (doc.path("category_uid").asInt() != c.path("category_uid").asInt() || classUid / 1000 != doc.path("category_uid").asInt()) {
            errors.add("category_uid " + doc.path("category_uid") + " is not the category of class " + classUid);
        }
        if (!c.path("name").asText().equals(doc.path("class_name").asText(null))) {
            errors.add("class_name " + doc.path("class_name") + " is not " + c.path("name"));
        }
        if (!schema.path("categories").path(c.path("category_uid").asText()).asText().equals(doc.path("category_name").asText(null))) {
            errors.add("category_name " + doc.path("category_name") + " is not the category's");
        }
        String caption = c.path("activities").path(String.valueOf(activity)).asText(null);
        if (activity == 99) {
            if (!doc.path("activity_name").isTextual() || doc.path("activity_name").asText().isEmpty()) {
                errors.add("activity_id 99 without activity_name");
            }
            caption = "Other";
        } else if (caption == null && activity != 0) {
            errors.add("activity_id " + activity + " is not an activity of " + c.path("name").asText());
        } else if (caption != null && !caption.equals(doc.path("activity_name").asText(null))) {
            errors.add("activity_name " + doc.path("activity_name") + " is not " + caption);
        }
        if (doc.path("type_uid").asLong() != classUid * 100L + activity) {
            errors.add("type_uid " + doc.path("type_uid") + " is not class_uid * 100 + activity_id");
        }
        if (caption != null && !(c.path("name").asText() + ": " + caption).equals(doc.path("type_name").asText(null))) {
            errors.add("type_name " + doc.path("type_name") + " is not \"" + c.path("name").asText() + ": " + caption + "\"");
        }
        JsonNode attributes = merged(schema.path("base").path("attributes"),
                schema.path("extends").path(c.path("extends").asText()), c.path("attributes"));
        object(doc, attributes, c.path("at_least_one"), "", errors);
        return errors;
    }

    private static JsonNode merged(JsonNode... parts) {
        var merged = GoldenJson.JSON.createObjectNode();
        for (JsonNode part : parts) {
            part.fields().forEachRemaining(f -> merged.set(f.getKey(), f.getValue()));
        }
        return merged;
    }

    private void object(JsonNode node, JsonNode attributes, JsonNode atLeastOne, String path, List<String> errors) {
        if (!node.isObject()) {
            errors.add(path + " is not an object");
            return;
        }
        attributes.fields().forEachRemaining(a -> {
            if (a.getValue().path("required").asBoolean() && !node.has(a.getKey())) {
                errors.add(path + a.getKey() + " is required");
            }
        });
        if (atLeastOne.isArray() && !atLeastOne.isEmpty()) {
            boolean any = false;
            for (JsonNode name : atLeastOne) {
                any |= node.has(name.asText());
            }
            if (!any) {
                errors.add((path.isEmpty() ? "the event" : path) + " needs one of " + atLeastOne);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode def = attributes.get(f.getKey());
            String where = path + f.getKey();
            if (def == null) {
                errors.add(where + " is not an attribute here");
            } else if (def.isTextual()) {
                type(f.getValue(), def.asText(), where, errors);
            } else {
                attribute(node, f.getValue(), def, where, errors);
            }
        }
    }

    private void attribute(JsonNode parent, JsonNode value, JsonNode def, String where, List<String> errors) {
        if (def.has("object")) {
            JsonNode o = schema.path("objects").path(def.path("object").asText());
            if (def.path("array").asBoolean()) {
                if (!value.isArray()) {
                    errors.add(where + " is not an array");
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    object(value.get(i), o.path("attributes"), o.path("at_least_one"), where + "[" + i + "].", errors);
                }
            } else {
                object(value, o.path("attributes"), o.path("at_least_one"), where + ".", errors);
            }
            return;
        }
        type(value, def.path("type").asText(), where, errors);
        JsonNode allowed = def.has("enum_ref") ? schema.path("enums").path(def.path("enum_ref").asText()) : def.path("enum");
        if (allowed.isArray()) {
            boolean in = false;
            for (JsonNode a : allowed) {
                in |= a.asInt() == value.asInt();
            }
            if (!in) {
                errors.add(where + " " + value + " is not in " + allowed);
            }
            if (value.asInt() == 99 && def.has("sibling") && !parent.path(def.path("sibling").asText()).isTextual()) {
                errors.add(where + " 99 (Other) without " + def.path("sibling").asText());
            }
        }
        if ("alpha2".equals(def.path("format").asText()) && !Countries.isAlpha2(value.asText())) {
            errors.add(where + " " + value + " is not an ISO 3166 alpha-2 code in upper case");
        }
    }

    private static void type(JsonNode value, String type, String where, List<String> errors) {
        boolean ok = switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber() && value.canConvertToInt();
            case "long" -> value.isIntegralNumber() && value.canConvertToLong();
            case "boolean" -> value.isBoolean();
            case "float" -> value.isNumber();
            case "string_array" -> value.isArray() && allMatch(value, JsonNode::isTextual);
            case "float_array" -> value.isArray() && allMatch(value, JsonNode::isNumber);
            default -> true;
        };
        if (!ok) {
            errors.add(where + " " + value + " is not of type " + type);
        }
    }

    private static boolean allMatch(JsonNode array, java.util.function.Predicate<JsonNode> test) {
        for (JsonNode e : array) {
            if (!test.test(e)) {
                return false;
            }
        }
        return true;
    }

    private static void noNulls(JsonNode node, String path, List<String> errors) {
        if (node.isNull()) {
            errors.add(path + " is null");
        } else if (node.isObject()) {
            node.fields().forEachRemaining(f -> noNulls(f.getValue(), path + f.getKey() + ".", errors));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                noNulls(node.get(i), path + "[" + i + "].", errors);
            }
        }
    }
}
