package com.tokenwallet.domain.service;

import com.tokenwallet.domain.AccountBusyException;
import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.IdempotencyKeyReusedException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.ResourceNotFoundException;
import com.tokenwallet.domain.WalletException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Lot;
import com.tokenwallet.domain.account.PendingHold;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.catalog.Plan;
import com.tokenwallet.domain.hold.HoldRecord;
import com.tokenwallet.domain.hold.HoldStatus;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyRecord;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.TransactionIds;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import com.tokenwallet.domain.port.WalletStore.WriteResult;
import com.tokenwallet.domain.service.Results.Answer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one write loop of the wallet: read the account (or take this process's snapshot of it), make it current
 * ({@link #prepare}), apply the use case's rule, hand the result to the store as one conditional write, and on a
 * stale answer apply the rule again to the fresh state. Retries are bounded twice: by {@link #MAX_WRITE_ATTEMPTS}
 * and by the request's {@link Deadline}; a hot account that exhausts either is refused with
 * {@link AccountBusyException} (nothing written). Three flavours share it: keyed (Idempotency-Key, answered once),
 * unkeyed (job and admin work, safe to repeat) and Stripe events (applied once per event id).
 */
final class AccountWriter {

    /** How often a write may find its account changed before the request gives up (see WalletService). */
    static final int MAX_WRITE_ATTEMPTS = 64;

    final WalletStore store;
    final Catalog catalog;
    final Clock clock;
    final TransactionIds ids;
    final AccountSnapshots snapshots;
    private final RecentRecords recent = new RecentRecords(2_000);
    private final Supplier<Deadline> deadlines;

    AccountWriter(WalletStore store, Catalog catalog, Clock clock, AccountSnapshots snapshots, Supplier<Deadline> deadlines) {
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
        this.ids = new TransactionIds(clock);
        this.snapshots = snapshots;
        this.deadlines = deadlines;
    }

    /** What a keyed request does to the account as it stands (period current, expired holds released). */
    @FunctionalInterface
    interface Rule {
        Change apply(Account account, Instant now);
    }

    /** The account after the rule, its ledger entries and other items, and the response to store with them. */
    record Change(Account after, List<LedgerEntry> entries, List<SideWrite> sides, StoredResponse response) {
    }

    /** What a write without an Idempotency-Key makes of the stored account, or empty when there is nothing to write. */
    @FunctionalInterface
    interface Unkeyed {
        Optional<Prepared> apply(Account stored, Instant now, Prepared prepared);
    }

    /** An account made current, with the entries and side writes that make it so. */
    record Prepared(Account account, List<LedgerEntry> entries, List<SideWrite> sides) {
    }

    /** An account moved to the current period, and the ledger entries of the move (none if it was current). */
    record Rollover(Account account, List<LedgerEntry> entries) {
    }

    /** A rule found the hold it names not pending in the state it saw. */
    static final class HoldNotPending extends RuntimeException {
        HoldNotPending() {
            super(null, null, false, false);
        }
    }

    static PendingHold pendingHold(Account account, String holdId) {
        PendingHold hold = account.holds().get(holdId);
        if (hold == null) {
            throw new HoldNotPending();
        }
        return hold;
    }

    private static final Runnable NO_TALLY = () -> {
        throw new IllegalStateException("no refund tally in this write");
    };

    /** The request's deadline, asked once per write loop. */
    Deadline deadline() {
        return deadlines.get();
    }

    /** Whether another attempt may start: the bound not reached and the deadline not passed (the first always may). */
    static boolean mayAttempt(int attempt, Deadline deadline) {
        return attempt < MAX_WRITE_ATTEMPTS && (attempt == 0 || !deadline.passed());
    }

    static AccountBusyException busy(int attempts, String what) {
        return new AccountBusyException("The account kept changing under " + attempts + " attempts (bound "
                + MAX_WRITE_ATTEMPTS + " or the request's deadline); " + what);
    }

    Answer keyed(AccountId id, Idempotency idempotency, Rule rule) {
        return keyedWithTally(id, idempotency, rule, NO_TALLY);
    }

    /** A keyed rule on a hold: when the hold is not pending in a state read with the key, says why from its record. */
    Answer keyedOnHold(AccountId id, Idempotency idempotency, Rule rule, String holdId) {
        try {
            return keyedWithTally(id, idempotency, rule, NO_TALLY);
        } catch (HoldNotPending e) {
            // Seen on a state read together with the key: the hold ended, expired, or never was.
            HoldRecord record = store.findHold(id, holdId).orElseThrow(() -> ResourceNotFoundException.hold(holdId));
            if (record.status() == HoldStatus.EXPIRED || record.status() == HoldStatus.PENDING) {
                throw new ConflictException("hold_expired", "Hold " + holdId + " expired at " + record.expiresAt()
                        + "; its tokens are available again.");
            }
            throw new ConflictException("hold_already_resolved", "Hold " + holdId + " was already "
                    + record.status().wireName() + " at " + record.resolvedAt() + ".");
        }
    }

    /**
     * Applies a rule to an account at most once per Idempotency-Key, as one conditional write. The state the rule
     * sees is this process's snapshot when it has one (one round trip), else the account read together with the
     * key. A refusal is only ever decided on a state read together with the key, never on a snapshot; a write
     * that finds the account changed runs the rule again on the state it returns, within the bounds.
     */
    Answer keyedWithTally(AccountId id, Idempotency idempotency, Rule rule, Runnable rereadTally) {
        Optional<IdempotencyRecord> known = recent.get(id, idempotency.key(), clock.instant());
        if (known.isPresent()) {
            return replay(known.get(), idempotency);
        }
        Deadline deadline = deadline();
        Account current = snapshots.get(id).orElse(null);
        boolean fresh = false;
        int attempt = 0;
        for (; mayAttempt(attempt, deadline); attempt++) {
            Instant now = clock.instant();
            if (current == null) {
                FreshRead read = readFresh(id, idempotency);
                if (read.replay() != null) {
                    return read.replay();
                }
                current = read.account();
                fresh = true;
            }
            Prepared prepared = prepare(current, now);
            Change change;
            try {
                change = rule.apply(prepared.account(), now);
            } catch (WalletException | HoldNotPending refusal) {
                if (fresh) {
                    throw refusal;
                }
                current = null;
                continue;
            }
            List<LedgerEntry> entries = new ArrayList<>(prepared.entries());
            entries.addAll(change.entries());
            List<SideWrite> sides = new ArrayList<>(prepared.sides());
            sides.addAll(change.sides());
            IdempotencyRecord record = new IdempotencyRecord(idempotency.key(), idempotency.fingerprint(), change.response(),
                    now, now.plusSeconds(Limits.IDEMPOTENCY_RETENTION_SECONDS));
            WriteResult result = store.write(new WalletStore.AccountWrite(current, change.after(), entries, Optional.of(record), sides));
            switch (result) {
                case WriteResult.Applied applied -> {
                    snapshots.remember(applied.after());
                    recent.remember(id, record);
                    return new Answer(change.response(), false);
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
                case WriteResult.TallyStale tallyStale -> {
                    rereadTally.run();
                    fresh = false;
                }
                case WriteResult.EventAlreadyApplied e -> throw new IllegalStateException("no event in a keyed write");
                case WriteResult.PurchaseStale p -> throw new IllegalStateException("no purchase in a keyed write");
            }
        }
        throw busy(attempt, "nothing was changed. Retry with the same Idempotency-Key.");
    }

    /**
     * The loop of the writes that carry no Idempotency-Key (job and admin work, each safe to repeat): apply the
     * change to the stored account (read, unless {@code known}), write it conditioned on the version, and on a
     * stale answer apply it again to the fresh state, within the bounds. Empty when there was nothing to write or
     * the account does not exist.
     */
    Optional<Account> writeWithoutKey(AccountId id, Optional<Account> known, Unkeyed change) {
        Deadline deadline = deadline();
        Optional<Account> stored = known.isPresent() ? known : store.findAccount(id);
        int attempt = 0;
        for (; mayAttempt(attempt, deadline) && stored.isPresent(); attempt++) {
            Instant now = clock.instant();
            Optional<Prepared> next = change.apply(stored.get(), now, prepare(stored.get(), now));
            if (next.isEmpty()) {
                return Optional.empty();
            }
            WriteResult result = store.write(new WalletStore.AccountWrite(stored.get(), next.get().account(), next.get().entries(),
                    Optional.empty(), next.get().sides()));
            switch (result) {
                case WriteResult.Applied applied -> {
                    snapshots.remember(applied.after());
                    return Optional.of(applied.after());
                }
                case WriteResult.Stale stale -> stored = stale.current();
                default -> throw new IllegalStateException("unexpected " + result);
            }
        }
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        throw busy(attempt, "nothing was changed.");
    }

    /**
     * Applies a Stripe event to an account at most once: the rule's change, the record that the event was applied
     * and the purchase record it touches are one conditional write. The account, the event's record and the
     * purchase are read together; a write that finds any of them changed reads them again and reruns the rule.
     */
    WalletService.EventResult applyEvent(AccountId id, String eventId, String eventType, Optional<String> paymentId,
                                         WalletService.EventRule rule) {
        Deadline deadline = deadline();
        int attempt = 0;
        for (; mayAttempt(attempt, deadline); attempt++) {
            WalletStore.EventSnapshot read = store.readForEvent(id, eventId, paymentId);
            if (read.eventApplied()) {
                return WalletService.EventResult.DUPLICATE;
            }
            Account stored = read.account().orElseThrow(() -> new AccountNotFoundException(id));
            Instant now = clock.instant();
            Prepared prepared = prepare(stored, now);
            Optional<WalletService.EventChange> change = rule.apply(prepared.account(), read.purchase(), now);
            if (change.isEmpty()) {
                return WalletService.EventResult.NO_CHANGE;
            }
            List<LedgerEntry> entries = new ArrayList<>(prepared.entries());
            entries.addAll(change.get().entries());
            List<SideWrite> sides = new ArrayList<>(prepared.sides());
            sides.add(new SideWrite.EventApplied(eventId, eventType, now));
            change.get().purchase().ifPresent(p -> sides.add(new SideWrite.Purchase(read.purchase(), p)));
            WriteResult result = store.write(new WalletStore.AccountWrite(stored, change.get().after(), entries, Optional.empty(), sides));
            switch (result) {
                case WriteResult.Applied applied -> {
                    snapshots.remember(applied.after());
                    return WalletService.EventResult.APPLIED;
                }
                case WriteResult.EventAlreadyApplied e -> {
                    return WalletService.EventResult.DUPLICATE;
                }
                case WriteResult.Stale stale -> {
                    // read again, with the event's record and the purchase
                }
                case WriteResult.PurchaseStale p -> {
                    // read again
                }
                default -> throw new IllegalStateException("unexpected " + result);
            }
        }
        throw busy(attempt, "the event was not applied and will be retried.");
    }

    /** The account as every rule must see it at {@code now} (see {@link AccountAtNow}). */
    Prepared prepare(Account stored, Instant now) {
        AccountAtNow.Prepared at = AccountAtNow.of(stored, now, catalog, ids);
        return new Prepared(at.account(), at.entries(), at.sides());
    }

    /** SPEC 4's roll-over of an account whose calendar period has ended (see {@link AccountAtNow#rollOver}). */
    Rollover rollOver(Account account, Instant now) {
        AccountAtNow.Rollover rolled = AccountAtNow.rollOver(account, now, catalog, ids);
        return new Rollover(rolled.account(), rolled.entries());
    }

    /** Either the account read together with the key, or the stored answer of the key's earlier use. */
    private record FreshRead(Account account, Answer replay) {
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

    private static Answer replay(IdempotencyRecord record, Idempotency idempotency) {
        if (!record.fingerprint().equals(idempotency.fingerprint())) {
            throw new IdempotencyKeyReusedException();
        }
        return new Answer(record.response(), true);
    }

    LedgerEntry entry(AccountId id, EntryType type, String bucket, long allowanceDelta, long purchasedDelta,
                      String operation, String description, Instant now) {
        return new LedgerEntry(ids.next(), id, type, bucket, allowanceDelta + purchasedDelta, allowanceDelta,
                purchasedDelta, operation, null, description, null, now);
    }

    /** The account as it stands now: one whose period has ended is shown rolled over (the next write stores that). */
    Account current(AccountId id) {
        Account stored = store.findAccount(id).orElseThrow(() -> new AccountNotFoundException(id));
        return prepare(stored, clock.instant()).account();
    }
}
