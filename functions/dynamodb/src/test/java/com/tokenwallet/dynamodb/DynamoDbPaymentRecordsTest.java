package com.tokenwallet.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.billing.Offer;
import com.tokenwallet.domain.billing.OwedPayment;
import com.tokenwallet.domain.billing.PurchaseRecord;
import com.tokenwallet.domain.catalog.CreditPackage;
import com.tokenwallet.domain.port.WalletStore.AccountWrite;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import com.tokenwallet.domain.port.WalletStore.WriteResult;
import com.tokenwallet.dynamodb.testing.FakeDynamoDb;
import com.tokenwallet.dynamodb.testing.RecordedRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The requests the offers and owed payments send (issue 19 item 3), and what the adapter makes of the answers. */
class DynamoDbPaymentRecordsTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final AccountId ANN = AccountId.of("ann");
    private final FakeDynamoDb fake = new FakeDynamoDb();
    private String table;
    private DynamoDbWalletStore store;
    private DynamoDbPaymentRecords records;

    @BeforeEach
    void freshTable() {
        table = fake.createWalletTable();
        store = new DynamoDbWalletStore(fake.client(), table, Clock.fixed(NOW, ZoneOffset.UTC));
        records = new DynamoDbPaymentRecords(fake.client(), table);
    }

    private static Offer offer(long price) {
        return Offer.of("offer_1", ANN, new CreditPackage("pro", "Pro", Map.of("credits", 150L), Map.of("credits", 10L), price, "usd"), NOW);
    }

    @Test
    void putOffer_isOnePutIfAbsent_withTheTtl_andASecondPutAnswersTheStoredOffer_afterAConsistentGet() {
        fake.clearRequests();
        Offer first = offer(2499);
        assertThat(records.putOffer(first)).isEqualTo(first);
        assertThat(fake.operations()).containsExactly("PutItem");
        RecordedRequest put = fake.requests("PutItem").getFirst();
        assertThat(put.string("ConditionExpression")).isEqualTo("attribute_not_exists(PK)");
        assertThat(put.string("Item", "PK", "S")).isEqualTo("ACCOUNT#ann");
        assertThat(put.string("Item", "SK", "S")).isEqualTo("OFFER#offer_1");
        assertThat(put.string("Item", "expiresAt", "N")).isEqualTo(Long.toString(NOW.plus(Offer.RETENTION).getEpochSecond()));
        assertThat(put.string("Item", "document", "S")).contains("\"price\":2499");

        fake.clearRequests();
        assertThat(records.putOffer(offer(3999))).isEqualTo(first);
        assertThat(fake.operations()).containsExactly("PutItem", "GetItem");
        assertThat(fake.requests("GetItem").getFirst().at("ConsistentRead")).isEqualTo(true);
    }

    @Test
    void anOwedPayment_isAConditionalPutInTheEventsTransaction_andIsListedByAQueryOfItsPrefix() {
        Account v1 = new Account(ANN, null, "free", Period.calendarMonthOf(NOW), Map.of("credits", new BucketBalance(0, 10, 0)), NOW, 1);
        store.create(v1, List.of());
        OwedPayment owed = new OwedPayment("pi_1", ANN, "evt_1", "cs_1", Optional.of("gone"), Optional.empty(),
                Optional.of(new PurchaseRecord.AmountPaid(2499, "usd")), OwedPayment.UNKNOWN_PACKAGE, "gone", NOW, OwedPayment.OWED,
                Optional.empty(), 1);
        fake.clearRequests();
        WriteResult result = store.write(new AccountWrite(v1, v1, List.of(), Optional.empty(), List.of(
                new SideWrite.EventApplied("evt_1", "checkout.session.completed", NOW), new SideWrite.Owed(Optional.empty(), owed))));
        assertThat(result).isInstanceOf(WriteResult.Applied.class);
        RecordedRequest tx = fake.requests("TransactWriteItems").getFirst();
        assertThat(tx.list("TransactItems")).hasSize(3);
        assertThat(tx.string("TransactItems", 2, "Put", "Item", "SK", "S")).isEqualTo("OWED#pi_1");
        assertThat(tx.string("TransactItems", 2, "Put", "ConditionExpression")).isEqualTo("attribute_not_exists(PK)");
        assertThat(tx.object("TransactItems", 2, "Put", "Item")).doesNotContainKey("paymentId"); // not in the StripePayments index

        fake.clearRequests();
        assertThat(records.owedPayments(ANN, 100)).containsExactly(owed);
        RecordedRequest query = fake.requests("Query").getFirst();
        assertThat(query.string("KeyConditionExpression")).isEqualTo("PK = :pk AND begins_with(SK, :prefix)");
        assertThat(query.at("ConsistentRead")).isEqualTo(true);
        assertThat(((Number) query.at("Limit")).intValue()).isEqualTo(100);

        // Settled from a version that is no longer stored: the transaction is refused as PurchaseStale.
        Account v2 = store.findAccount(ANN).orElseThrow();
        OwedPayment stale = new OwedPayment("pi_1", ANN, "evt_1", "cs_1", Optional.empty(), Optional.empty(), Optional.empty(),
                OwedPayment.UNKNOWN_PACKAGE, "gone", NOW, OwedPayment.OWED, Optional.empty(), 7);
        assertThat(store.write(new AccountWrite(v2, v2, List.of(), Optional.empty(), List.of(new SideWrite.Owed(Optional.of(stale),
                stale.settled(OwedPayment.REFUNDED, new OwedPayment.Settlement(NOW, "x", Map.of(), Optional.empty())))))))
                .isEqualTo(new WriteResult.PurchaseStale());
        assertThat(records.findOwedPayment(ANN, "pi_1")).contains(owed);
    }
}
