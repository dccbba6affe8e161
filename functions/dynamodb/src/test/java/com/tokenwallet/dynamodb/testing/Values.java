package com.tokenwallet.dynamodb.testing;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Attribute values in DynamoDB's JSON ({@code {"S": "x"}}, {@code {"N": "1"}}, {@code {"M": {...}}}, ...) to and from
 * the SDK's {@link AttributeValue}; DynamoDB's ordering of scalars, its equality, and its item-size rules ("DynamoDB
 * item sizes and formats" in the developer guide).
 */
final class Values {
    private Values() {
    }

    // ---- JSON <-> AttributeValue

    static Map<String, AttributeValue> item(Object json, String where) {
        if (!(json instanceof Map<?, ?> map)) {
            throw DynamoDbError.serialization(where);
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        map.forEach((k, v) -> item.put((String) k, value(v, where + "." + k)));
        return item;
    }

    static AttributeValue value(Object json, String where) {
        if (!(json instanceof Map<?, ?> map) || map.size() != 1) {
            throw DynamoDbError.validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
                    + "supported datatypes (at " + where + ")");
        }
        var entry = map.entrySet().iterator().next();
        String type = (String) entry.getKey();
        Object v = entry.getValue();
        try {
            return switch (type) {
                case "S" -> AttributeValue.fromS((String) v);
                case "N" -> AttributeValue.fromN(number((String) v));
                case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode((String) v)));
                case "BOOL" -> AttributeValue.fromBool((Boolean) v);
                case "NULL" -> {
                    if (!Boolean.TRUE.equals(v)) {
                        throw DynamoDbError.validation("One or more parameter values were invalid: Null attribute value types must have "
                                + "the value of true");
                    }
                    yield AttributeValue.fromNul(true);
                }
                case "M" -> AttributeValue.fromM(item(v, where));
                case "L" -> {
                    List<AttributeValue> list = new ArrayList<>();
                    for (Object e : (List<?>) v) {
                        list.add(value(e, where + "[]"));
                    }
                    yield AttributeValue.fromL(list);
                }
                case "SS" -> AttributeValue.fromSs(set((List<?>) v, s -> (String) s, where));
                case "NS" -> AttributeValue.fromNs(set((List<?>) v, s -> number((String) s), where));
                case "BS" -> AttributeValue.fromBs(set((List<?>) v,
                        s -> SdkBytes.fromByteArray(Base64.getDecoder().decode((String) s)), where));
                default -> throw DynamoDbError.validation("Supplied AttributeValue has an unknown data type " + type + " at " + where);
            };
        } catch (ClassCastException | NullPointerException e) {
            throw DynamoDbError.serialization(where);
        }
    }

    private static <T> List<T> set(List<?> json, java.util.function.Function<Object, T> element, String where) {
        if (json.isEmpty()) {
            throw DynamoDbError.validation("One or more parameter values were invalid: An string set  may not be empty (at " + where + ")");
        }
        List<T> out = new ArrayList<>();
        for (Object e : json) {
            out.add(element.apply(e));
        }
        if (new HashSet<>(out).size() != out.size()) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Input collection " + json + " contains duplicates.");
        }
        return out;
    }

    /** DynamoDB keeps numbers without leading or trailing zeros, up to 38 significant digits. */
    static String number(String text) {
        BigDecimal d;
        try {
            d = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw DynamoDbError.validation("The parameter cannot be converted to a numeric value: " + text);
        }
        if (d.precision() > 38) {
            throw DynamoDbError.validation("Attempting to store more than 38 significant digits in a Number");
        }
        d = d.stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }

    static Map<String, Object> json(Map<String, AttributeValue> item) {
        Map<String, Object> out = new LinkedHashMap<>();
        item.forEach((k, v) -> out.put(k, json(v)));
        return out;
    }

    static Map<String, Object> json(AttributeValue v) {
        return switch (v.type()) {
            case S -> Map.of("S", v.s());
            case N -> Map.of("N", v.n());
            case B -> Map.of("B", Base64.getEncoder().encodeToString(v.b().asByteArray()));
            case BOOL -> Map.of("BOOL", v.bool());
            case NUL -> Map.of("NULL", true);
            case M -> Map.of("M", json(v.m()));
            case L -> Map.of("L", v.l().stream().map(Values::json).toList());
            case SS -> Map.of("SS", List.copyOf(v.ss()));
            case NS -> Map.of("NS", List.copyOf(v.ns()));
            case BS -> Map.of("BS", v.bs().stream().map(b -> Base64.getEncoder().encodeToString(b.asByteArray())).toList());
            default -> throw new IllegalStateException("unknown attribute type " + v.type());
        };
    }

    // ---- equality and order

    /** DynamoDB's equality: same type and value; sets compare as sets. */
    static boolean equal(AttributeValue a, AttributeValue b) {
        if (a.type() != b.type()) {
            return false;
        }
        return switch (a.type()) {
            case N -> new BigDecimal(a.n()).compareTo(new BigDecimal(b.n())) == 0;
            case SS -> new HashSet<>(a.ss()).equals(new HashSet<>(b.ss()));
            case NS -> a.ns().stream().map(Values::number).collect(java.util.stream.Collectors.toSet())
                    .equals(b.ns().stream().map(Values::number).collect(java.util.stream.Collectors.toSet()));
            case BS -> new HashSet<>(a.bs()).equals(new HashSet<>(b.bs()));
            case M -> a.m().size() == b.m().size() && a.m().entrySet().stream()
                    .allMatch(e -> b.m().containsKey(e.getKey()) && equal(e.getValue(), b.m().get(e.getKey())));
            case L -> a.l().size() == b.l().size() && java.util.stream.IntStream.range(0, a.l().size())
                    .allMatch(i -> equal(a.l().get(i), b.l().get(i)));
            default -> a.equals(b);
        };
    }

    /** The order of two scalars of one type (strings and binaries by unsigned bytes, numbers by value), or null. */
    static Integer compare(AttributeValue a, AttributeValue b) {
        if (a.type() != b.type()) {
            return null;
        }
        return switch (a.type()) {
            case S -> Arrays.compareUnsigned(a.s().getBytes(StandardCharsets.UTF_8), b.s().getBytes(StandardCharsets.UTF_8));
            case N -> new BigDecimal(a.n()).compareTo(new BigDecimal(b.n()));
            case B -> Arrays.compareUnsigned(a.b().asByteArray(), b.b().asByteArray());
            default -> null;
        };
    }

    /** The scalar type letter DynamoDB names key attributes by: S, N or B (null for anything else). */
    static String scalarType(AttributeValue v) {
        return switch (v.type()) {
            case S -> "S";
            case N -> "N";
            case B -> "B";
            default -> null;
        };
    }

    /** The type name attribute_type() compares with. */
    static String typeName(AttributeValue v) {
        return switch (v.type()) {
            case NUL -> "NULL";
            default -> v.type().name();
        };
    }

    // ---- sizes

    static long itemSize(Map<String, AttributeValue> item) {
        if (item == null) {
            return 0;
        }
        long size = 0;
        for (var e : item.entrySet()) {
            size += utf8(e.getKey()) + size(e.getValue());
        }
        return size;
    }

    static long size(AttributeValue v) {
        return switch (v.type()) {
            case S -> utf8(v.s());
            case N -> numberSize(v.n());
            case B -> v.b().asByteArray().length;
            case BOOL, NUL -> 1;
            case M -> 3 + v.m().entrySet().stream().mapToLong(e -> 1 + utf8(e.getKey()) + size(e.getValue())).sum();
            case L -> 3 + v.l().stream().mapToLong(e -> 1 + size(e)).sum();
            case SS -> v.ss().stream().mapToLong(Values::utf8).sum();
            case NS -> v.ns().stream().mapToLong(Values::numberSize).sum();
            case BS -> v.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
            default -> 0;
        };
    }

    /** About one byte per two significant digits, plus one. */
    private static long numberSize(String n) {
        BigDecimal d = new BigDecimal(n).stripTrailingZeros();
        int digits = d.signum() == 0 ? 1 : d.precision();
        return (digits + 1) / 2 + 1;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
