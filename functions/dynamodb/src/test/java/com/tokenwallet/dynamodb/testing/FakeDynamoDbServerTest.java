package com.tokenwallet.dynamodb.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static com.tokenwallet.dynamodb.testing.TestItems.key;
import static com.tokenwallet.dynamodb.testing.TestItems.n;
import static com.tokenwallet.dynamodb.testing.TestItems.s;

import com.tokenwallet.dynamodb.DynamoDbClients;
import com.tokenwallet.dynamodb.WalletTable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** The fake over a real socket, reached the way another JVM reaches it: a client with an endpoint URL. */
class FakeDynamoDbServerTest {
    private FakeDynamoDb fake;
    private FakeDynamoDbServer server;
    private DynamoDbClient client;

    @BeforeEach
    void start() {
        fake = new FakeDynamoDb();
        server = fake.serve();
        client = DynamoDbClients.create(server.endpoint(), "eu-west-1", List.of());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void createsATable_putsAndGetsAnItem_andCommitsATransactionAllOrNothing_overHttp() {
        assertThat(server.endpoint()).startsWith("http://127.0.0.1:");
        client.createTable(WalletTable.createTableRequest("wallet"));
        assertThat(client.describeTable(b -> b.tableName("wallet")).table().globalSecondaryIndexes()).hasSize(5);

        Map<String, AttributeValue> item = Map.of("PK", s("ACCOUNT#a"), "SK", s("ACCOUNT"), "version", n(1));
        client.putItem(b -> b.tableName("wallet").item(item));
        assertThat(client.getItem(b -> b.tableName("wallet").key(key("ACCOUNT#a", "ACCOUNT")).consistentRead(true)).item())
                .isEqualTo(item);

        TransactWriteItem bump = put(Map.of("PK", s("ACCOUNT#a"), "SK", s("ACCOUNT"), "version", n(2)), "#v = :v", n(1));
        TransactWriteItem entry = put(Map.of("PK", s("ACCOUNT#a"), "SK", s("TX#1")), "attribute_not_exists(PK)", null);
        client.transactWriteItems(b -> b.transactItems(bump, entry));
        assertThat(fake.items("wallet")).hasSize(2);

        // The same version condition again: cancelled, with the current item handed back, and nothing written.
        TransactWriteItem stale = put(Map.of("PK", s("ACCOUNT#a"), "SK", s("ACCOUNT"), "version", n(3)), "#v = :v", n(1));
        TransactWriteItem other = put(Map.of("PK", s("ACCOUNT#a"), "SK", s("TX#2")), "attribute_not_exists(PK)", null);
        assertThatThrownBy(() -> client.transactWriteItems(b -> b.transactItems(stale, other)))
                .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
                    assertThat(e.cancellationReasons()).extracting(r -> r.code()).containsExactly("ConditionalCheckFailed", "None");
                    assertThat(e.cancellationReasons().getFirst().item()).containsEntry("version", n(2));
                });
        assertThat(fake.items("wallet")).hasSize(2);
        assertThat(fake.operations()).containsExactly("CreateTable", "DescribeTable", "PutItem", "GetItem", "TransactWriteItems",
                "TransactWriteItems");
        assertThat(fake.requests("TransactWriteItems").getLast().error()).isEqualTo("TransactionCanceledException");
    }

    @Test
    void answersAnUnknownTargetWithDynamoDbsErrorShape() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.endpoint()))
                .header("X-Amz-Target", "DynamoDB_20120810.Nonsense").header("Content-Type", "application/x-amz-json-1.0")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/x-amz-json-1.0");
        assertThat(response.body()).contains("\"__type\":\"com.amazon.coral.service#UnknownOperationException\"");
    }

    private static TransactWriteItem put(Map<String, AttributeValue> item, String condition, AttributeValue version) {
        Put.Builder put = Put.builder().tableName("wallet").item(item).conditionExpression(condition)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        if (version != null) {
            put.expressionAttributeNames(Map.of("#v", "version")).expressionAttributeValues(Map.of(":v", version));
        }
        return TransactWriteItem.builder().put(put.build()).build();
    }
}
