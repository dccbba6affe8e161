package com.tokenwallet.sqlite;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.Billing;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Lot;
import com.tokenwallet.domain.account.LotSource;
import com.tokenwallet.domain.account.PendingHold;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.account.Subscription;
import com.tokenwallet.domain.billing.PurchaseRecord;
import com.tokenwallet.domain.hold.HoldRecord;
import com.tokenwallet.domain.hold.HoldStatus;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.IdempotencyRecord;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.ledger.ConsumedLots;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.RefundTally;
import com.tokenwallet.domain.port.AccountDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The domain's records to and from the rows of {@link SqliteSchema}'s tables. Reads and writes inside a transaction. */
final class Rows {
    /** As the DynamoDB table's PendingHolds index: accounts with pending holds spread over 16 shards. */
    static final int HOLD_SHARDS = 16;
    /** Scan segments split the range {@code [0, 2^31)} of {@code scan_hash}. */
    static final long SCAN_HASH_RANGE = 1L << 31;
    /** How long the record of an applied Stripe event is kept, as in DynamoDB (the TTL there). */
    static final long EVENT_RETENTION_SECONDS = 400L * 24 * 3600;

    private static final String ACCOUNT_COLUMNS = "account_id, email, plan, period_id, period_start, period_end, created_at, version, "
            + "stripe_customer_id, subscription_id, subscription_status, subscription_plan, subscription_period_start, "
            + "subscription_as_of, flags";

    private Rows() {
    }

    // ---- accounts: one row, its buckets in balances, its pending holds in pending_holds

    static Optional<Account> account(SqliteDatabase.Tx tx, AccountId id) throws SQLException {
        Optional<AccountRow> row = tx.first("SELECT " + ACCOUNT_COLUMNS + " FROM accounts WHERE account_id = ?", Rows::accountRow, id.value());
        if (row.isEmpty()) {
            return Optional.empty();
        }
        List<Object[]> rows = tx.query("SELECT bucket, allowance, purchased, held, credit_limit FROM balances WHERE account_id = ? ORDER BY bucket",
                r -> new Object[]{r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5)}, id.value());
        Map<String, List<Lot>> lots = new LinkedHashMap<>();
        for (Lot lot : tx.query("SELECT lot_id, bucket, source, granted, remaining, priority, expires_at, cost_basis, reference, "
                + "created_at FROM lots WHERE account_id = ? ORDER BY lot_id", r -> new Lot(r.getString(1), r.getString(2),
                LotSource.fromWireName(r.getString(3)), r.getLong(4), r.getLong(5), r.getInt(6),
                r.getString(7) == null ? null : Instant.parse(r.getString(7)),
                r.getString(8) == null ? null : new BigDecimal(r.getString(8)), r.getString(9), Instant.parse(r.getString(10))), id.value())) {
            lots.computeIfAbsent(lot.bucket(), k -> new ArrayList<>()).add(lot);
        }
        // Each bucket built once with its lots and credit limit (a bucket in debt is only valid with both).
        Map<String, BucketBalance> buckets = new LinkedHashMap<>();
        for (Object[] b : rows) {
            buckets.put((String) b[0], new BucketBalance((Long) b[1], (Long) b[2], (Long) b[3], lots.getOrDefault((String) b[0], List.of()),
                    (Long) b[4]));
        }
        Map<String, PendingHold> holds = new LinkedHashMap<>();
        for (PendingHold h : tx.query("SELECT hold_id, bucket, amount, expires_at FROM pending_holds WHERE account_id = ? ORDER BY hold_id",
                r -> new PendingHold(r.getString(1), r.getString(2), r.getLong(3), Instant.parse(r.getString(4))), id.value())) {
            holds.put(h.holdId(), h);
        }
        return Optional.of(row.get().toAccount(buckets, holds));
    }

    /** Inserts or replaces the account's row, its balances and its pending holds. */
    static void putAccount(SqliteDatabase.Tx tx, Account a) throws SQLException {
        String id = a.id().value();
        Billing billing = a.billing();
        Subscription sub = billing.subscription();
        Optional<Long> nextExpiry = a.nextExpiry().map(Instant::getEpochSecond);
        tx.update("INSERT OR REPLACE INTO accounts (account_id, email, email_normalized, plan, period_id, period_start, period_end, "
                        + "created_at, version, stripe_customer_id, subscription_id, subscription_status, subscription_plan, "
                        + "subscription_period_start, subscription_as_of, flags, hold_shard, next_hold_expiry_epoch_s, scan_hash, calendar) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, a.email(), a.email() == null ? null : AccountDirectory.normalize(a.email()), a.plan(), a.period().id(),
                a.period().startsAt().toString(), a.period().endsAt().toString(), a.createdAt().toString(), a.version(),
                billing.stripeCustomerId(), sub == null ? null : sub.id(), sub == null ? null : sub.status(),
                sub == null ? null : sub.plan(), sub == null || sub.periodStart() == null ? null : sub.periodStart().toString(),
                sub == null ? null : sub.asOf(), billing.flags().isEmpty() ? null : String.join(",", billing.flags()),
                nextExpiry.isPresent() ? holdShard(a.id()) : null, nextExpiry.orElse(null), scanHash(a.id()),
                billing.onSubscription() ? 0 : 1);
        tx.update("DELETE FROM balances WHERE account_id = ?", id);
        for (Map.Entry<String, BucketBalance> b : a.buckets().entrySet()) {
            tx.update("INSERT INTO balances (account_id, bucket, allowance, purchased, held, credit_limit) VALUES (?, ?, ?, ?, ?, ?)",
                    id, b.getKey(), b.getValue().allowance(), b.getValue().purchased(), b.getValue().held(), b.getValue().creditLimit());
        }
        tx.update("DELETE FROM lots WHERE account_id = ?", id);
        for (BucketBalance b : a.buckets().values()) {
            for (Lot lot : b.lots()) {
                tx.update("INSERT INTO lots (account_id, bucket, lot_id, source, granted, remaining, priority, expires_at, cost_basis, "
                                + "reference, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        id, lot.bucket(), lot.lotId(), lot.source().wireName(), lot.granted(), lot.remaining(), lot.priority(),
                        lot.expiresAt() == null ? null : lot.expiresAt().toString(),
                        lot.costBasis() == null ? null : lot.costBasis().toPlainString(), lot.reference(), lot.createdAt().toString());
            }
        }
        tx.update("DELETE FROM pending_holds WHERE account_id = ?", id);
        for (PendingHold h : a.holds().values()) {
            tx.update("INSERT INTO pending_holds (account_id, hold_id, bucket, amount, expires_at) VALUES (?, ?, ?, ?, ?)",
                    id, h.holdId(), h.bucket(), h.amount(), h.expiresAt().toString());
        }
    }

    static Optional<Long> accountVersion(SqliteDatabase.Tx tx, AccountId id) throws SQLException {
        return tx.first("SELECT version FROM accounts WHERE account_id = ?", r -> r.getLong(1), id.value());
    }

    private record AccountRow(String id, String email, String plan, String periodId, String periodStart, String periodEnd,
                              String createdAt, long version, String customer, String subscriptionId, String subscriptionStatus,
                              String subscriptionPlan, String subscriptionPeriodStart, Long subscriptionAsOf, String flags) {
        Account toAccount(Map<String, BucketBalance> buckets, Map<String, PendingHold> holds) {
            Subscription sub = subscriptionId == null ? null : new Subscription(subscriptionId, subscriptionStatus, subscriptionPlan,
                    subscriptionPeriodStart == null ? null : Instant.parse(subscriptionPeriodStart),
                    subscriptionAsOf == null ? 0 : subscriptionAsOf);
            Set<String> flagSet = flags == null || flags.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(flags.split(",")));
            return new Account(AccountId.of(id), email, plan, new Period(periodId, Instant.parse(periodStart), Instant.parse(periodEnd)),
                    buckets, holds, new Billing(customer, sub, flagSet), Instant.parse(createdAt), version);
        }
    }

    private static AccountRow accountRow(ResultSet r) throws SQLException {
        long asOf = r.getLong(14);
        Long subscriptionAsOf = r.wasNull() ? null : asOf;
        return new AccountRow(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6),
                r.getString(7), r.getLong(8), r.getString(9), r.getString(10), r.getString(11), r.getString(12), r.getString(13),
                subscriptionAsOf, r.getString(15));
    }

    // ---- ledger

    private static final String LEDGER_COLUMNS = "transaction_id, account_id, entry_type, bucket, amount, allowance_delta, "
            + "purchased_delta, operation, reference, description, metadata, created_at, held_delta, consumed, balances_after";

    static String ledgerColumns() {
        return LEDGER_COLUMNS;
    }

    static LedgerEntry ledgerEntry(ResultSet r) throws SQLException {
        return new LedgerEntry(r.getString(1), AccountId.of(r.getString(2)), EntryType.fromWireName(r.getString(3)), r.getString(4),
                r.getLong(5), r.getLong(6), r.getLong(7), r.getString(8), r.getString(9), r.getString(10), r.getString(11),
                Instant.parse(r.getString(12)), r.getLong(13), ConsumedLots.decode(r.getString(14)),
                r.getString(15) == null ? null : com.tokenwallet.domain.ledger.BalanceAfter.parse(r.getString(15)));
    }

    static boolean ledgerEntryExists(SqliteDatabase.Tx tx, LedgerEntry e) throws SQLException {
        return tx.first("SELECT 1 FROM ledger WHERE account_id = ? AND transaction_id = ?", r -> true,
                e.accountId().value(), e.transactionId()).isPresent();
    }

    static void insertLedgerEntry(SqliteDatabase.Tx tx, LedgerEntry e) throws SQLException {
        // balances_after: every bucket's parts after the entry (issue 15), as credits:0/25/10,dol:3/0/0; NULL if none.
        tx.update("INSERT INTO ledger (" + LEDGER_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.transactionId(), e.accountId().value(), e.type().wireName(), e.bucket(), e.amount(), e.allowanceDelta(),
                e.purchasedDelta(), e.operation(), e.reference(), e.description(), e.metadataJson(), e.createdAt().toString(),
                e.heldDelta(), ConsumedLots.encode(e.consumed()),
                e.balancesAfter() == null ? null : com.tokenwallet.domain.ledger.BalanceAfter.format(e.balancesAfter()));
    }

    // ---- holds

    private static final String HOLD_COLUMNS = "hold_id, account_id, bucket, amount, operation, created_at, expires_at, status, "
            + "captured, capture_transaction_id, resolved_at";

    static Optional<HoldRecord> hold(SqliteDatabase.Tx tx, AccountId id, String holdId) throws SQLException {
        return tx.first("SELECT " + HOLD_COLUMNS + " FROM holds WHERE account_id = ? AND hold_id = ?", r -> {
            String resolvedAt = r.getString(11);
            return new HoldRecord(r.getString(1), AccountId.of(r.getString(2)), r.getString(3), r.getLong(4), r.getString(5),
                    Instant.parse(r.getString(6)), Instant.parse(r.getString(7)), HoldStatus.fromWireName(r.getString(8)),
                    r.getLong(9), r.getString(10), resolvedAt == null ? null : Instant.parse(resolvedAt));
        }, id.value(), holdId);
    }

    static void insertHold(SqliteDatabase.Tx tx, HoldRecord h) throws SQLException {
        tx.update("INSERT INTO holds (" + HOLD_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                h.holdId(), h.accountId().value(), h.bucket(), h.amount(), h.operation(), h.createdAt().toString(),
                h.expiresAt().toString(), h.status().wireName(), h.captured(), h.captureTransactionId(),
                h.resolvedAt() == null ? null : h.resolvedAt().toString());
    }

    static void resolveHold(SqliteDatabase.Tx tx, AccountId id, String holdId, HoldStatus status, long captured, String transactionId,
                            Instant at) throws SQLException {
        tx.update("UPDATE holds SET status = ?, captured = ?, capture_transaction_id = ?, resolved_at = ? WHERE account_id = ? AND hold_id = ?",
                status.wireName(), captured, transactionId, at.toString(), id.value(), holdId);
    }

    // ---- refund tallies

    static Optional<RefundTally> tally(SqliteDatabase.Tx tx, AccountId id, String transactionId) throws SQLException {
        return tx.first("SELECT transaction_id, refunded_allowance, refunded_purchased, version FROM refund_tallies "
                        + "WHERE account_id = ? AND transaction_id = ?",
                r -> new RefundTally(r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4)), id.value(), transactionId);
    }

    static void putTally(SqliteDatabase.Tx tx, AccountId id, RefundTally t) throws SQLException {
        tx.update("INSERT OR REPLACE INTO refund_tallies (account_id, transaction_id, refunded_allowance, refunded_purchased, version) "
                + "VALUES (?, ?, ?, ?, ?)", id.value(), t.transactionId(), t.refundedAllowance(), t.refundedPurchased(), t.version());
    }

    // ---- Stripe: applied events and purchases

    static boolean eventApplied(SqliteDatabase.Tx tx, AccountId id, String eventId) throws SQLException {
        return tx.first("SELECT 1 FROM stripe_events WHERE account_id = ? AND event_id = ?", r -> true, id.value(), eventId).isPresent();
    }

    static void insertEvent(SqliteDatabase.Tx tx, AccountId id, String eventId, String type, Instant at) throws SQLException {
        tx.update("INSERT INTO stripe_events (account_id, event_id, event_type, applied_at, expires_at_epoch_s) VALUES (?, ?, ?, ?, ?)",
                id.value(), eventId, type, at.toString(), at.getEpochSecond() + EVENT_RETENTION_SECONDS);
    }

    static Optional<PurchaseRecord> purchase(SqliteDatabase.Tx tx, AccountId id, String paymentId) throws SQLException {
        return tx.first("SELECT payment_id, package_id, credited, clawed_back, disputed, version, amount_paid, currency "
                        + "FROM purchases WHERE account_id = ? AND payment_id = ?",
                r -> {
                    long amountPaid = r.getLong(7);
                    // Purchases credited before issue 19 have no amount paid (NULL).
                    Optional<PurchaseRecord.AmountPaid> paid = r.wasNull() ? Optional.empty()
                            : Optional.of(new PurchaseRecord.AmountPaid(amountPaid, r.getString(8)));
                    return new PurchaseRecord(r.getString(1), r.getString(2), numbers(r.getString(3)), numbers(r.getString(4)),
                            r.getInt(5) != 0, r.getLong(6), paid);
                }, id.value(), paymentId);
    }

    static void putPurchase(SqliteDatabase.Tx tx, AccountId id, PurchaseRecord p) throws SQLException {
        tx.update("INSERT OR REPLACE INTO purchases (account_id, payment_id, package_id, credited, clawed_back, disputed, version, "
                        + "amount_paid, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id.value(), p.paymentId(), p.packageId(), StrictJson.write(new TreeMap<>(p.credited())),
                StrictJson.write(new TreeMap<>(p.clawedBack())), p.disputed(), p.version(),
                p.paid().map(PurchaseRecord.AmountPaid::amount).orElse(null), p.paid().map(PurchaseRecord.AmountPaid::currency).orElse(null));
    }

    private static Map<String, Long> numbers(String json) {
        try {
            Map<String, Long> out = new LinkedHashMap<>();
            StrictJson.object(json).forEach((k, v) -> out.put(k, ((Number) v).longValue()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("a purchase row holds unreadable JSON", e);
        }
    }

    // ---- idempotency records

    static Optional<IdempotencyRecord> idempotencyRecord(SqliteDatabase.Tx tx, AccountId id, IdempotencyKey key) throws SQLException {
        return tx.first("SELECT idempotency_key, fingerprint, status_code, body, created_at, expires_at_epoch_s FROM idempotency_records "
                        + "WHERE account_id = ? AND idempotency_key = ?",
                r -> new IdempotencyRecord(new IdempotencyKey(r.getString(1)), r.getString(2), new StoredResponse(r.getInt(3), r.getString(4)),
                        Instant.parse(r.getString(5)), Instant.ofEpochSecond(r.getLong(6))), id.value(), key.value());
    }

    /** Stores the record, replacing an expired one of the same key (the caller checked that it is). */
    static void putIdempotencyRecord(SqliteDatabase.Tx tx, AccountId id, IdempotencyRecord r) throws SQLException {
        tx.update("INSERT OR REPLACE INTO idempotency_records (account_id, idempotency_key, fingerprint, status_code, body, created_at, "
                        + "expires_at_epoch_s) VALUES (?, ?, ?, ?, ?, ?, ?)",
                id.value(), r.key().value(), r.fingerprint(), r.response().statusCode(), r.response().body(), r.createdAt().toString(),
                r.expiresAt().getEpochSecond());
    }

    // ---- where an account goes in the indexes

    static int holdShard(AccountId id) {
        return Math.floorMod(id.value().hashCode(), HOLD_SHARDS);
    }

    /**
     * A stable, well spread number in {@code [0, 2^31)} for the account id: FNV-1a of its UTF-8 bytes, then
     * MurmurHash3's finalizer (FNV alone leaves the high bits of ids such as acct-1, acct-2 nearly equal, and the
     * segments are ranges of the high bits).
     */
    static long scanHash(AccountId id) {
        int hash = 0x811c9dc5;
        for (byte b : id.value().getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        hash ^= hash >>> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >>> 13;
        hash *= 0xc2b2ae35;
        hash ^= hash >>> 16;
        return hash & 0x7fffffffL;
    }

    /** The {@code [from, to)} range of {@code scan_hash} that segment {@code segment} of {@code total} covers. */
    static long[] segmentRange(int segment, int total) {
        return new long[]{SCAN_HASH_RANGE * segment / total, SCAN_HASH_RANGE * (segment + 1) / total};
    }
}
