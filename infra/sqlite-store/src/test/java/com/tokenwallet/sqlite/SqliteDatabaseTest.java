package com.tokenwallet.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.contract.StoreSet;
import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.domain.port.WalletStore;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the database is opened: durable settings, its tables, the in-memory form, the wiring by wallet.store. */
class SqliteDatabaseTest {

    @TempDir
    Path directory;

    @Test
    void aFileDatabase_isInWalMode_withFullSync_aBusyTimeout_andItsTables() {
        Path file = directory.resolve("nested/dir/wallet.db");
        try (SqliteDatabase db = SqliteDatabase.open(file.toString())) {
            assertThat(Files.isRegularFile(file)).isTrue();
            assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(db, "synchronous")).as("2 is FULL").isEqualTo("2");
            assertThat(pragma(db, "busy_timeout")).isEqualTo(Integer.toString(SqliteDatabase.BUSY_TIMEOUT_MILLIS));
            assertThat(pragma(db, "user_version")).isEqualTo(Integer.toString(SqliteSchema.VERSION));
            List<String> tables = db.read("tables", tx -> tx.query("SELECT name FROM sqlite_master WHERE type = 'table'", r -> r.getString(1)));
            assertThat(tables).containsExactlyInAnyOrderElementsOf(SqliteSchema.TABLES);
        }
    }

    private static String pragma(SqliteDatabase db, String name) {
        java.util.Optional<String> value = db.read("pragma", tx -> tx.first("PRAGMA " + name, r -> r.getString(1)));
        return value.orElseThrow();
    }

    @Test
    void aDatabaseOfANewerSchema_isRefused_andAClosedOneAnswersStoreUnavailable() {
        String path = directory.resolve("newer.db").toString();
        try (SqliteDatabase db = SqliteDatabase.open(path)) {
            db.write("bump", tx -> {
                tx.execute("PRAGMA user_version = " + (SqliteSchema.VERSION + 1));
                return null;
            });
        }
        assertThatThrownBy(() -> SqliteDatabase.open(path)).hasMessageContaining("newer than this program's");

        SqliteDatabase closed = SqliteDatabase.open(directory.resolve("closed.db").toString());
        closed.close();
        assertThatThrownBy(() -> new SqliteWalletStore(closed, Clock.systemUTC()).findAccount(AccountId.of("a")))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void aVersion1Database_isUpgraded_andItsPurchasesReadWithoutWhatWasPaid() {
        Path file = directory.resolve("v1.db");
        try (SqliteDatabase db = SqliteDatabase.open(file.toString())) {
            // Made back into version 1: the purchases table before issue 19 kept what was paid, with one row.
            db.write("downgrade", tx -> {
                tx.update("INSERT INTO purchases (account_id, payment_id, package_id, credited, clawed_back, disputed, version) "
                        + "VALUES ('ann', 'pi_1', 'pro', '{\"credits\":100}', '{}', 0, 1)");
                tx.execute("ALTER TABLE purchases DROP COLUMN amount_paid");
                tx.execute("ALTER TABLE purchases DROP COLUMN currency");
                dropCalendarColumn(tx);
                tx.execute("PRAGMA user_version = 1");
                return null;
            });
        }
        try (SqliteDatabase db = SqliteDatabase.open(file.toString())) {
            assertThat(pragma(db, "user_version")).isEqualTo(Integer.toString(SqliteSchema.VERSION));
            var purchase = db.read("purchase", tx -> Rows.purchase(tx, AccountId.of("ann"), "pi_1")).orElseThrow();
            assertThat(purchase.credited()).containsEntry("credits", 100L);
            assertThat(purchase.paid()).isEmpty();
        }
    }

    /**
     * What version 7 added (issue 15): the lots a charge consumed, kept with its ledger entry; and what version 8
     * added after it, every older version lacks too (each downgrade calls this once).
     */
    private static void dropConsumedColumn(SqliteDatabase.Tx tx) throws java.sql.SQLException {
        tx.execute("ALTER TABLE ledger DROP COLUMN consumed");
        dropCreditLimitColumn(tx);
    }

    /** What version 8 added (issue 15): each bucket's credit limit. */
    private static void dropCreditLimitColumn(SqliteDatabase.Tx tx) throws java.sql.SQLException {
        tx.execute("ALTER TABLE balances DROP COLUMN credit_limit");
    }

    @Test
    void aVersion7Database_isUpgraded_itsBucketsReadWithNoCreditLimit_andALimitAndADebtAreWrittenAfter() {
        Path file = directory.resolve("v7.db");
        java.time.Instant now = java.time.Instant.parse("2026-11-15T12:00:00Z");
        AccountId ann = AccountId.of("ann");
        com.tokenwallet.domain.account.Account account = new com.tokenwallet.domain.account.Account(ann, null, "free",
                com.tokenwallet.domain.account.Period.calendarMonthOf(now),
                java.util.Map.of("credits", new com.tokenwallet.domain.account.BucketBalance(0, 5, 0)), now, 1);
        try (SqliteDatabase db = SqliteDatabase.open(file.toString())) {
            // Made back into version 7: its balances rows had no credit_limit.
            db.write("downgrade", tx -> {
                dropCreditLimitColumn(tx);
                tx.execute("PRAGMA user_version = 7");
                return null;
            });
            db.write("an account of version 7", tx -> {
                tx.update("INSERT INTO balances (account_id, bucket, allowance, purchased, held) VALUES ('ann', 'credits', 0, 5, 0)");
                return null;
            });
        }
        try (SqliteDatabase db = SqliteDatabase.open(file.toString())) {
            assertThat(pragma(db, "user_version")).isEqualTo(Integer.toString(SqliteSchema.VERSION));
            java.util.Optional<Long> limit = db.read("row", tx -> tx.first("SELECT credit_limit FROM balances WHERE account_id = 'ann'",
                    r -> r.getLong(1)));
            assertThat(limit).contains(0L);
            SqliteWalletStore store = new SqliteWalletStore(db, java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
            db.write("clear", tx -> {
                tx.update("DELETE FROM balances");
                return null;
            });
            store.create(account, java.util.List.of());
            com.tokenwallet.domain.account.Account limited = account.withBucket("credits", account.bucket("credits").withCreditLimit(10));
            com.tokenwallet.domain.account.Account after = limited.debit("credits", 12).after();
            store.write(new com.tokenwallet.domain.port.WalletStore.AccountWrite(account, after, java.util.List.of(
                    new com.tokenwallet.domain.ledger.LedgerEntry("tx_01KB0000000000000000000002", ann,
                            com.tokenwallet.domain.ledger.EntryType.DEBIT, "credits", -12, 0, -12, null, null, null, null, now)),
                    java.util.Optional.empty()));
            var read = store.findAccount(ann).orElseThrow().bucket("credits");
            assertThat(read.creditLimit()).isEqualTo(10);
            assertThat(read.debt()).isEqualTo(7);
            assertThat(read.available()).isEqualTo(3);
        }
    }

    @Test
    void aVersion6Database_isUpgraded_andItsChargesReadWithoutConsumedLots() {
        Path file = directory.resolve("v6.db");
        java.time.Instant now = java.time.Instant.parse("2026-11-15T12:00:00Z");
        AccountId ann = AccountId.of("ann");
        com.tokenwallet.domain.account.Account account = new com.tokenwallet.domain.account.Account(ann, null, "free",
                com.tokenwallet.domain.account.Period.calendarMonthOf(now), java.util.Map.of("credits", new com.tokenwallet.domain.account.BucketBalance(0, 5, 0)), now, 1);
        try (SqliteDatabase db = SqliteDatabase.open(file.toString())) {
            new SqliteWalletStore(db, java.time.Clock.fixed(now, java.time.ZoneOffset.UTC)).create(account, java.util.List.of());
            // Made back into version 6: a debit entry as it was written before consumed lots were kept.
            db.write("downgrade", tx -> {
                dropConsumedColumn(tx);
                tx.update("INSERT INTO ledger (account_id, transaction_id, entry_type, bucket, amount, allowance_delta, purchased_delta, "
                        + "held_delta, created_at) VALUES ('ann', 'tx_0000000000001_aaaaaaaa', 'debit', 'credits', -2, 0, -2, 0, '" + now + "')");
                tx.execute("PRAGMA user_version = 6");
                return null;
            });
        }
        try (SqliteDatabase db = SqliteDatabase.open(file.toString())) {
            assertThat(pragma(db, "user_version")).isEqualTo(Integer.toString(SqliteSchema.VERSION));
            SqliteWalletStore store = new SqliteWalletStore(db, java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
            var entry = store.readRefund(ann, "tx_0000000000001_aaaaaaaa").entry().orElseThrow();
            assertThat(entry.amount()).isEqualTo(-2);
            assertThat(entry.consumed()).as("a charge from before: refunded by part").isEmpty();
        }
    }

    /**
     * What version 4 added (issue 18): the accounts' calendar column and its partial index; and what versions 6 and 7
     * added (issue 15), the ledger's balances_after and consumed columns.
     */
    private static void dropCalendarColumn(SqliteDatabase.Tx tx) throws java.sql.SQLException {
        tx.execute("DROP INDEX accounts_on_calendar_periods");
        tx.execute("ALTER TABLE accounts DROP COLUMN calendar");
        tx.execute("ALTER TABLE ledger DROP COLUMN balances_after");
        dropConsumedColumn(tx);
    }

    @Test
    void aVersion5Database_isUpgraded_itsEntriesReadWithoutParts_newOnesWithThem() {
        Path file = directory.resolve("v5.db");
        java.time.Instant now = java.time.Instant.parse("2026-11-15T12:00:00Z");
        AccountId ann = AccountId.of("ann");
        com.tokenwallet.domain.account.Account account = new com.tokenwallet.domain.account.Account(ann, null, "free",
                com.tokenwallet.domain.account.Period.calendarMonthOf(now),
                java.util.Map.of("credits", new com.tokenwallet.domain.account.BucketBalance(0, 10, 0)), now, 1);
        com.tokenwallet.domain.ledger.LedgerEntry signup = new com.tokenwallet.domain.ledger.LedgerEntry("tx_01KB0000000000000000000001", ann,
                com.tokenwallet.domain.ledger.EntryType.SIGNUP_GRANT, "credits", 10, 0, 10, null, null, null, null, now);
        try (SqliteDatabase db = SqliteDatabase.open(file.toString())) {
            // Made back into version 5: before balances as of an instant, entries had no balances_after.
            db.write("downgrade", tx -> {
                tx.execute("ALTER TABLE ledger DROP COLUMN balances_after");
                dropConsumedColumn(tx);
                tx.execute("PRAGMA user_version = 5");
                return null;
            });
            db.write("an entry of version 5", tx -> {
                tx.update("INSERT INTO ledger (transaction_id, account_id, entry_type, bucket, amount, allowance_delta, purchased_delta, "
                        + "created_at, held_delta) VALUES (?, 'ann', 'signup_grant', 'credits', 10, 0, 10, ?, 0)",
                        signup.transactionId(), now.toString());
                return null;
            });
        }
        try (SqliteDatabase db = SqliteDatabase.open(file.toString())) {
            assertThat(pragma(db, "user_version")).isEqualTo(Integer.toString(SqliteSchema.VERSION));
            SqliteWalletStore store = new SqliteWalletStore(db, java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
            store.create(account, java.util.List.of());
            com.tokenwallet.domain.account.Account after = account.debit("credits", 4).after();
            com.tokenwallet.domain.ledger.LedgerEntry debit = new com.tokenwallet.domain.ledger.LedgerEntry("tx_01KB0000000000000000000002", ann,
                    com.tokenwallet.domain.ledger.EntryType.DEBIT, "credits", -4, 0, -4, null, null, null, null, now);
            store.write(new com.tokenwallet.domain.port.WalletStore.AccountWrite(account, after, java.util.List.of(debit), java.util.Optional.empty()));

            var entries = store.ledgerAsOf(ann, now, 10, java.util.Optional.empty()).entries();
            assertThat(entries).extracting(com.tokenwallet.domain.ledger.LedgerEntry::balanceAfter)
                    .containsExactly(new com.tokenwallet.domain.ledger.BalanceAfter(0, 6, 0), null);
            assertThat(entries.getLast()).isEqualTo(signup);
        }
    }

    @Test
    void aVersion3Database_isUpgraded_itsAccountsOnASubscriptionLeftOutOfTheResetsScan() {
        Path file = directory.resolve("v3.db");
        java.time.Instant now = java.time.Instant.parse("2026-11-15T12:00:00Z");
        com.tokenwallet.domain.account.Account calendar = new com.tokenwallet.domain.account.Account(AccountId.of("cal"), null, "free",
                com.tokenwallet.domain.account.Period.calendarMonthOf(now), java.util.Map.of("credits", new com.tokenwallet.domain.account.BucketBalance(1, 0, 0)), now, 1);
        com.tokenwallet.domain.account.Account subscribed = new com.tokenwallet.domain.account.Account(AccountId.of("sub"), null, "solo",
                com.tokenwallet.domain.account.Period.calendarMonthOf(now), java.util.Map.of("credits", new com.tokenwallet.domain.account.BucketBalance(1, 0, 0)), now, 1);
        subscribed = subscribed.withBilling(subscribed.billing().withSubscription(
                new com.tokenwallet.domain.account.Subscription("sub_1", "active", "solo", now, 1L)));
        try (SqliteDatabase db = SqliteDatabase.open(file.toString())) {
            SqliteWalletStore store = new SqliteWalletStore(db, java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
            store.create(calendar, java.util.List.of());
            store.create(subscribed, java.util.List.of());
            // Made back into version 3: before issue 18 no column said which accounts are on calendar periods.
            db.write("downgrade", tx -> {
                dropCalendarColumn(tx);
                tx.execute("PRAGMA user_version = 3");
                return null;
            });
        }
        try (SqliteDatabase db = SqliteDatabase.open(file.toString())) {
            assertThat(pragma(db, "user_version")).isEqualTo(Integer.toString(SqliteSchema.VERSION));
            SqliteWalletStore store = new SqliteWalletStore(db, java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
            assertThat(store.scan(0, 1, java.util.Optional.empty(), 10).accounts()).extracting(a -> a.id().value()).containsExactly("cal");
        }
    }

    @Test
    void aVersion2Database_isUpgraded_withTheOfferAndOwedPaymentTables_itsRowsKept() {
        Path file = directory.resolve("v2.db");
        try (SqliteDatabase db = SqliteDatabase.open(file.toString())) {
            // Made back into version 2: before issue 19 item 3 there were no offers and no owed payments.
            db.write("downgrade", tx -> {
                tx.update("INSERT INTO purchases (account_id, payment_id, package_id, credited, clawed_back, disputed, version, amount_paid, currency) "
                        + "VALUES ('ann', 'pi_1', 'pro', '{\"credits\":100}', '{}', 0, 1, 2499, 'usd')");
                tx.execute("DROP TABLE offers");
                tx.execute("DROP TABLE owed_payments");
                dropCalendarColumn(tx);
                tx.execute("PRAGMA user_version = 2");
                return null;
            });
        }
        try (SqliteDatabase db = SqliteDatabase.open(file.toString())) {
            assertThat(pragma(db, "user_version")).isEqualTo(Integer.toString(SqliteSchema.VERSION));
            assertThat(db.read("purchase", tx -> Rows.purchase(tx, AccountId.of("ann"), "pi_1")).orElseThrow().paid())
                    .contains(new com.tokenwallet.domain.billing.PurchaseRecord.AmountPaid(2499, "usd"));
            SqlitePaymentRecords records = new SqlitePaymentRecords(db);
            var offer = com.tokenwallet.domain.billing.Offer.of("offer_1", AccountId.of("ann"),
                    new com.tokenwallet.domain.catalog.CreditPackage("pro", "Pro", java.util.Map.of("credits", 150L), java.util.Map.of(), 2499, "usd"),
                    java.time.Instant.parse("2026-11-15T12:00:00Z"));
            assertThat(records.putOffer(offer)).isEqualTo(offer);
            assertThat(records.owedPayments(AccountId.of("ann"), 10)).isEmpty();
        }
    }

    @Test
    void inMemory_isOneConnectionsOwnDatabase() {
        try (SqliteDatabase a = SqliteDatabase.open(SqliteDatabase.IN_MEMORY); SqliteDatabase b = SqliteDatabase.open(SqliteDatabase.IN_MEMORY)) {
            a.write("w", tx -> tx.update("INSERT INTO job_checkpoints (job, segment, total_segments, done, seen, reset, skipped, failed, updated_at) "
                    + "VALUES ('j', 0, 1, 0, 0, 0, 0, 0, 'now')"));
            assertThat(new SqliteWalletStore(a, Clock.systemUTC()).checkpoints("j")).hasSize(1);
            assertThat(new SqliteWalletStore(b, Clock.systemUTC()).checkpoints("j")).isEmpty();
        }
    }

    @Test
    void walletStoreSqlite_wiresTheStoreAndTheAdminReads_onOneDatabase() {
        String path = directory.resolve("wired.db").toString();
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false)
                .properties(Map.of("wallet.store", "sqlite", "wallet.sqlite.path", path)).singletons(Clock.systemUTC()).start()) {
            assertThat(context.getBean(WalletStore.class)).isInstanceOf(SqliteWalletStore.class);
            assertThat(context.getBean(AccountScan.class)).isSameAs(context.getBean(WalletStore.class));
            assertThat(context.getBean(com.tokenwallet.domain.port.AccountAudit.class)).isInstanceOf(SqliteAdminReads.class);
            assertThat(context.getBean(com.tokenwallet.domain.port.AccountDirectory.class)).isInstanceOf(SqliteAdminReads.class);
            assertThat(context.getBean(SqliteDatabase.class).path()).isEqualTo(path);
        }
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false)
                .properties(Map.of("wallet.store", "dynamodb")).singletons(Clock.systemUTC()).start()) {
            assertThat(context.findBean(SqliteDatabase.class)).as("not wired unless wallet.store=sqlite").isEmpty();
        }
    }

    @Test
    void sequentialAccountIds_spreadEvenlyOverTheScanSegments() {
        int[] perSegment = new int[32];
        for (int i = 0; i < 10_000; i++) {
            long hash = Rows.scanHash(AccountId.of("acct-" + i));
            for (int segment = 0; segment < perSegment.length; segment++) {
                long[] range = Rows.segmentRange(segment, perSegment.length);
                if (hash >= range[0] && hash < range[1]) {
                    perSegment[segment]++;
                }
            }
        }
        assertThat(java.util.Arrays.stream(perSegment).sum()).as("every id in exactly one segment").isEqualTo(10_000);
        assertThat(java.util.Arrays.stream(perSegment).min().orElseThrow()).as("about 312 each").isGreaterThanOrEqualTo(230);
        assertThat(java.util.Arrays.stream(perSegment).max().orElseThrow()).as("about 312 each").isLessThanOrEqualTo(400);
    }

    @Test
    void aSecondInstance_seesTheFirstOnesWrites_throughTheFile() {
        String path = directory.resolve("shared.db").toString();
        try (StoreSet first = SqliteWalletStoreContractTest.open(path, Clock.systemUTC());
             StoreSet second = SqliteWalletStoreContractTest.open(path, Clock.systemUTC())) {
            assertThat(first.scan().claim("job", 0, 1, "a", java.time.Instant.now().plusSeconds(60), java.time.Instant.now())).isPresent();
            assertThat(second.scan().checkpoints("job")).hasSize(1);
            assertThat(List.of(first.wallet(), second.wallet())).doesNotHaveDuplicates();
        }
    }
}
