package com.tokenwallet.dynamodb.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One table of the fake: its key schema, attribute definitions and global secondary indexes as CreateTable gave
 * them, and its items. Items are kept in scan order (a hash of the partition key, then the key itself, then the sort
 * key), so a partition's items are contiguous and sorted by sort key, and scan segments are contiguous ranges of the
 * hash, as in DynamoDB. Indexes are computed from the items when read: consistent by default. DynamoDB's indexes and
 * its eventually consistent reads may lag behind the table, so a test can make them lag ({@link #lag}: they
 * answer from the items as they were then, until {@link #catchUp}) to prove the adapter and the rules never rely
 * on them being current.
 */
final class FakeTable {
    static final long MAX_ITEM_BYTES = 400 * 1024;

    record KeySchema(String hash, String range) {
        List<String> names() {
            return range == null ? List.of(hash) : List.of(hash, range);
        }
    }

    record Index(String name, KeySchema key, String projectionType, List<String> nonKeyAttributes, Map<String, Object> definition) {
    }

    final String name;
    final KeySchema key;
    final Map<String, String> attributeTypes = new LinkedHashMap<>();
    final Map<String, Index> indexes = new LinkedHashMap<>();
    final Map<String, Object> billing;
    final Instant createdAt = Instant.now();
    final String id = java.util.UUID.randomUUID().toString();
    String ttlAttribute;
    /** An item's place in scan order, its partition key's hash computed once. */
    private record Position(long hash, AttributeValue partition, AttributeValue sort) {
    }

    private final TreeMap<Position, Map<String, AttributeValue>> items;
    /** While not null, what the indexes and eventually consistent reads answer from: the items as they were when {@link #lag} was called. */
    private TreeMap<Position, Map<String, AttributeValue>> lagging;

    FakeTable(String name, KeySchema key, Map<String, String> attributeTypes, Map<String, Object> billing) {
        this.name = name;
        this.key = key;
        this.attributeTypes.putAll(attributeTypes);
        this.billing = billing;
        Comparator<Position> order = Comparator.comparingLong(Position::hash);
        order = order.thenComparing((a, b) -> Values.compare(a.partition(), b.partition()));
        this.items = new TreeMap<>(key.range() == null ? order : order.thenComparing((a, b) -> Values.compare(a.sort(), b.sort())));
    }

    // ---- items

    Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        return items.get(position(key));
    }

    /** A read's item: an eventually consistent read answers from the lagging view while there is one. */
    Map<String, AttributeValue> read(Map<String, AttributeValue> key, boolean consistent) {
        return (consistent || lagging == null ? items : lagging).get(position(key));
    }

    void put(Map<String, AttributeValue> item) {
        items.put(position(item), Map.copyOf(item));
    }

    void delete(Map<String, AttributeValue> key) {
        items.remove(position(key));
    }

    private Position position(Map<String, AttributeValue> keyOrItem) {
        AttributeValue partition = keyOrItem.get(key.hash());
        return new Position(hash(partition), partition, key.range() == null ? null : keyOrItem.get(key.range()));
    }

    int itemCount() {
        return items.size();
    }

    long sizeBytes() {
        return items.values().stream().mapToLong(Values::itemSize).sum();
    }

    /** Every item in scan order. */
    List<Map<String, AttributeValue>> all() {
        return new ArrayList<>(items.values());
    }

    Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> k = new LinkedHashMap<>();
        for (String n : key.names()) {
            k.put(n, item.get(n));
        }
        return k;
    }

    // ---- validation of keys and items

    /** A Key parameter: exactly the key attributes, of the defined types. */
    Map<String, AttributeValue> requireKey(Map<String, AttributeValue> given) {
        if (given.size() != key.names().size() || !given.keySet().containsAll(key.names())) {
            throw DynamoDbError.validation("The provided key element does not match the schema");
        }
        for (String n : key.names()) {
            if (!attributeTypes.get(n).equals(Values.scalarType(given.get(n)))) {
                throw DynamoDbError.validation("The provided key element does not match the schema");
            }
            requireNotEmpty(n, given.get(n));
        }
        return keyOf(given);
    }

    /** An item to be written: its key attributes present and typed, index keys typed, its size within bounds. */
    void requireWritable(Map<String, AttributeValue> item) {
        for (String n : key.names()) {
            AttributeValue v = item.get(n);
            if (v == null) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Missing the key " + n + " in the item");
            }
            if (!attributeTypes.get(n).equals(Values.scalarType(v))) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Type mismatch for key " + n + " expected: "
                        + attributeTypes.get(n) + " actual: " + Values.typeName(v));
            }
            requireNotEmpty(n, v);
        }
        for (Index index : indexes.values()) {
            for (String n : index.key().names()) {
                AttributeValue v = item.get(n);
                if (v != null && !attributeTypes.get(n).equals(Values.scalarType(v))) {
                    throw DynamoDbError.validation("One or more parameter values were invalid: Type mismatch for Index Key " + n
                            + " Expected: " + attributeTypes.get(n) + " Actual: " + Values.typeName(v) + " IndexName: " + index.name());
                }
                if (v != null && v.type() == AttributeValue.Type.S && v.s().isEmpty()) {
                    throw DynamoDbError.validation("One or more parameter values are not valid. A value specified for a secondary index "
                            + "key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. "
                            + "IndexName: " + index.name() + ", IndexKey: " + n);
                }
            }
        }
        if (Values.itemSize(item) > MAX_ITEM_BYTES) {
            throw DynamoDbError.validation("Item size has exceeded the maximum allowed size");
        }
    }

    private static void requireNotEmpty(String n, AttributeValue v) {
        if ((v.type() == AttributeValue.Type.S && v.s().isEmpty()) || (v.type() == AttributeValue.Type.B && v.b().asByteArray().length == 0)) {
            throw DynamoDbError.validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                    + "contain an empty string value. Key: " + n);
        }
    }

    // ---- order

    /** Which of {@code total} scan segments an item belongs to: contiguous ranges of the partition key's hash. */
    static int segmentOf(AttributeValue partitionKey, int total) {
        return (int) ((hash(partitionKey) * total) >>> 32);
    }

    private static long hash(AttributeValue v) {
        CRC32 crc = new CRC32();
        byte[] bytes = switch (v.type()) {
            case S -> v.s().getBytes(StandardCharsets.UTF_8);
            case N -> v.n().getBytes(StandardCharsets.UTF_8);
            case B -> v.b().asByteArray();
            default -> new byte[0];
        };
        crc.update(bytes);
        return crc.getValue();
    }

    /** Scan order on the table's key attributes of two items (or keys). */
    Comparator<Map<String, AttributeValue>> scanOrder() {
        Comparator<Map<String, AttributeValue>> order = Comparator.comparingLong(i -> hash(i.get(key.hash())));
        order = order.thenComparing((a, b) -> Values.compare(a.get(key.hash()), b.get(key.hash())));
        if (key.range() != null) {
            order = order.thenComparing((a, b) -> Values.compare(a.get(key.range()), b.get(key.range())));
        }
        return order;
    }

    /** The order of a Query on the table (sort key) or an index (its sort key, then the table's scan order). */
    Comparator<Map<String, AttributeValue>> queryOrder(Index index) {
        KeySchema k = index == null ? key : index.key();
        Comparator<Map<String, AttributeValue>> order = (a, b) -> 0;
        if (k.range() != null) {
            order = (a, b) -> Values.compare(a.get(k.range()), b.get(k.range()));
        }
        return index == null ? order : order.thenComparing(scanOrder());
    }

    /** The items an index holds: those with all of its key attributes (a sparse index skips the others). */
    List<Map<String, AttributeValue>> indexItems(Index index) {
        return (lagging != null ? lagging : items).values().stream().filter(i -> inIndex(index, i)).toList();
    }

    /** From now on the indexes and eventually consistent reads answer from the items as they are now (immutable maps). */
    void lag() {
        lagging = new TreeMap<>(items);
    }

    /** The indexes and eventually consistent reads catch up with the table. */
    void catchUp() {
        lagging = null;
    }

    static boolean inIndex(Index index, Map<String, AttributeValue> item) {
        return item != null && index.key().names().stream().allMatch(item::containsKey);
    }

    /** An item as an index projects it: KEYS_ONLY keeps the table's and the index's keys; INCLUDE adds the named. */
    Map<String, AttributeValue> projected(Index index, Map<String, AttributeValue> item) {
        if (index.projectionType().equals("ALL")) {
            return item;
        }
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        List<String> keep = new ArrayList<>(key.names());
        keep.addAll(index.key().names());
        if (index.projectionType().equals("INCLUDE")) {
            keep.addAll(index.nonKeyAttributes());
        }
        for (String n : keep) {
            if (item.containsKey(n)) {
                out.put(n, item.get(n));
            }
        }
        return out;
    }
}
