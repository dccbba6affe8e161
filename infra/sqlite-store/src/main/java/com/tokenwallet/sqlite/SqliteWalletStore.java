package com.tokenwallet.sqlite;

import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.billing.PurchaseRecord;
import com.tokenwallet.domain.hold.HoldRecord;
import com.tokenwallet.domain.hold.HoldStatus;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.IdempotencyRecord;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.ledger.RefundTally;
import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.domain.port.WalletStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link WalletStore} and {@link AccountScan} on SQLite, with the DynamoDB adapter's semantics: every account change
 * is one transaction that writes the account only if its stored version is still {@code before.version()}, appends
 * the ledger entries, writes the side records and the idempotency record (only if the key is unused, or its record
 * expired), all or nothing. When a condition fails nothing is written, and the answer is chosen in the order
 * DynamoDbWalletStore chooses it from a cancelled transaction: {@code KeyUsed}, {@code EventAlreadyApplied},
 * {@code PurchaseStale} and {@code TallyStale} (those two only if the account's condition held), {@code Stale} with
 * the current account; any other failed condition (an entry or hold record that exists, a hold that is no longer
 * pending) is a {@link StoreUnavailableException}, as there.
 */
public final class SqliteWalletStore implements WalletStore, AccountScan {
    /** A segment scan position: {@code <scan_hash>/<account_id>} of the last account returned. */
    private static final char POSITION_SEPARATOR = '/';

    private final SqliteDatabase db;
    private final Clock clock;
    private final SqliteJobCheckpoints checkpoints;

    public SqliteWalletStore(SqliteDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.checkpoints = new SqliteJobCheckpoints(db, clock);
    }

    @Override
    public Optional<Account> findAccount(AccountId id) {
        return db.read("read the account", tx -> Rows.account(tx, id));
    }

    @Override
    public Snapshot readForWrite(AccountId id, Optional<IdempotencyKey> key) {
        return db.read("read the account and idempotency key", tx -> {
            Optional<Account> account = Rows.account(tx, id);
            Optional<IdempotencyRecord> record = key.isEmpty() ? Optional.empty()
                    : Rows.idempotencyRecord(tx, id, key.get()).filter(r -> r.expiresAt().isAfter(clock.instant()));
            return new Snapshot(account, record);
        });
    }

    @Override
    public CreateResult create(Account account, List<LedgerEntry> openingEntries) {
        return db.write("create the account", tx -> {
            Optional<Account> existing = Rows.account(tx, account.id());
            if (existing.isPresent()) {
                tx.rollbackOnly();
                return new CreateResult.AlreadyExists(existing.get());
            }
            for (LedgerEntry e : openingEntries) {
                if (Rows.ledgerEntryExists(tx, e)) {
                    throw new StoreUnavailableException("SQLite refused to create the account: ledger entry " + e.transactionId()
                            + " exists already; nothing was changed.");
                }
            }
            Rows.putAccount(tx, account);
            for (LedgerEntry e : openingEntries) {
                Rows.insertLedgerEntry(tx, e);
            }
            return new CreateResult.Created(account);
        });
    }

    @Override
    public WriteResult write(AccountWrite write) {
        AccountId id = write.before().id();
        return db.write("write the account", tx -> {
            Conditions failed = check(tx, write);
            Optional<WriteResult> refusal = failed.refusal(tx, id);
            if (refusal.isPresent()) {
                tx.rollbackOnly();
                return refusal.get();
            }
            apply(tx, write);
            return new WriteResult.Applied(write.after());
        });
    }

    /** Which of the write's conditions fail against the stored records. */
    private Conditions check(SqliteDatabase.Tx tx, AccountWrite write) throws SQLException {
        AccountId id = write.before().id();
        Conditions c = new Conditions();
        if (write.record().isPresent()) {
            // An expired record does not hold its key any more (DynamoDB: attribute_not_exists OR expiresAt < now).
            long now = clock.instant().getEpochSecond();
            c.keyUsed = Rows.idempotencyRecord(tx, id, write.record().get().key())
                    .filter(r -> r.expiresAt().getEpochSecond() >= now);
        }
        c.accountStale = !Rows.accountVersion(tx, id).equals(Optional.of(write.before().version()));
        for (LedgerEntry e : write.entries()) {
            if (Rows.ledgerEntryExists(tx, e)) {
                c.others.add("ledger entry " + e.transactionId() + " exists already");
            }
        }
        for (SideWrite side : write.sides()) {
            switch (side) {
                case SideWrite.NewHold h -> {
                    if (Rows.hold(tx, id, h.hold().holdId()).isPresent()) {
                        c.others.add("hold " + h.hold().holdId() + " exists already");
                    }
                }
                case SideWrite.ResolveHold r -> {
                    Optional<HoldRecord> record = Rows.hold(tx, id, r.holdId());
                    if (record.isEmpty() || record.get().status() != HoldStatus.PENDING) {
                        c.others.add("hold " + r.holdId() + " is not pending");
                    }
                }
                case SideWrite.Tally t -> {
                    long stored = Rows.tally(tx, id, t.before().transactionId()).map(RefundTally::version).orElse(0L);
                    c.tallyStale |= stored != t.before().version();
                }
                case SideWrite.EventApplied e -> c.eventApplied |= Rows.eventApplied(tx, id, e.eventId());
                case SideWrite.Purchase p -> {
                    Optional<Long> stored = Rows.purchase(tx, id, p.after().paymentId()).map(PurchaseRecord::version);
                    c.purchaseStale |= !stored.equals(p.before().map(PurchaseRecord::version));
                }
                case SideWrite.Owed o -> {
                    Optional<Long> stored = SqlitePaymentRecords.owed(tx, id, o.after().paymentId())
                            .map(com.tokenwallet.domain.billing.OwedPayment::version);
                    c.purchaseStale |= !stored.equals(o.before().map(com.tokenwallet.domain.billing.OwedPayment::version));
                }
            }
        }
        return c;
    }

    /** The failed conditions of one write. */
    private static final class Conditions {
        Optional<IdempotencyRecord> keyUsed = Optional.empty();
        boolean accountStale;
        boolean tallyStale;
        boolean eventApplied;
        boolean purchaseStale;
        final List<String> others = new ArrayList<>();

        /** The answer DynamoDbWalletStore gives for the same failed conditions, or empty when none failed. */
        Optional<WriteResult> refusal(SqliteDatabase.Tx tx, AccountId id) throws SQLException {
            if (keyUsed.isPresent()) {
                return Optional.of(new WriteResult.KeyUsed(keyUsed.get()));
            }
            if (eventApplied) {
                return Optional.of(new WriteResult.EventAlreadyApplied());
            }
            if (purchaseStale && !accountStale) {
                return Optional.of(new WriteResult.PurchaseStale());
            }
            if (tallyStale && !accountStale) {
                return Optional.of(new WriteResult.TallyStale());
            }
            if (accountStale) {
                return Optional.of(new WriteResult.Stale(Rows.account(tx, id)));
            }
            if (!others.isEmpty()) {
                throw new StoreUnavailableException("SQLite refused to write the account (" + String.join("; ", others)
                        + "); nothing was changed.");
            }
            return Optional.empty();
        }
    }

    private void apply(SqliteDatabase.Tx tx, AccountWrite write) throws SQLException {
        AccountId id = write.before().id();
        Rows.putAccount(tx, write.after());
        for (LedgerEntry e : write.entries()) {
            Rows.insertLedgerEntry(tx, e);
        }
        for (SideWrite side : write.sides()) {
            switch (side) {
                case SideWrite.NewHold h -> Rows.insertHold(tx, h.hold());
                case SideWrite.ResolveHold r -> Rows.resolveHold(tx, id, r.holdId(), r.status(), r.captured(), r.transactionId(), r.at());
                case SideWrite.Tally t -> Rows.putTally(tx, id, t.after());
                case SideWrite.EventApplied e -> Rows.insertEvent(tx, id, e.eventId(), e.type(), e.at());
                case SideWrite.Purchase p -> Rows.putPurchase(tx, id, p.after());
                case SideWrite.Owed o -> SqlitePaymentRecords.putOwed(tx, o.after());
            }
        }
        if (write.record().isPresent()) {
            Rows.putIdempotencyRecord(tx, id, write.record().get());
        }
    }

    @Override
    public LedgerPage ledger(AccountId id, int limit, Optional<String> afterTransactionId) {
        return db.read("read the ledger", tx -> {
            List<LedgerEntry> entries = afterTransactionId.isEmpty()
                    ? tx.query("SELECT " + Rows.ledgerColumns() + " FROM ledger WHERE account_id = ? "
                            + "ORDER BY transaction_id DESC LIMIT ?", Rows::ledgerEntry, id.value(), limit + 1)
                    : tx.query("SELECT " + Rows.ledgerColumns() + " FROM ledger WHERE account_id = ? AND transaction_id < ? "
                            + "ORDER BY transaction_id DESC LIMIT ?", Rows::ledgerEntry, id.value(), afterTransactionId.get(), limit + 1);
            boolean more = entries.size() > limit;
            List<LedgerEntry> page = more ? entries.subList(0, limit) : entries;
            return new LedgerPage(page, more ? Optional.of(page.getLast().transactionId()) : Optional.empty());
        });
    }

    /** The primary key's range up to the instant's last transaction id, newest first (issue 15, balances as of an instant). */
    @Override
    public LedgerPage ledgerAsOf(AccountId id, java.time.Instant asOf, int limit, Optional<String> afterTransactionId) {
        String last = com.tokenwallet.domain.ledger.LedgerWindow.lastTransactionIdAt(asOf);
        String below = afterTransactionId.filter(after -> after.compareTo(last) <= 0).orElse(null);
        return db.read("read the ledger up to an instant", tx -> {
            List<LedgerEntry> entries = below == null
                    ? tx.query("SELECT " + Rows.ledgerColumns() + " FROM ledger WHERE account_id = ? AND transaction_id <= ? "
                            + "ORDER BY transaction_id DESC LIMIT ?", Rows::ledgerEntry, id.value(), last, limit + 1)
                    : tx.query("SELECT " + Rows.ledgerColumns() + " FROM ledger WHERE account_id = ? AND transaction_id < ? "
                            + "ORDER BY transaction_id DESC LIMIT ?", Rows::ledgerEntry, id.value(), below, limit + 1);
            boolean more = entries.size() > limit;
            List<LedgerEntry> page = more ? entries.subList(0, limit) : entries;
            return new LedgerPage(page, more ? Optional.of(page.getLast().transactionId()) : Optional.empty());
        });
    }

    @Override
    public LedgerPage ledgerWindow(AccountId id, com.tokenwallet.domain.ledger.LedgerWindow window, int limit,
                                   Optional<String> afterTransactionId) {
        // The primary key (account_id, transaction_id) serves the range: the read costs what the window holds.
        String lowest = afterTransactionId.filter(after -> after.compareTo(window.firstTransactionId()) >= 0)
                .orElse(null);
        return db.read("read a ledger window", tx -> {
            List<LedgerEntry> entries = lowest == null
                    ? tx.query("SELECT " + Rows.ledgerColumns() + " FROM ledger WHERE account_id = ? AND transaction_id >= ? "
                            + "AND transaction_id <= ? ORDER BY transaction_id ASC LIMIT ?", Rows::ledgerEntry, id.value(),
                            window.firstTransactionId(), window.lastTransactionId(), limit + 1)
                    : tx.query("SELECT " + Rows.ledgerColumns() + " FROM ledger WHERE account_id = ? AND transaction_id > ? "
                            + "AND transaction_id <= ? ORDER BY transaction_id ASC LIMIT ?", Rows::ledgerEntry, id.value(),
                            lowest, window.lastTransactionId(), limit + 1);
            boolean more = entries.size() > limit;
            List<LedgerEntry> page = more ? entries.subList(0, limit) : entries;
            return new LedgerPage(page, more ? Optional.of(page.getLast().transactionId()) : Optional.empty());
        });
    }

    @Override
    public List<AccountId> accountsWithHoldsExpiredBy(Instant now, int shard, int limit) {
        return db.read("find expired holds", tx -> tx.query("SELECT account_id FROM accounts WHERE hold_shard = ? "
                        + "AND next_hold_expiry_epoch_s <= ? ORDER BY next_hold_expiry_epoch_s, account_id LIMIT ?",
                r -> AccountId.of(r.getString(1)), shard, now.getEpochSecond(), limit));
    }

    @Override
    public int shards() {
        return Rows.HOLD_SHARDS;
    }

    @Override
    public Optional<AccountId> accountByStripeCustomer(String customerId) {
        return db.read("find the account of a Stripe customer", tx -> tx.first(
                "SELECT account_id FROM accounts WHERE stripe_customer_id = ? ORDER BY account_id LIMIT 1",
                r -> AccountId.of(r.getString(1)), customerId));
    }

    @Override
    public Optional<AccountId> accountByPayment(String paymentId) {
        return db.read("find the account of a Stripe payment", tx -> tx.first(
                "SELECT account_id FROM purchases WHERE payment_id = ? ORDER BY account_id LIMIT 1",
                r -> AccountId.of(r.getString(1)), paymentId));
    }

    @Override
    public EventSnapshot readForEvent(AccountId id, String eventId, Optional<String> paymentId) {
        return db.read("read the account, the event and the purchase", tx -> new EventSnapshot(Rows.account(tx, id),
                Rows.eventApplied(tx, id, eventId), paymentId.isEmpty() ? Optional.empty() : Rows.purchase(tx, id, paymentId.get())));
    }

    @Override
    public Optional<HoldRecord> findHold(AccountId id, String holdId) {
        return db.read("read the hold", tx -> Rows.hold(tx, id, holdId));
    }

    @Override
    public RefundContext readRefund(AccountId id, String transactionId) {
        return db.read("read the transaction and its refunds", tx -> new RefundContext(
                tx.first("SELECT " + Rows.ledgerColumns() + " FROM ledger WHERE account_id = ? AND transaction_id = ?",
                        Rows::ledgerEntry, id.value(), transactionId),
                Rows.tally(tx, id, transactionId).orElse(RefundTally.none(transactionId))));
    }

    // ---- AccountScan

    @Override
    public AccountScan.Page scan(int segment, int totalSegments, Optional<String> startAfter, int limit) {
        if (totalSegments < 1 || segment < 0 || segment >= totalSegments || limit < 1) {
            throw new IllegalArgumentException("segment " + segment + " of " + totalSegments + ", limit " + limit);
        }
        long[] range = Rows.segmentRange(segment, totalSegments);
        Optional<String[]> after = startAfter.map(SqliteWalletStore::position);
        // Accounts on calendar periods only, through their partial index (DynamoDB's sparse CalendarAccounts).
        return db.read("scan the accounts", tx -> {
            SqliteDatabase.RowReader<String[]> keyOf = r -> new String[]{Long.toString(r.getLong(1)), r.getString(2)};
            List<String[]> keys = after.isEmpty()
                    ? tx.query("SELECT scan_hash, account_id FROM accounts INDEXED BY accounts_on_calendar_periods "
                            + "WHERE calendar = 1 AND scan_hash >= ? AND scan_hash < ? "
                            + "ORDER BY scan_hash, account_id LIMIT ?", keyOf, range[0], range[1], limit)
                    : tx.query("SELECT scan_hash, account_id FROM accounts INDEXED BY accounts_on_calendar_periods "
                            + "WHERE calendar = 1 AND (scan_hash, account_id) > (?, ?) AND scan_hash < ? "
                            + "ORDER BY scan_hash, account_id LIMIT ?", keyOf, Long.parseLong(after.get()[0]), after.get()[1], range[1], limit);
            List<Account> accounts = new ArrayList<>();
            for (String[] key : keys) {
                Rows.account(tx, AccountId.of(key[1])).ifPresent(accounts::add);
            }
            Optional<String> next = keys.size() < limit ? Optional.empty()
                    : Optional.of(keys.getLast()[0] + POSITION_SEPARATOR + keys.getLast()[1]);
            return new AccountScan.Page(accounts, next);
        });
    }

    /** The scan_hash and account id of a position this store returned. */
    private static String[] position(String position) {
        int at = position.indexOf(POSITION_SEPARATOR);
        try {
            if (at < 1) {
                throw new NumberFormatException();
            }
            Long.parseLong(position.substring(0, at));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a scan position of this store: " + position);
        }
        return new String[]{position.substring(0, at), position.substring(at + 1)};
    }

    @Override
    public List<Checkpoint> checkpoints(String job) {
        return checkpoints.all(job);
    }

    @Override
    public Optional<Checkpoint> claim(String job, int segment, int totalSegments, String owner, Instant leaseUntil, Instant now) {
        return checkpoints.claim(job, segment, totalSegments, owner, leaseUntil, now);
    }

    @Override
    public boolean save(String job, Checkpoint checkpoint, String owner, boolean release) {
        return checkpoints.save(job, checkpoint, owner, release);
    }
}
