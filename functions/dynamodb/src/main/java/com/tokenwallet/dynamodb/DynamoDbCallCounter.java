package com.tokenwallet.dynamodb;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Counts the DynamoDB calls a client makes, per operation, and the capacity DynamoDB reports for them. Every
 * HTTP attempt counts (an SDK retry is a second call), which is what a "one call per debit" promise is about.
 */
public final class DynamoDbCallCounter implements ExecutionInterceptor {

    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void afterUnmarshalling(Context.AfterUnmarshalling context, ExecutionAttributes attributes) {
        SdkResponse response = context.response();
        switch (response) {
            case GetItemResponse r -> add(readUnits, r.consumedCapacity());
            case QueryResponse r -> add(readUnits, r.consumedCapacity());
            case BatchGetItemResponse r -> r.consumedCapacity().forEach(c -> add(readUnits, c));
            case PutItemResponse r -> add(writeUnits, r.consumedCapacity());
            case UpdateItemResponse r -> add(writeUnits, r.consumedCapacity());
            case TransactWriteItemsResponse r -> r.consumedCapacity().forEach(c -> add(writeUnits, c));
            default -> { }
        }
    }

    private static void add(DoubleAdder units, ConsumedCapacity capacity) {
        if (capacity != null && capacity.capacityUnits() != null) {
            units.add(capacity.capacityUnits());
        }
    }

    /** Calls of one operation, by its API name (for example {@code TransactWriteItems}). */
    public long count(String operation) {
        AtomicLong n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    public long total() {
        return calls.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Calls that can write: TransactWriteItems, PutItem, UpdateItem, DeleteItem, BatchWriteItem. */
    public long writeCalls() {
        return count("TransactWriteItems") + count("PutItem") + count("UpdateItem") + count("DeleteItem") + count("BatchWriteItem");
    }

    public double consumedReadCapacityUnits() {
        return readUnits.sum();
    }

    public double consumedWriteCapacityUnits() {
        return writeUnits.sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        calls.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    public void reset() {
        calls.clear();
        readUnits.reset();
        writeUnits.reset();
    }
}
