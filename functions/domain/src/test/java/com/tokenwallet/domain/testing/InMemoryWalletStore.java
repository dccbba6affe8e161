package com.tokenwallet.domain.testing;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.PendingHold;
import com.tokenwallet.domain.hold.HoldRecord;
import com.tokenwallet.domain.hold.HoldStatus;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.IdempotencyRecord;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.ledger.RefundTally;
import com.tokenwallet.domain.ledger.TransactionIds;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.port.AccountAudit;
import com.tokenwallet.domain.port.AccountDirectory;
import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.domain.port.WalletStore;
import java.util.TreeMap;
import com.tokenwallet.domain.StoreUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import com.tokenwallet.domain.billing.PurchaseRecord;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link WalletStore} in memory that keeps the contract the DynamoDB adapter keeps: a write is all or nothing,
 * conditioned on the stored version (a mismatch answers {@code Stale} with the current account) and on the key
 * being unused or expired (a live record answers {@code KeyUsed}, checked first); keys are scoped to the account;
 * {@code create} writes only if no account has that id. Side writes follow DynamoDbWalletStore: a new hold record
 * only if none has its id, a hold resolved only while its record is pending, a refund tally only if the stored
 * one is still at the version the write was computed from (none stored counts as version 0). When several
 * conditions fail, the answer is chosen in the adapter's order: {@code KeyUsed}, then {@code TallyStale} (only
 * if the account's condition held), then {@code Stale}; any other failed condition is a
 * {@link StoreUnavailableException}, as the adapter's cancelled transaction is. Every call the service makes is
 * logged, so tests can count round trips; the "other writer" methods commit as another process would, without
 * being logged. It also implements the other store ports (the segmented scan with its checkpoints, the audit reads,
 * the e-mail directory), so that the store contract (com.tokenwallet.domain.contract) runs against it whole.
 */
public final class InMemoryWalletStore implements WalletStore, AccountScan, AccountDirectory, com.tokenwallet.domain.port.PaymentRecords {
    private final Clock clock;
    private final TransactionIds otherWriterIds;
    private final Map<AccountId, Account> accounts = new HashMap<>();
    private final Map<AccountId, List<LedgerEntry>> ledgers = new HashMap<>();
    private final Map<AccountId, Map<IdempotencyKey, IdempotencyRecord>> records = new HashMap<>();
    private final Set<String> transactionIds = new HashSet<>();
    private final Map<AccountId, Map<String, HoldRecord>> holdRecords = new HashMap<>();
    private final Map<AccountId, Map<String, RefundTally>> tallies = new HashMap<>();
    private final Map<AccountId, Set<String>> appliedEvents = new HashMap<>();
    private final Map<AccountId, Map<String, PurchaseRecord>> purchases = new HashMap<>();
    private final Map<AccountId, Map<String, com.tokenwallet.domain.billing.Offer>> offers = new HashMap<>();
    private final Map<AccountId, Map<String, com.tokenwallet.domain.billing.OwedPayment>> owed = new HashMap<>();
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
        if (openingEntries.stream().anyMatch(e -> transactionIds.contains(e.transactionId()))) {
            throw new StoreUnavailableException("in-memory store refused the account: an opening entry exists already; nothing was changed.");
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
        boolean accountStale = stored == null || stored.version() != write.before().version();
        boolean tallyStale = false;
        boolean eventApplied = false;
        boolean purchaseStale = false;
        List<String> otherFailures = new ArrayList<>();
        Map<String, HoldRecord> holdsOfAccount = holdRecords.getOrDefault(id, Map.of());
        for (LedgerEntry e : write.entries()) {
            if (transactionIds.contains(e.transactionId())) {
                otherFailures.add("ledger entry " + e.transactionId() + " exists already");
            }
        }
        for (SideWrite side : write.sides()) {
            switch (side) {
                case SideWrite.NewHold h -> {
                    if (holdsOfAccount.containsKey(h.hold().holdId())) {
                        otherFailures.add("hold " + h.hold().holdId() + " exists already");
                    }
                }
                case SideWrite.ResolveHold r -> {
                    HoldRecord record = holdsOfAccount.get(r.holdId());
                    if (record == null || record.status() != HoldStatus.PENDING) {
                        otherFailures.add("hold " + r.holdId() + " is not pending: " + record);
                    }
                }
                case SideWrite.Tally t -> {
                    RefundTally current = tallies.getOrDefault(id, Map.of()).get(t.before().transactionId());
                    long storedVersion = current == null ? 0 : current.version();
                    if (storedVersion != t.before().version()) {
                        tallyStale = true;
                    }
                }
                case SideWrite.EventApplied e -> eventApplied |= appliedEvents.getOrDefault(id, Set.of()).contains(e.eventId());
                case SideWrite.Purchase p -> {
                    PurchaseRecord current = purchases.getOrDefault(id, Map.of()).get(p.after().paymentId());
                    // Conditioned on the version, as the adapter's condition is.
                    purchaseStale |= !Objects.equals(Optional.ofNullable(current).map(PurchaseRecord::version),
                            p.before().map(PurchaseRecord::version));
                }
                case SideWrite.Owed o -> {
                    var current = owed.getOrDefault(id, Map.of()).get(o.after().paymentId());
                    purchaseStale |= !Objects.equals(Optional.ofNullable(current).map(com.tokenwallet.domain.billing.OwedPayment::version),
                            o.before().map(com.tokenwallet.domain.billing.OwedPayment::version));
                }
            }
        }
        if (eventApplied) {
            return new WriteResult.EventAlreadyApplied();
        }
        if (purchaseStale && !accountStale) {
            return new WriteResult.PurchaseStale();
        }
        if (tallyStale && !accountStale) {
            return new WriteResult.TallyStale();
        }
        if (accountStale) {
            return new WriteResult.Stale(Optional.ofNullable(stored));
        }
        if (!otherFailures.isEmpty()) {
            throw new StoreUnavailableException("in-memory store refused the write: " + otherFailures + "; nothing was changed.");
        }
        commit(write.after(), write.entries());
        for (SideWrite side : write.sides()) {
            switch (side) {
                case SideWrite.NewHold h -> holdRecords.computeIfAbsent(id, k -> new HashMap<>()).put(h.hold().holdId(), h.hold());
                case SideWrite.ResolveHold r -> {
                    Map<String, HoldRecord> records = holdRecords.get(id);
                    records.put(r.holdId(), records.get(r.holdId()).resolved(r.status(), r.captured(), r.transactionId(), r.at()));
                }
                case SideWrite.Tally t -> tallies.computeIfAbsent(id, k -> new HashMap<>()).put(t.after().transactionId(), t.after());
                case SideWrite.EventApplied e -> appliedEvents.computeIfAbsent(id, k -> new HashSet<>()).add(e.eventId());
                case SideWrite.Purchase p -> purchases.computeIfAbsent(id, k -> new HashMap<>()).put(p.after().paymentId(), p.after());
                case SideWrite.Owed o -> owed.computeIfAbsent(id, k -> new java.util.TreeMap<>()).put(o.after().paymentId(), o.after());
            }
        }
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

    @Override
    public synchronized LedgerPage ledgerWindow(AccountId id, com.tokenwallet.domain.ledger.LedgerWindow window, int limit,
                                                Optional<String> afterTransactionId) {
        calls.add("ledgerWindow");
        List<LedgerEntry> oldestFirst = ledgers.getOrDefault(id, List.of()).stream()
                .filter(e -> window.contains(e.transactionId()))
                .sorted(Comparator.comparing(LedgerEntry::transactionId))
                .filter(e -> afterTransactionId.isEmpty() || e.transactionId().compareTo(afterTransactionId.get()) > 0)
                .toList();
        List<LedgerEntry> page = oldestFirst.subList(0, Math.min(limit, oldestFirst.size()));
        boolean more = oldestFirst.size() > page.size();
        return new LedgerPage(page, more ? Optional.of(page.getLast().transactionId()) : Optional.empty());
    }

    @Override
    public synchronized LedgerPage ledgerAsOf(AccountId id, Instant asOf, int limit, Optional<String> afterTransactionId) {
        calls.add("ledgerAsOf");
        String last = com.tokenwallet.domain.ledger.LedgerWindow.lastTransactionIdAt(asOf);
        List<LedgerEntry> newestFirst = ledgers.getOrDefault(id, List.of()).stream()
                .filter(e -> e.transactionId().compareTo(last) <= 0)
                .sorted(Comparator.comparing(LedgerEntry::transactionId).reversed())
                .filter(e -> afterTransactionId.isEmpty() || e.transactionId().compareTo(afterTransactionId.get()) < 0)
                .toList();
        List<LedgerEntry> page = newestFirst.subList(0, Math.min(limit, newestFirst.size()));
        boolean more = newestFirst.size() > page.size();
        return new LedgerPage(page, more ? Optional.of(page.getLast().transactionId()) : Optional.empty());
    }

    @Override
    public synchronized List<AccountId> accountsWithHoldsExpiredBy(Instant now, int shard, int limit) {
        calls.add("accountsWithHoldsExpiredBy");
        // As the PendingHolds index: accounts with a pending hold or an expiring lot, by shard, whose earliest expiry is due.
        return accounts.values().stream()
                .filter(a -> a.nextExpiry().isPresent() && shardOf(a.id()) == shard)
                .filter(a -> nextHoldExpiry(a) <= now.getEpochSecond())
                .sorted(Comparator.comparingLong(InMemoryWalletStore::nextHoldExpiry))
                .limit(limit)
                .map(Account::id)
                .toList();
    }

    @Override
    public synchronized EventSnapshot readForEvent(AccountId id, String eventId, Optional<String> paymentId) {
        calls.add("readForEvent");
        return new EventSnapshot(Optional.ofNullable(accounts.get(id)), appliedEvents.getOrDefault(id, Set.of()).contains(eventId),
                paymentId.map(p -> purchases.getOrDefault(id, Map.of()).get(p)));
    }

    @Override
    public synchronized Optional<AccountId> accountByPayment(String paymentId) {
        calls.add("accountByPayment");
        return purchases.entrySet().stream().filter(e -> e.getValue().containsKey(paymentId)).map(Map.Entry::getKey).findFirst();
    }

    @Override
    public synchronized Optional<AccountId> accountByStripeCustomer(String customerId) {
        calls.add("accountByStripeCustomer");
        return accounts.values().stream().filter(a -> customerId.equals(a.billing().stripeCustomerId())).map(Account::id).findFirst();
    }

    @Override
    public int shards() {
        return SHARDS;
    }

    @Override
    public synchronized Optional<HoldRecord> findHold(AccountId id, String holdId) {
        calls.add("findHold");
        return Optional.ofNullable(holdRecords.getOrDefault(id, Map.of()).get(holdId));
    }

    @Override
    public synchronized RefundContext readRefund(AccountId id, String transactionId) {
        calls.add("readRefund");
        Optional<LedgerEntry> entry = ledgers.getOrDefault(id, List.of()).stream()
                .filter(e -> e.transactionId().equals(transactionId)).findFirst();
        RefundTally tally = tallies.getOrDefault(id, Map.of()).getOrDefault(transactionId, RefundTally.none(transactionId));
        return new RefundContext(entry, tally);
    }

    // ---- AccountScan: segments by a hash of the id, positions are account ids

    private final Map<String, Map<Integer, CheckpointState>> jobs = new HashMap<>();

    private record CheckpointState(Checkpoint checkpoint, String owner, Instant leaseUntil) {
    }

    @Override
    public synchronized Page scan(int segment, int totalSegments, Optional<String> startAfter, int limit) {
        List<Account> page = accounts.values().stream()
                .filter(a -> !a.billing().onSubscription())
                .filter(a -> Math.floorMod(a.id().value().hashCode() * 31 + 7, totalSegments) == segment)
                .filter(a -> startAfter.isEmpty() || a.id().value().compareTo(startAfter.get()) > 0)
                .sorted(Comparator.comparing(a -> a.id().value()))
                .limit(limit)
                .toList();
        return new Page(page, page.size() < limit ? Optional.empty() : Optional.of(page.getLast().id().value()));
    }

    @Override
    public synchronized List<Checkpoint> checkpoints(String job) {
        return jobs.getOrDefault(job, Map.of()).values().stream().map(CheckpointState::checkpoint)
                .sorted(Comparator.comparingInt(Checkpoint::segment)).toList();
    }

    @Override
    public synchronized Optional<Checkpoint> claim(String job, int segment, int totalSegments, String owner, Instant leaseUntil, Instant now) {
        Map<Integer, CheckpointState> segments = jobs.computeIfAbsent(job, j -> new TreeMap<>());
        CheckpointState state = segments.get(segment);
        if (state != null && state.owner() != null && !state.owner().equals(owner) && !state.leaseUntil().isBefore(now)) {
            return Optional.empty();
        }
        Checkpoint checkpoint = state == null ? Checkpoint.start(segment, totalSegments) : state.checkpoint();
        segments.put(segment, new CheckpointState(checkpoint, owner, leaseUntil));
        return Optional.of(checkpoint);
    }

    @Override
    public synchronized boolean save(String job, Checkpoint checkpoint, String owner, boolean release) {
        CheckpointState state = jobs.getOrDefault(job, Map.of()).get(checkpoint.segment());
        if (state == null || !owner.equals(state.owner())) {
            return false;
        }
        jobs.get(job).put(checkpoint.segment(), new CheckpointState(checkpoint, release ? null : owner, release ? null : state.leaseUntil()));
        return true;
    }

    // ---- AccountAudit (a view: its account(id) would clash with the test helper below) and AccountDirectory

    /** The health report's reads on this store: accounts in id order, positions are account ids. */
    public AccountAudit audit() {
        return audit;
    }

    private final AccountAudit audit = new AccountAudit() {
        @Override
        public Page accounts(Optional<String> after, int maxItems) {
            synchronized (InMemoryWalletStore.this) {
                if (after.isPresent() && !AccountId.isValid(after.get())) {
                    throw new InvalidRequestException("cursor", "'cursor' is not a cursor this API returned.");
                }
                List<Account> page = accounts.values().stream()
                        .filter(a -> after.isEmpty() || a.id().value().compareTo(after.get()) > 0)
                        .sorted(Comparator.comparing(a -> a.id().value()))
                        .limit(maxItems)
                        .toList();
                return new Page(page.stream().map(InMemoryWalletStore::stored).toList(), page.size(),
                        page.size() < maxItems ? Optional.empty() : Optional.of(page.getLast().id().value()));
            }
        }

        @Override
        public Optional<StoredAccount> account(AccountId id) {
            synchronized (InMemoryWalletStore.this) {
                return Optional.ofNullable(accounts.get(id)).map(InMemoryWalletStore::stored);
            }
        }

        @Override
        public LedgerTotals ledgerTotals(AccountId id, int maxEntries) {
            synchronized (InMemoryWalletStore.this) {
                Map<String, Parts> sums = new HashMap<>();
                long read = 0;
                for (LedgerEntry e : ledgers.getOrDefault(id, List.of())) {
                    read++;
                    if (read > maxEntries) {
                        return new LedgerTotals(sums, read, false);
                    }
                    sums.merge(e.bucket(), new Parts(e.allowanceDelta(), e.purchasedDelta(), e.heldDelta()),
                            (x, y) -> x.plus(y.allowance(), y.purchased(), y.held()));
                }
                return new LedgerTotals(sums, read, true);
            }
        }
    };

    private static AccountAudit.StoredAccount stored(Account a) {
        Map<String, AccountAudit.Parts> buckets = new HashMap<>();
        a.buckets().forEach((name, b) -> buckets.put(name, new AccountAudit.Parts(b.allowance(), b.purchased(), b.held(), b.creditLimit(),
                b.lots().stream().mapToLong(com.tokenwallet.domain.account.Lot::remaining).sum(),
                (int) b.lots().stream().filter(l -> l.remaining() < 0).count())));
        return new AccountAudit.StoredAccount(a.id(), a.id().value(), a.version(), buckets,
                a.holds().values().stream().map(h -> new AccountAudit.StoredHold(h.holdId(), h.bucket(), h.amount(), h.expiresAt())).toList(),
                Optional.empty());
    }

    @Override
    public synchronized List<AccountId> accountsByEmail(String normalizedEmail, int limit) {
        return accounts.values().stream()
                .filter(a -> a.email() != null && AccountDirectory.normalize(a.email()).equals(normalizedEmail))
                .map(Account::id).sorted(Comparator.comparing(AccountId::value)).limit(limit).toList();
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

    /** A hold's record as stored, whatever its status. */
    public synchronized Optional<HoldRecord> holdRecord(AccountId id, String holdId) {
        return Optional.ofNullable(holdRecords.getOrDefault(id, Map.of()).get(holdId));
    }

    /** Every hold record of the account. */
    public synchronized List<HoldRecord> holdRecords(AccountId id) {
        return List.copyOf(holdRecords.getOrDefault(id, Map.of()).values());
    }

    /** The stored refund tally of a transaction, if any refund was written. */
    public synchronized Optional<RefundTally> tally(AccountId id, String transactionId) {
        return Optional.ofNullable(tallies.getOrDefault(id, Map.of()).get(transactionId));
    }

    /**
     * What must hold of held tokens: each bucket's {@code held} is the sum of the account's pending holds (the
     * Account constructor enforces this), the ledger's {@code heldDelta}s sum to it, and the hold records with
     * status pending are exactly the account's pending holds. Returns what disagrees (empty when all agree).
     */
    public synchronized List<String> heldDisagreements(AccountId id) {
        Account account = account(id);
        List<String> out = new ArrayList<>();
        Map<String, Long> heldSums = new HashMap<>();
        for (LedgerEntry e : entries(id)) {
            heldSums.merge(e.bucket(), e.heldDelta(), Long::sum);
        }
        Set<String> buckets = new HashSet<>(account.buckets().keySet());
        buckets.addAll(heldSums.keySet());
        for (String bucket : buckets) {
            long ledgerHeld = heldSums.getOrDefault(bucket, 0L);
            if (ledgerHeld != account.bucket(bucket).held()) {
                out.add(bucket + ": ledger heldDelta sum " + ledgerHeld + " vs held " + account.bucket(bucket).held());
            }
        }
        Set<String> pendingRecords = new HashSet<>();
        holdRecords.getOrDefault(id, Map.of()).values().stream()
                .filter(h -> h.status() == HoldStatus.PENDING).forEach(h -> pendingRecords.add(h.holdId()));
        if (!pendingRecords.equals(account.holds().keySet())) {
            out.add("pending hold records " + pendingRecords + " vs account holds " + account.holds().keySet());
        }
        for (PendingHold h : account.holds().values()) {
            HoldRecord r = holdRecords.getOrDefault(id, Map.of()).get(h.holdId());
            if (r != null && (r.amount() != h.amount() || !r.bucket().equals(h.bucket()) || !r.expiresAt().equals(h.expiresAt()))) {
                out.add("hold " + h.holdId() + ": record " + r + " vs pending " + h);
            }
        }
        return out;
    }

    /**
     * The invariant of SPEC section 1: for every bucket, the ledger's allowance deltas sum to the allowance and its
     * purchased deltas to the purchased part; and (issue 15) every entry's recorded parts after it are the running
     * sums of its bucket's entries up to it. Returns what disagrees (empty when all agree).
     */
    public synchronized List<String> ledgerDisagreements(AccountId id) {
        Account account = account(id);
        Map<String, long[]> sums = new HashMap<>();
        Map<String, com.tokenwallet.domain.ledger.BalanceAfter> running = new HashMap<>();
        List<String> disagreements = new ArrayList<>();
        // In the order written: what each entry records is the state its write left (two test writers with one frozen
        // clock make ids of one millisecond whose order is random; real writes to one account are a round trip apart).
        for (LedgerEntry e : entries(id)) {
            long[] s = sums.computeIfAbsent(e.bucket(), b -> new long[2]);
            s[0] += e.allowanceDelta();
            s[1] += e.purchasedDelta();
            running.put(e.bucket(), running.getOrDefault(e.bucket(), com.tokenwallet.domain.ledger.BalanceAfter.ZERO).plus(e));
            if (e.balancesAfter() != null) {
                Set<String> named = new HashSet<>(e.balancesAfter().keySet());
                named.addAll(running.keySet());
                for (String b : named) {
                    var recorded = e.balancesAfter().getOrDefault(b, com.tokenwallet.domain.ledger.BalanceAfter.ZERO);
                    var summed = running.getOrDefault(b, com.tokenwallet.domain.ledger.BalanceAfter.ZERO);
                    if (!recorded.equals(summed)) {
                        disagreements.add(e.transactionId() + " (" + e.type().wireName() + ", " + e.bucket() + "): records "
                                + b + " " + recorded + " after it, the ledger sums to " + summed);
                    }
                }
            }
        }
        Set<String> buckets = new HashSet<>(account.buckets().keySet());
        buckets.addAll(sums.keySet());
        for (String bucket : buckets) {
            BucketBalance balance = account.bucket(bucket);
            long[] s = sums.getOrDefault(bucket, new long[2]);
            if (s[0] != balance.allowance() || s[1] != balance.purchased()) {
                disagreements.add(bucket + ": ledger " + s[0] + "/" + s[1] + " vs balance " + balance);
            }
            // Issue 15: ledger sum = balance = lots - debt, balance >= -creditLimit, no lot negative, holds within credit.
            String breach = stored(account).buckets().getOrDefault(bucket, AccountAudit.Parts.ZERO).creditBreach();
            if (breach != null) {
                disagreements.add(bucket + ": " + breach);
            }
        }
        return disagreements;
    }

    // ---- inside

    /** As the DynamoDB adapter's {@code holdShard} and its 16 shards. */
    private static final int SHARDS = 16;

    private static int shardOf(AccountId id) {
        return Math.floorMod(id.value().hashCode(), SHARDS);
    }

    private static long nextHoldExpiry(Account account) {
        return account.nextExpiry().map(Instant::getEpochSecond).orElse(Long.MAX_VALUE);
    }

    private Optional<IdempotencyRecord> liveRecord(AccountId id, IdempotencyKey key) {
        IdempotencyRecord record = records.getOrDefault(id, Map.of()).get(key);
        // An expired record no longer holds its key, as with DynamoDB's condition "expiresAt < now" (epoch seconds).
        return record == null || record.expiresAt().getEpochSecond() < clock.instant().getEpochSecond()
                ? Optional.empty() : Optional.of(record);
    }

    private void commit(Account after, List<LedgerEntry> entries) {
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).transactionId().compareTo(entries.get(i - 1).transactionId()) < 0) {
                // What ?asOf= relies on: the newest entry of a write by id is its last, whose parts are the write's result.
                throw new IllegalStateException("the entries of one write must be in transaction id order: " + entries);
            }
        }
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

    // ---- PaymentRecords

    @Override
    public synchronized com.tokenwallet.domain.billing.Offer putOffer(com.tokenwallet.domain.billing.Offer offer) {
        calls.add("putOffer");
        return offers.computeIfAbsent(offer.account(), k -> new HashMap<>()).computeIfAbsent(offer.offerId(), k -> offer);
    }

    @Override
    public synchronized Optional<com.tokenwallet.domain.billing.Offer> findOffer(AccountId account, String offerId) {
        calls.add("findOffer");
        return Optional.ofNullable(offers.getOrDefault(account, Map.of()).get(offerId));
    }

    @Override
    public synchronized List<com.tokenwallet.domain.billing.OwedPayment> owedPayments(AccountId account, int limit) {
        calls.add("owedPayments");
        return owed.getOrDefault(account, Map.of()).values().stream()
                .sorted(Comparator.comparing(com.tokenwallet.domain.billing.OwedPayment::paymentId))
                .limit(limit).toList();
    }

    @Override
    public synchronized Optional<com.tokenwallet.domain.billing.OwedPayment> findOwedPayment(AccountId account, String paymentId) {
        calls.add("findOwedPayment");
        return Optional.ofNullable(owed.getOrDefault(account, Map.of()).get(paymentId));
    }
}
