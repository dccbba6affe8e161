package com.tokenwallet.quotareset;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * A client that, once armed, kills the worker at the worst moment: at the checkpoint save of the first page in
 * which accounts were reset, after their writes and before the checkpoint records them. It throws something the
 * store does not translate (as a crash would end the invocation), once.
 */
final class CrashingDynamoDbClient implements DynamoDbClient {
    private final DynamoDbClient delegate;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicLong crashedPageSeen = new AtomicLong(-1);

    CrashingDynamoDbClient(DynamoDbClient delegate) {
        this.delegate = delegate;
    }

    void arm() {
        armed.set(true);
    }

    /** The accounts of the page whose checkpoint was never saved, or -1 before the crash. */
    long crashedPageSeen() {
        return crashedPageSeen.get();
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        boolean checkpointSave = request.updateExpression().startsWith("SET #done");
        AttributeValue reset = request.expressionAttributeValues().get(":reset");
        if (checkpointSave && reset != null && Long.parseLong(reset.n()) > 0 && armed.compareAndSet(true, false)) {
            crashedPageSeen.set(Long.parseLong(request.expressionAttributeValues().get(":seen").n()));
            throw new IllegalStateException("simulated crash before the checkpoint save");
        }
        return delegate.updateItem(request);
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        return delegate.transactWriteItems(request);
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
    public ScanResponse scan(ScanRequest request) {
        return delegate.scan(request);
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        return delegate.putItem(request);
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
