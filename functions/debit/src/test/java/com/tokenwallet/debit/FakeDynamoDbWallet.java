package com.tokenwallet.debit;

import com.tokenwallet.api.ApiHandler;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.dynamodb.DynamoDbCallCounter;
import com.tokenwallet.dynamodb.testing.FakeDynamoDb;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One function instance wired as in Lambda (the same Micronaut factory, the production DynamoDB adapter and
 * client configuration) whose DynamoDB is a {@link FakeDynamoDb} reached through its SDK HTTP client: what the
 * handler sends is on the fake's request log. Two of these on one table are two Lambda instances.
 */
final class FakeDynamoDbWallet implements AutoCloseable {
    final DynamoDbCallCounter counter = new DynamoDbCallCounter();
    private final DynamoDbClient client;
    private final ApplicationContext context;

    FakeDynamoDbWallet(FakeDynamoDb dynamo, String table) {
        client = dynamo.client(counter);
        context = WalletContexts.start(Map.of("wallet.table", table), counter, client);
    }

    <H extends ApiHandler> H handler(Function<ApplicationContext, H> constructor) {
        return constructor.apply(context);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
        client.close();
    }
}
