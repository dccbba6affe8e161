package com.tokenwallet.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
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
    /**
     * A sparse index of the accounts that have a Stripe customer: partition {@code stripeCustomerId}. Webhooks
     * find the account of an event that names only the customer through it, and admins look accounts up by it.
     */
    public static final String STRIPE_CUSTOMERS_INDEX = "StripeCustomers";
    public static final String STRIPE_CUSTOMER_ID = "stripeCustomerId";
    /** A sparse index of credited purchases by Stripe payment: a dispute names only its payment, not the account. */
    public static final String STRIPE_PAYMENTS_INDEX = "StripePayments";
    public static final String PAYMENT_ID = "paymentId";
    /**
     * A sparse index of the accounts opened with an e-mail address: partition {@code emailNormalized} (trimmed,
     * lower-cased; see AccountDirectory.normalize). Admins look accounts up by address through it.
     */
    public static final String ACCOUNT_EMAILS_INDEX = "AccountEmails";
    public static final String EMAIL_NORMALIZED = "emailNormalized";
    /**
     * A sparse index of the accounts on calendar periods (not on a Stripe subscription in force): partition
     * {@code calendarAccount} (the account id), keys only. The monthly reset scans its segments, so it reads only
     * those accounts' keys, never the ledger; the key never changes while the account stays on calendar periods,
     * so a roll-over writes nothing to the index.
     */
    public static final String CALENDAR_ACCOUNTS_INDEX = "CalendarAccounts";
    public static final String CALENDAR_ACCOUNT = "calendarAccount";

    private WalletTable() {
    }

    /**
     * Creates the table, or adds the indexes an older version of it lacks (a local data directory made before an
     * index was added), one UpdateTable each. For the local runner; in AWS, CloudFormation does this.
     */
    public static void ensure(DynamoDbClient client, String tableName) {
        CreateTableRequest wanted = createTableRequest(tableName);
        TableDescription existing;
        try {
            existing = client.describeTable(b -> b.tableName(tableName)).table();
        } catch (ResourceNotFoundException e) {
            client.createTable(wanted);
            return;
        }
        java.util.Set<String> present = new java.util.HashSet<>();
        existing.globalSecondaryIndexes().forEach(i -> present.add(i.indexName()));
        for (GlobalSecondaryIndex index : wanted.globalSecondaryIndexes()) {
            if (!present.contains(index.indexName())) {
                client.updateTable(b -> b.tableName(tableName).attributeDefinitions(wanted.attributeDefinitions())
                        .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder().create(CreateGlobalSecondaryIndexAction.builder()
                                .indexName(index.indexName()).keySchema(index.keySchema()).projection(index.projection()).build()).build()));
                awaitActive(client, tableName, index.indexName());
            }
        }
    }

    /** DynamoDB builds one new index at a time: wait (bounded) until this one is active before the next. */
    private static void awaitActive(DynamoDbClient client, String tableName, String indexName) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            boolean active = client.describeTable(b -> b.tableName(tableName)).table().globalSecondaryIndexes().stream()
                    .anyMatch(i -> i.indexName().equals(indexName) && i.indexStatus() == IndexStatus.ACTIVE);
            if (active) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while index " + indexName + " was being built", e);
            }
        }
        throw new IllegalStateException("index " + indexName + " of " + tableName + " was not active after 120 s");
    }

    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(HOLD_SHARD).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(NEXT_HOLD_EXPIRY).attributeType(ScalarAttributeType.N).build(),
                        AttributeDefinition.builder().attributeName(STRIPE_CUSTOMER_ID).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(PAYMENT_ID).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(EMAIL_NORMALIZED).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(CALENDAR_ACCOUNT).attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(PENDING_HOLDS_INDEX)
                        .keySchema(
                                KeySchemaElement.builder().attributeName(HOLD_SHARD).keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName(NEXT_HOLD_EXPIRY).keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                        .build(),
                        GlobalSecondaryIndex.builder()
                        .indexName(STRIPE_CUSTOMERS_INDEX)
                        .keySchema(KeySchemaElement.builder().attributeName(STRIPE_CUSTOMER_ID).keyType(KeyType.HASH).build())
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                        .build(),
                        GlobalSecondaryIndex.builder()
                        .indexName(STRIPE_PAYMENTS_INDEX)
                        .keySchema(KeySchemaElement.builder().attributeName(PAYMENT_ID).keyType(KeyType.HASH).build())
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                        .build(),
                        GlobalSecondaryIndex.builder()
                        .indexName(CALENDAR_ACCOUNTS_INDEX)
                        .keySchema(KeySchemaElement.builder().attributeName(CALENDAR_ACCOUNT).keyType(KeyType.HASH).build())
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                        .build(),
                        GlobalSecondaryIndex.builder()
                        .indexName(ACCOUNT_EMAILS_INDEX)
                        .keySchema(KeySchemaElement.builder().attributeName(EMAIL_NORMALIZED).keyType(KeyType.HASH).build())
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                        .build())
                .build();
    }
}
