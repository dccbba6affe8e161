package com.tokenwallet.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The wallet's one table (see TABLE.md beside this module's pom): partition key {@code PK}, sort key {@code SK},
 * both strings, TTL on {@code expiresAt}. template.yaml declares the same table for AWS; tests and the local
 * runner create it with {@link #createTableRequest(String)}.
 */
public final class WalletTable {
    public static final String PK = "PK";
    public static final String SK = "SK";
    public static final String TTL_ATTRIBUTE = "expiresAt";
    /**
     * A sparse index of the accounts that have pending holds: partition {@code holdShard} (one of
     * {@value #HOLD_SHARDS} shards), sort {@code nextHoldExpiry} (epoch seconds of the earliest pending hold's
     * expiry). The expiry sweep queries it for holds past their time; an account without holds is not in it.
     */
    public static final String PENDING_HOLDS_INDEX = "PendingHolds";
    public static final String HOLD_SHARD = "holdShard";
    public static final String NEXT_HOLD_EXPIRY = "nextHoldExpiry";
    public static final int HOLD_SHARDS = 16;

    private WalletTable() {
    }

    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(HOLD_SHARD).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(NEXT_HOLD_EXPIRY).attributeType(ScalarAttributeType.N).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(PENDING_HOLDS_INDEX)
                        .keySchema(
                                KeySchemaElement.builder().attributeName(HOLD_SHARD).keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName(NEXT_HOLD_EXPIRY).keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                        .build())
                .build();
    }
}
