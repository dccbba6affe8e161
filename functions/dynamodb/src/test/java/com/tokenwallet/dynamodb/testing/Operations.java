package com.tokenwallet.dynamodb.testing;

import com.tokenwallet.dynamodb.testing.Expressions.Condition;
import com.tokenwallet.dynamodb.testing.Expressions.Path;
import com.tokenwallet.dynamodb.testing.Expressions.Scope;
import com.tokenwallet.dynamodb.testing.Expressions.UpdateAction;
import com.tokenwallet.dynamodb.testing.FakeTable.Index;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The item operations of the DynamoDB API (GetItem, BatchGetItem, PutItem, UpdateItem, DeleteItem,
 * TransactWriteItems, Query, Scan) on the fake's tables, request JSON in, response JSON out, with the validation,
 * condition semantics and answers the API reference documents. Callers hold the fake's lock: every operation is
 * atomic and sees the effects of every earlier one.
 */
final class Operations {
    private static final long MAX_PAGE_BYTES = 1024 * 1024;
    private final Tables tables;

    Operations(Tables tables) {
        this.tables = tables;
    }

    // ---- reads

    Map<String, Object> getItem(Map<String, Object> request) {
        FakeTable table = tables.require(Json.string(request, "TableName"));
        Scope scope = Scope.of(request);
        Map<String, AttributeValue> key = table.requireKey(Values.item(request.get("Key"), "Key"));
        List<Path> projection = projection(request, scope);
        scope.requireAllUsed();
        boolean consistent = Json.bool(request, "ConsistentRead");
        Map<String, AttributeValue> item = table.read(key, consistent);
        Map<String, Object> response = new LinkedHashMap<>();
        if (item != null) {
            response.put("Item", Values.json(projection == null ? item : Expressions.project(item, projection)));
        }
        Capacity.read(response, request, table, Capacity.readUnits(Values.itemSize(item), consistent), null);
        return response;
    }

    Map<String, Object> batchGetItem(Map<String, Object> request, int unprocessedByFault) {
        Map<String, Object> requestItems = Json.object(request, "RequestItems");
        if (requestItems.isEmpty()) {
            throw DynamoDbError.validation("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Member "
                    + "must have length greater than or equal to 1");
        }
        int total = 0;
        Map<String, Object> responses = new LinkedHashMap<>();
        Map<String, Object> unprocessed = new LinkedHashMap<>();
        List<Object> capacity = new ArrayList<>();
        int toLeave = unprocessedByFault;
        for (var entry : requestItems.entrySet()) {
            FakeTable table = tables.require(entry.getKey());
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = (Map<String, Object>) entry.getValue();
            Scope scope = Scope.of(spec);
            List<Path> projection = projection(spec, scope);
            scope.requireAllUsed();
            boolean consistent = Json.bool(spec, "ConsistentRead");
            List<Object> keys = Json.array(spec, "Keys");
            total += keys.size();
            if (total > 100) {
                throw DynamoDbError.validation("Too many items requested for the BatchGetItem call");
            }
            Set<Map<String, AttributeValue>> seen = new HashSet<>();
            List<Object> found = new ArrayList<>();
            List<Object> left = new ArrayList<>();
            double units = 0;
            for (Object k : keys) {
                Map<String, AttributeValue> key = table.requireKey(Values.item(k, "Keys"));
                if (!seen.add(key)) {
                    throw DynamoDbError.validation("Provided list of item keys contains duplicates");
                }
                if (toLeave > 0) {
                    toLeave--;
                    left.add(k);
                    continue;
                }
                Map<String, AttributeValue> item = table.read(key, consistent);
                units += Capacity.readUnits(Values.itemSize(item), consistent);
                if (item != null) {
                    found.add(Values.json(projection == null ? item : Expressions.project(item, projection)));
                }
            }
            responses.put(table.name, found);
            if (!left.isEmpty()) {
                Map<String, Object> again = new LinkedHashMap<>(spec);
                again.put("Keys", left);
                unprocessed.put(table.name, again);
            }
            if (Capacity.wanted(request)) {
                capacity.add(Capacity.entry(request, table, Map.of("", units), false));
            }
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("Responses", responses);
        response.put("UnprocessedKeys", unprocessed);
        if (Capacity.wanted(request)) {
            response.put("ConsumedCapacity", capacity);
        }
        return response;
    }

    Map<String, Object> query(Map<String, Object> request) {
        FakeTable table = tables.require(Json.string(request, "TableName"));
        Index index = index(table, request);
        Scope scope = Scope.of(request);
        if (request.containsKey("KeyConditions")) {
            throw DynamoDbError.validation("The fake supports KeyConditionExpression only, not the legacy KeyConditions parameter");
        }
        String keyText = Json.string(request, "KeyConditionExpression");
        if (keyText == null) {
            throw DynamoDbError.validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        }
        KeyCondition keyCondition = KeyCondition.of(Expressions.condition(keyText, "KeyConditionExpression", scope),
                index == null ? table.key : index.key());
        Condition filter = filter(request, scope);
        if (filter != null) {
            for (String keyName : (index == null ? table.key : index.key()).names()) {
                if (mentions(filter, keyName)) {
                    throw DynamoDbError.validation("Filter Expression can only contain non-primary key attributes: Primary key attribute: "
                            + keyName);
                }
            }
        }
        List<Path> projection = projection(request, scope);
        scope.requireAllUsed();
        boolean consistent = consistentRead(request, index);
        List<Map<String, AttributeValue>> candidates = new ArrayList<>((index == null ? table.all() : table.indexItems(index)).stream()
                .filter(keyCondition::matches).toList());
        var order = table.queryOrder(index);
        if (request.containsKey("ScanIndexForward") && !Json.bool(request, "ScanIndexForward")) {
            order = order.reversed();
        }
        candidates.sort(order);
        return page(request, table, index, candidates, order, filter, projection, consistent, -1, 0);
    }

    Map<String, Object> scan(Map<String, Object> request) {
        FakeTable table = tables.require(Json.string(request, "TableName"));
        Index index = index(table, request);
        Scope scope = Scope.of(request);
        Condition filter = filter(request, scope);
        List<Path> projection = projection(request, scope);
        scope.requireAllUsed();
        Integer segment = Json.integer(request, "Segment");
        Integer totalSegments = Json.integer(request, "TotalSegments");
        if ((segment == null) != (totalSegments == null)) {
            throw DynamoDbError.validation("The TotalSegments parameter is required but was not present in the request when Segment "
                    + "parameter is present");
        }
        if (totalSegments != null && (totalSegments < 1 || totalSegments > 1_000_000 || segment < 0 || segment >= totalSegments)) {
            throw DynamoDbError.validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: "
                    + "Segment: " + segment + " is not less than TotalSegments: " + totalSegments);
        }
        boolean consistent = consistentRead(request, index);
        List<Map<String, AttributeValue>> candidates = index == null ? table.all() : new ArrayList<>(table.indexItems(index));
        var order = table.scanOrder();
        if (index != null) {
            candidates.sort(order);
        }
        if (totalSegments != null) {
            candidates = candidates.stream().filter(i -> FakeTable.segmentOf(i.get(table.key.hash()), totalSegments) == segment).toList();
        }
        return page(request, table, index, candidates, order, filter, projection, consistent,
                segment == null ? -1 : segment, totalSegments == null ? 0 : totalSegments);
    }

    /**
     * One page of a Query or Scan: from after ExclusiveStartKey, up to Limit items read or 1 MB, whichever comes first;
     * the filter applies after the read (so it never lowers what Limit counts), and LastEvaluatedKey names the last
     * item read whenever the page stopped early, even if no item is left after it (as DynamoDB does).
     */
    private Map<String, Object> page(Map<String, Object> request, FakeTable table, Index index, List<Map<String, AttributeValue>> candidates,
                                     java.util.Comparator<Map<String, AttributeValue>> order, Condition filter, List<Path> projection,
                                     boolean consistent, int segment, int totalSegments) {
        Integer limit = Json.integer(request, "Limit");
        if (limit != null && limit < 1) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy constraint: "
                    + "Member must have value greater than or equal to 1");
        }
        List<String> positionNames = new ArrayList<>(table.key.names());
        if (index != null) {
            index.key().names().stream().filter(n -> !positionNames.contains(n)).forEach(positionNames::add);
        }
        int from = 0;
        if (request.containsKey("ExclusiveStartKey")) {
            Map<String, AttributeValue> start = Values.item(request.get("ExclusiveStartKey"), "ExclusiveStartKey");
            if (!start.keySet().equals(new HashSet<>(positionNames))) {
                throw DynamoDbError.validation("The provided starting key is invalid: The provided key element does not match the schema");
            }
            if (segment >= 0 && FakeTable.segmentOf(start.get(table.key.hash()), totalSegments) != segment) {
                throw DynamoDbError.validation("The provided Exclusive start key does not map to the provided segment");
            }
            while (from < candidates.size() && order.compare(candidates.get(from), start) <= 0) {
                from++;
            }
        }
        List<Object> items = new ArrayList<>();
        long bytes = 0;
        int scanned = 0;
        Map<String, AttributeValue> last = null;
        boolean stoppedEarly = false;
        for (int i = from; i < candidates.size(); i++) {
            if ((limit != null && scanned == limit) || bytes >= MAX_PAGE_BYTES) {
                stoppedEarly = true;
                break;
            }
            Map<String, AttributeValue> stored = candidates.get(i);
            Map<String, AttributeValue> read = index == null ? stored : table.projected(index, stored);
            scanned++;
            bytes += Values.itemSize(read);
            last = stored;
            if (filter == null || Expressions.evaluate(filter, read)) {
                items.add(Values.json(projection == null ? read : Expressions.project(read, projection)));
            }
        }
        if (!stoppedEarly && limit != null && scanned == limit && last != null) {
            // Stopped by Limit exactly at the end: DynamoDB still answers with a LastEvaluatedKey.
            stoppedEarly = true;
        }
        Map<String, Object> response = new LinkedHashMap<>();
        if (!"COUNT".equals(Json.string(request, "Select"))) {
            response.put("Items", items);
        }
        response.put("Count", items.size());
        response.put("ScannedCount", scanned);
        if (stoppedEarly && last != null) {
            Map<String, AttributeValue> position = new LinkedHashMap<>();
            for (String n : positionNames) {
                position.put(n, last.get(n));
            }
            response.put("LastEvaluatedKey", Values.json(position));
        }
        Capacity.read(response, request, table, Capacity.scanUnits(bytes, consistent), index != null ? index.name() : null);
        return response;
    }

    private static Index index(FakeTable table, Map<String, Object> request) {
        String name = Json.string(request, "IndexName");
        if (name == null) {
            return null;
        }
        Index index = table.indexes.get(name);
        if (index == null) {
            throw DynamoDbError.validation("The table does not have the specified index: " + name);
        }
        return index;
    }

    private static boolean consistentRead(Map<String, Object> request, Index index) {
        boolean consistent = Json.bool(request, "ConsistentRead");
        if (consistent && index != null) {
            throw DynamoDbError.validation("Consistent reads are not supported on global secondary indexes");
        }
        return consistent;
    }

    private static Condition filter(Map<String, Object> request, Scope scope) {
        String text = Json.string(request, "FilterExpression");
        return text == null ? null : Expressions.condition(text, "FilterExpression", scope);
    }

    private static List<Path> projection(Map<String, Object> request, Scope scope) {
        String text = Json.string(request, "ProjectionExpression");
        return text == null ? null : Expressions.projection(text, scope);
    }

    private static boolean mentions(Condition c, String attribute) {
        return Expressions.attributes(c).contains(attribute);
    }

    // ---- single-item writes

    Map<String, Object> putItem(Map<String, Object> request) {
        FakeTable table = tables.require(Json.string(request, "TableName"));
        Scope scope = Scope.of(request);
        Map<String, AttributeValue> item = Values.item(request.get("Item"), "Item");
        table.requireWritable(item);
        Condition condition = condition(request, scope);
        scope.requireAllUsed();
        String returnValues = returnValues(request, "NONE", "ALL_OLD");
        Map<String, AttributeValue> key = table.keyOf(item);
        Map<String, AttributeValue> old = table.get(key);
        requireCondition(request, condition, old);
        table.put(item);
        Map<String, Object> response = new LinkedHashMap<>();
        if (returnValues.equals("ALL_OLD") && old != null) {
            response.put("Attributes", Values.json(old));
        }
        Capacity.write(response, request, table, old, item);
        return response;
    }

    Map<String, Object> updateItem(Map<String, Object> request) {
        FakeTable table = tables.require(Json.string(request, "TableName"));
        Scope scope = Scope.of(request);
        Map<String, AttributeValue> key = table.requireKey(Values.item(request.get("Key"), "Key"));
        List<UpdateAction> actions = updateActions(table, request, scope);
        Condition condition = condition(request, scope);
        scope.requireAllUsed();
        String returnValues = returnValues(request, "NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");
        Map<String, AttributeValue> old = table.get(key);
        requireCondition(request, condition, old);
        Map<String, AttributeValue> updated = updated(table, key, old, actions);
        table.put(updated);
        Map<String, Object> response = new LinkedHashMap<>();
        Set<String> touched = new HashSet<>();
        actions.forEach(a -> touched.add(a.path().top()));
        Map<String, AttributeValue> attributes = switch (returnValues) {
            case "ALL_OLD" -> old;
            case "ALL_NEW" -> updated;
            case "UPDATED_OLD" -> old == null ? null : only(old, touched);
            case "UPDATED_NEW" -> only(updated, touched);
            default -> null;
        };
        if (attributes != null && !attributes.isEmpty()) {
            response.put("Attributes", Values.json(attributes));
        }
        Capacity.write(response, request, table, old, updated);
        return response;
    }

    Map<String, Object> deleteItem(Map<String, Object> request) {
        FakeTable table = tables.require(Json.string(request, "TableName"));
        Scope scope = Scope.of(request);
        Map<String, AttributeValue> key = table.requireKey(Values.item(request.get("Key"), "Key"));
        Condition condition = condition(request, scope);
        scope.requireAllUsed();
        String returnValues = returnValues(request, "NONE", "ALL_OLD");
        Map<String, AttributeValue> old = table.get(key);
        requireCondition(request, condition, old);
        table.delete(key);
        Map<String, Object> response = new LinkedHashMap<>();
        if (returnValues.equals("ALL_OLD") && old != null) {
            response.put("Attributes", Values.json(old));
        }
        Capacity.write(response, request, table, old, null);
        return response;
    }

    private static Map<String, AttributeValue> only(Map<String, AttributeValue> item, Set<String> names) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        names.stream().filter(item::containsKey).forEach(n -> out.put(n, item.get(n)));
        return out;
    }

    private static List<UpdateAction> updateActions(FakeTable table, Map<String, Object> request, Scope scope) {
        String text = Json.string(request, "UpdateExpression");
        if (text == null) {
            return List.of();
        }
        List<UpdateAction> actions = Expressions.update(text, scope);
        for (UpdateAction a : actions) {
            if (table.key.names().contains(a.path().top())) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Cannot update attribute " + a.path().top()
                        + ". This attribute is part of the key");
            }
        }
        return actions;
    }

    private static Map<String, AttributeValue> updated(FakeTable table, Map<String, AttributeValue> key, Map<String, AttributeValue> old,
                                                     List<UpdateAction> actions) {
        Map<String, AttributeValue> base = old != null ? old : key;
        Map<String, AttributeValue> updated = Expressions.apply(actions, base);
        table.requireWritable(updated);
        return updated;
    }

    private static Condition condition(Map<String, Object> request, Scope scope) {
        String text = Json.string(request, "ConditionExpression");
        if (request.containsKey("Expected")) {
            throw DynamoDbError.validation("The fake supports ConditionExpression only, not the legacy Expected parameter");
        }
        return text == null ? null : Expressions.condition(text, "ConditionExpression", scope);
    }

    private static String returnValues(Map<String, Object> request, String... allowed) {
        String value = Json.string(request, "ReturnValues");
        if (value == null) {
            return "NONE";
        }
        if (!List.of(allowed).contains(value)) {
            throw DynamoDbError.validation("Return values set to invalid value");
        }
        return value;
    }

    /** A single write's condition: ConditionalCheckFailedException, with the old item if ALL_OLD was asked. */
    private static void requireCondition(Map<String, Object> request, Condition condition, Map<String, AttributeValue> old) {
        if (condition != null && !Expressions.evaluate(condition, old)) {
            boolean allOld = "ALL_OLD".equals(Json.string(request, "ReturnValuesOnConditionCheckFailure"));
            throw DynamoDbError.conditionalCheckFailed(allOld && old != null ? Values.json(old) : null);
        }
    }

    // ---- transactions

    private record Planned(FakeTable table, Map<String, AttributeValue> key, Map<String, AttributeValue> after, boolean writes) {
    }

    /**
     * All or nothing: every condition is checked against the table as it is, and only if all hold are the writes
     * applied. A failed condition cancels the transaction with one reason per item, in order: ConditionalCheckFailed
     * (with the item when ReturnValuesOnConditionCheckFailure is ALL_OLD) for those that failed, None for the others.
     */
    Map<String, Object> transactWriteItems(Map<String, Object> request) {
        List<Object> transactItems = Json.array(request, "TransactItems");
        if (transactItems.isEmpty() || transactItems.size() > 100) {
            throw DynamoDbError.validation("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member "
                    + "must have length less than or equal to 100 and greater than or equal to 1");
        }
        List<Planned> plan = new ArrayList<>();
        List<Map<String, Object>> reasons = new ArrayList<>();
        boolean failed = false;
        Set<List<Object>> targets = new HashSet<>();
        for (Object o : transactItems) {
            @SuppressWarnings("unchecked")
            Map<String, Object> wrapper = (Map<String, Object>) o;
            if (wrapper.size() != 1) {
                throw DynamoDbError.validation("TransactItems can only contain one of Check, Put, Update or Delete");
            }
            String action = wrapper.keySet().iterator().next();
            Map<String, Object> spec = Json.object(wrapper, action);
            FakeTable table = tables.require(Json.string(spec, "TableName"));
            Scope scope = Scope.of(spec);
            Map<String, AttributeValue> key;
            Map<String, AttributeValue> after = null;
            boolean writes = true;
            Condition condition = condition(spec, scope);
            switch (action) {
                case "Put" -> {
                    Map<String, AttributeValue> item = Values.item(spec.get("Item"), "Item");
                    table.requireWritable(item);
                    key = table.keyOf(item);
                    after = item;
                }
                case "Update" -> {
                    key = table.requireKey(Values.item(spec.get("Key"), "Key"));
                    List<UpdateAction> actions = updateActions(table, spec, scope);
                    if (actions.isEmpty()) {
                        throw DynamoDbError.validation("1 validation error detected: Value null at 'transactItems.update.updateExpression' "
                                + "failed to satisfy constraint: Member must not be null");
                    }
                    after = updated(table, key, table.get(key), actions);
                }
                case "Delete" -> key = table.requireKey(Values.item(spec.get("Key"), "Key"));
                case "ConditionCheck" -> {
                    key = table.requireKey(Values.item(spec.get("Key"), "Key"));
                    if (condition == null) {
                        throw DynamoDbError.validation("1 validation error detected: Value null at 'transactItems.conditionCheck."
                                + "conditionExpression' failed to satisfy constraint: Member must not be null");
                    }
                    writes = false;
                }
                default -> throw DynamoDbError.validation("TransactItems can only contain one of Check, Put, Update or Delete");
            }
            scope.requireAllUsed();
            if (!targets.add(List.of(table.name, key))) {
                throw DynamoDbError.validation("Transaction request cannot include multiple operations on one item");
            }
            Map<String, AttributeValue> old = table.get(key);
            if (condition != null && !Expressions.evaluate(condition, old)) {
                failed = true;
                Map<String, Object> reason = new LinkedHashMap<>();
                reason.put("Code", "ConditionalCheckFailed");
                reason.put("Message", "The conditional request failed");
                if ("ALL_OLD".equals(Json.string(spec, "ReturnValuesOnConditionCheckFailure")) && old != null) {
                    reason.put("Item", Values.json(old));
                }
                reasons.add(reason);
            } else {
                reasons.add(Map.of("Code", "None"));
            }
            plan.add(new Planned(table, key, after, writes));
        }
        if (failed) {
            throw DynamoDbError.transactionCanceled(reasons);
        }
        Map<String, Map<String, Double>> units = new LinkedHashMap<>();
        for (Planned p : plan) {
            Map<String, AttributeValue> old = p.table().get(p.key());
            Map<String, Double> tableUnits = units.computeIfAbsent(p.table().name, t -> new LinkedHashMap<>());
            Capacity.transactionalWriteUnits(p.table(), old, p.writes() ? p.after() : old).forEach((k, u) -> tableUnits.merge(k, u, Double::sum));
            if (p.writes()) {
                if (p.after() == null) {
                    p.table().delete(p.key());
                } else {
                    p.table().put(p.after());
                }
            }
        }
        Map<String, Object> response = new LinkedHashMap<>();
        if (Capacity.wanted(request)) {
            List<Object> capacity = new ArrayList<>();
            units.forEach((t, u) -> capacity.add(Capacity.entry(request, tables.require(t), u, true)));
            response.put("ConsumedCapacity", capacity);
        }
        return response;
    }

    /** The key condition of a Query: the partition key equal to a value, and at most one condition on the sort key. */
    private record KeyCondition(String hash, AttributeValue hashValue, Condition range) {
        static KeyCondition of(Condition c, FakeTable.KeySchema key) {
            List<Condition> parts = new ArrayList<>();
            if (c instanceof Expressions.And and) {
                parts.add(and.left());
                parts.add(and.right());
            } else {
                parts.add(c);
            }
            AttributeValue hashValue = null;
            Condition range = null;
            for (Condition part : parts) {
                String attribute = keyAttribute(part);
                if (attribute.equals(key.hash()) && part instanceof Expressions.Comparison cmp && cmp.comparator().equals("=")
                        && cmp.right() instanceof Expressions.ValueOperand v && hashValue == null) {
                    hashValue = v.value();
                } else if (attribute.equals(key.range()) && range == null) {
                    range = part;
                } else if (!key.names().contains(attribute)) {
                    throw DynamoDbError.validation("Query condition missed key schema element: " + key.hash());
                } else {
                    throw DynamoDbError.validation("Invalid operator used in KeyConditionExpression: " + part);
                }
            }
            if (hashValue == null) {
                throw DynamoDbError.validation("Query condition missed key schema element: " + key.hash());
            }
            return new KeyCondition(key.hash(), hashValue, range);
        }

        private static String keyAttribute(Condition part) {
            Expressions.Operand subject = switch (part) {
                case Expressions.Comparison cmp when !cmp.comparator().equals("<>") -> cmp.left();
                case Expressions.Between b -> b.operand();
                case Expressions.Function f when f.name().equals("begins_with") -> f.arguments().getFirst();
                default -> throw DynamoDbError.validation("Invalid KeyConditionExpression: the operator or function is not allowed: "
                        + part);
            };
            if (!(subject instanceof Expressions.PathOperand p) || p.path().elements().size() != 1) {
                throw DynamoDbError.validation("Invalid KeyConditionExpression: a key condition names a top-level key attribute");
            }
            return p.path().top();
        }

        boolean matches(Map<String, AttributeValue> item) {
            AttributeValue v = item.get(hash);
            return v != null && Values.equal(v, hashValue) && (range == null || Expressions.evaluate(range, item));
        }
    }
}
