package com.tokenwallet.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.IdempotencyRecord;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.port.WalletStore.AccountWrite;
import com.tokenwallet.domain.port.WalletStore.CreateResult;
import com.tokenwallet.domain.port.WalletStore.WriteResult;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's semantics, through the production client: on the fake here, on LocalStack in LocalStackDynamoDbTest. */
class DynamoDbWalletStoreTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private final DynamoDbCallCounter counter = new DynamoDbCallCounter();
    private DynamoDbWalletStore store;
    private int tx;

    /** The DynamoDB these tests run on; {@link LocalStackDynamoDbTest} runs them on LocalStack. */
    DynamoDbUnderTest dynamoDb() {
        return DynamoDbUnderTest.fake();
    }

    @BeforeEach
    void freshTable() {
        DynamoDbUnderTest db = dynamoDb();
        store = new DynamoDbWalletStore(db.client(counter), db.createWalletTable(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void createsAnAccountOnceAndReadsItBackExactly() {
        Account alice = account("alice", 100, 50);
        LedgerEntry grant = entry("alice", EntryType.SIGNUP_GRANT, 0, 50);

        assertThat(store.create(alice, List.of(grant))).isEqualTo(new CreateResult.Created(alice));
        CreateResult again = store.create(account("alice", 999, 999), List.of(entry("alice", EntryType.SIGNUP_GRANT, 0, 999)));

        assertThat(again).isInstanceOf(CreateResult.AlreadyExists.class);
        assertThat(((CreateResult.AlreadyExists) again).account()).isEqualTo(alice);
        assertThat(store.findAccount(AccountId.of("alice"))).contains(alice);
        assertThat(store.ledger(AccountId.of("alice"), 10, Optional.empty()).entries()).containsExactly(grant);
    }

    @Test
    void aWriteAppliesOnlyOnTheVersionItWasComputedFrom() {
        Account v1 = account("bob", 100, 0);
        store.create(v1, List.of());
        Account v2 = v1.debit("credits", 30).after();

        WriteResult first = store.write(new AccountWrite(v1, v2, List.of(entry("bob", EntryType.DEBIT, -30, 0)), Optional.empty()));
        WriteResult stale = store.write(new AccountWrite(v1, v1.debit("credits", 10).after(),
                List.of(entry("bob", EntryType.DEBIT, -10, 0)), Optional.empty()));

        assertThat(first).isInstanceOf(WriteResult.Applied.class);
        Account stored = store.findAccount(AccountId.of("bob")).orElseThrow();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.bucket("credits")).isEqualTo(new BucketBalance(70, 0, 0));
        assertThat(stale).isEqualTo(new WriteResult.Stale(Optional.of(stored)));
        assertThat(store.ledger(AccountId.of("bob"), 10, Optional.empty()).entries()).hasSize(1);
    }

    @Test
    void aWriteToAMissingAccountIsStaleWithNoAccount() {
        Account ghost = account("ghost", 10, 0);
        WriteResult result = store.write(new AccountWrite(ghost, ghost.debit("credits", 1).after(), List.of(), Optional.empty()));
        assertThat(result).isEqualTo(new WriteResult.Stale(Optional.empty()));
        assertThat(store.findAccount(AccountId.of("ghost"))).isEmpty();
    }

    @Test
    void aUsedKeyAnswersWithItsRecordAndWritesNothing() {
        Account v1 = account("carol", 100, 0);
        store.create(v1, List.of());
        IdempotencyRecord record = record("k-1", "fp-1", NOW.plusSeconds(3600));
        store.write(new AccountWrite(v1, v1.debit("credits", 5).after(), List.of(entry("carol", EntryType.DEBIT, -5, 0)), Optional.of(record)));
        Account v2 = store.findAccount(AccountId.of("carol")).orElseThrow();

        // Even on the current version, the used key refuses the whole write.
        WriteResult again = store.write(new AccountWrite(v2, v2.debit("credits", 5).after(),
                List.of(entry("carol", EntryType.DEBIT, -5, 0)), Optional.of(record("k-1", "fp-2", NOW.plusSeconds(3600)))));

        assertThat(again).isEqualTo(new WriteResult.KeyUsed(record));
        assertThat(store.findAccount(AccountId.of("carol"))).contains(v2);
        assertThat(store.ledger(AccountId.of("carol"), 10, Optional.empty()).entries()).hasSize(1);
        assertThat(store.readForWrite(AccountId.of("carol"), Optional.of(new IdempotencyKey("k-1"))))
                .isEqualTo(new com.tokenwallet.domain.port.WalletStore.Snapshot(Optional.of(v2), Optional.of(record)));
    }

    @Test
    void anExpiredRecordNoLongerHoldsItsKey() {
        Account v1 = account("dave", 100, 0);
        store.create(v1, List.of());
        store.write(new AccountWrite(v1, v1.debit("credits", 5).after(), List.of(), Optional.of(record("old", "fp", NOW.minusSeconds(1)))));
        Account v2 = store.findAccount(AccountId.of("dave")).orElseThrow();

        assertThat(store.readForWrite(AccountId.of("dave"), Optional.of(new IdempotencyKey("old"))).record()).isEmpty();
        WriteResult reuse = store.write(new AccountWrite(v2, v2.debit("credits", 5).after(), List.of(),
                Optional.of(record("old", "fp-new", NOW.plusSeconds(60)))));
        assertThat(reuse).isInstanceOf(WriteResult.Applied.class);
    }

    @Test
    void theLedgerPagesNewestFirstWithoutGapsOrRepeats() {
        Account v1 = account("erin", 1000, 0);
        List<LedgerEntry> entries = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            entries.add(entry("erin", EntryType.GRANT, 0, i + 1));
        }
        store.create(v1, entries);

        List<String> seen = new ArrayList<>();
        Optional<String> after = Optional.empty();
        for (int page = 0; page < 10; page++) {
            LedgerPage p = store.ledger(AccountId.of("erin"), 3, after);
            p.entries().forEach(e -> seen.add(e.transactionId()));
            after = p.continueAfter();
            if (after.isEmpty()) {
                break;
            }
        }
        List<String> expected = entries.stream().map(LedgerEntry::transactionId).sorted(java.util.Comparator.reverseOrder()).toList();
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void everyCallIsCountedWithItsCapacity() {
        Account v1 = account("hank", 100, 0);
        store.create(v1, List.of(entry("hank", EntryType.GRANT, 0, 1)));
        counter.reset();

        store.findAccount(AccountId.of("hank"));
        store.readForWrite(AccountId.of("hank"), Optional.of(new IdempotencyKey("k")));
        store.write(new AccountWrite(v1, v1.debit("credits", 1).after(), List.of(entry("hank", EntryType.DEBIT, -1, 0)),
                Optional.of(record("k", "fp", NOW.plusSeconds(60)))));

        assertThat(counter.snapshot()).isEqualTo(Map.of("GetItem", 1L, "BatchGetItem", 1L, "TransactWriteItems", 1L));
        assertThat(counter.writeCalls()).isEqualTo(1);
        assertThat(counter.consumedWriteCapacityUnits()).isPositive();
        assertThat(counter.consumedReadCapacityUnits()).isPositive();
    }

    private Account account(String id, long allowance, long purchased) {
        return new Account(AccountId.of(id), id + "@example.com", "free", Period.calendarMonthOf(NOW),
                Map.of("credits", new BucketBalance(allowance, purchased, 0), "video", new BucketBalance(0, 0, 0)), NOW, 1);
    }

    private LedgerEntry entry(String id, EntryType type, long allowanceDelta, long purchasedDelta) {
        tx++;
        return new LedgerEntry(String.format("tx_%026d", tx), AccountId.of(id), type, "credits", allowanceDelta + purchasedDelta,
                allowanceDelta, purchasedDelta, type == EntryType.DEBIT ? "chat_message" : null, null, "test",
                type == EntryType.DEBIT ? "{\"chat\":\"c1\"}" : null, NOW);
    }

    private static IdempotencyRecord record(String key, String fingerprint, Instant expiresAt) {
        return new IdempotencyRecord(new IdempotencyKey(key), fingerprint, new StoredResponse(201, "{\"ok\":true}"), NOW, expiresAt);
    }
}
