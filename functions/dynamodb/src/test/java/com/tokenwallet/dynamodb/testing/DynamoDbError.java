package com.tokenwallet.dynamodb.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error answer as DynamoDB sends it: an HTTP status and a JSON body {@code {"__type": "<namespace>#<Name>",
 * "message": "..."}} (the API reference, "Error handling with DynamoDB"), plus the fields some errors carry
 * ({@code Item} of a failed condition, {@code CancellationReasons} of a cancelled transaction).
 */
final class DynamoDbError extends RuntimeException {
    private static final String DYNAMODB = "com.amazonaws.dynamodb.v20120810#";

    final int status;
    final String type;
    private final Map<String, Object> extra;
    /** TransactionCanceledException spells its message field "Message"; the others "message". */
    private final String messageField;

    private DynamoDbError(int status, String type, String message, String messageField, Map<String, Object> extra) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.messageField = messageField;
        this.extra = extra;
    }

    /** The exception name after the namespace, e.g. {@code ConditionalCheckFailedException}. */
    String name() {
        return type.substring(type.indexOf('#') + 1);
    }

    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", type);
        body.put(messageField, getMessage());
        body.putAll(extra);
        return body;
    }

    static DynamoDbError validation(String message) {
        return new DynamoDbError(400, "com.amazon.coral.validate#ValidationException", message, "message", Map.of());
    }

    static DynamoDbError serialization(String field) {
        return new DynamoDbError(400, "com.amazon.coral.service#SerializationException",
                "Unexpected value type in payload at " + field, "Message", Map.of());
    }

    static DynamoDbError unknownOperation(String target) {
        return new DynamoDbError(400, "com.amazon.coral.service#UnknownOperationException",
                "Unknown operation " + target, "message", Map.of());
    }

    static DynamoDbError conditionalCheckFailed(Map<String, Object> oldItemJson) {
        return new DynamoDbError(400, DYNAMODB + "ConditionalCheckFailedException", "The conditional request failed", "message",
                oldItemJson == null ? Map.of() : Map.of("Item", oldItemJson));
    }

    static DynamoDbError resourceNotFound(String message) {
        return new DynamoDbError(400, DYNAMODB + "ResourceNotFoundException", message, "message", Map.of());
    }

    static DynamoDbError resourceInUse(String message) {
        return new DynamoDbError(400, DYNAMODB + "ResourceInUseException", message, "message", Map.of());
    }

    static DynamoDbError idempotentParameterMismatch() {
        return new DynamoDbError(400, DYNAMODB + "IdempotentParameterMismatchException",
                "Request parameters do not match the original request that used this client request token", "message", Map.of());
    }

    /** Reasons in the order of the request's items; {@code Code} of each is one of DynamoDB's cancellation codes. */
    static DynamoDbError transactionCanceled(List<Map<String, Object>> reasons) {
        String codes = String.join(", ", reasons.stream().map(r -> (String) r.get("Code")).toList());
        return new DynamoDbError(400, DYNAMODB + "TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]", "Message",
                Map.of("CancellationReasons", reasons));
    }

    static DynamoDbError provisionedThroughputExceeded() {
        return new DynamoDbError(400, DYNAMODB + "ProvisionedThroughputExceededException",
                "The level of configured provisioned throughput for the table was exceeded. Consider increasing your "
                        + "provisioning level with the UpdateTable API.", "message", Map.of());
    }

    static DynamoDbError throttling() {
        return new DynamoDbError(400, "com.amazon.coral.availability#ThrottlingException", "Rate of requests exceeds the allowed throughput.",
                "message", Map.of());
    }

    static DynamoDbError internalServerError() {
        return new DynamoDbError(500, DYNAMODB + "InternalServerError", "Internal server error", "message", Map.of());
    }
}
