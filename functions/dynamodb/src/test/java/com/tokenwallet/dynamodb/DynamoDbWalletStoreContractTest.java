package com.tokenwallet.dynamodb;

import com.tokenwallet.domain.contract.StoreFixture;
import com.tokenwallet.domain.contract.StoreSet;
import com.tokenwallet.domain.contract.WalletStoreContract;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The shared store contract (functions/domain's test-jar) against the DynamoDB adapter, built the production way,
 * on {@link com.tokenwallet.dynamodb.testing.FakeDynamoDb}; {@link LocalStackDynamoDbTest} runs the same contract on
 * LocalStack where a Docker engine runs. A fresh table per store set; another instance is another client on it.
 */
class DynamoDbWalletStoreContractTest extends WalletStoreContract {

    private DynamoDbUnderTest dynamoDb;

    /** The DynamoDB the contract runs on: the fake here, LocalStack in {@link LocalStackDynamoDbTest}. */
    DynamoDbUnderTest dynamoDb() {
        return DynamoDbUnderTest.fake();
    }

    @Override
    public StoreFixture fixture() {
        if (dynamoDb == null) {
            dynamoDb = dynamoDb();
        }
        return clock -> open(dynamoDb, dynamoDb.createWalletTable(), clock);
    }

    static StoreSet open(DynamoDbUnderTest dynamoDb, String table, Clock clock) {
        DynamoDbClient client = dynamoDb.client();
        DynamoDbWalletStore store = new DynamoDbWalletStore(client, table, clock);
        DynamoDbAdminReads reads = new DynamoDbAdminReads(client, table);
        return new StoreSet(store, store, reads, reads, new DynamoDbPaymentRecords(client, table), () -> open(dynamoDb, table, clock), client::close);
    }
}
