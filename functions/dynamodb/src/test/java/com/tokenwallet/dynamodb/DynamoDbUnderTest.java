package com.tokenwallet.dynamodb;

import com.tokenwallet.dynamodb.testing.FakeDynamoDb;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB an adapter test suite runs on: {@link FakeDynamoDb} by default, LocalStack in
 * {@link LocalStackDynamoDbTest} where a Docker engine runs. Suites that read the fake's request log or script its
 * faults (the Requests and Answers tests) run on the fake only.
 */
interface DynamoDbUnderTest {

    /** A client built the production way, with these interceptors (for example a call counter). */
    DynamoDbClient client(ExecutionInterceptor... interceptors);

    /** A new, empty wallet table; its name. */
    String createWalletTable();

    static DynamoDbUnderTest fake() {
        FakeDynamoDb fake = new FakeDynamoDb();
        return new DynamoDbUnderTest() {
            @Override
            public DynamoDbClient client(ExecutionInterceptor... interceptors) {
                return fake.client(interceptors);
            }

            @Override
            public String createWalletTable() {
                return fake.createWalletTable();
            }
        };
    }
}
