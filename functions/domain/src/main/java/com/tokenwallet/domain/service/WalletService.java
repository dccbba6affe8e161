package com.tokenwallet.domain.service;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.admin.AdminCommands;
import com.tokenwallet.domain.admin.AdminResults;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.command.DebitCommand;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.command.QuoteCommand;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.ledger.TransactionIds;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.service.Results.Answer;
import com.tokenwallet.domain.service.Results.CaptureReceipt;
import com.tokenwallet.domain.service.Results.DebitReceipt;
import com.tokenwallet.domain.service.Results.HoldReceipt;
import com.tokenwallet.domain.service.Results.Opened;
import com.tokenwallet.domain.service.Results.Quote;
import com.tokenwallet.domain.service.Results.RefundReceipt;
import com.tokenwallet.domain.service.Results.ReleaseReceipt;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The wallet's use cases, one small class each, behind one entry point whose signatures the handlers, jobs and
 * the simulation use. Every write goes through the one {@link AccountWriter} loop: read (or take this process's
 * snapshot), make the account current, apply the use case's rule, one conditional write, and on a stale answer
 * the rule again on the fresh state, bounded by {@link #MAX_WRITE_ATTEMPTS} and by the request's {@link Deadline}.
 */
public final class WalletService {

    /**
     * How often a write may find its account changed before the request gives up with 503. Each stale answer
     * means another write to the same account committed, so a request only exhausts this under a burst of more
     * than this many concurrent writes to one account (or sooner, when the request's deadline runs out).
     */
    public static final int MAX_WRITE_ATTEMPTS = AccountWriter.MAX_WRITE_ATTEMPTS;

    private final AccountWriter writer;
    private final OpenAccount opening;
    private final AccountReads reads;
    private final BalancesAsOf balancesAsOf;
    private final DebitAccount debits;
    private final PlaceHold holds;
    private final CaptureHold captures;
    private final ReleaseHold releases;
    private final RefundCharge refunds;
    private final HoldExpiry holdExpiry;
    private final PeriodRollover rollover;
    private final SubscriptionChanges subscriptions;
    private final AdminGrant grants;
    private final AdminAdjustment adjustments;
    private final AdminPlanChange adminPlanChanges;

    public WalletService(WalletStore store, Catalog catalog, Clock clock) {
        this(store, catalog, clock, new AccountSnapshots(10_000));
    }

    public WalletService(WalletStore store, Catalog catalog, Clock clock, AccountSnapshots snapshots) {
        this(store, catalog, clock, snapshots, Deadline::unbounded);
    }

    /**
     * With {@code deadlines}: the deadline of the request being served, asked once per write (the HTTP functions
     * answer it from Lambda's remaining time, see the api module's InvocationDeadline).
     */
    public WalletService(WalletStore store, Catalog catalog, Clock clock, AccountSnapshots snapshots, Supplier<Deadline> deadlines) {
        this.writer = new AccountWriter(store, catalog, clock, snapshots, deadlines);
        this.opening = new OpenAccount(writer);
        this.reads = new AccountReads(writer);
        this.balancesAsOf = new BalancesAsOf(writer);
        this.debits = new DebitAccount(writer);
        this.holds = new PlaceHold(writer);
        this.captures = new CaptureHold(writer);
        this.releases = new ReleaseHold(writer);
        this.refunds = new RefundCharge(writer);
        this.holdExpiry = new HoldExpiry(writer);
        this.rollover = new PeriodRollover(writer);
        this.subscriptions = new SubscriptionChanges(writer);
        this.grants = new AdminGrant(writer);
        this.adjustments = new AdminAdjustment(writer);
        this.adminPlanChanges = new AdminPlanChange(writer);
    }

    /** Renews the random source of transaction and hold ids: once per instance after a SnapStart restore. */
    public void renewIdentifiers() {
        writer.ids.renew();
    }

    /**
     * The one source of this process's transaction ids, for rules applied inside its writes (the Stripe events'): the
     * entries of one write must come from one monotonic source, so that their ids are in the order they are applied
     * (the at-now entries of the write loop first, then the rule's), which balances as of an instant rely on.
     */
    public TransactionIds transactionIds() {
        return writer.ids;
    }

    public Catalog catalog() {
        return writer.catalog;
    }

    /** Opens the account with the signup grant exactly once; later calls return it unchanged. */
    public Opened open(CreateAccountCommand command) {
        return opening.open(command);
    }

    /** The account as it stands now: one whose period has ended is shown rolled over (the next write stores that). */
    public Account balance(AccountId id) {
        return reads.balance(id);
    }

    /**
     * The balance per bucket as the ledger had it at {@code asOf} (issue 15): each bucket's parts after its newest
     * entry at or before the instant. A future instant is refused on {@code asOf}; one before the account was opened
     * answers account_not_found. See BalancesAsOf for the bound on entries read.
     */
    public Results.BalanceAt balanceAsOf(AccountId id, java.time.Instant asOf) {
        return balancesAsOf.at(id, asOf);
    }

    /** The account's lots with tokens left as of now, each bucket in burn-down order (issue 15). */
    public List<com.tokenwallet.domain.account.LotView> lots(AccountId id) {
        return reads.lots(id);
    }

    public Quote quote(QuoteCommand command) {
        return reads.quote(command);
    }

    public LedgerPage transactions(AccountId id, int limit, Optional<String> afterTransactionId) {
        return reads.transactions(id, limit, afterTransactionId);
    }

    /**
     * Debits the account once per Idempotency-Key. {@code render} turns the receipt into the response that is
     * stored with the debit, in the same write, and answered again on every replay.
     */
    public Answer debit(DebitCommand command, Function<DebitReceipt, StoredResponse> render) {
        return debits.debit(command, render);
    }

    /** Reserves tokens until {@code now + ttlSeconds}, once per Idempotency-Key. */
    public Answer hold(HoldCommands.Hold command, Function<HoldReceipt, StoredResponse> render) {
        return holds.hold(command, render);
    }

    /** Takes all or part of a pending hold and releases the rest, in one write, once per Idempotency-Key. */
    public Answer capture(HoldCommands.Capture command, Function<CaptureReceipt, StoredResponse> render) {
        return captures.capture(command, render);
    }

    /** Ends a pending hold without charging, once per Idempotency-Key. */
    public Answer release(HoldCommands.Release command, Function<ReleaseReceipt, StoredResponse> render) {
        return releases.release(command, render);
    }

    /**
     * Gives back all or part of a debit or capture, once per Idempotency-Key, never more in total than it
     * charged. Tokens go back to the part they came from, purchased first (the reverse of how they were taken);
     * the allowance part of a charge made in an earlier period lapses instead, and the entry says so.
     */
    public Answer refund(HoldCommands.Refund command, Function<RefundReceipt, StoredResponse> render) {
        return refunds.refund(command, render);
    }

    /**
     * The background half of hold expiry: writes the {@code expiry} entries of every account whose holds expired,
     * shard by shard, until done or until {@code deadline}. Returns how many holds it expired. Safe to run
     * concurrently and to repeat.
     */
    public int sweepExpiredHolds(Instant deadline, int accountsPerQuery) {
        return holdExpiry.sweepExpiredHolds(deadline, accountsPerQuery);
    }

    /** Writes the expiry of one account's expired holds (and its period roll-over, if due). Returns how many. */
    public int settleExpiredHolds(AccountId id) {
        return holdExpiry.settleExpiredHolds(id);
    }

    /**
     * Moves an account whose period has ended to the current one (and settles its expired holds), the rule the
     * quota reset job shares with the lazy path. Returns whether this call wrote the roll-over; false when the
     * account is current, or another writer (a debit, another run) rolled it over first.
     */
    public boolean rollOverIfDue(Account seen) {
        return rollover.rollOverIfDue(seen);
    }

    /**
     * Moves an account to another plan (Stripe subscription events). With {@code replaceAllowanceNow} the
     * allowance of every bucket becomes the new plan's at once (plan_reset entries); without, the new allowance
     * comes at the next period change. Unknown plans are refused; a change to the current plan without
     * replacement writes nothing.
     */
    public Account changePlan(AccountId id, String planId, boolean replaceAllowanceNow) {
        return subscriptions.changePlan(id, planId, replaceAllowanceNow);
    }

    /**
     * Stores the account's Stripe customer unless it has one already; returns the customer the account has now
     * (another request's, if that one stored its customer first).
     */
    public String linkStripeCustomer(AccountId id, String customerId) {
        return subscriptions.linkStripeCustomer(id, customerId);
    }

    /** Adds purchased tokens to a bucket: a {@code grant} entry. Once per Idempotency-Key if one is given. */
    public Answer grant(AdminCommands.Grant command, Function<AdminResults.Receipt, StoredResponse> render) {
        return grants.grant(command, render);
    }

    /** Adds or takes away tokens of one part of a bucket: an {@code adjustment} entry (409 below zero or held). */
    public Answer adjust(AdminCommands.Adjustment command, Function<AdminResults.Receipt, StoredResponse> render) {
        return adjustments.adjust(command, render);
    }

    /** Sets a bucket's credit limit: a {@code credit_limit} entry (409 credit_limit_below_debt). Once per Idempotency-Key if one is given. */
    public Answer setCreditLimit(AdminCommands.CreditLimit command, Function<AdminResults.CreditLimitSet, StoredResponse> render) {
        return new AdminCreditLimit(writer).set(command, render);
    }

    /** Moves an account to another plan as an admin; always writes an entry naming who and why. */
    public Answer changePlanAsAdmin(AdminCommands.PlanChange command, Function<AdminResults.PlanChanged, StoredResponse> render) {
        return adminPlanChanges.changePlanAsAdmin(command, render);
    }

    /**
     * Applies a Stripe event to an account at most once: the rule's change, the record that the event was applied
     * and the purchase record it touches are one conditional write. The account, the event's record and the
     * purchase are read together; a write that finds any of them changed reads them again and reruns the rule.
     */
    public EventResult applyEvent(AccountId id, String eventId, String eventType, Optional<String> paymentId, EventRule rule) {
        return writer.applyEvent(id, eventId, eventType, paymentId, rule);
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
}
