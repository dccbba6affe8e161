package com.tokenwallet.dynamodb.testing;

import com.tokenwallet.dynamodb.testing.FakeTable.Index;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * ConsumedCapacity by the developer guide's rules ("DynamoDB read and write operations"): a read is one unit per 4 KB
 * of item (a Query or Scan sums the items it read, then rounds up once), half that when eventually consistent; a
 * write is one unit per 1 KB of the larger of the item before and after; transactional writes cost twice; an index
 * whose entry is added, removed or changed by a write costs a write of its projected item. Only answered when the
 * request asks (ReturnConsumedCapacity TOTAL or INDEXES).
 */
final class Capacity {
    private Capacity() {
    }

    static boolean wanted(Map<String, Object> request) {
        String mode = Json.string(request, "ReturnConsumedCapacity");
        return "TOTAL".equals(mode) || "INDEXES".equals(mode);
    }

    private static boolean byIndex(Map<String, Object> request) {
        return "INDEXES".equals(Json.string(request, "ReturnConsumedCapacity"));
    }

    static double readUnits(long itemBytes, boolean consistent) {
        double units = Math.max(1, Math.ceil(itemBytes / 4096.0));
        return consistent ? units : units / 2;
    }

    static double scanUnits(long bytesRead, boolean consistent) {
        return readUnits(bytesRead, consistent);
    }

    private static double writeUnits(long bytes) {
        return Math.max(1, Math.ceil(bytes / 1024.0));
    }

    /** A write's units on the table and on each index it changes. */
    static Map<String, Double> writeUnits(FakeTable table, Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        Map<String, Double> units = new LinkedHashMap<>();
        units.put("", writeUnits(Math.max(Values.itemSize(before), Values.itemSize(after))));
        for (Index index : table.indexes.values()) {
            boolean wasIn = FakeTable.inIndex(index, before);
            boolean isIn = FakeTable.inIndex(index, after);
            double u = 0;
            if (wasIn && isIn) {
                Map<String, AttributeValue> oldEntry = table.projected(index, before);
                Map<String, AttributeValue> newEntry = table.projected(index, after);
                boolean keyMoved = index.key().names().stream().anyMatch(n -> !Values.equal(before.get(n), after.get(n)));
                if (keyMoved) {
                    u = writeUnits(Values.itemSize(oldEntry)) + writeUnits(Values.itemSize(newEntry));
                } else if (!oldEntry.equals(newEntry)) {
                    u = writeUnits(Math.max(Values.itemSize(oldEntry), Values.itemSize(newEntry)));
                }
            } else if (wasIn) {
                u = writeUnits(Values.itemSize(table.projected(index, before)));
            } else if (isIn) {
                u = writeUnits(Values.itemSize(table.projected(index, after)));
            }
            if (u > 0) {
                units.put(index.name(), u);
            }
        }
        return units;
    }

    static Map<String, Double> transactionalWriteUnits(FakeTable table, Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        Map<String, Double> units = writeUnits(table, before, after);
        units.replaceAll((k, v) -> v * 2);
        return units;
    }

    static void read(Map<String, Object> response, Map<String, Object> request, FakeTable table, double units, String index) {
        if (wanted(request)) {
            response.put("ConsumedCapacity", entry(request, table, index == null ? Map.of("", units) : Map.of(index, units), false));
        }
    }

    static void write(Map<String, Object> response, Map<String, Object> request, FakeTable table, Map<String, AttributeValue> before,
                      Map<String, AttributeValue> after) {
        if (wanted(request)) {
            response.put("ConsumedCapacity", entry(request, table, writeUnits(table, before, after), true));
        }
    }

    /** One table's ConsumedCapacity; {@code units} by index name, the table's own under "". */
    static Map<String, Object> entry(Map<String, Object> request, FakeTable table, Map<String, Double> units, boolean write) {
        double total = units.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("TableName", table.name);
        c.put("CapacityUnits", total);
        c.put(write ? "WriteCapacityUnits" : "ReadCapacityUnits", total);
        if (byIndex(request)) {
            c.put("Table", part(units.getOrDefault("", 0.0), write));
            Map<String, Object> indexes = new LinkedHashMap<>();
            units.forEach((name, u) -> {
                if (!name.isEmpty()) {
                    indexes.put(name, part(u, write));
                }
            });
            if (!indexes.isEmpty()) {
                c.put("GlobalSecondaryIndexes", indexes);
            }
        }
        return c;
    }

    private static Map<String, Object> part(double units, boolean write) {
        return Map.of("CapacityUnits", units, write ? "WriteCapacityUnits" : "ReadCapacityUnits", units);
    }
}
