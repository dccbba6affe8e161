package com.tokenwallet.sqlite;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Secondary;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The store on SQLite, when {@code wallet.store} is {@code sqlite} (the local runner, the test suites): the
 * DynamoDB beans of WalletFactory are then not built. {@code wallet.sqlite.path} names the database file (created
 * when missing), or {@value SqliteDatabase#IN_MEMORY}. One connection per context, shared by the store and the
 * admin reads (an in-memory database exists only on its own connection).
 */
@Factory
@Requires(property = SqliteStoreFactory.STORE_PROPERTY, value = SqliteStoreFactory.ENGINE)
public class SqliteStoreFactory {
    public static final String STORE_PROPERTY = "wallet.store";
    public static final String ENGINE = "sqlite";
    public static final String PATH_PROPERTY = "wallet.sqlite.path";

    @Singleton
    @Bean(preDestroy = "close")
    public SqliteDatabase sqliteDatabase(@Value("${" + PATH_PROPERTY + "}") String path) {
        return SqliteDatabase.open(path);
    }

    /** The store (WalletStore and AccountScan), unless the caller supplies its own (a test's fault-injecting decorator). */
    @Singleton
    @Secondary
    public SqliteWalletStore sqliteWalletStore(SqliteDatabase database, Clock clock) {
        return new SqliteWalletStore(database, clock);
    }

    /** Checkout's offers and the owed payments (PaymentRecords). */
    @Singleton
    @Secondary
    public SqlitePaymentRecords sqlitePaymentRecords(SqliteDatabase database) {
        return new SqlitePaymentRecords(database);
    }

    /** The admin's reads (AccountDirectory and AccountAudit). */
    @Singleton
    @Secondary
    public SqliteAdminReads sqliteAdminReads(SqliteDatabase database) {
        return new SqliteAdminReads(database);
    }
}
