package com.tokenwallet.dynamodb.testing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * JSON as plain Java values (LinkedHashMap, ArrayList, String, BigDecimal, Boolean, null), read and written with the
 * SDK's own JSON library (json-utils, always beside the DynamoDB client), so the fake needs no JSON dependency of its
 * own in whatever module uses it.
 */
final class Json {
    private Json() {
    }

    static Object parse(byte[] body) {
        return plain(JsonNode.parser().parse(body));
    }

    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.asObject().forEach((k, v) -> map.put(k, plain(v)));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.asArray().forEach(v -> list.add(plain(v)));
            return list;
        }
        if (node.isString()) {
            return node.asString();
        }
        if (node.isNumber()) {
            return new BigDecimal(node.asNumber());
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return null;
    }

    static byte[] write(Object value) {
        JsonWriter writer = JsonWriter.create();
        write(writer, value);
        return writer.getBytes();
    }

    private static void write(JsonWriter writer, Object value) {
        switch (value) {
            case null -> writer.writeNull();
            case Map<?, ?> map -> {
                writer.writeStartObject();
                map.forEach((k, v) -> {
                    writer.writeFieldName((String) k);
                    write(writer, v);
                });
                writer.writeEndObject();
            }
            case List<?> list -> {
                writer.writeStartArray();
                list.forEach(v -> write(writer, v));
                writer.writeEndArray();
            }
            case String s -> writer.writeValue(s);
            case Boolean b -> writer.writeValue(b);
            case BigDecimal d -> writer.writeValue(d);
            case Double d -> writer.writeValue(d);
            case Integer i -> writer.writeValue(i);
            case Long l -> writer.writeValue(l);
            default -> throw new IllegalArgumentException("not JSON: " + value.getClass());
        }
    }

    /** The object at {@code name}, or an empty map; a value of the wrong type is the caller's validation error. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> body, String name) {
        Object v = body.get(name);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map)) {
            throw DynamoDbError.serialization(name);
        }
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    static List<Object> array(Map<String, Object> body, String name) {
        Object v = body.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List)) {
            throw DynamoDbError.serialization(name);
        }
        return (List<Object>) v;
    }

    static String string(Map<String, Object> body, String name) {
        Object v = body.get(name);
        if (v != null && !(v instanceof String)) {
            throw DynamoDbError.serialization(name);
        }
        return (String) v;
    }

    static Integer integer(Map<String, Object> body, String name) {
        Object v = body.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof BigDecimal d)) {
            throw DynamoDbError.serialization(name);
        }
        return d.intValueExact();
    }

    static boolean bool(Map<String, Object> body, String name) {
        Object v = body.get(name);
        if (v != null && !(v instanceof Boolean)) {
            throw DynamoDbError.serialization(name);
        }
        return Boolean.TRUE.equals(v);
    }
}
