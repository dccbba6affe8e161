package com.tokenwallet.domain.testing;

import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.hold.HoldRecord;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.domain.port.WalletStore;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A store (any engine) whose next writes fail the ways a real store's can, at the port: the write commits and its
 * answer is lost, it fails before reaching the store, the store throttles it, or it meets a conflict that makes it
 * stale. Faults are queued and used up one per {@link #write} (a {@link #create} uses up all but
 * {@link Fault#STALE_CONFLICT}, which has no meaning for it); with none queued every call goes straight through.
 * Reads and the scan are never faulted. Every call through the port is counted by method ({@link #calls()}), so a
 * test can say how many round trips a request made to the store, whatever the engine.
 */
public final class FaultInjectingWalletStore implements WalletStore, AccountScan {

    public enum Fault {
        /** The write reaches the store and commits, but its answer is lost: StoreUnavailableException after the commit. */
        COMMIT_THEN_LOSE_ANSWER,
        /** The write fails before it reaches the store (a timeout, a dropped connection): nothing written. */
        FAIL_BEFORE_COMMIT,
        /** The store refuses the write for now (DynamoDB's throttling, SQLite's busy writer): nothing written. */
        THROTTLED,
        /**
         * Another writer got there first: the write is answered Stale with the account as stored, nothing written
         * (the service computes it again on that state; bounded by WalletService.MAX_WRITE_ATTEMPTS).
         */
        STALE_CONFLICT
    }

    private final WalletStore store;
    private final AccountScan scan;
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final AtomicInteger writeCalls = new AtomicInteger();
    private final AtomicInteger committed = new AtomicInteger();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

    /** Faults for {@code store}, which must also be the engine's {@link AccountScan}. */
    public <S extends WalletStore & AccountScan> FaultInjectingWalletStore(S store) {
        this.store = store;
        this.scan = store;
    }

    public synchronized FaultInjectingWalletStore failNextWrites(Fault fault, int times) {
        for (int i = 0; i < times; i++) {
            faults.add(fault);
        }
        return this;
    }

    /** Drops the faults not yet injected (a burst that ends). */
    public synchronized void clearFaults() {
        faults.clear();
    }

    public synchronized int pendingFaults() {
        return faults.size();
    }

    /** Writes (write and create calls) made, faulted or not. */
    public int writeCalls() {
        return writeCalls.get();
    }

    /** Writes that reached the store and were answered there (applied or refused by a condition). */
    public int committedWrites() {
        return committed.get();
    }

    /** The calls made through the port since the last {@link #resetCalls()}, by method name (only those made). */
    public Map<String, Long> calls() {
        Map<String, Long> made = new TreeMap<>();
        calls.forEach((method, count) -> {
            if (count.get() > 0) {
                made.put(method, count.get());
            }
        });
        return made;
    }

    public void resetCalls() {
        calls.clear();
    }

    private void count(String method) {
        calls.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
    }

    /** The store behind the faults. */
    public WalletStore delegate() {
        return store;
    }

    private synchronized Fault nextFault(boolean staleApplies) {
        Fault next = faults.peek();
        if (next == null || (next == Fault.STALE_CONFLICT && !staleApplies)) {
            return null;
        }
        return faults.poll();
    }

    @Override
    public WriteResult write(AccountWrite write) {
        count("write");
        writeCalls.incrementAndGet();
        Fault fault = nextFault(true);
        if (fault == null) {
            return reached(store.write(write));
        }
        return switch (fault) {
            case COMMIT_THEN_LOSE_ANSWER -> {
                reached(store.write(write));
                throw new StoreUnavailableException("(injected) the write was sent and its answer lost: whether it committed "
                        + "is unknown; retry with the same Idempotency-Key.");
            }
            case FAIL_BEFORE_COMMIT -> throw new StoreUnavailableException("(injected) the write timed out before reaching the store; "
                    + "nothing was written.");
            case THROTTLED -> throw new StoreUnavailableException("(injected) the store throttled the write; nothing was written.");
            case STALE_CONFLICT -> new WriteResult.Stale(store.findAccount(write.before().id()));
        };
    }

    @Override
    public CreateResult create(Account account, List<LedgerEntry> openingEntries) {
        count("create");
        writeCalls.incrementAndGet();
        Fault fault = nextFault(false);
        if (fault == null) {
            return reached(store.create(account, openingEntries));
        }
        switch (fault) {
            case COMMIT_THEN_LOSE_ANSWER -> {
                reached(store.create(account, openingEntries));
                throw new StoreUnavailableException("(injected) the account was sent and the answer lost; whether it was created is unknown.");
            }
            case FAIL_BEFORE_COMMIT -> throw new StoreUnavailableException("(injected) the create timed out before reaching the store.");
            case THROTTLED -> throw new StoreUnavailableException("(injected) the store throttled the create.");
            default -> throw new IllegalStateException("never polled for a create: " + fault);
        }
    }

    private <T> T reached(T answer) {
        committed.incrementAndGet();
        return answer;
    }

    // ---- everything else goes straight through

    @Override
    public Optional<Account> findAccount(AccountId id) {
        count("findAccount");
        return store.findAccount(id);
    }

    @Override
    public Snapshot readForWrite(AccountId id, Optional<IdempotencyKey> key) {
        count("readForWrite");
        return store.readForWrite(id, key);
    }

    @Override
    public LedgerPage ledger(AccountId id, int limit, Optional<String> afterTransactionId) {
        count("ledger");
        return store.ledger(id, limit, afterTransactionId);
    }

    @Override
    public LedgerPage ledgerWindow(AccountId id, com.tokenwallet.domain.ledger.LedgerWindow window, int limit,
                                   Optional<String> afterTransactionId) {
        count("ledgerWindow");
        return store.ledgerWindow(id, window, limit, afterTransactionId);
    }

    @Override
    public LedgerPage ledgerAsOf(AccountId id, Instant asOf, int limit, Optional<String> afterTransactionId) {
        count("ledgerAsOf");
        return store.ledgerAsOf(id, asOf, limit, afterTransactionId);
    }

    @Override
    public List<AccountId> accountsWithHoldsExpiredBy(Instant now, int shard, int limit) {
        count("accountsWithHoldsExpiredBy");
        return store.accountsWithHoldsExpiredBy(now, shard, limit);
    }

    @Override
    public int shards() {
        return store.shards();
    }

    @Override
    public Optional<AccountId> accountByStripeCustomer(String customerId) {
        count("accountByStripeCustomer");
        return store.accountByStripeCustomer(customerId);
    }

    @Override
    public Optional<AccountId> accountByPayment(String paymentId) {
        count("accountByPayment");
        return store.accountByPayment(paymentId);
    }

    @Override
    public EventSnapshot readForEvent(AccountId id, String eventId, Optional<String> paymentId) {
        count("readForEvent");
        return store.readForEvent(id, eventId, paymentId);
    }

    @Override
    public Optional<HoldRecord> findHold(AccountId id, String holdId) {
        count("findHold");
        return store.findHold(id, holdId);
    }

    @Override
    public RefundContext readRefund(AccountId id, String transactionId) {
        count("readRefund");
        return store.readRefund(id, transactionId);
    }

    @Override
    public Page scan(int segment, int totalSegments, Optional<String> startAfter, int limit) {
        count("scan");
        return scan.scan(segment, totalSegments, startAfter, limit);
    }

    @Override
    public List<Checkpoint> checkpoints(String job) {
        count("checkpoints");
        return scan.checkpoints(job);
    }

    @Override
    public Optional<Checkpoint> claim(String job, int segment, int totalSegments, String owner, Instant leaseUntil, Instant now) {
        count("claim");
        return scan.claim(job, segment, totalSegments, owner, leaseUntil, now);
    }

    @Override
    public boolean save(String job, Checkpoint checkpoint, String owner, boolean release) {
        count("save");
        return scan.save(job, checkpoint, owner, release);
    }
}
