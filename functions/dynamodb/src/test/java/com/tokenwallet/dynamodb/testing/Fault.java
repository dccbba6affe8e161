package com.tokenwallet.dynamodb.testing;

import java.time.Duration;

/**
 * A fault {@link FakeDynamoDb} can be scripted to answer one request with, in place of (or after) doing what it asks:
 * what DynamoDB does under load or trouble and no local engine reproduces. Script it with
 * {@link FakeDynamoDb#failNext(String, Fault, int)}.
 */
public final class Fault {
    enum Kind { ERROR, TRANSACTION_CONFLICT, UNPROCESSED_KEYS, COMMIT_THEN_DROP, COMMIT_THEN_SILENCE, SILENCE }

    final Kind kind;
    final DynamoDbError error;
    final int count;
    final Duration silence;
    private final String description;

    private Fault(Kind kind, DynamoDbError error, int count, Duration silence, String description) {
        this.kind = kind;
        this.error = error;
        this.count = count;
        this.silence = silence;
        this.description = description;
    }

    /** HTTP 400 ProvisionedThroughputExceededException (nothing done); the SDK retries it with back-off. */
    public static Fault provisionedThroughputExceeded() {
        return new Fault(Kind.ERROR, DynamoDbError.provisionedThroughputExceeded(), 0, null, "ProvisionedThroughputExceededException");
    }

    /** HTTP 400 ThrottlingException (nothing done); the SDK retries it with back-off. */
    public static Fault throttling() {
        return new Fault(Kind.ERROR, DynamoDbError.throttling(), 0, null, "ThrottlingException");
    }

    /** HTTP 500 InternalServerError (nothing done); the SDK retries it. */
    public static Fault internalServerError() {
        return new Fault(Kind.ERROR, DynamoDbError.internalServerError(), 0, null, "InternalServerError");
    }

    /**
     * TransactWriteItems cancelled because another transaction holds one of its items: reason TransactionConflict for
     * the item at {@code itemIndex}, None for the others; nothing written. The SDK does not retry it.
     */
    public static Fault transactionConflict(int itemIndex) {
        return new Fault(Kind.TRANSACTION_CONFLICT, null, itemIndex, null, "TransactionConflict on item " + itemIndex);
    }

    public static Fault transactionConflict() {
        return transactionConflict(0);
    }

    /** BatchGetItem answers the first {@code keys} keys of the request as UnprocessedKeys instead of reading them. */
    public static Fault unprocessedKeys(int keys) {
        return new Fault(Kind.UNPROCESSED_KEYS, null, keys, null, keys + " unprocessed keys");
    }

    /** The request is carried out, then the connection closes without an answer (the SDK sees an I/O error and retries). */
    public static Fault commitThenDropAnswer() {
        return new Fault(Kind.COMMIT_THEN_DROP, null, 0, null, "committed, answer dropped");
    }

    /** The request is carried out, then nothing is answered for {@code silence} (the client's attempt times out first). */
    public static Fault commitThenTimeOut(Duration silence) {
        return new Fault(Kind.COMMIT_THEN_SILENCE, null, 0, silence, "committed, silent for " + silence);
    }

    /** Nothing is done and nothing answered for {@code silence}: a request lost on its way. */
    public static Fault timeOut(Duration silence) {
        return new Fault(Kind.SILENCE, null, 0, silence, "silent for " + silence + ", nothing done");
    }

    @Override
    public String toString() {
        return description;
    }
}
