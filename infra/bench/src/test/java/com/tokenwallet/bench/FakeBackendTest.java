package com.tokenwallet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.bench.child.BenchContext;
import com.tokenwallet.bench.child.DebitEvents;
import com.tokenwallet.bench.child.RawDebits;
import com.tokenwallet.debit.DebitHandler;
import com.tokenwallet.dynamodb.DynamoDbCallCounter;
import com.tokenwallet.dynamodb.DynamoDbClients;
import com.tokenwallet.dynamodb.WalletTable;
import com.tokenwallet.dynamodb.testing.FakeDynamoDb;
import com.tokenwallet.dynamodb.testing.FakeDynamoDbServer;
import io.micronaut.context.ApplicationContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The bench's backend, wired as {@link Benchmark} wires it: the in-repo fake DynamoDB served on 127.0.0.1, a
 * production-built client ({@link DynamoDbClients#create}) pointed at its endpoint, the debit handler on top. Section 1's
 * figures (calls per debit, the fake's consumed WCU against the WCU computed from item sizes) rest on this. No timing.
 */
class FakeBackendTest {

    @Test
    void aSteadyStateDebit_overHttpToTheFake_isOneTransactWriteItems_andTheFakesWcuMatchesTheItemSizes() {
        FakeDynamoDb fake = new FakeDynamoDb();
        DynamoDbCallCounter counter = new DynamoDbCallCounter();
        try (FakeDynamoDbServer server = fake.serve();
             DynamoDbClient client = DynamoDbClients.create(server.endpoint(), "us-east-1", List.of(counter))) {
            assertThat(server.endpoint()).startsWith("http://127.0.0.1:");
            client.createTable(WalletTable.createTableRequest(Benchmark.TABLE));
            try (ApplicationContext context = WalletContexts.start(Map.of("wallet.table", Benchmark.TABLE), counter, client)) {
                DebitHandler handler = new DebitHandler(context);
                String account = "bench-test";
                assertThat(handler.handleRequest(DebitEvents.open(account), new BenchContext()).getStatusCode()).isEqualTo(201);
                assertThat(handler.handleRequest(DebitEvents.debit(account, "first"), new BenchContext()).getStatusCode()).isEqualTo(201);
                counter.reset();
                fake.clearRequests();

                assertThat(handler.handleRequest(DebitEvents.debit(account, "steady"), new BenchContext()).getStatusCode()).isEqualTo(201);

                assertThat(fake.operations()).containsExactly("TransactWriteItems");
                assertThat(counter.snapshot()).isEqualTo(Map.of("TransactWriteItems", 1L));
                Map<String, AttributeValue> accountItem = client.getItem(b -> b.tableName(Benchmark.TABLE)
                        .key(RawDebits.accountKey(account)).consistentRead(true)).item();
                Map<String, AttributeValue> entry = client.query(b -> b.tableName(Benchmark.TABLE)
                        .keyConditionExpression("PK = :pk AND begins_with(SK, :tx)")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ACCOUNT#" + account), ":tx", AttributeValue.fromS("TX#")))
                        .scanIndexForward(false).limit(1).consistentRead(true)).items().getFirst();
                Map<String, AttributeValue> record = client.getItem(b -> b.tableName(Benchmark.TABLE)
                        .key(RawDebits.idempotencyKey(account, "steady")).consistentRead(true)).item();
                long bySizes = ItemSizes.transactionalWcu(accountItem) + ItemSizes.transactionalWcu(entry) + ItemSizes.transactionalWcu(record);
                assertThat(bySizes).isEqualTo(6);
                assertThat(counter.consumedWriteCapacityUnits()).isEqualTo((double) bySizes);
            }
        }
    }
}
