package com.tokenwallet.api;

import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.catalog.CatalogLoader;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.service.WalletService;
import com.tokenwallet.dynamodb.DynamoDbCallCounter;
import com.tokenwallet.dynamodb.DynamoDbClients;
import com.tokenwallet.dynamodb.DynamoDbWalletStore;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Wires the wallet from configuration. Every bean is built eagerly when a function starts (see
 * {@link ApiHandler}), so the first request pays for nothing and a SnapStart snapshot holds a ready wallet.
 *
 * <p>Settings, from environment variables (Micronaut maps {@code WALLET_TABLE} to {@code wallet.table}):
 * {@code WALLET_TABLE} (required), {@code WALLET_DYNAMODB_ENDPOINT} (local DynamoDB), {@code WALLET_CATALOG}
 * (a replacement catalog file), {@code AWS_REGION}.
 */
@Factory
public class WalletFactory {

    @Singleton
    @Secondary
    public DynamoDbCallCounter dynamoDbCallCounter() {
        return new DynamoDbCallCounter();
    }

    /** The client, unless the caller supplies its own (a test's fault-injecting client). */
    @Singleton
    @Secondary
    @Bean(preDestroy = "close")
    public DynamoDbClient dynamoDbClient(@Value("${wallet.dynamodb.endpoint:}") String endpoint,
                                         @Value("${aws.region:}") String region,
                                         DynamoDbCallCounter counter) {
        return DynamoDbClients.create(blankToNull(endpoint), blankToNull(region), List.of(counter));
    }

    @Singleton
    /** The store, exposed as both WalletStore and AccountScan (for the jobs that walk every account). */
    public DynamoDbWalletStore walletStore(DynamoDbClient client, @Value("${wallet.table}") String table, Clock clock) {
        return new DynamoDbWalletStore(client, table, clock);
    }

    @Singleton
    public Catalog catalog(@Nullable @Value("${wallet.catalog:}") String catalogPath) {
        return CatalogLoader.load(catalogPath);
    }

    /** The real clock, unless the caller (a test, the local runner) supplies its own. */
    @Singleton
    @Secondary
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    public WalletService walletService(WalletStore store, Catalog catalog, Clock clock) {
        return new WalletService(store, catalog, clock);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
