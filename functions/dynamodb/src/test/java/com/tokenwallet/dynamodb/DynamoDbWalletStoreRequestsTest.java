package com.tokenwallet.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.PendingHold;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.billing.PurchaseRecord;
import com.tokenwallet.domain.hold.HoldRecord;
import com.tokenwallet.domain.hold.HoldStatus;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.IdempotencyRecord;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.RefundTally;
import com.tokenwallet.domain.port.AccountScan.Checkpoint;
import com.tokenwallet.domain.port.WalletStore.AccountWrite;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.dynamodb.testing.FakeDynamoDb;
import com.tokenwallet.dynamodb.testing.RecordedRequest;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exact requests the adapter sends for each store operation, read off the fake's request log as DynamoDB would
 * receive them: operation, table, keys, expressions with their names and values, consistency, what a failed
 * condition hands back, and the number and order of a transaction's items. These pin the wire contract the
 * LocalStack suite (where Docker runs) and AWS hold the adapter to.
 */
class DynamoDbWalletStoreRequestsTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final AccountId ANN = AccountId.of("ann");
    private final FakeDynamoDb fake = new FakeDynamoDb();
    private String table;
    private DynamoDbWalletStore store;
    private DynamoDbAdminReads reads;

    @BeforeEach
    void freshTable() {
        table = fake.createWalletTable();
        var client = fake.client();
        store = new DynamoDbWalletStore(client, table, Clock.fixed(NOW, ZoneOffset.UTC));
        reads = new DynamoDbAdminReads(client, table);
    }

    @Test
    void findAccount_isOneConsistentGetItemOfTheAccountKey() {
        fake.clearRequests();
        store.findAccount(ANN);

        RecordedRequest get = only("GetItem");
        assertThat(get.body()).isEqualTo(Map.of("TableName", table, "Key", key("ACCOUNT#ann", "ACCOUNT"), "ConsistentRead", true,
                "ReturnConsumedCapacity", "TOTAL"));
    }

    @Test
    void readForWrite_withAKey_isOneConsistentBatchGetOfTheAccountAndTheKey_withoutOne_aGetItem() {
        fake.clearRequests();
        store.readForWrite(ANN, Optional.of(new IdempotencyKey("k-1")));
        store.readForWrite(ANN, Optional.empty());

        assertThat(fake.operations()).containsExactly("BatchGetItem", "GetItem");
        RecordedRequest batch = fake.requests("BatchGetItem").getFirst();
        assertThat(batch.body()).isEqualTo(Map.of("RequestItems", Map.of(table, Map.of(
                "Keys", List.of(key("ACCOUNT#ann", "ACCOUNT"), key("ACCOUNT#ann", "IDEMPOTENCY#k-1")), "ConsistentRead", true)),
                "ReturnConsumedCapacity", "TOTAL"));
    }

    @Test
    void create_isOneTransaction_ofTheAccountThenItsEntries_eachPutOnlyIfNew_returningTheOldItem() {
        fake.clearRequests();
        store.create(account(1), List.of(entry("tx_1"), entry("tx_2")));

        RecordedRequest tx = only("TransactWriteItems");
        assertThat(tx.list("TransactItems")).hasSize(3);
        assertThat(skOfPut(tx, 0)).isEqualTo("ACCOUNT");
        assertThat(skOfPut(tx, 1)).isEqualTo("TX#tx_1");
        assertThat(skOfPut(tx, 2)).isEqualTo("TX#tx_2");
        for (int i = 0; i < 3; i++) {
            assertThat(tx.object("TransactItems", i, "Put")).containsEntry("TableName", table)
                    .containsEntry("ConditionExpression", "attribute_not_exists(PK)")
                    .containsEntry("ReturnValuesOnConditionCheckFailure", "ALL_OLD")
                    .doesNotContainKeys("ExpressionAttributeNames", "ExpressionAttributeValues");
        }
        assertThat(tx.string("ReturnConsumedCapacity")).isEqualTo("TOTAL");
    }

    @Test
    void aDebit_isOneTransaction_accountOnItsVersion_thenEntry_thenIdempotencyRecordUnlessLiveElsewhere() {
        Account v1 = account(1);
        store.create(v1, List.of());
        fake.clearRequests();

        store.write(new AccountWrite(v1, v1.debit("credits", 5).after(), List.of(entry("tx_9")),
                Optional.of(record("k-1"))));

        RecordedRequest tx = only("TransactWriteItems");
        assertThat(tx.list("TransactItems")).hasSize(3);
        Map<String, Object> account = tx.object("TransactItems", 0, "Put");
        assertThat(account).containsEntry("ConditionExpression", "#version = :before")
                .containsEntry("ExpressionAttributeNames", Map.of("#version", "version"))
                .containsEntry("ExpressionAttributeValues", Map.of(":before", Map.of("N", "1")))
                .containsEntry("ReturnValuesOnConditionCheckFailure", "ALL_OLD");
        assertThat(tx.string("TransactItems", 0, "Put", "Item", "version", "N")).isEqualTo("2");
        assertThat(skOfPut(tx, 1)).isEqualTo("TX#tx_9");
        assertThat(tx.object("TransactItems", 1, "Put")).containsEntry("ConditionExpression", "attribute_not_exists(PK)");
        Map<String, Object> record = tx.object("TransactItems", 2, "Put");
        assertThat(skOfPut(tx, 2)).isEqualTo("IDEMPOTENCY#k-1");
        assertThat(record).containsEntry("ConditionExpression", "attribute_not_exists(PK) OR #expires < :now")
                .containsEntry("ExpressionAttributeNames", Map.of("#expires", "expiresAt"))
                .containsEntry("ExpressionAttributeValues", Map.of(":now", Map.of("N", Long.toString(NOW.getEpochSecond()))))
                .containsEntry("ReturnValuesOnConditionCheckFailure", "ALL_OLD");
        assertThat(tx.string("TransactItems", 2, "Put", "Item", "expiresAt", "N"))
                .isEqualTo(Long.toString(NOW.plusSeconds(86_400).getEpochSecond()));
    }

    @Test
    void aHoldAndItsCapture_writeTheHoldRecordNew_thenUpdateItOnlyWhilePending() {
        Account v1 = account(1);
        store.create(v1, List.of());
        Account held = v1.hold(new PendingHold("h1", "credits", 10, NOW.plusSeconds(600)));
        HoldRecord hold = HoldRecord.pending("h1", ANN, "credits", 10, "render", NOW, NOW.plusSeconds(600));
        fake.clearRequests();
        store.write(new AccountWrite(v1, held, List.of(), Optional.empty(), List.of(new SideWrite.NewHold(hold))));
        RecordedRequest newHold = only("TransactWriteItems");
        assertThat(newHold.list("TransactItems")).hasSize(2);
        assertThat(skOfPut(newHold, 1)).isEqualTo("HOLD#h1");
        assertThat(newHold.string("TransactItems", 0, "Put", "Item", "holdShard", "S")).startsWith("HOLDS#");
        assertThat(newHold.string("TransactItems", 0, "Put", "Item", "nextHoldExpiry", "N"))
                .isEqualTo(Long.toString(NOW.plusSeconds(600).getEpochSecond()));

        Account v2 = store.findAccount(ANN).orElseThrow();
        fake.clearRequests();
        store.write(new AccountWrite(v2, v2, List.of(entry("tx_c")), Optional.empty(),
                List.of(new SideWrite.ResolveHold("h1", HoldStatus.CAPTURED, 7, "tx_c", NOW))));
        RecordedRequest capture = only("TransactWriteItems");
        assertThat(capture.list("TransactItems")).hasSize(3);
        assertThat(capture.object("TransactItems", 2, "Update")).isEqualTo(Map.of(
                "TableName", table,
                "Key", key("ACCOUNT#ann", "HOLD#h1"),
                "UpdateExpression", "SET #status = :status, captured = :captured, captureTransactionId = :tx, resolvedAt = :at",
                "ConditionExpression", "#status = :pending",
                "ExpressionAttributeNames", Map.of("#status", "status"),
                "ExpressionAttributeValues", Map.of(":status", Map.of("S", "captured"), ":pending", Map.of("S", "pending"),
                        ":captured", Map.of("N", "7"), ":tx", Map.of("S", "tx_c"), ":at", Map.of("S", NOW.toString())),
                "ReturnValuesOnConditionCheckFailure", "ALL_OLD"));
    }

    @Test
    void aRefund_putsItsTallyNewTheFirstTime_thenOnlyOnTheTallysVersion() {
        Account v1 = account(1);
        store.create(v1, List.of());
        fake.clearRequests();
        store.write(new AccountWrite(v1, v1, List.of(), Optional.empty(),
                List.of(new SideWrite.Tally(RefundTally.none("tx_1"), new RefundTally("tx_1", 0, 3, 1)))));
        assertThat(only("TransactWriteItems").object("TransactItems", 1, "Put"))
                .containsEntry("ConditionExpression", "attribute_not_exists(PK)");

        Account v2 = store.findAccount(ANN).orElseThrow();
        fake.clearRequests();
        store.write(new AccountWrite(v2, v2, List.of(), Optional.empty(),
                List.of(new SideWrite.Tally(new RefundTally("tx_1", 0, 3, 1), new RefundTally("tx_1", 0, 4, 2)))));
        Map<String, Object> tally = only("TransactWriteItems").object("TransactItems", 1, "Put");
        assertThat(tally).containsEntry("ConditionExpression", "#version = :before")
                .containsEntry("ExpressionAttributeValues", Map.of(":before", Map.of("N", "1")));
        assertThat(tally).extracting(t -> ((Map<?, ?>) ((Map<?, ?>) t.get("Item")).get("SK")).get("S")).isEqualTo("REFUNDS#tx_1");
    }

    @Test
    void aStripeEvent_putsItsRecordNew_andItsPurchaseNewOrOnItsVersion() {
        Account v1 = account(1);
        store.create(v1, List.of());
        PurchaseRecord purchase = new PurchaseRecord("pi_1", "pro", Map.of("credits", 160L), Map.of(), false, 1);
        fake.clearRequests();
        store.write(new AccountWrite(v1, v1, List.of(), Optional.empty(), List.of(
                new SideWrite.EventApplied("evt_1", "checkout.session.completed", NOW), new SideWrite.Purchase(Optional.empty(), purchase))));

        RecordedRequest tx = only("TransactWriteItems");
        assertThat(tx.list("TransactItems")).hasSize(3);
        assertThat(skOfPut(tx, 1)).isEqualTo("STRIPE_EVENT#evt_1");
        assertThat(tx.object("TransactItems", 1, "Put")).containsEntry("ConditionExpression", "attribute_not_exists(PK)");
        assertThat(tx.string("TransactItems", 1, "Put", "Item", "expiresAt", "N")).as("kept 400 days, then TTL")
                .isEqualTo(Long.toString(NOW.getEpochSecond() + 400L * 86_400));
        assertThat(skOfPut(tx, 2)).isEqualTo("PURCHASE#pi_1");
        assertThat(tx.string("TransactItems", 2, "Put", "Item", "paymentId", "S")).isEqualTo("pi_1");

        fake.clearRequests();
        store.readForEvent(ANN, "evt_2", Optional.of("pi_1"));
        assertThat(only("BatchGetItem").list("RequestItems", table, "Keys")).containsExactly(key("ACCOUNT#ann", "ACCOUNT"),
                key("ACCOUNT#ann", "STRIPE_EVENT#evt_2"), key("ACCOUNT#ann", "PURCHASE#pi_1"));
    }

    @Test
    void theLedger_isAConsistentQueryOfTheAccountsEntries_newestFirst_fromTheCursor() {
        fake.clearRequests();
        store.ledger(ANN, 25, Optional.of("tx_5"));

        assertThat(only("Query").body()).isEqualTo(Map.of(
                "TableName", table,
                "KeyConditionExpression", "PK = :pk AND begins_with(SK, :tx)",
                "ExpressionAttributeValues", Map.of(":pk", Map.of("S", "ACCOUNT#ann"), ":tx", Map.of("S", "TX#")),
                "ScanIndexForward", false,
                "ConsistentRead", true,
                "Limit", new BigDecimal(25),
                "ExclusiveStartKey", key("ACCOUNT#ann", "TX#tx_5"),
                "ReturnConsumedCapacity", "TOTAL"));
    }

    @Test
    void theBalanceAsOfAnInstant_isOneConsistentQueryOfTheLedgersKeyRangeUpToIt_newestFirst_withASmallLimit() {
        fake.clearRequests();
        Instant asOf = Instant.parse("2026-11-20T08:30:00.123Z");
        store.ledgerAsOf(ANN, asOf, 10, Optional.empty());
        store.ledgerAsOf(ANN, asOf, 100, Optional.of("tx_01M7W179XV0000000000000000"));

        List<RecordedRequest> queries = fake.requests("Query");
        assertThat(fake.operations()).containsExactly("Query", "Query");
        // 2026-11-20T08:30:00.123Z is 1795163400123 ms: ULID time 01M7W179XV, the largest id of that millisecond.
        Map<String, Object> range = Map.of(":pk", Map.of("S", "ACCOUNT#ann"),
                ":first", Map.of("S", "TX#tx_00000000000000000000000000"),
                ":last", Map.of("S", "TX#tx_01M7W179XVZZZZZZZZZZZZZZZZ"));
        assertThat(queries.get(0).body()).isEqualTo(Map.of(
                "TableName", table,
                "KeyConditionExpression", "PK = :pk AND SK BETWEEN :first AND :last",
                "ExpressionAttributeValues", range,
                "ScanIndexForward", false,
                "ConsistentRead", true,
                "Limit", new BigDecimal(10),
                "ReturnConsumedCapacity", "TOTAL"));
        assertThat(queries.get(1).body()).containsEntry("Limit", new BigDecimal(100))
                .containsEntry("ExpressionAttributeValues", range)
                .containsEntry("ExclusiveStartKey", key("ACCOUNT#ann", "TX#tx_01M7W179XV0000000000000000"));
    }

    @Test
    void aDebitIntoCredit_isStillOneTransaction_theLimitAnAttributeOfItsBucket_theDebtANegativePurchased() {
        Account v1 = account(1);
        Account limited = v1.withBucket("credits", v1.bucket("credits").withCreditLimit(30));
        store.create(limited, List.of());
        fake.clearRequests();

        Account after = limited.debit("credits", 120).after();
        store.write(new AccountWrite(limited, after, List.of(new LedgerEntry("tx_9", ANN, EntryType.DEBIT, "credits", -120, -100, -20,
                "chat", null, "test", null, NOW)), Optional.empty()));

        RecordedRequest tx = only("TransactWriteItems");
        assertThat(tx.list("TransactItems")).hasSize(2);
        assertThat(tx.object("TransactItems", 0, "Put")).containsEntry("ConditionExpression", "#version = :before")
                .containsEntry("ExpressionAttributeValues", Map.of(":before", Map.of("N", "1")));
        assertThat(tx.object("TransactItems", 0, "Put", "Item", "buckets", "M", "credits", "M")).isEqualTo(Map.of(
                "allowance", Map.of("N", "0"), "purchased", Map.of("N", "-20"), "held", Map.of("N", "0"), "creditLimit", Map.of("N", "30")));
        assertThat(tx.string("TransactItems", 1, "Put", "Item", "balancesAfter", "S")).isEqualTo("credits:0/-20/0");
        assertThat(store.findAccount(ANN)).contains(after.withVersion(2));
        assertThat(reads.account(ANN).orElseThrow().buckets().get("credits"))
                .isEqualTo(new com.tokenwallet.domain.port.AccountAudit.Parts(0, -20, 0, 30, 0, 0));
    }

    @Test
    void aBucketWithoutACreditLimit_hasNoCreditLimitAttribute() {
        store.create(account(1), List.of());
        fake.clearRequests();
        store.write(new AccountWrite(account(1), account(1).debit("credits", 5).after(), List.of(entry("tx_9")), Optional.empty()));

        RecordedRequest tx = only("TransactWriteItems");
        assertThat(tx.object("TransactItems", 0, "Put", "Item", "buckets", "M", "credits", "M")).doesNotContainKey("creditLimit");
    }

    @Test
    void anEntrysPartsAfterIt_areOneAttributeOfItsOwnPut_noOtherItem() {
        Account v1 = account(1);
        store.create(v1, List.of());
        fake.clearRequests();

        store.write(new AccountWrite(v1, v1.debit("credits", 5).after(), List.of(entry("tx_9")), Optional.empty()));

        RecordedRequest tx = only("TransactWriteItems");
        assertThat(tx.list("TransactItems")).hasSize(2);
        Account after = v1.debit("credits", 5).after();
        String expected = com.tokenwallet.domain.ledger.BalanceAfter.format(Map.of("credits",
                com.tokenwallet.domain.ledger.BalanceAfter.of(after.bucket("credits"))));
        assertThat(tx.string("TransactItems", 1, "Put", "Item", "balancesAfter", "S")).isEqualTo(expected);
        assertThat(store.ledger(ANN, 10, Optional.empty()).entries().getFirst().balanceAfter())
                .isEqualTo(com.tokenwallet.domain.ledger.BalanceAfter.of(after.bucket("credits")));
    }

    @Test
    void indexLookups_queryTheirSparseIndex_eventuallyConsistent_forOneItem() {
        fake.clearRequests();
        store.accountByStripeCustomer("cus_1");
        store.accountByPayment("pi_1");
        store.accountsWithHoldsExpiredBy(NOW, 3, 50);
        reads.accountsByEmail("ann@example.com", 10);

        List<RecordedRequest> queries = fake.requests("Query");
        assertThat(queries).extracting(q -> q.string("IndexName"))
                .containsExactly("StripeCustomers", "StripePayments", "PendingHolds", "AccountEmails");
        assertThat(queries).allSatisfy(q -> assertThat(q.body()).doesNotContainKey("ConsistentRead"));
        assertThat(queries.get(0).body()).containsEntry("KeyConditionExpression", "#key = :value")
                .containsEntry("ExpressionAttributeNames", Map.of("#key", "stripeCustomerId"))
                .containsEntry("ExpressionAttributeValues", Map.of(":value", Map.of("S", "cus_1")))
                .containsEntry("Limit", BigDecimal.ONE);
        assertThat(queries.get(2).body()).containsEntry("KeyConditionExpression", "#shard = :shard AND #next <= :now")
                .containsEntry("ExpressionAttributeNames", Map.of("#shard", "holdShard", "#next", "nextHoldExpiry"))
                .containsEntry("ExpressionAttributeValues", Map.of(":shard", Map.of("S", "HOLDS#3"),
                        ":now", Map.of("N", Long.toString(NOW.getEpochSecond()))))
                .containsEntry("Limit", new BigDecimal(50));
    }

    @Test
    void theResetJobsScan_readsOneSegmentPageOfTheSparseIndex_fromItsPosition_thenThePagesAccountsByKey() {
        for (int i = 0; i < 40; i++) {
            store.create(new Account(AccountId.of("a" + i), null, "free", Period.calendarMonthOf(NOW),
                    Map.of("credits", new BucketBalance(1, 0, 0)), NOW, 1), List.of());
        }
        String position = store.scan(2, 8, Optional.empty(), 1).next().orElseThrow();
        fake.clearRequests();

        AccountScan.Page page = store.scan(2, 8, Optional.of(position), 100);

        String[] key = position.split("\n");
        assertThat(key).hasSize(3);
        assertThat(key[1]).isEqualTo("ACCOUNT#" + key[0]);
        assertThat(key[2]).isEqualTo("ACCOUNT");
        Map<String, Object> start = new java.util.HashMap<>(key(key[1], key[2]));
        start.put("calendarAccount", Map.of("S", key[0]));
        // The index, not the table: no filter over ledger and other items, no consistent read (a GSI has none).
        assertThat(fake.operations()).containsExactly("Scan", "BatchGetItem");
        assertThat(fake.requests("Scan").getFirst().body()).isEqualTo(Map.of(
                "TableName", table, "IndexName", "CalendarAccounts", "Segment", new BigDecimal(2), "TotalSegments", new BigDecimal(8),
                "Limit", new BigDecimal(100), "ExclusiveStartKey", start, "ReturnConsumedCapacity", "TOTAL"));
        // The page's accounts, by key, eventually consistent (the roll-over's write is conditioned on the version
        // read), in one BatchGetItem (at most 100 keys a call).
        RecordedRequest batch = fake.requests("BatchGetItem").getFirst();
        assertThat(batch.string("RequestItems", table, "ConsistentRead")).isEqualTo("false");
        assertThat(page.accounts()).isNotEmpty().allSatisfy(a -> assertThat(a.plan()).isEqualTo("free"));
        assertThat(batch.list("RequestItems", table, "Keys")).hasSize(page.accounts().size());
    }

    @Test
    void theResetJobsScan_readsAPageOfMoreThan100Accounts_inBatchesOf100_andLeavesOutAccountsOnASubscription() {
        for (int i = 0; i < 150; i++) {
            Account a = new Account(AccountId.of("b" + i), null, "free", Period.calendarMonthOf(NOW),
                    Map.of("credits", new BucketBalance(1, 0, 0)), NOW, 1);
            if (i % 10 == 0) {
                a = a.withBilling(a.billing().withSubscription(new com.tokenwallet.domain.account.Subscription("sub_" + i, "active", "solo", NOW, 1L)));
            }
            store.create(a, List.of());
        }
        fake.clearRequests();

        AccountScan.Page page = store.scan(0, 1, Optional.empty(), 1000);

        assertThat(page.next()).isEmpty();
        assertThat(page.accounts()).hasSize(135).noneMatch(a -> a.billing().onSubscription());
        assertThat(fake.requests("Scan").getFirst().body()).containsEntry("IndexName", "CalendarAccounts");
        assertThat(fake.requests("BatchGetItem")).hasSize(2);
    }

    @Test
    void aSegmentClaim_andItsSave_areConditionalUpdatesOfTheLease() {
        fake.clearRequests();
        store.claim("reset#2026-12", 1, 4, "w1", NOW.plusSeconds(600), NOW);
        store.save("reset#2026-12", Checkpoint.start(1, 4), "w1", true);

        RecordedRequest claim = fake.requests("UpdateItem").get(0);
        assertThat(claim.object("Key")).isEqualTo(key("JOB#reset#2026-12", "SEGMENT#1"));
        assertThat(claim.string("ConditionExpression"))
                .isEqualTo("attribute_not_exists(PK) OR attribute_not_exists(#owner) OR #until < :now OR #owner = :owner");
        assertThat(claim.string("ReturnValues")).isEqualTo("ALL_NEW");
        assertThat(claim.string("ExpressionAttributeValues", ":until", "N")).isEqualTo(Long.toString(NOW.plusSeconds(600).toEpochMilli()));
        RecordedRequest save = fake.requests("UpdateItem").get(1);
        assertThat(save.string("ConditionExpression")).isEqualTo("#owner = :owner");
        assertThat(save.string("UpdateExpression")).endsWith(" REMOVE #position, #owner, #until");
    }

    @Test
    void aHoldAndARefund_areReadConsistently_byKey() {
        fake.clearRequests();
        store.findHold(ANN, "h1");
        store.readRefund(ANN, "tx_1");

        assertThat(fake.operations()).containsExactly("GetItem", "BatchGetItem");
        assertThat(fake.requests("GetItem").getFirst().body()).containsEntry("Key", key("ACCOUNT#ann", "HOLD#h1"))
                .containsEntry("ConsistentRead", true);
        assertThat(fake.requests("BatchGetItem").getFirst().list("RequestItems", table, "Keys"))
                .containsExactly(key("ACCOUNT#ann", "TX#tx_1"), key("ACCOUNT#ann", "REFUNDS#tx_1"));
    }

    @Test
    void theAdminsAuditScan_isConsistent_andTheLedgerSumIsAProjectedQuery() {
        fake.clearRequests();
        reads.accounts(Optional.empty(), 10);
        reads.ledgerTotals(ANN, 100);

        assertThat(fake.operations()).containsExactly("Scan", "Query");
        assertThat(fake.requests("Scan").getFirst().body()).containsEntry("ConsistentRead", true).containsEntry("FilterExpression", "SK = :account")
                .containsEntry("Limit", new BigDecimal(10)).doesNotContainKeys("Segment", "ExclusiveStartKey");
        assertThat(fake.requests("Query").getFirst().body()).containsEntry("ProjectionExpression", "#bucket, allowanceDelta, purchasedDelta, heldDelta")
                .containsEntry("ExpressionAttributeNames", Map.of("#bucket", "bucket")).containsEntry("ConsistentRead", true)
                .containsEntry("Limit", new BigDecimal(101));
    }

    // ---- helpers

    private RecordedRequest only(String operation) {
        assertThat(fake.operations()).containsExactly(operation);
        return fake.requests(operation).getFirst();
    }

    private static String skOfPut(RecordedRequest tx, int index) {
        return tx.string("TransactItems", index, "Put", "Item", "SK", "S");
    }

    private static Map<String, Object> key(String pk, String sk) {
        return Map.of("PK", Map.of("S", pk), "SK", Map.of("S", sk));
    }

    private static Account account(long version) {
        return new Account(ANN, "ann@example.com", "free", Period.calendarMonthOf(NOW),
                Map.of("credits", new BucketBalance(100, 0, 0)), NOW, version);
    }

    private static LedgerEntry entry(String tx) {
        return new LedgerEntry(tx, ANN, EntryType.DEBIT, "credits", -5, -5, 0, "chat", null, "test", null, NOW);
    }

    private static IdempotencyRecord record(String key) {
        return new IdempotencyRecord(new IdempotencyKey(key), "fp", new StoredResponse(201, "{}"), NOW, NOW.plusSeconds(86_400));
    }
}
