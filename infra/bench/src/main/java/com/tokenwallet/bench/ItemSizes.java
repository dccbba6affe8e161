package com.tokenwallet.bench;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB bills it (the documented rules: names and strings in UTF-8 bytes, numbers about one
 * byte per two significant digits plus one, maps and lists 3 bytes plus 1 per element), and the write units a
 * transactional put of it costs: 2 per started KB.
 */
final class ItemSizes {
    private ItemSizes() {
    }

    static long size(Map<String, AttributeValue> item) {
        long total = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            total += utf8(e.getKey()) + size(e.getValue());
        }
        return total;
    }

    static long transactionalWcu(Map<String, AttributeValue> item) {
        return 2 * Math.max(1, (size(item) + 1023) / 1024);
    }

    private static long size(AttributeValue v) {
        return switch (v.type()) {
            case S -> utf8(v.s());
            case N -> number(v.n());
            case B -> v.b().asByteArray().length;
            case BOOL, NUL -> 1;
            case SS -> v.ss().stream().mapToLong(ItemSizes::utf8).sum();
            case NS -> v.ns().stream().mapToLong(ItemSizes::number).sum();
            case BS -> v.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
            case M -> 3 + v.m().entrySet().stream().mapToLong(e -> 1 + utf8(e.getKey()) + size(e.getValue())).sum();
            case L -> 3 + v.l().stream().mapToLong(e -> 1 + size(e)).sum();
            default -> 0;
        };
    }

    private static long number(String n) {
        String digits = new BigDecimal(n).stripTrailingZeros().unscaledValue().abs().toString();
        return (digits.length() + 1) / 2 + 1;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
