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
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.command.QuoteCommand;
import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.ResourceNotFoundException;
import com.tokenwallet.domain.WalletException;
import com.tokenwallet.domain.account.PendingHold;
import com.tokenwallet.domain.account.Split;
import com.tokenwallet.domain.admin.AdminCommands;
import com.tokenwallet.domain.admin.AdminResults;
import com.tokenwallet.domain.hold.HoldRecord;
import com.tokenwallet.domain.hold.HoldStatus;
import com.tokenwallet.domain.ledger.RefundTally;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import com.tokenwallet.domain.service.Results.CaptureReceipt;
import com.tokenwallet.domain.service.Results.HoldReceipt;
import com.tokenwallet.domain.service.Results.RefundReceipt;
import com.tokenwallet.domain.service.Results.ReleaseReceipt;
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
    public static final int MAX_WRITE_ATTEMPTS = 64;

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

    /** Renews the random source of transaction and hold ids: once per instance after a SnapStart restore. */
    public void renewIdentifiers() {
        ids.renew();
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
        return prepare(stored, clock.instant()).account();
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
        return keyed(command.accountId(), command.idempotency(), (account, now) -> {
            Account.Debit debit = account.debit(charge.bucket(), charge.amountTokens());
            LedgerEntry entry = new LedgerEntry(ids.next(), account.id(), EntryType.DEBIT, charge.bucket(), -charge.amountTokens(),
                    -debit.split().fromAllowance(), -debit.split().fromPurchased(), charge.operation(), null,
                    charge.description(), command.metadata().json(), now);
            return new Change(debit.after(), List.of(entry), List.of(),
                    render.apply(new DebitReceipt(entry, debit.after().bucket(charge.bucket()).available())));
        });
    }

    /** Reserves tokens until {@code now + ttlSeconds}, once per Idempotency-Key. */
    public Answer hold(HoldCommands.Hold command, Function<HoldReceipt, StoredResponse> render) {
        Charge charge = command.charge().price(catalog);
        return keyed(command.accountId(), command.idempotency(), (account, now) -> {
            String holdId = ids.nextHold();
            Instant expiresAt = now.plusSeconds(command.ttlSeconds());
            Account after = account.hold(new PendingHold(holdId, charge.bucket(), charge.amountTokens(), expiresAt));
            LedgerEntry entry = new LedgerEntry(ids.next(), account.id(), EntryType.HOLD, charge.bucket(), 0, 0, 0,
                    charge.operation(), holdId, charge.description(), command.metadata().json(), now, charge.amountTokens());
            HoldRecord record = HoldRecord.pending(holdId, account.id(), charge.bucket(), charge.amountTokens(), charge.operation(), now, expiresAt);
            return new Change(after, List.of(entry), List.of(new SideWrite.NewHold(record)),
                    render.apply(new HoldReceipt(record, after.bucket(charge.bucket()).available())));
        });
    }

    /** Takes all or part of a pending hold and releases the rest, in one write, once per Idempotency-Key. */
    public Answer capture(HoldCommands.Capture command, Function<CaptureReceipt, StoredResponse> render) {
        AccountId id = command.accountId();
        return keyedOnHold(id, command.idempotency(), (account, now) -> {
            PendingHold hold = pendingHold(account, command.holdId());
            long amount = command.amount().orElse(hold.amount());
            if (amount > hold.amount()) {
                throw new InvalidRequestException("amount", "'amount' " + amount + " is more than the " + hold.amount() + " tokens held.");
            }
            Account.Debit capture = account.capture(hold.holdId(), amount);
            String transactionId = ids.next();
            LedgerEntry entry = new LedgerEntry(transactionId, id, EntryType.CAPTURE, hold.bucket(), -amount,
                    -capture.split().fromAllowance(), -capture.split().fromPurchased(), null, hold.holdId(),
                    "captured " + amount + " of " + hold.amount() + " held", null, now, -hold.amount());
            return new Change(capture.after(), List.of(entry),
                    List.of(new SideWrite.ResolveHold(hold.holdId(), HoldStatus.CAPTURED, amount, transactionId, now)),
                    render.apply(new CaptureReceipt(hold.holdId(), entry, amount, hold.amount() - amount,
                            capture.after().bucket(hold.bucket()).available())));
        }, command.holdId());
    }

    /** Ends a pending hold without charging, once per Idempotency-Key. */
    public Answer release(HoldCommands.Release command, Function<ReleaseReceipt, StoredResponse> render) {
        AccountId id = command.accountId();
        return keyedOnHold(id, command.idempotency(), (account, now) -> {
            PendingHold hold = pendingHold(account, command.holdId());
            Account after = account.release(hold.holdId());
            String transactionId = ids.next();
            LedgerEntry entry = new LedgerEntry(transactionId, id, EntryType.RELEASE, hold.bucket(), 0, 0, 0, null,
                    hold.holdId(), "released " + hold.amount() + " held", null, now, -hold.amount());
            return new Change(after, List.of(entry),
                    List.of(new SideWrite.ResolveHold(hold.holdId(), HoldStatus.RELEASED, 0, transactionId, now)),
                    render.apply(new ReleaseReceipt(hold.holdId(), hold.amount(), after.bucket(hold.bucket()).available())));
        }, command.holdId());
    }

    /**
     * Gives back all or part of a debit or capture, once per Idempotency-Key, never more in total than it
     * charged. Tokens go back to the part they came from, purchased first (the reverse of how they were taken);
     * the allowance part of a charge made in an earlier period lapses instead, and the entry says so.
     */
    public Answer refund(HoldCommands.Refund command, Function<RefundReceipt, StoredResponse> render) {
        AccountId id = command.accountId();
        WalletStore.RefundContext context = store.readRefund(id, command.transactionId());
        if (context.entry().isEmpty() && store.findAccount(id).isEmpty()) {
            throw new AccountNotFoundException(id);
        }
        LedgerEntry charged = context.entry().orElseThrow(() -> ResourceNotFoundException.transaction(command.transactionId()));
        if (charged.type() != EntryType.DEBIT && charged.type() != EntryType.CAPTURE) {
            throw new ConflictException("transaction_not_refundable", "Transaction " + charged.transactionId() + " is a "
                    + charged.type().wireName() + "; only debits and captures can be refunded.");
        }
        RefundTally[] tally = {context.tally()};
        return keyedWithTally(id, command.idempotency(), (account, now) -> {
            long chargedAllowance = -charged.allowanceDelta();
            long chargedPurchased = -charged.purchasedDelta();
            long left = chargedAllowance + chargedPurchased - tally[0].total();
            long amount = command.amount().orElse(left);
            if (amount < 1 || amount > left) {
                throw new ConflictException("refund_exceeds_charge", "Transaction " + charged.transactionId() + " charged "
                        + (chargedAllowance + chargedPurchased) + " tokens and " + tally[0].total() + " were refunded already; "
                        + (left == 0 ? "nothing is left to refund." : "at most " + left + " can be refunded now."));
            }
            long toPurchased = Math.min(amount, chargedPurchased - tally[0].refundedPurchased());
            long toAllowance = amount - toPurchased;
            boolean lapses = !account.period().contains(charged.createdAt());
            long returnedAllowance = lapses ? 0 : toAllowance;
            BucketBalance bucket = account.bucket(charged.bucket());
            Account after = account.withBucket(charged.bucket(), bucket.plus(new Split(returnedAllowance, toPurchased)));
            String description = command.reason() + (lapses && toAllowance > 0
                    ? " (" + toAllowance + " allowance tokens lapsed: their period ended)" : "");
            LedgerEntry entry = new LedgerEntry(ids.next(), id, EntryType.REFUND, charged.bucket(), returnedAllowance + toPurchased,
                    returnedAllowance, toPurchased, charged.operation(), charged.transactionId(), description, null, now);
            RefundTally next = new RefundTally(charged.transactionId(), tally[0].refundedAllowance() + toAllowance,
                    tally[0].refundedPurchased() + toPurchased, tally[0].version() + 1);
            return new Change(after, List.of(entry), List.of(new SideWrite.Tally(tally[0], next)),
                    render.apply(new RefundReceipt(entry, charged.transactionId(), amount, lapses ? toAllowance : 0,
                            next.total(), after.bucket(charged.bucket()).available())));
        }, () -> tally[0] = store.readRefund(id, command.transactionId()).tally());
    }

    /**
     * The background half of hold expiry (reads and writes already treat an expired hold as released): writes
     * the {@code expiry} entries of every account whose holds expired, shard by shard, until done or until
     * {@code deadline}. Returns how many holds it expired. Safe to run concurrently and to repeat: each account
     * is written with the usual version condition, and an account already settled has nothing to write.
     */
    public int sweepExpiredHolds(Instant deadline, int accountsPerQuery) {
        int expired = 0;
        for (int shard = 0; shard < store.shards(); shard++) {
            for (int round = 0; round < 1_000 && clock.instant().isBefore(deadline); round++) {
                List<AccountId> due = store.accountsWithHoldsExpiredBy(clock.instant(), shard, accountsPerQuery);
                int settledNow = 0;
                for (AccountId id : due) {
                    if (!clock.instant().isBefore(deadline)) {
                        return expired;
                    }
                    settledNow += settleExpiredHolds(id);
                }
                expired += settledNow;
                if (due.size() < accountsPerQuery || settledNow == 0) {
                    break;
                }
            }
        }
        return expired;
    }

    /**
     * Moves an account whose period has ended to the current one (and settles its expired holds), the rule the
     * quota reset job shares with the lazy path. Returns whether this call wrote the roll-over; false when the
     * account is current, or another writer (a debit, another run) rolled it over first.
     */
    public boolean rollOverIfDue(Account seen) {
        return writeWithoutKey(seen.id(), Optional.of(seen), (stored, now, prepared) ->
                stored.calendarPeriodEndedBy(now) ? Optional.of(prepared) : Optional.empty()).isPresent();
    }

    /**
     * Moves an account to another plan (admin, Stripe subscription events). With {@code replaceAllowanceNow} the
     * allowance of every bucket becomes the new plan's at once (plan_reset entries); without, the new allowance
     * comes at the next period change. Unknown plans are refused; a change to the current plan without
     * replacement writes nothing.
     */
    public Account changePlan(AccountId id, String planId, boolean replaceAllowanceNow) {
        Plan plan = catalog.plan(planId).orElseThrow(() -> new InvalidRequestException("plan", "Unknown plan " + planId + "."));
        return writeWithoutKey(id, Optional.empty(), (stored, now, prepared) -> {
            if (prepared.entries().isEmpty() && stored.plan().equals(plan.id()) && !replaceAllowanceNow) {
                return Optional.empty();
            }
            Account after = prepared.account().withPlan(plan.id());
            List<LedgerEntry> entries = new ArrayList<>(prepared.entries());
            if (replaceAllowanceNow) {
                PlanAllowance.Replaced replaced = PlanAllowance.replace(after, plan, catalog.buckets());
                after = replaced.account();
                replaced.deltas().forEach((bucket, delta) -> entries.add(entry(id, EntryType.PLAN_RESET, bucket, delta, 0, null,
                        "plan changed to " + plan.id(), now)));
            }
            return Optional.of(new Prepared(after, entries, prepared.sides()));
        }).orElseGet(() -> balance(id));
    }

    /**
     * Stores the account's Stripe customer unless it has one already; returns the customer the account has now
     * (another request's, if that one stored its customer first).
     */
    public String linkStripeCustomer(AccountId id, String customerId) {
        return writeWithoutKey(id, Optional.empty(), (stored, now, prepared) -> stored.billing().stripeCustomerId() != null
                ? Optional.empty()
                : Optional.of(new Prepared(prepared.account().withBilling(prepared.account().billing().withCustomer(customerId)),
                        prepared.entries(), prepared.sides())))
                .or(() -> store.findAccount(id))
                .map(a -> a.billing().stripeCustomerId())
                .orElseThrow(() -> new AccountNotFoundException(id));
    }

    // ---- admin changes (SPEC 3.4): each is one ledger entry (or more) carrying the reason and the admin's sub

    /** Adds purchased tokens to a bucket: a {@code grant} entry. Once per Idempotency-Key if one is given. */
    public Answer grant(AdminCommands.Grant command, Function<AdminResults.Receipt, StoredResponse> render) {
        catalog.requireBucket(command.bucket(), "bucket");
        return adminWrite(command.accountId(), command.idempotency(), (account, now) -> {
            BucketBalance before = account.bucket(command.bucket());
            requireAtMost(before.purchased(), command.amount(), command.bucket());
            Account after = account.withBucket(command.bucket(), before.plusPurchased(command.amount()));
            LedgerEntry entry = new LedgerEntry(ids.next(), account.id(), EntryType.GRANT, command.bucket(), command.amount(),
                    0, command.amount(), null, null, command.reason(), adminMetadata(command.admin(), null), now);
            return new Change(after, List.of(entry), List.of(),
                    render.apply(new AdminResults.Receipt(entry, after.bucket(command.bucket()))));
        });
    }

    /**
     * Adds or takes away tokens of one part of a bucket: an {@code adjustment} entry. Refused (409) when it would
     * leave the part below zero ({@code adjustment_below_zero}) or the bucket below what its pending holds need
     * ({@code adjustment_below_held}). Once per Idempotency-Key if one is given.
     */
    public Answer adjust(AdminCommands.Adjustment command, Function<AdminResults.Receipt, StoredResponse> render) {
        catalog.requireBucket(command.bucket(), "bucket");
        return adminWrite(command.accountId(), command.idempotency(), (account, now) -> {
            BucketBalance before = account.bucket(command.bucket());
            boolean purchased = command.part() == AdminCommands.Part.PURCHASED;
            long current = purchased ? before.purchased() : before.allowance();
            String part = command.part().wireName();
            if (current + command.amount() < 0) {
                throw new ConflictException("adjustment_below_zero", "The " + part + " part of '" + command.bucket() + "' is "
                        + current + "; an adjustment of " + command.amount() + " would take it below zero.");
            }
            requireAtMost(current, command.amount(), command.bucket());
            long allowanceDelta = purchased ? 0 : command.amount();
            long purchasedDelta = purchased ? command.amount() : 0;
            if (before.total() + command.amount() < before.held()) {
                throw new ConflictException("adjustment_below_held", "'" + command.bucket() + "' has " + before.total()
                        + " tokens of which pending holds need " + before.held() + "; an adjustment of " + command.amount()
                        + " would leave less than they hold.");
            }
            BucketBalance next = new BucketBalance(before.allowance() + allowanceDelta, before.purchased() + purchasedDelta, before.held());
            Account after = account.withBucket(command.bucket(), next);
            LedgerEntry entry = new LedgerEntry(ids.next(), account.id(), EntryType.ADJUSTMENT, command.bucket(), command.amount(),
                    allowanceDelta, purchasedDelta, null, null, command.reason(), adminMetadata(command.admin(), part), now);
            return new Change(after, List.of(entry), List.of(), render.apply(new AdminResults.Receipt(entry, next)));
        });
    }

    /**
     * Moves an account to another plan as an admin, with the allowance replaced now or at the next period. Unlike
     * {@link #changePlan(AccountId, String, boolean)} (Stripe's), it always writes an entry: the {@code plan_reset}
     * entries of the buckets whose allowance changes, or one entry of 0 tokens on the signup bucket when none does,
     * so the ledger records who changed the plan and why. Once per Idempotency-Key if one is given.
     */
    public Answer changePlanAsAdmin(AdminCommands.PlanChange command, Function<AdminResults.PlanChanged, StoredResponse> render) {
        Plan plan = catalog.plan(command.plan()).orElseThrow(() -> new InvalidRequestException("plan",
                "Unknown plan '" + command.plan() + "'. Known: " + new java.util.TreeSet<>(catalog.plans().keySet()) + "."));
        return adminWrite(command.accountId(), command.idempotency(), (account, now) -> {
            String description = "plan " + account.plan() + " -> " + plan.id()
                    + (command.resetAllowance() ? ", allowance replaced now" : ", allowance at the next period")
                    + command.reason().map(r -> ": " + r).orElse("");
            String metadata = adminMetadata(command.admin(), null);
            Account after = account.withPlan(plan.id());
            List<LedgerEntry> entries = new ArrayList<>();
            if (command.resetAllowance()) {
                PlanAllowance.Replaced replaced = PlanAllowance.replace(after, plan, catalog.buckets());
                after = replaced.account();
                replaced.deltas().forEach((bucket, delta) -> entries.add(new LedgerEntry(ids.next(), account.id(),
                        EntryType.PLAN_RESET, bucket, delta, delta, 0, null, null, description, metadata, now)));
            }
            if (entries.isEmpty()) {
                entries.add(new LedgerEntry(ids.next(), account.id(), EntryType.PLAN_RESET, catalog.signupGrantBucket(), 0, 0, 0,
                        null, null, description, metadata, now));
            }
            return new Change(after, entries, List.of(), render.apply(new AdminResults.PlanChanged(after, account.plan(), entries)));
        });
    }

    /**
     * An admin change: with an Idempotency-Key, the keyed loop (once, replays answer the first response); without,
     * the unkeyed loop on a fresh read, so it is applied each time it is asked for.
     */
    private Answer adminWrite(AccountId id, Optional<Idempotency> idempotency, Rule rule) {
        if (idempotency.isPresent()) {
            return keyed(id, idempotency.get(), rule);
        }
        StoredResponse[] response = {null};
        Optional<Account> written = writeWithoutKey(id, Optional.empty(), (stored, now, prepared) -> {
            Change change = rule.apply(prepared.account(), now);
            response[0] = change.response();
            List<LedgerEntry> entries = new ArrayList<>(prepared.entries());
            entries.addAll(change.entries());
            List<SideWrite> sides = new ArrayList<>(prepared.sides());
            sides.addAll(change.sides());
            return Optional.of(new Prepared(change.after(), entries, sides));
        });
        if (written.isEmpty()) {
            throw new AccountNotFoundException(id);
        }
        return new Answer(response[0], false);
    }

    /** Keeps a part far from overflow: no real balance comes near it. */
    private static void requireAtMost(long current, long add, String bucket) {
        if (current + add > AdminCommands.MAX_BALANCE_TOKENS) {
            throw new ConflictException("balance_too_large", "'" + bucket + "' would hold more than "
                    + AdminCommands.MAX_BALANCE_TOKENS + " tokens.");
        }
    }

    /** The admin's sub (and the part an adjustment changed) as the entry's metadata. */
    private static String adminMetadata(String admin, String part) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("admin", admin);
        if (part != null) {
            fields.put("part", part);
        }
        return com.tokenwallet.domain.command.Metadata.of(fields).json();
    }

    /** Writes the expiry of one account's expired holds (and its period roll-over, if due). Returns how many. */
    public int settleExpiredHolds(AccountId id) {
        int[] expiring = {0};
        return writeWithoutKey(id, Optional.empty(), (stored, now, prepared) -> {
            expiring[0] = stored.settle(now).expired().size();
            return expiring[0] == 0 ? Optional.empty() : Optional.of(prepared);
        }).isPresent() ? expiring[0] : 0;
    }

    /**
     * Applies a Stripe event to an account at most once: the rule's change, the record that the event was applied
     * and the purchase record it touches are one conditional write. The account, the event's record and the
     * purchase are read together; a write that finds any of them changed reads them again and reruns the rule.
     */
    public EventResult applyEvent(AccountId id, String eventId, String eventType, Optional<String> paymentId, EventRule rule) {
        for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
            WalletStore.EventSnapshot read = store.readForEvent(id, eventId, paymentId);
            if (read.eventApplied()) {
                return EventResult.DUPLICATE;
            }
            Account stored = read.account().orElseThrow(() -> new AccountNotFoundException(id));
            Instant now = clock.instant();
            Prepared prepared = prepare(stored, now);
            Optional<EventChange> change = rule.apply(prepared.account(), read.purchase(), now);
            if (change.isEmpty()) {
                return EventResult.NO_CHANGE;
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
                    return EventResult.APPLIED;
                }
                case WriteResult.EventAlreadyApplied e -> {
                    return EventResult.DUPLICATE;
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
        throw new StoreUnavailableException("Account " + id + " kept changing under " + MAX_WRITE_ATTEMPTS
                + " attempts; the event was not applied and will be retried.");
    }

    /** What a Stripe event does to the account as it stands (period current, expired holds released); empty: nothing. */
    @FunctionalInterface
    public interface EventRule {
        Optional<EventChange> apply(Account account, Optional<com.tokenwallet.domain.billing.PurchaseRecord> purchase, Instant now);
    }

    /** The account after an event, its ledger entries, and the purchase record to create or update. */
    public record EventChange(Account after, List<LedgerEntry> entries, Optional<com.tokenwallet.domain.billing.PurchaseRecord> purchase) {
        public EventChange {
            entries = List.copyOf(entries);
        }
    }

    public enum EventResult {
        /** The event changed the account (and was recorded as applied). */
        APPLIED,
        /** The event was applied before; nothing changed now. */
        DUPLICATE,
        /** The event changes nothing in the account's state (an older state, an already credited payment, ...). */
        NO_CHANGE
    }

    /** What a write without an Idempotency-Key makes of the stored account, or empty when there is nothing to write. */
    @FunctionalInterface
    private interface Unkeyed {
        Optional<Prepared> apply(Account stored, Instant now, Prepared prepared);
    }

    /**
     * The loop of the writes that carry no Idempotency-Key (job and admin work, each safe to repeat): apply the
     * change to the stored account (read, unless {@code known}), write it conditioned on the version, and on a
     * stale answer apply it again to the fresh state, a bounded number of times. Empty when there was nothing to
     * write or the account does not exist.
     */
    private Optional<Account> writeWithoutKey(AccountId id, Optional<Account> known, Unkeyed change) {
        Optional<Account> stored = known.isPresent() ? known : store.findAccount(id);
        for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS && stored.isPresent(); attempt++) {
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
        throw new StoreUnavailableException("Account " + id + " kept changing under " + MAX_WRITE_ATTEMPTS + " attempts.");
    }

    private static PendingHold pendingHold(Account account, String holdId) {
        PendingHold hold = account.holds().get(holdId);
        if (hold == null) {
            throw new HoldNotPending();
        }
        return hold;
    }

    /** What a keyed request does to the account as it stands (period current, expired holds released). */
    @FunctionalInterface
    interface Rule {
        Change apply(Account account, Instant now);
    }

    /** The account after the rule, its ledger entries and other items, and the response to store with them. */
    record Change(Account after, List<LedgerEntry> entries, List<SideWrite> sides, StoredResponse response) {
    }

    /** A rule found the hold it names not pending in the state it saw. */
    private static final class HoldNotPending extends RuntimeException {
        HoldNotPending() {
            super(null, null, false, false);
        }
    }

    private static final Runnable NO_TALLY = () -> {
        throw new IllegalStateException("no refund tally in this write");
    };

    private Answer keyed(AccountId id, Idempotency idempotency, Rule rule) {
        return keyedWithTally(id, idempotency, rule, NO_TALLY);
    }

    /** A keyed rule on a hold: when the hold is not pending in a state read with the key, says why from its record. */
    private Answer keyedOnHold(AccountId id, Idempotency idempotency, Rule rule, String holdId) {
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
     * that finds the account changed runs the rule again on the state it returns, a bounded number of times.
     */
    private Answer keyedWithTally(AccountId id, Idempotency idempotency, Rule rule, Runnable rereadTally) {
        Optional<IdempotencyRecord> known = recent.get(id, idempotency.key(), clock.instant());
        if (known.isPresent()) {
            return replay(known.get(), idempotency);
        }
        Account current = snapshots.get(id).orElse(null);
        boolean fresh = false;
        for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
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
        throw new StoreUnavailableException("The account kept changing under " + MAX_WRITE_ATTEMPTS
                + " attempts; nothing was changed. Retry with the same Idempotency-Key.");
    }

    /** The account as every rule must see it at {@code now} (see {@link AccountAtNow}). */
    private Prepared prepare(Account stored, Instant now) {
        AccountAtNow.Prepared at = AccountAtNow.of(stored, now, catalog, ids);
        return new Prepared(at.account(), at.entries(), at.sides());
    }

    private record Prepared(Account account, List<LedgerEntry> entries, List<SideWrite> sides) {
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

    /** SPEC 4's roll-over of an account whose calendar period has ended (see {@link AccountAtNow#rollOver}). */
    AccountAtNow.Rollover rollOver(Account account, Instant now) {
        return AccountAtNow.rollOver(account, now, catalog, ids);
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
