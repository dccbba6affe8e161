package com.tokenwallet.dynamodb.testing;

import com.tokenwallet.dynamodb.DynamoDbClients;
import com.tokenwallet.dynamodb.WalletTable;
import com.tokenwallet.dynamodblocal.EmbeddedDynamoDb;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One DynamoDB Local server per test JVM, in memory, on a free port of 127.0.0.1 only, stopped when the JVM exits.
 * Each test takes a fresh table from {@link #createTable()}, so tests never see each other's items.
 */
public final class LocalDynamoDb {

    private static LocalDynamoDb shared;
    private static final AtomicInteger TABLES = new AtomicInteger();

    private final EmbeddedDynamoDb server;
    private final String endpoint;
    private final DynamoDbClient admin;

    private LocalDynamoDb() {
        server = EmbeddedDynamoDb.inMemory();
        endpoint = server.endpoint();
        admin = client(List.of());
    }

    public static synchronized LocalDynamoDb shared() {
        if (shared == null) {
            try {
                shared = new LocalDynamoDb();
            } catch (Exception e) {
                throw new IllegalStateException("could not start DynamoDB Local", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "dynamodb-local-stop"));
        }
        return shared;
    }

    public String endpoint() {
        return endpoint;
    }

    /** A client of the local server, with the given interceptors (for example a call counter). */
    public DynamoDbClient client(List<ExecutionInterceptor> interceptors) {
        return DynamoDbClients.create(endpoint, "us-east-1", interceptors);
    }

    /** Creates a new, empty wallet table and returns its name. */
    public String createTable() {
        String name = "wallet-test-" + TABLES.incrementAndGet();
        try {
            admin.createTable(WalletTable.createTableRequest(name));
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceInUseException e) {
            // An SDK retry after a slow first attempt that did create it: the name is this call's own.
        }
        return name;
    }

    private void stop() {
        try {
            admin.close();
            server.close();
        } catch (Exception e) {
            // The JVM is exiting; there is no one left to tell.
        }
    }
}
