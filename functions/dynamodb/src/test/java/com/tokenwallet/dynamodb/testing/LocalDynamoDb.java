package com.tokenwallet.dynamodb.testing;

import com.tokenwallet.dynamodb.DynamoDbClients;
import com.tokenwallet.dynamodb.WalletTable;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/**
 * Transitional: the one DynamoDB per test JVM that the other modules' handler suites share (api's TestWallet, the
 * refund and quota-reset fixtures), kept with the same methods so they compile unchanged. It was DynamoDB Local,
 * whose licence rules it out; it is now a {@link FakeDynamoDb} served by a {@link FakeDynamoDbServer} on a free
 * port of 127.0.0.1, stopped when the JVM exits. Each test takes a fresh table from {@link #createTable()}. New tests
 * use {@link FakeDynamoDb} directly; this class goes when those suites move to the embedded store (issue 14).
 */
public final class LocalDynamoDb {

    private static LocalDynamoDb shared;
    private static final AtomicInteger TABLES = new AtomicInteger();

    private final FakeDynamoDbServer server;
    private final DynamoDbClient admin;

    private LocalDynamoDb() {
        server = new FakeDynamoDb().serve();
        admin = client(List.of());
    }

    public static synchronized LocalDynamoDb shared() {
        if (shared == null) {
            shared = new LocalDynamoDb();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "fake-dynamodb-stop"));
        }
        return shared;
    }

    /** The fake behind the endpoint: its request log and fault scripting. */
    public FakeDynamoDb fake() {
        return server.fake();
    }

    public String endpoint() {
        return server.endpoint();
    }

    /** A client of the local server, with the given interceptors (for example a call counter). */
    public DynamoDbClient client(List<ExecutionInterceptor> interceptors) {
        return DynamoDbClients.create(server.endpoint(), "us-east-1", interceptors);
    }

    /** Creates a new, empty wallet table and returns its name. */
    public String createTable() {
        String name = "wallet-test-" + TABLES.incrementAndGet();
        try {
            admin.createTable(WalletTable.createTableRequest(name));
        } catch (ResourceInUseException e) {
            // An SDK retry after a slow first attempt that did create it: the name is this call's own.
        }
        return name;
    }

    private void stop() {
        admin.close();
        server.close();
    }
}
