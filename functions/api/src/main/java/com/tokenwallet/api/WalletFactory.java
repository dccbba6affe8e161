package com.tokenwallet.api;

import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.catalog.CatalogLoader;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.events.BalanceCrossings;
import com.tokenwallet.domain.events.BalanceThresholds;
import com.tokenwallet.domain.port.BalanceEvents;
import com.tokenwallet.domain.service.ObservedWalletStore;
import com.tokenwallet.domain.service.WalletService;
import com.tokenwallet.dynamodb.DynamoDbAdminReads;
import com.tokenwallet.eventbridge.EventBridgeBalanceEvents;
import com.tokenwallet.eventbridge.EventBridgeClients;
import com.tokenwallet.eventbridge.LoggedBalanceEvents;
import com.tokenwallet.dynamodb.DynamoDbCallCounter;
import com.tokenwallet.dynamodb.DynamoDbClients;
import com.tokenwallet.dynamodb.DynamoDbWalletStore;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
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
 * {@code WALLET_STORE} ({@code wallet.store}: {@code dynamodb}, the default and what Lambda runs, or {@code sqlite},
 * the embedded engine of infra/sqlite-store for the local runner and the tests, whose own factory then builds the
 * store from {@code wallet.sqlite.path}; the DynamoDB beans below are then not built), {@code WALLET_TABLE}
 * (required on DynamoDB), {@code WALLET_DYNAMODB_ENDPOINT} (another DynamoDB, such as LocalStack),
 * {@code WALLET_CATALOG} (a replacement catalog file), {@code AWS_REGION}, {@code WALLET_EVENT_BUS} and
 * {@code WALLET_LOW_BALANCE_THRESHOLDS} (balance events).
 */
@Factory
public class WalletFactory {
    /** Which store engine the wallet runs on. */
    public static final String STORE_PROPERTY = "wallet.store";
    /** The default engine, and the one Lambda runs on; the other is {@code sqlite} (infra/sqlite-store, never in a Lambda jar). */
    public static final String DYNAMODB = "dynamodb";

    @Singleton
    @Secondary
    @Requires(property = STORE_PROPERTY, value = DYNAMODB, defaultValue = DYNAMODB)
    public DynamoDbCallCounter dynamoDbCallCounter() {
        return new DynamoDbCallCounter();
    }

    /** The client, unless the caller supplies its own (a test's fault-injecting client). */
    @Singleton
    @Secondary
    @Bean(preDestroy = "close")
    @Requires(property = STORE_PROPERTY, value = DYNAMODB, defaultValue = DYNAMODB)
    public DynamoDbClient dynamoDbClient(@Value("${wallet.dynamodb.endpoint:}") String endpoint,
                                         @Value("${aws.region:}") String region,
                                         DynamoDbCallCounter counter) {
        return DynamoDbClients.create(blankToNull(endpoint), blankToNull(region), List.of(counter));
    }

    /** The store, exposed as both WalletStore and AccountScan (for the jobs that walk every account). */
    @Singleton
    @Requires(property = STORE_PROPERTY, value = DYNAMODB, defaultValue = DYNAMODB)
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

    /**
     * The wallet's use cases on the store, observed: every committed write is checked for balance crossings (the
     * balance events) and counted into the request's metrics (see {@link RequestMetrics}).
     */
    @Singleton
    public WalletService walletService(WalletStore store, Catalog catalog, Clock clock, BalanceThresholds thresholds,
                                       BalanceEvents events, InvocationDeadline deadline) {
        WalletStore observed = new ObservedWalletStore(store,
                List.of(new BalanceCrossings(thresholds, events, clock), RequestMetrics.OBSERVER), WalletFactory::observerFailed);
        return new WalletService(observed, catalog, clock, new com.tokenwallet.domain.service.AccountSnapshots(10_000), deadline);
    }

    /**
     * {@code WALLET_LOW_BALANCE_THRESHOLDS}: the low-balance line per bucket, e.g. {@code credits=5,mockup=1}
     * (blank: no low events, depleted events only). Validated against the catalog: a typo fails the start.
     */
    @Singleton
    public BalanceThresholds balanceThresholds(@Value("${wallet.low.balance.thresholds:}") String thresholds, Catalog catalog) {
        return BalanceThresholds.parse(thresholds, catalog.buckets(), "WALLET_LOW_BALANCE_THRESHOLDS");
    }

    /**
     * {@code WALLET_EVENT_BUS}: the EventBridge bus balance events go to; without one (the local runner, tests) they
     * are written to standard output instead. Unless the caller supplies its own (a test's recorder).
     */
    @Singleton
    @Secondary
    public BalanceEvents balanceEvents(@Value("${wallet.event.bus:}") String bus, @Value("${aws.region:}") String region,
                                       @Value("${wallet.eventbridge.endpoint:}") String endpoint) {
        if (bus == null || bus.isBlank()) {
            return new LoggedBalanceEvents(System.out);
        }
        return new EventBridgeBalanceEvents(EventBridgeClients.create(blankToNull(endpoint), blankToNull(region)), bus, System.out);
    }

    /** Checkout's offers and the owed payments, in the wallet's table (unless the caller supplies its own). */
    @Singleton
    @Secondary
    @Requires(property = STORE_PROPERTY, value = DYNAMODB, defaultValue = DYNAMODB)
    public com.tokenwallet.dynamodb.DynamoDbPaymentRecords paymentRecords(DynamoDbClient client, @Value("${wallet.table}") String table) {
        return new com.tokenwallet.dynamodb.DynamoDbPaymentRecords(client, table);
    }

    /** The admin's reads: e-mail lookup through its index, and the health report's raw reads. */
    @Singleton
    @Requires(property = STORE_PROPERTY, value = DYNAMODB, defaultValue = DYNAMODB)
    public DynamoDbAdminReads adminReads(DynamoDbClient client, @Value("${wallet.table}") String table) {
        return new DynamoDbAdminReads(client, table);
    }

    /** An observer that failed after a write committed: reported, never turned into a failed request. */
    private static void observerFailed(RuntimeException e) {
        System.err.println(com.tokenwallet.domain.json.StrictJson.write(java.util.Map.of("level", "ERROR",
                "message", "a write observer failed after the write committed", "error", e.getClass().getName() + ": " + e.getMessage())));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
