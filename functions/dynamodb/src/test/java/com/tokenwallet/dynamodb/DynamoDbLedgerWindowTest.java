package com.tokenwallet.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.ledger.LedgerWindow;
import com.tokenwallet.domain.ledger.TransactionIds;
import com.tokenwallet.domain.usage.Granularity;
import com.tokenwallet.domain.usage.LedgerHistory;
import com.tokenwallet.domain.usage.UsageReport;
import com.tokenwallet.dynamodb.testing.Fault;
import com.tokenwallet.dynamodb.testing.FakeDynamoDb;
import com.tokenwallet.dynamodb.testing.RecordedRequest;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger window read (usage and export, issue 17) as DynamoDB receives and answers it: one consistent Query of
 * the sort key range between the window's first and last transaction ids, oldest first, going on from
 * LastEvaluatedKey when DynamoDB cuts a page at 1 MB.
 */
class DynamoDbLedgerWindowTest {
    private static final Instant DAY = Instant.parse("2026-11-23T00:00:00Z");
    private static final AccountId ANN = AccountId.of("ann");
    private static final UsageReport.BucketUsage ZERO = new UsageReport.BucketUsage(0, 0, 0, 0, Map.of());
    private final FakeDynamoDb fake = new FakeDynamoDb();
    private final LedgerWindow window = new LedgerWindow(DAY, DAY.plus(Duration.ofDays(1)));
    private String table;
    private DynamoDbWalletStore store;

    @BeforeEach
    void freshTable() {
        table = fake.createWalletTable();
        store = new DynamoDbWalletStore(fake.client(), table, Clock.fixed(DAY, ZoneOffset.UTC));
    }

    @Test
    void aWindow_isAConsistentQueryOfTheLedgerKeyRange_oldestFirst_fromTheCursor() {
        String after = "tx_" + com.github.f4b6a3.ulid.Ulid.min(DAY.plusSeconds(5).toEpochMilli());
        fake.clearRequests();

        store.ledgerWindow(ANN, window, 500, Optional.of(after));

        List<RecordedRequest> queries = fake.requests("Query");
        assertThat(queries).hasSize(1);
        assertThat(queries.getFirst().body()).isEqualTo(Map.of(
                "TableName", table,
                "KeyConditionExpression", "PK = :pk AND SK BETWEEN :first AND :last",
                "ExpressionAttributeValues", Map.of(":pk", Map.of("S", "ACCOUNT#ann"),
                        ":first", Map.of("S", "TX#tx_01M82V7M00" + "0".repeat(16)),
                        ":last", Map.of("S", "TX#tx_01M85DMAZZ" + "Z".repeat(16))),
                "ScanIndexForward", true,
                "ConsistentRead", true,
                "Limit", new BigDecimal(500),
                "ExclusiveStartKey", Map.of("PK", Map.of("S", "ACCOUNT#ann"), "SK", Map.of("S", "TX#" + after)),
                "ReturnConsumedCapacity", "TOTAL"));
        assertThat(window.firstTransactionId()).as("2026-11-23T00:00:00.000Z").isEqualTo("tx_01M82V7M00" + "0".repeat(16));
    }

    @Test
    void aCursorBeforeTheWindow_startsAtTheWindow() {
        fake.clearRequests();
        store.ledgerWindow(ANN, window, 10, Optional.of("tx_" + com.github.f4b6a3.ulid.Ulid.min(0)));
        assertThat(fake.requests("Query").getFirst().body()).doesNotContainKey("ExclusiveStartKey");
    }

    @Test
    void pagesCutAtOneMegabyte_goOnFromTheLastEntry_andEveryEntryIsReadOnce() {
        // given: 560 entries of about 2 KB each in the window (1.1 MB), one just before it and one at its end
        List<LedgerEntry> inside = new ArrayList<>();
        put(entry(DAY.minusMillis(1), "before"));
        for (int i = 0; i < 560; i++) {
            LedgerEntry e = entry(DAY.plusSeconds(60L * i), "x".repeat(2_000));
            inside.add(e);
            put(e);
        }
        put(entry(window.to(), "at the end: the next window's"));
        fake.clearRequests();

        // when
        LedgerPage first = store.ledgerWindow(ANN, window, 1_000, Optional.empty());
        List<LedgerEntry> exported = new ArrayList<>();
        new LedgerHistory(store).export(ANN, window, exported::add);

        // then
        assertThat(first.entries().size()).as("DynamoDB cut the page at 1 MB").isBetween(1, 559);
        assertThat(first.continueAfter()).contains(first.entries().getLast().transactionId());
        assertThat(exported).containsExactlyElementsOf(inside);
        UsageReport usage = new LedgerHistory(store).usage(ANN, window, Granularity.HOUR);
        assertThat(usage.intervals()).hasSize(24);
        assertThat(usage.intervals().stream().mapToLong(i -> i.buckets().getOrDefault("credits", ZERO).consumed()).sum()).isEqualTo(560);
    }

    @Test
    void aWindowReadThrottledThroughEveryRetry_isStoreUnavailable() {
        fake.failNext("Query", Fault.provisionedThroughputExceeded(), 1_000);
        assertThatThrownBy(() -> store.ledgerWindow(ANN, window, 10, Optional.empty()))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("read a ledger window");
        fake.clearFaults();
    }


    private LedgerEntry entry(Instant at, String description) {
        String id = new TransactionIds(Clock.fixed(at, ZoneOffset.UTC)).next();
        return new LedgerEntry(id, ANN, EntryType.DEBIT, "credits", -1, 0, -1, "ai_chat", null, description, null, at);
    }

    private void put(LedgerEntry e) {
        if (store.findAccount(ANN).isEmpty()) {
            store.create(new Account(ANN, null, "free", Period.calendarMonthOf(DAY), Map.of("credits", new BucketBalance(0, 1_000, 0)),
                    DAY, 1), List.of());
        }
        fake.client().putItem(b -> b.tableName(table).item(Items.ledgerEntry(e)));
    }
}
