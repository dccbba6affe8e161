package com.tokenwallet.dynamodb.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static com.tokenwallet.dynamodb.testing.TestItems.item;
import static com.tokenwallet.dynamodb.testing.TestItems.key;
import static com.tokenwallet.dynamodb.testing.TestItems.n;
import static com.tokenwallet.dynamodb.testing.TestItems.s;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** The fake's own semantics, through the SDK: expressions, indexes, pages, segments, capacity, idempotency, faults. */
class FakeDynamoDbTest {
    private FakeDynamoDb fake;
    private DynamoDbClient client;
    private String table;

    @BeforeEach
    void fresh() {
        fake = new FakeDynamoDb();
        client = fake.client();
        table = fake.createWalletTable();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void conditions_followDynamoDbsGrammar_andPrecedence() {
        put(item("A", "1", "n", n(5), "s", s("hello"), "l", AttributeValue.fromL(List.of(n(1), n(2)))));

        assertThat(holds("#n = :five", Map.of(":five", n(5)))).isTrue();
        assertThat(holds("#n = :five", Map.of(":five", s("5")))).as("types differ").isFalse();
        assertThat(holds("#n <> :five", Map.of(":five", s("5")))).isTrue();
        assertThat(holds("#n BETWEEN :a AND :b", Map.of(":a", n(1), ":b", n(5)))).isTrue();
        assertThat(holds("#n IN (:a, :b)", Map.of(":a", n(1), ":b", n(5)))).isTrue();
        // AND binds tighter than OR; NOT tighter than AND; parentheses group.
        assertThat(holds("#n = :a OR #n = :five AND #n = :a", Map.of(":a", n(1), ":five", n(5)))).isFalse();
        assertThat(holds("(#n = :a OR #n = :five) AND NOT #n = :a", Map.of(":a", n(1), ":five", n(5)))).isTrue();
        assertThat(holds("begins_with(s, :p) AND contains(s, :q) AND size(s) = :len",
                Map.of(":p", s("he"), ":q", s("ell"), ":len", n(5)))).isTrue();
        assertThat(holds("attribute_exists(l[1]) AND attribute_not_exists(l[2]) AND attribute_type(s, :t)", Map.of(":t", s("S"))))
                .isTrue();
        assertThat(holds("absent < :a", Map.of(":a", n(1)))).as("a missing attribute compares false").isFalse();
    }

    @Test
    void malformedExpressions_reservedWords_andUnusedPlaceholders_areValidationErrors() {
        put(item("A", "1"));
        assertThatThrownBy(() -> holds("status = :a", Map.of(":a", n(1)))).isInstanceOf(DynamoDbException.class)
                .hasMessageContaining("reserved keyword; reserved keyword: status");
        assertThatThrownBy(() -> holds("#n = :a AND", Map.of(":a", n(1)))).hasMessageContaining("Syntax error");
        assertThatThrownBy(() -> holds("#n = :a", Map.of(":a", n(1), ":b", n(2))))
                .hasMessageContaining("Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}");
        assertThatThrownBy(() -> holds("#n = :c", Map.of(":a", n(1)))).hasMessageContaining("attribute value: :c");
    }

    @Test
    void updates_setAddSubtractRemove_withIfNotExists_andReturnTheNewImage() {
        put(item("A", "1", "count", n(10), "gone", s("x"), "m", AttributeValue.fromM(Map.of("nested", n(1)))));

        Map<String, AttributeValue> after = client.updateItem(b -> b.tableName(table).key(key("A", "1"))
                .updateExpression("SET #c = #c - :one, fresh = if_not_exists(fresh, :seven) + :one, m.nested = :one + :one "
                        + "REMOVE gone ADD tally :one")
                .expressionAttributeNames(Map.of("#c", "count"))
                .expressionAttributeValues(Map.of(":one", n(1), ":seven", n(7)))
                .returnValues(ReturnValue.ALL_NEW)).attributes();

        assertThat(after).containsEntry("count", n(9)).containsEntry("fresh", n(8)).containsEntry("tally", n(1))
                .containsEntry("m", AttributeValue.fromM(Map.of("nested", n(2)))).doesNotContainKey("gone");
        assertThatThrownBy(() -> client.updateItem(b -> b.tableName(table).key(key("A", "1")).updateExpression("SET SK = :v")
                .expressionAttributeValues(Map.of(":v", s("2"))))).hasMessageContaining("This attribute is part of the key");
        assertThatThrownBy(() -> client.updateItem(b -> b.tableName(table).key(key("A", "1")).updateExpression("SET a = :v, a = :v")
                .expressionAttributeValues(Map.of(":v", s("2"))))).hasMessageContaining("Two document paths overlap");
    }

    @Test
    void aFailedSingleWrite_isConditionalCheckFailed_withTheOldItemOnlyWhenAsked() {
        put(item("A", "1", "v", n(1)));
        assertThatThrownBy(() -> client.putItem(b -> b.tableName(table).item(item("A", "1", "v", n(2)))
                .conditionExpression("attribute_not_exists(PK)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
                .isInstanceOfSatisfying(ConditionalCheckFailedException.class, e -> assertThat(e.item()).containsEntry("v", n(1)));
        assertThatThrownBy(() -> client.putItem(b -> b.tableName(table).item(item("A", "1", "v", n(2)))
                .conditionExpression("attribute_not_exists(PK)")))
                .isInstanceOfSatisfying(ConditionalCheckFailedException.class, e -> assertThat(e.hasItem()).isFalse());
    }

    @Test
    void aSparseKeysOnlyIndex_holdsOnlyItemsWithItsKey_andProjectsOnlyKeys() {
        put(item("ACCOUNT#a", "ACCOUNT", "stripeCustomerId", s("cus_1"), "plan", s("pro")));
        put(item("ACCOUNT#b", "ACCOUNT", "plan", s("free")));

        QueryResponse found = client.query(b -> b.tableName(table).indexName("StripeCustomers").keyConditionExpression("#c = :c")
                .expressionAttributeNames(Map.of("#c", "stripeCustomerId")).expressionAttributeValues(Map.of(":c", s("cus_1"))));

        assertThat(found.items()).containsExactly(Map.of("PK", s("ACCOUNT#a"), "SK", s("ACCOUNT"), "stripeCustomerId", s("cus_1")));
        assertThat(client.scan(b -> b.tableName(table).indexName("StripeCustomers")).count()).isEqualTo(1);
        assertThatThrownBy(() -> client.query(b -> b.tableName(table).indexName("StripeCustomers").consistentRead(true)
                .keyConditionExpression("stripeCustomerId = :c").expressionAttributeValues(Map.of(":c", s("cus_1")))))
                .hasMessageContaining("Consistent reads are not supported on global secondary indexes");
        assertThatThrownBy(() -> put(item("ACCOUNT#c", "ACCOUNT", "stripeCustomerId", n(1))))
                .hasMessageContaining("Type mismatch for Index Key stripeCustomerId");
    }

    @Test
    void aQuery_pagesInSortOrder_bothWays_andSaysWhereItStopped() {
        for (int i = 1; i <= 5; i++) {
            put(item("P", "TX#" + i));
        }
        put(item("P", "HOLD#1"));
        List<String> forward = querySks(true);
        List<String> backward = querySks(false);

        assertThat(forward).containsExactly("TX#1", "TX#2", "TX#3", "TX#4", "TX#5");
        assertThat(backward).containsExactly("TX#5", "TX#4", "TX#3", "TX#2", "TX#1");
        // Exactly Limit items left: DynamoDB still answers a LastEvaluatedKey, and the next page is empty.
        QueryResponse all = client.query(b -> b.tableName(table).keyConditionExpression("PK = :p AND begins_with(SK, :t)")
                .expressionAttributeValues(Map.of(":p", s("P"), ":t", s("TX#"))).limit(5));
        assertThat(all.lastEvaluatedKey()).isEqualTo(key("P", "TX#5"));
    }

    @Test
    void aScan_countsItsLimitBeforeTheFilter_andItsSegmentsPartitionTheTable() {
        for (int i = 0; i < 40; i++) {
            put(item("ACCOUNT#" + i, i % 2 == 0 ? "ACCOUNT" : "TX#1"));
        }
        ScanResponse page = client.scan(b -> b.tableName(table).limit(10).filterExpression("SK = :a")
                .expressionAttributeValues(Map.of(":a", s("ACCOUNT"))));
        assertThat(page.scannedCount()).isEqualTo(10);
        assertThat(page.count()).isLessThanOrEqualTo(10);
        assertThat(page.hasLastEvaluatedKey()).isTrue();

        List<Map<String, AttributeValue>> seen = new ArrayList<>();
        for (int segment = 0; segment < 4; segment++) {
            int s = segment;
            Map<String, AttributeValue> start = null;
            for (int guard = 0; guard < 100; guard++) {
                Map<String, AttributeValue> from = start;
                ScanResponse r = client.scan(b -> {
                    b.tableName(table).segment(s).totalSegments(4).limit(3);
                    if (from != null) {
                        b.exclusiveStartKey(from);
                    }
                });
                seen.addAll(r.items());
                if (!r.hasLastEvaluatedKey() || r.lastEvaluatedKey().isEmpty()) {
                    break;
                }
                start = r.lastEvaluatedKey();
            }
        }
        assertThat(seen).hasSize(40).doesNotHaveDuplicates();
    }

    @Test
    void consumedCapacity_followsTheDocumentedRules() {
        Map<String, AttributeValue> big = item("A", "1", "blob", s("x".repeat(5000)));
        double put = client.putItem(b -> b.tableName(table).item(big).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                .consumedCapacity().capacityUnits();
        double strong = client.getItem(b -> b.tableName(table).key(key("A", "1")).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits();
        double eventual = client.getItem(b -> b.tableName(table).key(key("A", "1"))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity().capacityUnits();
        double transact = client.transactWriteItems(b -> b.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .transactItems(TransactWriteItem.builder().put(p -> p.tableName(table).item(item("B", "1"))).build()))
                .consumedCapacity().getFirst().capacityUnits();

        assertThat(put).as("5,01x bytes: 5 KB rounded up to 1 KB units").isEqualTo(5.0);
        assertThat(strong).as("under 8 KB: two 4 KB units").isEqualTo(2.0);
        assertThat(eventual).isEqualTo(1.0);
        assertThat(transact).as("a 1 KB transactional write: two units").isEqualTo(2.0);
    }

    @Test
    void aTransaction_cannotTouchOneItemTwice_andItsTokenMakesItIdempotent() {
        TransactWriteItem a = TransactWriteItem.builder().put(p -> p.tableName(table).item(item("A", "1"))).build();
        TransactWriteItem again = TransactWriteItem.builder().update(u -> u.tableName(table).key(key("A", "1"))
                .updateExpression("SET x = :x").expressionAttributeValues(Map.of(":x", n(1)))).build();
        assertThatThrownBy(() -> client.transactWriteItems(b -> b.transactItems(a, again)))
                .hasMessageContaining("Transaction request cannot include multiple operations on one item");

        TransactWriteItem counted = TransactWriteItem.builder().update(u -> u.tableName(table).key(key("C", "1"))
                .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", n(1)))).build();
        client.transactWriteItems(b -> b.clientRequestToken("token-1").transactItems(counted));
        client.transactWriteItems(b -> b.clientRequestToken("token-1").transactItems(counted));
        assertThat(client.getItem(b -> b.tableName(table).key(key("C", "1"))).item()).containsEntry("n", n(1));
        assertThatThrownBy(() -> client.transactWriteItems(b -> b.clientRequestToken("token-1").transactItems(a)))
                .isInstanceOf(IdempotentParameterMismatchException.class);
    }

    @Test
    void aThrottledRequest_isRetriedByTheSdk_andEveryAttemptIsRecorded() {
        fake.failNext("PutItem", Fault.provisionedThroughputExceeded(), 2);
        fake.clearRequests();

        put(item("A", "1"));

        assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(400, 400, 200);
        assertThat(fake.requests().getFirst().error()).isEqualTo("ProvisionedThroughputExceededException");
        assertThat(fake.items(table)).hasSize(1);
    }

    @Test
    void reservedWordsInNestedPaths_areRefusedToo() {
        put(item("A", "1"));
        assertThatThrownBy(() -> holds("attribute_exists(m.inner)", Map.of())).hasMessageContaining("reserved keyword: inner");
    }

    // ---- helpers

    private boolean holds(String condition, Map<String, AttributeValue> values) {
        Map<String, String> names = new HashMap<>();
        if (condition.contains("#n")) {
            names.put("#n", "n");
        }
        try {
            client.updateItem(b -> {
                b.tableName(table).key(key("A", "1")).updateExpression("SET probe = :probe").conditionExpression(condition);
                Map<String, AttributeValue> all = new HashMap<>(values);
                all.put(":probe", s("p"));
                b.expressionAttributeValues(all);
                if (!names.isEmpty()) {
                    b.expressionAttributeNames(names);
                }
            });
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private List<String> querySks(boolean forward) {
        List<String> sks = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        for (int guard = 0; guard < 20; guard++) {
            Map<String, AttributeValue> from = start;
            QueryResponse r = client.query(b -> {
                b.tableName(table).keyConditionExpression("PK = :p AND begins_with(SK, :t)")
                        .expressionAttributeValues(Map.of(":p", s("P"), ":t", s("TX#"))).scanIndexForward(forward).limit(2);
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
            });
            r.items().forEach(i -> sks.add(i.get("SK").s()));
            if (!r.hasLastEvaluatedKey() || r.lastEvaluatedKey().isEmpty()) {
                break;
            }
            start = r.lastEvaluatedKey();
        }
        return sks;
    }

    private void put(Map<String, AttributeValue> item) {
        client.putItem(b -> b.tableName(table).item(item));
    }
}
