package com.tokenwallet.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.Billing;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.account.Subscription;
import com.tokenwallet.domain.billing.PurchaseRecord;
import com.tokenwallet.domain.port.WalletStore.AccountWrite;
import com.tokenwallet.domain.port.WalletStore.EventSnapshot;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import com.tokenwallet.domain.port.WalletStore.WriteResult;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

/** The Stripe side of the store: billing state, applied events, purchases, and the two indexes. */
class BillingItemsTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final AccountId ANN = AccountId.of("ann");
    private DynamoDbClient client;
    private DynamoDbWalletStore store;

    /** The DynamoDB these tests run on; {@link LocalStackDynamoDbTest} runs them on LocalStack. */
    DynamoDbUnderTest dynamoDb() {
        return DynamoDbUnderTest.fake();
    }

    @BeforeEach
    void freshTable() {
        DynamoDbUnderTest db = dynamoDb();
        client = db.client();
        store = new DynamoDbWalletStore(client, db.createWalletTable(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Account account() {
        return new Account(ANN, null, "free", Period.calendarMonthOf(NOW), Map.of("credits", new BucketBalance(0, 10, 0)), NOW, 1);
    }

    @Test
    void billingState_isStoredAndReadBackExactly_andFindsTheAccountByCustomer() {
        store.create(account(), List.of());
        Account before = store.findAccount(ANN).orElseThrow();
        Billing billing = new Billing("cus_1", new Subscription("sub_1", "past_due", "solo", NOW.minusSeconds(3600), 1_700_000_000L),
                Set.of("disputed"));
        Account after = before.withBilling(billing).withPlan("solo");

        assertThat(store.write(new AccountWrite(before, after, List.of(), Optional.empty()))).isInstanceOf(WriteResult.Applied.class);

        Account stored = store.findAccount(ANN).orElseThrow();
        assertThat(stored.billing()).isEqualTo(billing);
        assertThat(stored.billing().onSubscription()).isTrue();
        assertThat(store.accountByStripeCustomer("cus_1")).contains(ANN);
        assertThat(store.accountByStripeCustomer("cus_2")).isEmpty();
    }

    @Test
    void anEventIsRecordedOnce_andAPurchaseChangesOnlyFromTheVersionItWasRead() {
        store.create(account(), List.of());
        Account v1 = store.findAccount(ANN).orElseThrow();
        PurchaseRecord purchase = new PurchaseRecord("pi_1", "pro", Map.of("credits", 160L), Map.of(), false, 1);
        EventSnapshot empty = store.readForEvent(ANN, "evt_1", Optional.of("pi_1"));
        assertThat(empty.eventApplied()).isFalse();
        assertThat(empty.purchase()).isEmpty();

        WriteResult first = store.write(new AccountWrite(v1, v1.withBucket("credits", new BucketBalance(0, 170, 0)), List.of(), Optional.empty(),
                List.of(new SideWrite.EventApplied("evt_1", "checkout.session.completed", NOW), new SideWrite.Purchase(Optional.empty(), purchase))));
        assertThat(first).isInstanceOf(WriteResult.Applied.class);
        Account v2 = store.findAccount(ANN).orElseThrow();

        EventSnapshot read = store.readForEvent(ANN, "evt_1", Optional.of("pi_1"));
        assertThat(read.eventApplied()).isTrue();
        assertThat(read.purchase()).contains(purchase);
        assertThat(read.account()).contains(v2);
        assertThat(store.accountByPayment("pi_1")).contains(ANN);

        // The same event again, even on the current version: refused as applied, nothing written.
        assertThat(store.write(new AccountWrite(v2, v2.withBucket("credits", new BucketBalance(0, 330, 0)), List.of(), Optional.empty(),
                List.of(new SideWrite.EventApplied("evt_1", "checkout.session.completed", NOW)))))
                .isInstanceOf(WriteResult.EventAlreadyApplied.class);
        // Another event creating the same purchase: the purchase exists.
        assertThat(store.write(new AccountWrite(v2, v2.withBucket("credits", new BucketBalance(0, 330, 0)), List.of(), Optional.empty(),
                List.of(new SideWrite.EventApplied("evt_2", "checkout.session.async_payment_succeeded", NOW),
                        new SideWrite.Purchase(Optional.empty(), purchase))))).isInstanceOf(WriteResult.PurchaseStale.class);
        // A clawback read from an older version of the purchase.
        PurchaseRecord clawed = new PurchaseRecord("pi_1", "pro", Map.of("credits", 160L), Map.of("credits", 64L), false, 2);
        PurchaseRecord older = new PurchaseRecord("pi_1", "pro", Map.of("credits", 160L), Map.of(), false, 0);
        assertThat(store.write(new AccountWrite(v2, v2, List.of(), Optional.empty(),
                List.of(new SideWrite.EventApplied("evt_3", "charge.refunded", NOW), new SideWrite.Purchase(Optional.of(older), clawed)))))
                .isInstanceOf(WriteResult.PurchaseStale.class);
        assertThat(store.findAccount(ANN)).contains(v2);
        assertThat(store.readForEvent(ANN, "evt_2", Optional.of("pi_1")).eventApplied()).isFalse();
    }

    @Test
    void ensure_addsTheIndexesAnOlderTableLacks() {
        String name = "old-" + System.nanoTime();
        CreateTableRequest wanted = WalletTable.createTableRequest(name);
        client.createTable(wanted.toBuilder().globalSecondaryIndexes(wanted.globalSecondaryIndexes().getFirst())
                .attributeDefinitions(wanted.attributeDefinitions().subList(0, 4)).build());

        WalletTable.ensure(client, name);
        WalletTable.ensure(client, name);

        assertThat(client.describeTable(b -> b.tableName(name)).table().globalSecondaryIndexes())
                .extracting(i -> i.indexName()).containsExactlyInAnyOrder("PendingHolds", "StripeCustomers", "StripePayments", "AccountEmails", "CalendarAccounts");
    }
}
