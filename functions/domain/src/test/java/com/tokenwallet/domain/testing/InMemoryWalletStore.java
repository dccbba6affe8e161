package com.tokenwallet.domain.testing;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.IdempotencyRecord;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.ledger.TransactionIds;
import com.tokenwallet.domain.port.WalletStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link WalletStore} in memory that keeps the contract the DynamoDB adapter keeps: a write is all or nothing,
 * conditioned on the stored version (a mismatch answers {@code Stale} with the current account) and on the key
 * being unused or expired (a live record answers {@code KeyUsed}, checked first); keys are scoped to the account;
 * {@code create} writes only if no account has that id. Every call the service makes is logged, so tests can
 * count round trips; the "other writer" methods commit as another process would, without being logged.
 */
public final class InMemoryWalletStore implements WalletStore {
    private final Clock clock;
    private final TransactionIds otherWriterIds;
    private final Map<AccountId, Account> accounts = new HashMap<>();
    private final Map<AccountId, List<LedgerEntry>> ledgers = new HashMap<>();
    private final Map<AccountId, Map<IdempotencyKey, IdempotencyRecord>> records = new HashMap<>();
    private final Set<String> transactionIds = new HashSet<>();
    private final List<String> calls = new ArrayList<>();
    private Consumer<AccountWrite> beforeEachWrite = w -> { };

    public InMemoryWalletStore(Clock clock) {
        this.clock = clock;
        this.otherWriterIds = new TransactionIds(clock);
    }

    // ---- the port

    @Override
    public synchronized Optional<Account> findAccount(AccountId id) {
        calls.add("findAccount");
        return Optional.ofNullable(accounts.get(id));
    }

    @Override
    public synchronized Snapshot readForWrite(AccountId id, Optional<IdempotencyKey> key) {
        calls.add("readForWrite");
        return new Snapshot(Optional.ofNullable(accounts.get(id)), key.flatMap(k -> liveRecord(id, k)));
    }

    @Override
    public synchronized CreateResult create(Account account, List<LedgerEntry> openingEntries) {
        calls.add("create");
        Account existing = accounts.get(account.id());
        if (existing != null) {
            return new CreateResult.AlreadyExists(existing);
        }
        commit(account, openingEntries);
        return new CreateResult.Created(account);
    }

    @Override
    public synchronized WriteResult write(AccountWrite write) {
        calls.add("write");
        beforeEachWrite.accept(write);
        AccountId id = write.before().id();
        if (write.record().isPresent()) {
            Optional<IdempotencyRecord> used = liveRecord(id, write.record().get().key());
            if (used.isPresent()) {
                return new WriteResult.KeyUsed(used.get());
            }
        }
        Account stored = accounts.get(id);
        if (stored == null || stored.version() != write.before().version()) {
            return new WriteResult.Stale(Optional.ofNullable(stored));
        }
        commit(write.after(), write.entries());
        write.record().ifPresent(r -> records.computeIfAbsent(id, k -> new HashMap<>()).put(r.key(), r));
        return new WriteResult.Applied(write.after());
    }

    @Override
    public synchronized LedgerPage ledger(AccountId id, int limit, Optional<String> afterTransactionId) {
        calls.add("ledger");
        List<LedgerEntry> newestFirst = ledgers.getOrDefault(id, List.of()).stream()
                .sorted(Comparator.comparing(LedgerEntry::transactionId).reversed())
                .filter(e -> afterTransactionId.isEmpty() || e.transactionId().compareTo(afterTransactionId.get()) < 0)
                .toList();
        List<LedgerEntry> page = newestFirst.subList(0, Math.min(limit, newestFirst.size()));
        boolean more = newestFirst.size() > page.size();
        return new LedgerPage(page, more ? Optional.of(page.getLast().transactionId()) : Optional.empty());
    }

    // ---- what a test sees and does

    /** The calls the service made, in order, since the last {@link #clearCalls()}. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized void clearCalls() {
        calls.clear();
    }

    /** Runs before every write is judged: the place where another writer commits in between. */
    public synchronized void beforeEachWrite(Consumer<AccountWrite> hook) {
        this.beforeEachWrite = hook;
    }

    public synchronized Account account(AccountId id) {
        return Optional.ofNullable(accounts.get(id)).orElseThrow(() -> new AssertionError("no account " + id));
    }

    /** The account's ledger in the order the entries were written. */
    public synchronized List<LedgerEntry> entries(AccountId id) {
        return List.copyOf(ledgers.getOrDefault(id, List.of()));
    }

    public synchronized List<LedgerEntry> entries(AccountId id, EntryType type) {
        return entries(id).stream().filter(e -> e.type() == type).toList();
    }

    public synchronized Optional<IdempotencyRecord> record(AccountId id, IdempotencyKey key) {
        return Optional.ofNullable(records.getOrDefault(id, Map.of()).get(key));
    }

    /** Another process grants purchased tokens (an admin grant or a purchase), committed with its entry. */
    public synchronized Account grantAsOtherWriter(AccountId id, String bucket, long tokens) {
        Account before = account(id);
        Account after = before.withBucket(bucket, before.bucket(bucket).plusPurchased(tokens)).withVersion(before.version() + 1);
        commit(after, List.of(new LedgerEntry(otherWriterIds.next(), id, EntryType.GRANT, bucket, tokens, 0, tokens,
                null, null, "grant by another writer", null, clock.instant())));
        return after;
    }

    /** Another process debits the account, allowance first, committed with its entry. */
    public synchronized Account debitAsOtherWriter(AccountId id, String bucket, long tokens) {
        Account before = account(id);
        Account.Debit debit = before.debit(bucket, tokens);
        Account after = debit.after().withVersion(before.version() + 1);
        commit(after, List.of(new LedgerEntry(otherWriterIds.next(), id, EntryType.DEBIT, bucket, -tokens,
                -debit.split().fromAllowance(), -debit.split().fromPurchased(), null, null, "debit by another writer",
                null, clock.instant())));
        return after;
    }

    /**
     * The invariant of SPEC section 1: for every bucket, the ledger's allowance deltas sum to the allowance and its
     * purchased deltas to the purchased part. Returns the buckets that disagree (empty when all agree).
     */
    public synchronized List<String> ledgerDisagreements(AccountId id) {
        Account account = account(id);
        Map<String, long[]> sums = new HashMap<>();
        for (LedgerEntry e : entries(id)) {
            long[] s = sums.computeIfAbsent(e.bucket(), b -> new long[2]);
            s[0] += e.allowanceDelta();
            s[1] += e.purchasedDelta();
        }
        List<String> disagreements = new ArrayList<>();
        Set<String> buckets = new HashSet<>(account.buckets().keySet());
        buckets.addAll(sums.keySet());
        for (String bucket : buckets) {
            BucketBalance balance = account.bucket(bucket);
            long[] s = sums.getOrDefault(bucket, new long[2]);
            if (s[0] != balance.allowance() || s[1] != balance.purchased()) {
                disagreements.add(bucket + ": ledger " + s[0] + "/" + s[1] + " vs balance " + balance);
            }
        }
        return disagreements;
    }

    // ---- inside

    private Optional<IdempotencyRecord> liveRecord(AccountId id, IdempotencyKey key) {
        IdempotencyRecord record = records.getOrDefault(id, Map.of()).get(key);
        // An expired record no longer holds its key, as with DynamoDB's TTL condition.
        return record == null || record.expiresAt().isBefore(clock.instant()) ? Optional.empty() : Optional.of(record);
    }

    private void commit(Account after, List<LedgerEntry> entries) {
        for (LedgerEntry e : entries) {
            if (!e.accountId().equals(after.id())) {
                throw new IllegalStateException("entry " + e.transactionId() + " belongs to another account");
            }
            if (!transactionIds.add(e.transactionId())) {
                throw new IllegalStateException("duplicate transaction id " + e.transactionId());
            }
        }
        accounts.put(after.id(), after);
        ledgers.computeIfAbsent(after.id(), k -> new ArrayList<>()).addAll(entries);
    }
}
