package com.tokenwallet.domain.billing;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.Billing;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Lot;
import com.tokenwallet.domain.account.LotSource;
import com.tokenwallet.domain.account.LotView;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.account.Split;
import com.tokenwallet.domain.account.Subscription;
import com.tokenwallet.domain.billing.BillingEvent.ChargeRefunded;
import com.tokenwallet.domain.billing.BillingEvent.DisputeOpened;
import com.tokenwallet.domain.billing.BillingEvent.InvoicePaid;
import com.tokenwallet.domain.billing.BillingEvent.PackagePaid;
import com.tokenwallet.domain.billing.BillingEvent.SubscriptionChanged;
import com.tokenwallet.domain.billing.BillingEvent.SubscriptionStarted;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.catalog.CreditPackage;
import com.tokenwallet.domain.catalog.Plan;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.TransactionIds;
import com.tokenwallet.domain.service.AllowanceRollover;
import com.tokenwallet.domain.service.PlanAllowance;
import com.tokenwallet.domain.service.WalletService.EventChange;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What each Stripe event does to an account, as pure rules on the account as it stands. Run inside
 * {@link com.tokenwallet.domain.service.WalletService#applyEvent}, whose write is conditioned on the account's
 * version, the event's record and the purchase record, so each rule sees exactly the state it changes.
 *
 * <p>Order: Stripe may deliver events late, twice, or out of order. A subscription state is applied only if it is
 * newer (event {@code created}) than the one the account has; an invoice only if its period is later than the
 * period paid last; a purchase credits once per payment; a refund or dispute claws back up to a target computed
 * from the cumulative refunded amount, so the final state does not depend on the order of delivery.
 */
public final class BillingRules {
    /**
     * How long after its creation a refund or dispute of a payment not credited yet is answered "retry later":
     * long enough for Stripe's other events about the payment to arrive, after which it is taken to be about a
     * payment that is not a package purchase (a subscription invoice, say).
     */
    public static final long RETRY_WINDOW_SECONDS = 3600;

    private final Catalog catalog;
    private final StripePrices prices;
    private final TransactionIds ids;

    /** Whether a refund or dispute created at {@code created} may still be waiting for its purchase to be credited. */
    static boolean mayStillBeWaiting(long created, Instant now) {
        return now.getEpochSecond() - created < RETRY_WINDOW_SECONDS;
    }

    public BillingRules(Catalog catalog, StripePrices prices, TransactionIds ids) {
        this.catalog = catalog;
        this.prices = prices;
        this.ids = ids;
    }

    public Optional<EventChange> apply(BillingEvent event, Account account, Optional<PurchaseRecord> purchase, Instant now) {
        return switch (event) {
            case PackagePaid e -> packagePaid(e, account, purchase, Optional.empty(), now);
            case SubscriptionStarted e -> subscriptionStarted(e, account, now);
            case InvoicePaid e -> invoicePaid(e, account, now);
            case SubscriptionChanged e -> subscriptionChanged(e, account, now);
            case ChargeRefunded e -> clawBack(e, e.paymentId(), account, purchase, now, false, e.amount(), e.amountRefunded());
            case DisputeOpened e -> clawBack(e, e.paymentId(), account, purchase, now, true, 0, 0);
            case BillingEvent.Ignored e -> Optional.empty();
        };
    }

    /** As {@link #apply(BillingEvent, Account, Optional, Instant)}, a package payment credited from the offer its session sold, if any. */
    public Optional<EventChange> apply(BillingEvent event, Account account, Optional<PurchaseRecord> purchase, Optional<Offer> offer,
                                       Instant now) {
        return event instanceof PackagePaid e ? packagePaid(e, account, purchase, offer, now) : apply(event, account, purchase, now);
    }

    private Optional<EventChange> packagePaid(PackagePaid e, Account account, Optional<PurchaseRecord> purchase, Optional<Offer> offer,
                                              Instant now) {
        if (purchase.isPresent()) {
            return Optional.empty();
        }
        // What the session sold: its stored offer (as the catalog was at checkout), else the catalog as it is now.
        CreditPackage pkg = offer.map(Offer::asPackage).orElseGet(() -> catalog.packages().get(e.packageId()));
        if (pkg == null) {
            throw new PaymentOwed(OwedPayment.UNKNOWN_PACKAGE, "Payment " + e.paymentId() + " (session " + e.checkoutSessionId()
                    + ") is for package " + e.packageId() + ", which is in no offer and not in the catalog: recorded as owed.");
        }
        PaymentCheck.mismatch(pkg, e.payment(), prices).ifPresent(why -> {
            throw new PaymentMismatch("Payment " + e.paymentId() + " (session " + e.checkoutSessionId() + ") is not credited: " + why
                    + (offer.isPresent() ? " (as offer " + offer.get().offerId() + " sold it)" : "") + ".");
        });
        PurchaseRecord.AmountPaid paid = new PurchaseRecord.AmountPaid(e.payment().total().getAsLong(),
                e.payment().currency().orElseThrow().toLowerCase(java.util.Locale.ROOT));
        Map<String, Long> credited = new TreeMap<>();
        pkg.tokens().forEach((bucket, n) -> credited.merge(bucket, n, Math::addExact));
        pkg.bonusTokens().forEach((bucket, n) -> credited.merge(bucket, n, Math::addExact));
        credited.values().removeIf(n -> n <= 0);
        Account after = account;
        List<LedgerEntry> entries = new ArrayList<>();
        Map<String, Object> described = new TreeMap<>(Map.of("packageId", pkg.id(), "checkoutSessionId", e.checkoutSessionId(),
                "amountPaid", paid.amount(), "currency", paid.currency()));
        offer.ifPresent(o -> described.put("offerId", o.offerId()));
        BigDecimal costBasis = costBasis(paid.amount(), credited.values().stream().mapToLong(Long::longValue).sum());
        for (Map.Entry<String, Long> c : credited.entrySet()) {
            // Each bucket's tokens are one purchase lot (reference the payment, so a refund or dispute finds it), unless
            // the account stores as many lots as it may: then they join its unlotted purchased tokens, never lost.
            String transactionId = ids.next();
            boolean lotted = after.storedLotCount() < Limits.MAX_STORED_LOTS;
            Map<String, Object> bucketMetadata = new TreeMap<>(described);
            String description = "package " + pkg.id() + " bought";
            if (lotted) {
                Lot lot = new Lot(LotView.purchaseId(c.getKey(), e.paymentId()), c.getKey(), LotSource.PURCHASE, c.getValue(), c.getValue(), Lot.DEFAULT_PRIORITY,
                        null, costBasis, e.paymentId(), now);
                after = after.withBucket(c.getKey(), after.bucket(c.getKey()).plusLot(lot));
                bucketMetadata.put("lotId", lot.lotId());
            } else {
                after = after.withBucket(c.getKey(), after.bucket(c.getKey()).plusPurchased(c.getValue()));
                description += "; the account stores " + Limits.MAX_STORED_LOTS + " lots, so its tokens are unlotted purchased tokens";
            }
            entries.add(new LedgerEntry(transactionId, account.id(), EntryType.PURCHASE, c.getKey(), c.getValue(), 0, c.getValue(),
                    null, e.paymentId(), description, StrictJson.write(bucketMetadata), now));
        }
        return Optional.of(new EventChange(after, entries,
                Optional.of(new PurchaseRecord(e.paymentId(), pkg.id(), credited, Map.of(), false, 1, Optional.of(paid)))));
    }

    private Optional<EventChange> subscriptionStarted(SubscriptionStarted e, Account account, Instant now) {
        Subscription sub = account.billing().subscription();
        if (sub != null && (sub.id().equals(e.subscriptionId()) || sub.asOf() >= e.created())) {
            // Its invoice or an update came first (they carry more), or a newer subscription state is in force.
            return Optional.empty();
        }
        Plan plan = plan(e.planId(), "subscription " + e.subscriptionId());
        Account after = account.withPlan(plan.id())
                .withBilling(account.billing().withSubscription(new Subscription(e.subscriptionId(), "active", plan.id(), null, e.created())));
        return Optional.of(withPlanAllowance(after, plan, "subscription " + e.subscriptionId() + " started, plan " + plan.id(), now));
    }

    private Optional<EventChange> invoicePaid(InvoicePaid e, Account account, Instant now) {
        Subscription sub = account.billing().subscription();
        boolean same = sub != null && sub.id().equals(e.subscriptionId());
        if (sub != null && !same && sub.inForce() && sub.asOf() > e.created()) {
            return Optional.empty(); // another subscription's newer state is in force
        }
        if (same && !sub.inForce() && sub.asOf() >= e.created()) {
            return Optional.empty(); // the subscription ended after this invoice
        }
        if (same && sub.periodStart() != null && !e.periodStart().isAfter(sub.periodStart())) {
            return Optional.empty(); // this period, or a later one, was paid and applied already
        }
        String planId = same && sub.asOf() > e.created() ? sub.plan() : e.planId().orElse(same ? sub.plan() : null);
        Plan plan = plan(planId, "invoice " + e.invoiceId());
        Period period = subscriptionPeriod(e.periodStart(), e.periodEnd());
        String status = same && sub.inForce() ? sub.status() : "active";
        Account after = account.withPlan(plan.id()).withPeriod(period).withBilling(account.billing().withSubscription(
                new Subscription(e.subscriptionId(), status, plan.id(), e.periodStart(), Math.max(e.created(), same ? sub.asOf() : 0))));
        if (same && sub.periodStart() == null && e.firstInvoice() && plan.id().equals(account.plan())) {
            // The Checkout Session's completion started this very plan (and its allowance) already: only the period
            // moves. When the invoice bills another plan's price, that price decides: plan and allowance change together.
            return Optional.of(new EventChange(after, List.of(), Optional.empty()));
        }
        // The period that ended rolls its unused allowance over by the rules of the plan it was on (issue 15).
        Plan endedPlan = catalog.planOrDefault(account.plan());
        AllowanceRollover.Rolled carried = same && sub.periodStart() != null
                ? AllowanceRollover.carry(after, endedPlan, account.period(), period, now)
                : new AllowanceRollover.Rolled(after, List.of());
        List<LedgerEntry> rollovers = new ArrayList<>();
        for (AllowanceRollover.Carried c : carried.carried()) {
            rollovers.add(entry(account.id(), EntryType.PLAN_RESET, c.bucket(), -c.tokens(), c.tokens(), c.lot().lotId(),
                    c.tokens() + " unused allowance of period " + account.period().id() + " rolled over"
                            + (c.lot().expiresAt() == null ? "" : ", expiring at " + c.lot().expiresAt()), null, now));
        }
        EventChange change = withPlanAllowance(carried.account(), plan, "invoice " + e.invoiceId() + " paid, period " + period.id()
                + ", plan " + plan.id(), now);
        rollovers.addAll(change.entries());
        return Optional.of(new EventChange(change.after(), rollovers, change.purchase()));
    }

    private Optional<EventChange> subscriptionChanged(SubscriptionChanged e, Account account, Instant now) {
        Subscription sub = account.billing().subscription();
        boolean same = sub != null && sub.id().equals(e.subscriptionId());
        if (same && (e.deleted() ? sub.asOf() > e.created() : sub.asOf() >= e.created())) {
            return Optional.empty(); // a newer (or the same) state of this subscription is applied
        }
        boolean inForce = !e.deleted() && Subscription.IN_FORCE.contains(e.status());
        if (sub != null && !same && sub.inForce() && (sub.asOf() > e.created() || !inForce)) {
            return Optional.empty(); // another subscription is in force: this one's older or ending state changes nothing
        }
        if (!inForce) {
            Plan free = catalog.planOrDefault(catalog.defaultPlan());
            String status = e.deleted() ? "canceled" : e.status();
            Account after = account.withPlan(free.id()).withBilling(account.billing().withSubscription(new Subscription(
                    e.subscriptionId(), status, same ? sub.plan() : e.planId().orElse(free.id()), same ? sub.periodStart() : null, e.created())));
            if (account.billing().onSubscription()) {
                after = after.withPeriod(Period.calendarMonthOf(now));
            }
            return Optional.of(withPlanAllowance(after, free, "subscription " + e.subscriptionId() + " " + status
                    + ", plan " + free.id(), now));
        }
        Plan plan = plan(e.planId().orElse(same ? sub.plan() : null), "subscription " + e.subscriptionId());
        Account after = account.withPlan(plan.id()).withBilling(account.billing().withSubscription(new Subscription(
                e.subscriptionId(), e.status(), plan.id(), same ? sub.periodStart() : null, e.created())));
        if (plan.id().equals(account.plan()) && account.billing().onSubscription()) {
            return Optional.of(new EventChange(after, List.of(), Optional.empty()));
        }
        return Optional.of(withPlanAllowance(after, plan, "subscription " + e.subscriptionId() + " now on plan " + plan.id(), now));
    }

    /**
     * Takes back a package's tokens up to a target: all of them after a dispute, else in proportion to the
     * cumulative refunded amount. What was taken back already counts, so a repeated or older event takes nothing
     * more. Tokens already spent (or reserved by pending holds) cannot be taken: the entry records the shortfall.
     */
    private Optional<EventChange> clawBack(BillingEvent e, String paymentId, Account account, Optional<PurchaseRecord> purchase,
                                           Instant now, boolean dispute, long amount, long refunded) {
        if (purchase.isEmpty()) {
            if (mayStillBeWaiting(e.created(), now)) {
                throw new BillingRetryLater("No package purchase is credited for payment " + paymentId + " yet.");
            }
            if (dispute && !account.billing().flags().contains(Billing.DISPUTED)) {
                return Optional.of(new EventChange(account.withBilling(account.billing().withFlag(Billing.DISPUTED)), List.of(), Optional.empty()));
            }
            return Optional.empty();
        }
        PurchaseRecord p = purchase.get();
        boolean disputed = p.disputed() || dispute;
        Account after = account;
        List<LedgerEntry> entries = new ArrayList<>();
        Map<String, Long> clawed = new LinkedHashMap<>(p.clawedBack());
        for (Map.Entry<String, Long> c : p.credited().entrySet()) {
            String bucket = c.getKey();
            long target = disputed ? c.getValue() : amount <= 0 ? 0
                    : Math.multiplyExact(c.getValue(), Math.min(refunded, amount)) / amount;
            long due = target - p.clawedBack(bucket);
            if (due <= 0) {
                continue;
            }
            BucketBalance balance = after.bucket(bucket);
            long takeable = Math.max(0, balance.purchased() - Math.max(0, balance.held() - balance.allowance()));
            long taken = Math.min(due, takeable);
            long shortfall = due - taken;
            // The payment's own lot first (issue 15), then the unlotted purchased tokens, then the other lots in burn-down order.
            Optional<Lot> paymentLot = balance.lots().stream()
                    .filter(l -> l.source() == LotSource.PURCHASE && paymentId.equals(l.reference())).findFirst();
            after = after.withBucket(bucket, balance.minus(new Split(0, taken), paymentLot.map(Lot::lotId).orElse(null)));
            String why = dispute || p.disputed() ? "dispute" : "refund of " + refunded + " of " + amount;
            Map<String, Object> metadata = new TreeMap<>(Map.of("packageId", p.packageId(), "due", due, "shortfall", shortfall));
            paymentLot.ifPresent(l -> metadata.put("fromLot", Map.of("lotId", l.lotId(), "amount", Math.min(taken, l.remaining()))));
            entries.add(entry(account.id(), EntryType.CLAWBACK, bucket, 0, -taken, paymentId,
                    "package " + p.packageId() + ": " + why + (shortfall > 0 ? "; " + shortfall + " tokens already spent (shortfall)" : ""),
                    StrictJson.write(metadata), now));
            clawed.put(bucket, target);
        }
        if (dispute) {
            after = after.withBilling(after.billing().withFlag(Billing.DISPUTED));
        }
        if (entries.isEmpty() && disputed == p.disputed() && after.billing().equals(account.billing())) {
            return Optional.empty();
        }
        return Optional.of(new EventChange(after, entries,
                Optional.of(new PurchaseRecord(p.paymentId(), p.packageId(), p.credited(), clawed, disputed, p.version() + 1, p.paid()))));
    }

    /**
     * A purchase lot's cost basis: what was paid in minor currency units per token credited (all buckets of the
     * package, bonus included), to 6 decimal places; null when nothing was credited.
     */
    static BigDecimal costBasis(long amountPaid, long tokens) {
        if (tokens <= 0) {
            return null;
        }
        return BigDecimal.valueOf(amountPaid).divide(BigDecimal.valueOf(tokens), 6, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

    private EventChange withPlanAllowance(Account account, Plan plan, String description, Instant now) {
        PlanAllowance.Replaced replaced = PlanAllowance.replace(account, plan, catalog.buckets());
        List<LedgerEntry> entries = new ArrayList<>();
        replaced.deltas().forEach((bucket, delta) -> entries.add(entry(account.id(), EntryType.PLAN_RESET, bucket, delta.allowance(), delta.purchased(), null,
                description, null, now)));
        return new EventChange(replaced.account(), entries, Optional.empty());
    }

    private Plan plan(String planId, String what) {
        if (planId == null) {
            throw new IllegalStateException(what + " names no price configured for a plan (STRIPE_PRICE_SOLO, ...).");
        }
        return catalog.plan(planId).orElseThrow(() -> new IllegalStateException(what + " is for plan " + planId
                + ", which is not in the catalog."));
    }

    /** A subscription's billing period, named by its first and last day ({@code 2026-11-15/2026-12-15}). */
    static Period subscriptionPeriod(Instant start, Instant end) {
        return new Period(start.atOffset(ZoneOffset.UTC).toLocalDate() + "/" + end.atOffset(ZoneOffset.UTC).toLocalDate(), start, end);
    }

    private LedgerEntry entry(AccountId id, EntryType type, String bucket, long allowanceDelta, long purchasedDelta,
                              String reference, String description, String metadata, Instant now) {
        return new LedgerEntry(ids.next(), id, type, bucket, allowanceDelta + purchasedDelta, allowanceDelta, purchasedDelta,
                null, reference, description, metadata, now);
    }
}
