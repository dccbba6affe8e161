package com.tokenwallet.dynamodb.testing;

import com.tokenwallet.dynamodb.testing.FakeTable.Index;
import com.tokenwallet.dynamodb.testing.FakeTable.KeySchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fake's tables and the table operations of the API: CreateTable, DescribeTable, UpdateTable (adding or
 * removing a global secondary index), DeleteTable, ListTables, UpdateTimeToLive, DescribeTimeToLive. A table is
 * usable as soon as CreateTable answers (DynamoDB takes seconds; nothing here waits), and a new index is ACTIVE at
 * the next DescribeTable. TTL is recorded, never enforced: DynamoDB itself deletes expired items only eventually.
 */
final class Tables {
    private static final String ARN_PREFIX = "arn:aws:dynamodb:us-east-1:000000000000:table/";
    private final Map<String, FakeTable> tables = new TreeMap<>();

    FakeTable require(String name) {
        if (name == null) {
            throw DynamoDbError.validation("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member "
                    + "must not be null");
        }
        FakeTable table = tables.get(name);
        if (table == null) {
            throw DynamoDbError.resourceNotFound("Requested resource not found");
        }
        return table;
    }

    Map<String, Object> createTable(Map<String, Object> request) {
        String name = Json.string(request, "TableName");
        if (name == null || !name.matches("[a-zA-Z0-9_.-]{3,255}")) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + name + "' at 'tableName' failed to satisfy "
                    + "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
        if (tables.containsKey(name)) {
            throw DynamoDbError.resourceInUse("Table already exists: " + name);
        }
        Map<String, String> types = new LinkedHashMap<>();
        for (Object o : Json.array(request, "AttributeDefinitions")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> d = (Map<String, Object>) o;
            String type = Json.string(d, "AttributeType");
            if (!List.of("S", "N", "B").contains(type)) {
                throw DynamoDbError.validation("Member must satisfy enum value set: [B, N, S]");
            }
            types.put(Json.string(d, "AttributeName"), type);
        }
        KeySchema key = keySchema(Json.array(request, "KeySchema"), types);
        String billing = Json.string(request, "BillingMode") == null ? "PROVISIONED" : Json.string(request, "BillingMode");
        requireThroughput(billing, request, "");
        FakeTable table = new FakeTable(name, key, types, Map.of("BillingMode", billing));
        Set<String> used = new LinkedHashSet<>(key.names());
        for (Object o : Json.array(request, "GlobalSecondaryIndexes")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> gsi = (Map<String, Object>) o;
            requireThroughput(billing, gsi, " for index " + Json.string(gsi, "IndexName"));
            Index index = index(gsi, types);
            if (table.indexes.put(index.name(), index) != null) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Duplicate index name: " + index.name());
            }
            used.addAll(index.key().names());
        }
        if (table.indexes.size() > 20) {
            throw DynamoDbError.validation("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table "
                    + "limit of 20");
        }
        if (!used.equals(types.keySet())) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Some AttributeDefinitions are not used. "
                    + "AttributeDefinitions: " + types.keySet() + ", keys used: " + used);
        }
        tables.put(name, table);
        return Map.of("TableDescription", description(table, "CREATING", null));
    }

    private static void requireThroughput(String billing, Map<String, Object> spec, String where) {
        boolean has = spec.containsKey("ProvisionedThroughput");
        if (billing.equals("PROVISIONED") && !has) {
            throw DynamoDbError.validation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must "
                    + "both be specified when BillingMode is PROVISIONED" + where);
        }
        if (billing.equals("PAY_PER_REQUEST") && has) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits "
                    + "can be specified when BillingMode is PAY_PER_REQUEST" + where);
        }
    }

    private static KeySchema keySchema(List<Object> elements, Map<String, String> types) {
        String hash = null;
        String range = null;
        for (Object o : elements) {
            @SuppressWarnings("unchecked")
            Map<String, Object> e = (Map<String, Object>) o;
            String name = Json.string(e, "AttributeName");
            if (!types.containsKey(name)) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Some index key attributes are not defined in "
                        + "AttributeDefinitions. Keys: [" + name + "], AttributeDefinitions: " + types.keySet());
            }
            switch (Json.string(e, "KeyType")) {
                case "HASH" -> hash = name;
                case "RANGE" -> range = name;
                default -> throw DynamoDbError.validation("Invalid KeyType");
            }
        }
        if (hash == null || elements.size() > 2) {
            throw DynamoDbError.validation("1 validation error detected: the key schema needs one HASH key and at most one RANGE key");
        }
        return new KeySchema(hash, range);
    }

    private static Index index(Map<String, Object> gsi, Map<String, String> types) {
        String name = Json.string(gsi, "IndexName");
        KeySchema key = keySchema(Json.array(gsi, "KeySchema"), types);
        Map<String, Object> projection = Json.object(gsi, "Projection");
        String type = Json.string(projection, "ProjectionType");
        if (!List.of("KEYS_ONLY", "INCLUDE", "ALL").contains(type)) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Unknown ProjectionType: " + type);
        }
        List<String> nonKey = Json.array(projection, "NonKeyAttributes").stream().map(String.class::cast).toList();
        return new Index(name, key, type, nonKey, gsi);
    }

    Map<String, Object> describeTable(Map<String, Object> request) {
        FakeTable table = describable(Json.string(request, "TableName"));
        return Map.of("Table", description(table, "ACTIVE", null));
    }

    /** Creates or deletes one index at a time, as DynamoDB allows; a created index answers CREATING, then is ACTIVE. */
    Map<String, Object> updateTable(Map<String, Object> request) {
        FakeTable table = describable(Json.string(request, "TableName"));
        List<Object> updates = Json.array(request, "GlobalSecondaryIndexUpdates");
        if (updates.size() > 1) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Only 1 online index can be created or deleted "
                    + "simultaneously per table");
        }
        Map<String, String> types = new LinkedHashMap<>(table.attributeTypes);
        for (Object o : Json.array(request, "AttributeDefinitions")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> d = (Map<String, Object>) o;
            String previous = types.put(Json.string(d, "AttributeName"), Json.string(d, "AttributeType"));
            if (previous != null && !previous.equals(Json.string(d, "AttributeType"))) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Cannot change the type of attribute "
                        + Json.string(d, "AttributeName"));
            }
        }
        String creating = null;
        for (Object o : updates) {
            @SuppressWarnings("unchecked")
            Map<String, Object> update = (Map<String, Object>) o;
            if (update.containsKey("Create")) {
                Map<String, Object> create = Json.object(update, "Create");
                requireThroughput((String) table.billing.get("BillingMode"), create, " for index " + Json.string(create, "IndexName"));
                Index index = index(create, types);
                if (table.indexes.containsKey(index.name())) {
                    throw DynamoDbError.validation("One or more parameter values were invalid: Index " + index.name() + " already exists");
                }
                table.attributeTypes.putAll(types);
                table.indexes.put(index.name(), index);
                creating = index.name();
            } else if (update.containsKey("Delete")) {
                String name = Json.string(Json.object(update, "Delete"), "IndexName");
                if (table.indexes.remove(name) == null) {
                    throw DynamoDbError.resourceNotFound("Requested resource not found: Index: " + name + " not found");
                }
            } else {
                throw DynamoDbError.validation("The fake supports creating and deleting global secondary indexes only");
            }
        }
        return Map.of("TableDescription", description(table, "UPDATING", creating));
    }

    Map<String, Object> deleteTable(Map<String, Object> request) {
        FakeTable table = describable(Json.string(request, "TableName"));
        tables.remove(table.name);
        return Map.of("TableDescription", description(table, "DELETING", null));
    }

    Map<String, Object> listTables(Map<String, Object> request) {
        Integer limit = Json.integer(request, "Limit");
        String start = Json.string(request, "ExclusiveStartTableName");
        List<String> names = new ArrayList<>(start == null ? tables.keySet() : ((TreeMap<String, FakeTable>) tables).tailMap(start, false).keySet());
        Map<String, Object> response = new LinkedHashMap<>();
        int n = limit == null ? Math.min(100, names.size()) : Math.min(limit, names.size());
        response.put("TableNames", names.subList(0, n));
        if (n < names.size()) {
            response.put("LastEvaluatedTableName", names.get(n - 1));
        }
        return response;
    }

    Map<String, Object> updateTimeToLive(Map<String, Object> request) {
        FakeTable table = describable(Json.string(request, "TableName"));
        Map<String, Object> spec = Json.object(request, "TimeToLiveSpecification");
        boolean enabled = Json.bool(spec, "Enabled");
        if (enabled && table.ttlAttribute != null) {
            throw DynamoDbError.validation("TimeToLive is already enabled");
        }
        table.ttlAttribute = enabled ? Json.string(spec, "AttributeName") : null;
        return Map.of("TimeToLiveSpecification", spec);
    }

    Map<String, Object> describeTimeToLive(Map<String, Object> request) {
        FakeTable table = describable(Json.string(request, "TableName"));
        Map<String, Object> ttl = new LinkedHashMap<>();
        ttl.put("TimeToLiveStatus", table.ttlAttribute == null ? "DISABLED" : "ENABLED");
        if (table.ttlAttribute != null) {
            ttl.put("AttributeName", table.ttlAttribute);
        }
        return Map.of("TimeToLiveDescription", ttl);
    }

    private FakeTable describable(String name) {
        FakeTable table = name == null ? null : tables.get(name);
        if (table == null) {
            throw DynamoDbError.resourceNotFound("Requested resource not found: Table: " + name + " not found");
        }
        return table;
    }

    private static Map<String, Object> description(FakeTable table, String status, String creatingIndex) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("TableName", table.name);
        d.put("TableStatus", status);
        d.put("KeySchema", keySchemaJson(table.key));
        List<Object> definitions = new ArrayList<>();
        table.attributeTypes.forEach((n, t) -> definitions.add(Map.of("AttributeName", n, "AttributeType", t)));
        d.put("AttributeDefinitions", definitions);
        d.put("CreationDateTime", BigDecimal.valueOf(table.createdAt.toEpochMilli()).movePointLeft(3));
        d.put("ItemCount", table.itemCount());
        d.put("TableSizeBytes", table.sizeBytes());
        d.put("TableArn", ARN_PREFIX + table.name);
        d.put("TableId", table.id);
        d.put("BillingModeSummary", table.billing);
        d.put("ProvisionedThroughput", Map.of("NumberOfDecreasesToday", 0, "ReadCapacityUnits", 0, "WriteCapacityUnits", 0));
        d.put("DeletionProtectionEnabled", false);
        if (!table.indexes.isEmpty()) {
            List<Object> indexes = new ArrayList<>();
            for (Index index : table.indexes.values()) {
                Map<String, Object> i = new LinkedHashMap<>();
                i.put("IndexName", index.name());
                i.put("KeySchema", keySchemaJson(index.key()));
                Map<String, Object> projection = new LinkedHashMap<>();
                projection.put("ProjectionType", index.projectionType());
                if (!index.nonKeyAttributes().isEmpty()) {
                    projection.put("NonKeyAttributes", index.nonKeyAttributes());
                }
                i.put("Projection", projection);
                boolean creating = index.name().equals(creatingIndex);
                i.put("IndexStatus", creating ? "CREATING" : "ACTIVE");
                if (creating) {
                    i.put("Backfilling", true);
                }
                i.put("ProvisionedThroughput", Map.of("NumberOfDecreasesToday", 0, "ReadCapacityUnits", 0, "WriteCapacityUnits", 0));
                i.put("IndexSizeBytes", table.indexItems(index).stream().mapToLong(it -> Values.itemSize(table.projected(index, it))).sum());
                i.put("ItemCount", table.indexItems(index).size());
                i.put("IndexArn", ARN_PREFIX + table.name + "/index/" + index.name());
                indexes.add(i);
            }
            d.put("GlobalSecondaryIndexes", indexes);
        }
        return d;
    }

    private static List<Object> keySchemaJson(KeySchema key) {
        List<Object> out = new ArrayList<>();
        out.add(Map.of("AttributeName", key.hash(), "KeyType", "HASH"));
        if (key.range() != null) {
            out.add(Map.of("AttributeName", key.range(), "KeyType", "RANGE"));
        }
        return out;
    }
}
