package com.tokenwallet.api;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The write half of SnapStart priming: one {@code TransactWriteItems} (the call every change of an account is) that
 * cannot succeed, a put of the reserved priming account on condition that it exists already, which it never does
 * ({@link PrimingEvents#ACCOUNT}). DynamoDB cancels it and writes nothing; what is primed is the SDK's marshalling
 * of the write, its HTTP exchange and its reading of the cancellation, which a first real debit would pay for.
 */
final class PrimingWrites {
    private PrimingWrites() {
    }

    static void refusedWrite(DynamoDbClient client, String table) {
        Map<String, AttributeValue> item = Map.of(
                "PK", AttributeValue.fromS("ACCOUNT#" + PrimingEvents.ACCOUNT),
                "SK", AttributeValue.fromS("ACCOUNT"),
                "version", AttributeValue.fromN("1"));
        try {
            client.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().put(Put.builder().tableName(table)
                    .item(item).conditionExpression("attribute_exists(PK)").build()).build()));
            throw new IllegalStateException("the priming write was not refused: the reserved account "
                    + PrimingEvents.ACCOUNT + " exists in " + table);
        } catch (TransactionCanceledException expected) {
            // Cancelled on its condition: nothing was written.
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException) {
                throw e;
            }
            // The store unreachable at deploy time: the code path ran as far as it could.
        }
    }
}
