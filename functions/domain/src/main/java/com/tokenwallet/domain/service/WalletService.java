package com.tokenwallet.domain.service;

import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.IdempotencyKeyReusedException;
import com.tokenwallet.domain.InsufficientTokensException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.catalog.Charge;
import com.tokenwallet.domain.catalog.Plan;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.command.DebitCommand;
import com.tokenwallet.domain.command.QuoteCommand;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyRecord;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.ledger.TransactionIds;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.port.WalletStore.WriteResult;
import com.tokenwallet.domain.service.Results.Answer;
import com.tokenwallet.domain.service.Results.DebitReceipt;
import com.tokenwallet.domain.service.Results.Opened;
import com.tokenwallet.domain.service.Results.Quote;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The wallet's use cases. Each one computes the next state of an account with the rules of the domain and
 * hands it to the store as one conditional write; when the account changed underneath, the store answers with
 * its fresh state and the rule runs again on that, a bounded number of times.
 */
public final class WalletService {

    /**
     * How often a write may find its account changed before the request gives up with 503. Each stale answer
     * means another write to the same account committed, so a request only exhausts this under a burst of more
     * than this many concurrent writes to one account.
     */
    static final int MAX_WRITE_ATTEMPTS = 64;

    private final WalletStore store;
    private final Catalog catalog;
    private final Clock clock;
    private final TransactionIds ids;
    private final AccountSnapshots snapshots;
    private final RecentRecords recent = new RecentRecords(2_000);

    public WalletService(WalletStore store, Catalog catalog, Clock clock) {
        this(store, catalog, clock, new AccountSnapshots(10_000));
    }

    public WalletService(WalletStore store, Catalog catalog, Clock clock, AccountSnapshots snapshots) {
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
        this.ids = new TransactionIds(clock);
        this.snapshots = snapshots;
    }

    public Catalog catalog() {
        return catalog;
    }

    /** Opens the account with the signup grant exactly once; later calls return it unchanged. */
    public Opened open(CreateAccountCommand command) {
        Instant now = clock.instant();
        Plan plan = catalog.planOrDefault(catalog.defaultPlan());
        Map<String, BucketBalance> buckets = new LinkedHashMap<>();
        List<LedgerEntry> opening = new ArrayList<>();
        for (String bucket : catalog.buckets()) {
            long allowance = plan.allowanceFor(bucket);
            buckets.put(bucket, new BucketBalance(allowance, 0, 0));
            if (allowance > 0) {
                opening.add(entry(command.accountId(), EntryType.PLAN_RESET, bucket, allowance, 0, null, "plan " + plan.id(), now));
            }
        }
        if (catalog.signupGrantTokens() > 0) {
            String bucket = catalog.signupGrantBucket();
            buckets.put(bucket, buckets.get(bucket).plusPurchased(catalog.signupGrantTokens()));
            opening.add(entry(command.accountId(), EntryType.SIGNUP_GRANT, bucket, 0, catalog.signupGrantTokens(), null, "signup grant", now));
        }
        Account account = new Account(command.accountId(), command.email().orElse(null), plan.id(),
                Period.calendarMonthOf(now), buckets, now, 1);
        return switch (store.create(account, opening)) {
            case WalletStore.CreateResult.Created created -> {
                snapshots.remember(created.account());
                yield new Opened(created.account(), true);
            }
            case WalletStore.CreateResult.AlreadyExists existing -> {
                snapshots.remember(existing.account());
                yield new Opened(existing.account(), false);
            }
        };
    }

    /** The account as it stands now: one whose period has ended is shown rolled over (the next write stores that). */
    public Account balance(AccountId id) {
        Account stored = store.findAccount(id).orElseThrow(() -> new AccountNotFoundException(id));
        return rollOver(stored, clock.instant()).account();
    }

    public Quote quote(QuoteCommand command) {
        Charge charge = command.charge().price(catalog);
        long available = balance(command.accountId()).bucket(charge.bucket()).available();
        return new Quote(charge.operation(), charge.bucket(), charge.amountTokens(), available, available >= charge.amountTokens());
    }

    public LedgerPage transactions(AccountId id, int limit, Optional<String> afterTransactionId) {
        if (limit < 1 || limit > Limits.MAX_PAGE_SIZE) {
            throw new InvalidRequestException("limit", "'limit' must be a whole number from 1 to " + Limits.MAX_PAGE_SIZE + ".");
        }
        LedgerPage page = store.ledger(id, limit, afterTransactionId);
        if (page.entries().isEmpty() && afterTransactionId.isEmpty() && store.findAccount(id).isEmpty()) {
            throw new AccountNotFoundException(id);
        }
        return page;
    }

    /**
     * Debits the account once per Idempotency-Key. {@code render} turns the receipt into the response that is
     * stored with the debit, in the same write, and answered again on every replay.
     */
    public Answer debit(DebitCommand command, Function<DebitReceipt, StoredResponse> render) {
        Charge charge = command.charge().price(catalog);
        AccountId id = command.accountId();
        Idempotency idempotency = command.idempotency();
        Optional<IdempotencyRecord> known = recent.get(id, idempotency.key(), clock.instant());
        if (known.isPresent()) {
            return replay(known.get(), idempotency);
        }

        // A snapshot this process already has spares the read; without one, read the account and the key together.
        Account current = snapshots.get(id).orElse(null);
        boolean fresh = false;
        for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Rollover rolled = current == null ? null : rollOver(current, now);
            // Never refuse on a guess: only a state read together with the key decides a 402.
            if (current == null || (!fresh && rolled.account().bucket(charge.bucket()).available() < charge.amountTokens())) {
                FreshRead read = readFresh(id, idempotency);
                if (read.replay() != null) {
                    return read.replay();
                }
                current = read.account();
                rolled = rollOver(current, now);
                fresh = true;
            }
            Account.Debit debit = rolled.account().debit(charge.bucket(), charge.amountTokens());
            LedgerEntry entry = new LedgerEntry(ids.next(), id, EntryType.DEBIT, charge.bucket(), -charge.amountTokens(),
                    -debit.split().fromAllowance(), -debit.split().fromPurchased(), charge.operation(), null,
                    charge.description(), command.metadata().json(), now);
            List<LedgerEntry> entries = new ArrayList<>(rolled.entries());
            entries.add(entry);
            StoredResponse response = render.apply(new DebitReceipt(entry, debit.after().bucket(charge.bucket()).available()));
            IdempotencyRecord record = new IdempotencyRecord(idempotency.key(), idempotency.fingerprint(), response, now,
                    now.plusSeconds(Limits.IDEMPOTENCY_RETENTION_SECONDS));
            WriteResult result = store.write(new WalletStore.AccountWrite(current, debit.after(), entries, Optional.of(record)));
            switch (result) {
                case WriteResult.Applied applied -> {
                    snapshots.remember(applied.after());
                    recent.remember(id, record);
                    return new Answer(response, false);
                }
                case WriteResult.KeyUsed used -> {
                    recent.remember(id, used.record());
                    return replay(used.record(), idempotency);
                }
                case WriteResult.Stale stale -> {
                    if (stale.current().isEmpty()) {
                        snapshots.forget(id);
                        throw new AccountNotFoundException(id);
                    }
                    current = stale.current().get();
                    snapshots.remember(current);
                    fresh = false;
                }
            }
        }
        throw new StoreUnavailableException("The account kept changing under " + MAX_WRITE_ATTEMPTS
                + " attempts; nothing was charged. Retry with the same Idempotency-Key.");
    }

    private FreshRead readFresh(AccountId id, Idempotency idempotency) {
        WalletStore.Snapshot snapshot = store.readForWrite(id, Optional.of(idempotency.key()));
        if (snapshot.record().isPresent()) {
            recent.remember(id, snapshot.record().get());
            return new FreshRead(null, replay(snapshot.record().get(), idempotency));
        }
        Account account = snapshot.account().orElseThrow(() -> {
            snapshots.forget(id);
            return new AccountNotFoundException(id);
        });
        snapshots.remember(account);
        return new FreshRead(account, null);
    }

    /**
     * SPEC 4: an account whose calendar period has ended moves to the period containing {@code now}, its
     * allowance replaced by its plan's, with one {@code plan_reset} entry per bucket whose allowance changes. The
     * monthly job does the same for accounts nobody touches; whichever writes first wins (the write is
     * conditioned on the version), so it happens once. An allowance never drops below what holds need.
     */
    Rollover rollOver(Account account, Instant now) {
        if (now.isBefore(account.period().endsAt())) {
            return new Rollover(account, List.of());
        }
        Plan plan = catalog.planOrDefault(account.plan());
        Period next = Period.calendarMonthOf(now);
        Account rolled = account.withPeriod(next);
        List<LedgerEntry> entries = new ArrayList<>();
        java.util.Set<String> buckets = new java.util.LinkedHashSet<>(catalog.buckets());
        buckets.addAll(account.buckets().keySet());
        for (String bucket : buckets) {
            BucketBalance balance = account.bucket(bucket);
            long allowance = Math.max(plan.allowanceFor(bucket), balance.held() - balance.purchased());
            if (allowance != balance.allowance()) {
                rolled = rolled.withBucket(bucket, balance.withAllowance(allowance));
                entries.add(entry(account.id(), EntryType.PLAN_RESET, bucket, allowance - balance.allowance(), 0, null,
                        "period " + next.id() + ", plan " + plan.id(), now));
            }
        }
        return new Rollover(rolled, entries);
    }

    /** An account moved to the current period, and the ledger entries of the move (none if it was current). */
    record Rollover(Account account, List<LedgerEntry> entries) {
    }

    /** Either the account read together with the key, or the stored answer of the key's earlier use. */
    private record FreshRead(Account account, Answer replay) {
    }

    private static Answer replay(IdempotencyRecord record, Idempotency idempotency) {
        if (!record.fingerprint().equals(idempotency.fingerprint())) {
            throw new IdempotencyKeyReusedException();
        }
        return new Answer(record.response(), true);
    }

    private LedgerEntry entry(AccountId id, EntryType type, String bucket, long allowanceDelta, long purchasedDelta,
                              String operation, String description, Instant now) {
        return new LedgerEntry(ids.next(), id, type, bucket, allowanceDelta + purchasedDelta, allowanceDelta,
                purchasedDelta, operation, null, description, null, now);
    }
}
