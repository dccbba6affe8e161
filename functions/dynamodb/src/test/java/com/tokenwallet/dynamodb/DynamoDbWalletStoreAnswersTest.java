package com.tokenwallet.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.IdempotencyRecord;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.RefundTally;
import com.tokenwallet.domain.port.AccountScan.Checkpoint;
import com.tokenwallet.domain.port.WalletStore.AccountWrite;
import com.tokenwallet.domain.port.WalletStore.CreateResult;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import com.tokenwallet.domain.port.WalletStore.Snapshot;
import com.tokenwallet.domain.port.WalletStore.WriteResult;
import com.tokenwallet.dynamodb.testing.FakeDynamoDb;
import com.tokenwallet.dynamodb.testing.Fault;
import com.tokenwallet.dynamodb.testing.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the adapter reads every answer DynamoDB can give, each produced on the wire by the fake and passed through the
 * production client's retries: cancellation reasons with the items that failed (one round trip, no read after), a
 * failed single-item condition, throttling and server errors, a write whose answer was lost, and BatchGetItem keys
 * left unprocessed.
 */
class DynamoDbWalletStoreAnswersTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final AccountId ANN = AccountId.of("ann");
    private final FakeDynamoDb fake = new FakeDynamoDb();
    private String table;
    private DynamoDbWalletStore store;
    private int tx;

    @BeforeEach
    void freshTable() {
        table = fake.createWalletTable();
        store = new DynamoDbWalletStore(fake.client(), table, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aStaleWrite_learnsTheFreshAccountFromTheCancellationReason_inTheSameRoundTrip() {
        Account v1 = created();
        Account v2 = applied(new AccountWrite(v1, v1.debit("credits", 1).after(), List.of(entry()), Optional.empty()));
        fake.clearRequests();

        WriteResult stale = store.write(new AccountWrite(v1, v1.debit("credits", 2).after(), List.of(entry()), Optional.empty()));

        assertThat(stale).isEqualTo(new WriteResult.Stale(Optional.of(v2)));
        assertThat(fake.requests()).extracting(RecordedRequest::operation, RecordedRequest::error)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("TransactWriteItems", "TransactionCanceledException"));
    }

    @Test
    void aUsedKey_answersWithTheStoredRecord_fromTheCancellationReason() {
        Account v1 = created();
        IdempotencyRecord first = record("k-1", "fp-1");
        Account v2 = applied(new AccountWrite(v1, v1.debit("credits", 1).after(), List.of(entry()), Optional.of(first)));
        fake.clearRequests();

        WriteResult again = store.write(new AccountWrite(v2, v2.debit("credits", 1).after(), List.of(entry()),
                Optional.of(record("k-1", "fp-2"))));

        assertThat(again).isEqualTo(new WriteResult.KeyUsed(first));
        assertThat(fake.operations()).containsExactly("TransactWriteItems");
    }

    @Test
    void aTallyMovedOnSinceItWasRead_isTallyStale_andAnAppliedEvent_isEventAlreadyApplied() {
        Account v1 = created();
        Account v2 = applied(new AccountWrite(v1, v1, List.of(), Optional.empty(),
                List.of(new SideWrite.Tally(RefundTally.none("tx_1"), new RefundTally("tx_1", 0, 3, 1)),
                        new SideWrite.EventApplied("evt_1", "charge.refunded", NOW))));

        WriteResult tally = store.write(new AccountWrite(v2, v2, List.of(), Optional.empty(),
                List.of(new SideWrite.Tally(RefundTally.none("tx_1"), new RefundTally("tx_1", 0, 1, 1)))));
        WriteResult event = store.write(new AccountWrite(v2, v2, List.of(), Optional.empty(),
                List.of(new SideWrite.EventApplied("evt_1", "charge.refunded", NOW))));

        assertThat(tally).isEqualTo(new WriteResult.TallyStale());
        assertThat(event).isEqualTo(new WriteResult.EventAlreadyApplied());
        assertThat(store.findAccount(ANN)).contains(v2);
    }

    @Test
    void creatingAnExistingAccount_answersWithTheStoredOne() {
        Account v1 = created();
        CreateResult again = store.create(account(), List.of(entry()));
        assertThat(again).isEqualTo(new CreateResult.AlreadyExists(v1));
    }

    @Test
    void aConflictOnAnyItem_isRetried_whileAConditionFailureNextToAConflictIsNot() {
        Account v1 = created();
        fake.failNext("TransactWriteItems", Fault.transactionConflict(2), 1);
        fake.clearRequests();

        WriteResult ok = store.write(new AccountWrite(v1, v1.debit("credits", 1).after(), List.of(entry()), Optional.of(record("k", "fp"))));

        assertThat(ok).isInstanceOf(WriteResult.Applied.class);
        assertThat(fake.requests("TransactWriteItems")).extracting(RecordedRequest::error)
                .containsExactly("TransactionCanceledException", null);
    }

    @Test
    void aFailedLeaseCondition_isReadAsNotClaimed() {
        store.claim("job", 0, 1, "w1", NOW.plusSeconds(60), NOW).orElseThrow();
        fake.clearRequests();

        assertThat(store.claim("job", 0, 1, "w2", NOW.plusSeconds(60), NOW)).isEmpty();
        assertThat(store.save("job", Checkpoint.start(0, 1), "w2", false)).isFalse();
        assertThat(fake.requests()).extracting(RecordedRequest::error)
                .containsExactly("ConditionalCheckFailedException", "ConditionalCheckFailedException");
    }

    @Test
    void aReleasingSaveWhoseAnswerWasLost_isStillReadAsSaved_whenTheSdksRetryFindsItDone() {
        store.claim("job", 0, 1, "w1", NOW.plusSeconds(60), NOW).orElseThrow();
        fake.failNext("UpdateItem", Fault.commitThenDropAnswer(), 1);
        fake.clearRequests();

        boolean saved = store.save("job", Checkpoint.start(0, 1), "w1", true);

        assertThat(fake.requests("UpdateItem")).hasSize(2);
        assertThat(saved).isTrue();
    }

    @Test
    void throttlingAndServerErrors_areRetriedByTheSdk_andTheWriteAppliesOnce() {
        Account v1 = created();
        fake.failNext("TransactWriteItems", Fault.throttling(), 1);
        fake.failNext("TransactWriteItems", Fault.internalServerError(), 1);
        fake.clearRequests();

        Account v2 = applied(new AccountWrite(v1, v1.debit("credits", 1).after(), List.of(entry()), Optional.empty()));

        assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(400, 500, 200);
        assertThat(store.findAccount(ANN)).contains(v2);
    }

    @Test
    void aReadThrottledThroughEveryRetry_isStoreUnavailable() {
        fake.failNext("GetItem", Fault.provisionedThroughputExceeded(), 1_000);
        assertThatThrownBy(() -> store.findAccount(ANN)).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("read the account");
        assertThat(fake.requests("GetItem").size()).as("the SDK retried before giving up").isGreaterThan(1);
        fake.clearFaults();
    }

    @Test
    void aBalanceAsOfQuery_readsItsItemWithTheRecordedBalances_andPagesOnFromLastEvaluatedKey_toTheLedgersStart() {
        Account v = created();
        com.tokenwallet.domain.ledger.TransactionIds ids = new com.tokenwallet.domain.ledger.TransactionIds(Clock.fixed(NOW, ZoneOffset.UTC));
        for (int i = 0; i < 3; i++) {
            v = applied(new AccountWrite(v, v.debit("credits", 1).after(), List.of(new LedgerEntry(ids.next(), ANN, EntryType.DEBIT,
                    "credits", -1, -1, 0, "chat", null, "test", null, NOW)), Optional.empty()));
        }
        fake.clearRequests();

        var newest = store.ledgerAsOf(ANN, NOW, 1, Optional.empty());
        var rest = store.ledgerAsOf(ANN, NOW, 100, newest.continueAfter());

        assertThat(newest.entries()).singleElement().satisfies(e -> assertThat(e.balanceAfter())
                .isEqualTo(new com.tokenwallet.domain.ledger.BalanceAfter(97, 0, 0)));
        assertThat(newest.continueAfter()).as("Limit 1 stopped early: LastEvaluatedKey").isPresent();
        assertThat(rest.entries()).extracting(e -> e.balanceAfter().allowance()).containsExactly(98L, 99L);
        assertThat(rest.continueAfter()).as("the ledger's start").isEmpty();
        assertThat(fake.requests("Query").get(1).body()).containsEntry("ExclusiveStartKey",
                Map.of("PK", Map.of("S", "ACCOUNT#ann"), "SK", Map.of("S", "TX#" + newest.entries().getFirst().transactionId())));
    }

    @Test
    void aBalanceAsOfQueryThrottledThroughEveryRetry_isStoreUnavailable() {
        fake.failNext("Query", Fault.provisionedThroughputExceeded(), 1_000);
        assertThatThrownBy(() -> store.ledgerAsOf(ANN, NOW, 1, Optional.empty())).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("read the ledger up to an instant");
        fake.clearFaults();
    }

    @Test
    void aCommittedWriteWhoseAnswerWasLost_isRetriedWithTheSameToken_andAppliesOnce() {
        Account v1 = created();
        fake.failNext("TransactWriteItems", Fault.commitThenDropAnswer(), 1);
        fake.clearRequests();

        WriteResult result = store.write(new AccountWrite(v1, v1.debit("credits", 1).after(), List.of(entry()), Optional.of(record("k", "fp"))));

        assertThat(result).isInstanceOf(WriteResult.Applied.class);
        List<RecordedRequest> attempts = fake.requests("TransactWriteItems");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).string("ClientRequestToken")).isNotBlank().isEqualTo(attempts.get(1).string("ClientRequestToken"));
        assertThat(store.findAccount(ANN).orElseThrow().version()).isEqualTo(2);
        assertThat(store.ledger(ANN, 10, Optional.empty()).entries()).hasSize(1);
    }

    @Test
    void keysLeftUnprocessed_areAskedForAgain_andNeverMistakenForMissing() {
        Account v1 = created();
        IdempotencyRecord record = record("k", "fp");
        Account v2 = applied(new AccountWrite(v1, v1.debit("credits", 1).after(), List.of(entry()), Optional.of(record)));
        fake.failNext("BatchGetItem", Fault.unprocessedKeys(1), 1);
        fake.clearRequests();

        Snapshot snapshot = store.readForWrite(ANN, Optional.of(new IdempotencyKey("k")));

        assertThat(snapshot).isEqualTo(new Snapshot(Optional.of(v2), Optional.of(record)));
        List<RecordedRequest> batches = fake.requests("BatchGetItem");
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1).list("RequestItems", table, "Keys")).hasSize(1);

        fake.failNext("BatchGetItem", Fault.unprocessedKeys(2), 5);
        assertThatThrownBy(() -> store.readForWrite(ANN, Optional.of(new IdempotencyKey("k"))))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("unprocessed");
    }

    @Test
    void transactionConflictsAreRetriedAndThenGiveUpWithNothingWritten() {
        Account v1 = created();
        fake.failNext("TransactWriteItems", Fault.transactionConflict(), 2);
        fake.clearRequests();
        WriteResult ok = store.write(new AccountWrite(v1, v1.debit("credits", 1).after(), List.of(), Optional.empty()));
        assertThat(ok).isInstanceOf(WriteResult.Applied.class);
        assertThat(fake.requests("TransactWriteItems")).as("two conflicts, then the write").hasSize(3);

        Account v2 = store.findAccount(ANN).orElseThrow();
        fake.failNext("TransactWriteItems", Fault.transactionConflict(), DynamoDbWalletStore.MAX_CONFLICT_RETRIES + 1);
        assertThatThrownBy(() -> store.write(new AccountWrite(v2, v2.debit("credits", 1).after(), List.of(), Optional.empty())))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("contended");
        assertThat(fake.pendingFaults()).isZero();
        assertThat(store.findAccount(ANN)).contains(v2);
    }

    @Test
    void throttlingAndTimeoutsBecomeStoreUnavailable() {
        Account v1 = created();
        // Throttled on every attempt: the SDK retries with back-off until the call's 4 s bound, then it is unavailable.
        fake.failNext("TransactWriteItems", Fault.provisionedThroughputExceeded(), 1_000);
        assertThatThrownBy(() -> store.write(new AccountWrite(v1, v1.debit("credits", 1).after(), List.of(), Optional.empty())))
                .isInstanceOf(StoreUnavailableException.class);
        fake.clearFaults();
        assertThat(store.findAccount(ANN)).contains(v1);

        // Committed, then no answer on any attempt within the call's bound: whether it committed is unknown to the caller.
        fake.failNext("TransactWriteItems", Fault.commitThenTimeOut(Duration.ofSeconds(10)), 10);
        assertThatThrownBy(() -> store.write(new AccountWrite(v1, v1.debit("credits", 1).after(), List.of(), Optional.empty())))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("unknown");
        fake.clearFaults();
        // The write did commit, once: the caller's retry must find out from the key, which the service layer does.
        assertThat(store.findAccount(ANN).orElseThrow().version()).isEqualTo(2);
    }

    // ---- helpers

    private Account created() {
        Account a = account();
        assertThat(store.create(a, List.of())).isEqualTo(new CreateResult.Created(a));
        return a;
    }

    private Account applied(AccountWrite write) {
        assertThat(store.write(write)).isInstanceOf(WriteResult.Applied.class);
        return write.after();
    }

    private static Account account() {
        return new Account(ANN, "ann@example.com", "free", Period.calendarMonthOf(NOW), Map.of("credits", new BucketBalance(100, 0, 0)),
                NOW, 1);
    }

    private LedgerEntry entry() {
        tx++;
        return new LedgerEntry("tx_" + tx, ANN, EntryType.DEBIT, "credits", -1, -1, 0, "chat", null, "test", null, NOW);
    }

    private static IdempotencyRecord record(String key, String fingerprint) {
        return new IdempotencyRecord(new IdempotencyKey(key), fingerprint, new StoredResponse(201, "{}"), NOW, NOW.plusSeconds(86_400));
    }
}
