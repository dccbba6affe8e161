package com.tokenwallet.dynamodb.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * A DynamoDB client that does what DynamoDB Local never does: it fails the next {@code TransactWriteItems}
 * calls with a transaction conflict, with throttling, or with a timeout after the write was committed. Faults
 * are queued and used up one per call; with none queued every call goes straight to the delegate.
 */
public final class FaultInjectingDynamoDbClient implements DynamoDbClient {

    public enum Fault {
        /** Cancelled because another transaction touched the same item (nothing written). */
        TRANSACTION_CONFLICT,
        /** Throttled (nothing written). */
        THROTTLING,
        /** The write reaches DynamoDB and commits, but the answer never comes back. */
        TIMEOUT_AFTER_COMMIT,
        /** The call times out before reaching DynamoDB (nothing written). */
        TIMEOUT_BEFORE_COMMIT
    }

    private final DynamoDbClient delegate;
    private final Deque<Fault> writeFaults = new ArrayDeque<>();
    private final AtomicInteger transactCalls = new AtomicInteger();
    private final AtomicInteger committed = new AtomicInteger();

    public FaultInjectingDynamoDbClient(DynamoDbClient delegate) {
        this.delegate = delegate;
    }

    public synchronized FaultInjectingDynamoDbClient failNextWrites(Fault fault, int times) {
        for (int i = 0; i < times; i++) {
            writeFaults.add(fault);
        }
        return this;
    }

    public synchronized int pendingFaults() {
        return writeFaults.size();
    }

    /** TransactWriteItems calls made, faulted or not. */
    public int transactCalls() {
        return transactCalls.get();
    }

    /** TransactWriteItems calls that reached the delegate and succeeded there. */
    public int committedWrites() {
        return committed.get();
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        transactCalls.incrementAndGet();
        Fault fault;
        synchronized (this) {
            fault = writeFaults.poll();
        }
        if (fault == null) {
            return commit(request);
        }
        switch (fault) {
            case TRANSACTION_CONFLICT -> throw cancelled(request, "TransactionConflict",
                    "Transaction is ongoing for the item");
            case THROTTLING -> throw ProvisionedThroughputExceededException.builder()
                    .message("The level of configured provisioned throughput for the table was exceeded").statusCode(400).build();
            case TIMEOUT_AFTER_COMMIT -> {
                commit(request);
                throw ApiCallTimeoutException.create(4000);
            }
            case TIMEOUT_BEFORE_COMMIT -> throw ApiCallTimeoutException.create(4000);
            default -> throw new IllegalStateException(fault.name());
        }
    }

    private TransactWriteItemsResponse commit(TransactWriteItemsRequest request) {
        TransactWriteItemsResponse response = delegate.transactWriteItems(request);
        committed.incrementAndGet();
        return response;
    }

    private static TransactionCanceledException cancelled(TransactWriteItemsRequest request, String code, String message) {
        CancellationReason[] reasons = new CancellationReason[request.transactItems().size()];
        for (int i = 0; i < reasons.length; i++) {
            reasons[i] = i == 0 ? CancellationReason.builder().code(code).message(message).build()
                    : CancellationReason.builder().code("None").build();
        }
        return TransactionCanceledException.builder()
                .message("Transaction cancelled, please refer cancellation reasons for specific reasons [" + code + "]")
                .cancellationReasons(reasons).statusCode(400).build();
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        return delegate.getItem(request);
    }

    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
        return delegate.batchGetItem(request);
    }

    @Override
    public QueryResponse query(QueryRequest request) {
        return delegate.query(request);
    }

    @Override
    public software.amazon.awssdk.services.dynamodb.model.ScanResponse scan(software.amazon.awssdk.services.dynamodb.model.ScanRequest request) {
        return delegate.scan(request);
    }

    @Override
    public software.amazon.awssdk.services.dynamodb.model.PutItemResponse putItem(software.amazon.awssdk.services.dynamodb.model.PutItemRequest request) {
        return delegate.putItem(request);
    }

    @Override
    public CreateTableResponse createTable(CreateTableRequest request) {
        return delegate.createTable(request);
    }

    @Override
    public String serviceName() {
        return delegate.serviceName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
