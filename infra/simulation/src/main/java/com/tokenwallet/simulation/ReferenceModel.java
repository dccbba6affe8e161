package com.tokenwallet.simulation;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.PendingHold;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain sequential model of the wallet, fed the writes in the order they committed: for each, it computes from
 * the account the write started from and the step that made it what the account must become, lot by lot
 * ({@link ModelBucket}): expired holds released; at a calendar period's end the unused allowance carried into a
 * rollover lot by the plan's rule and the allowance replaced; stored lots expired by then lapsed (never below what
 * holds need); then the step's own effect: debits and captures in burn-down order (priority, expiry, age; beyond
 * every lot on credit, within the credit limit), each charge's entry naming the lots the model took from; holds,
 * releases; refunds giving back to those lots in reverse (the allowance only while its period lasts, a used-up
 * lot created again, an expired one lapsing); grants (a lot of their own when they carry terms), adjustments,
 * plan changes, credit limits; a package credited once, as a purchase lot, whether by its events or by settling it
 * as owed; Stripe claw-backs from the payment's lot first; tokens added repaying debt first. It compares the parts,
 * holds and every stored lot with what was written; each Stripe event is applied once. Of a subscription event it
 * takes from the write only what the billing rules of order decide (whether a rollover or an allowance happens, and
 * which plan), and models the rest. Each write must also start from the model's version of the account: a write over a
 * state the model never had is a lost update.
 */
final class ReferenceModel {
    private final Catalog catalog;
    private final Map<String, Account> accounts = new HashMap<>();
    /** What each charge (by transaction id) took from each lot, as the model took it: its refunds give back to those lots. */
    private final Map<String, List<ModelBucket.Take>> takes = new HashMap<>();
    /** How many tokens of each charge were refunded. */
    private final Map<String, Long> refunded = new HashMap<>();
    private final BillingModel billing;

    ReferenceModel(Catalog catalog) {
        this.catalog = catalog;
        this.billing = new BillingModel(catalog);
    }

    List<String> feed(List<Commit> commits) {
        List<String> anomalies = new ArrayList<>();
        java.util.Set<String> events = new java.util.HashSet<>();
        for (int index = 0; index < commits.size(); index++) {
            Commit c = commits.get(index);
            String name = c.after().id().value();
            for (var side : c.sides()) {
                if (side instanceof com.tokenwallet.domain.port.WalletStore.SideWrite.EventApplied e && !events.add(e.eventId())) {
                    anomalies.add(name + ": Stripe event " + e.eventId() + " applied twice");
                }
            }
            Account model = accounts.get(name);
            String where = name + " at " + (c.step() == null ? "a job" : "#" + c.step().id()) + ": ";
            if (c.before() == null) {
                if (model != null) {
                    anomalies.add(where + "account created twice");
                }
                String recorded = recordedBalances(null, c);
                if (recorded != null) {
                    anomalies.add(where + recorded);
                }
                accounts.put(name, c.after());
                continue;
            }
            if (model == null || model.version() != c.before().version()) {
                anomalies.add(where + "a write over version " + c.before().version() + " committed, the model is at "
                        + (model == null ? "none" : model.version()) + " (lost update)");
                accounts.put(name, c.after());
                continue;
            }
            String recorded = recordedBalances(model, c);
            if (recorded != null) {
                anomalies.add(where + recorded);
            }
            String problem = expected(model, c);
            if (problem != null) {
                anomalies.add(where + problem + " (step: " + (c.step() == null ? "-" : c.step().action()) + ")");
            }
            billing.committed(c, index);
            accounts.put(name, c.after());
        }
        return anomalies;
    }

    /**
     * After {@link #feed}: every Stripe refund or dispute answered (whatever its outcome) of a payment the model had
     * credited before the request began must have had its claw-back taken by the end (by its own write or a later,
     * larger one): a refund that writes nothing at all is found here (see {@link BillingModel#answeredClawBacks}).
     */
    List<String> answeredClawBacks(List<Step> steps, Map<Integer, Outcome> outcomes, Map<Integer, RefusalCheck.Span> spans) {
        return billing.answeredClawBacks(steps, outcomes, spans);
    }

    /**
     * Issue 15 (balances as of an instant): each entry's recorded parts of every bucket after it are the model's parts
     * before the write plus the deltas of the write's entries up to it (summed forward here, while the wallet derives them
     * backward from the account it writes). Null when they all agree.
     */
    private static String recordedBalances(Account model, Commit c) {
        Map<String, com.tokenwallet.domain.ledger.BalanceAfter> running = new HashMap<>();
        if (model != null) {
            model.buckets().forEach((k, v) -> running.put(k, com.tokenwallet.domain.ledger.BalanceAfter.of(v)));
        }
        for (LedgerEntry e : c.entries()) {
            running.put(e.bucket(), running.getOrDefault(e.bucket(), com.tokenwallet.domain.ledger.BalanceAfter.ZERO).plus(e));
            if (e.balancesAfter() == null) {
                return "entry " + e.transactionId() + " records no balances after it";
            }
            java.util.Set<String> buckets = new java.util.HashSet<>(running.keySet());
            buckets.addAll(e.balancesAfter().keySet());
            for (String bucket : buckets) {
                var recorded = e.balancesAfter().getOrDefault(bucket, com.tokenwallet.domain.ledger.BalanceAfter.ZERO);
                var summed = running.getOrDefault(bucket, com.tokenwallet.domain.ledger.BalanceAfter.ZERO);
                if (!recorded.equals(summed)) {
                    return "entry " + e.transactionId() + " records " + bucket + " " + recorded + " after it; the model sums to " + summed;
                }
            }
        }
        return null;
    }

    /** Null when the write is what the model expects. */
    private String expected(Account model, Commit c) {
        ModelAccount b = ModelAccount.of(model, catalog);
        Map<String, PendingHold> holds = b.holds;
        if (c.entries().isEmpty()) {
            String differs = b.differs(c.after());
            if (differs != null) {
                return "a write without ledger entries changed the account: " + differs;
            }
            // (a Stripe event's write that changes nothing: a refund or dispute with tokens due must have clawed back)
            return c.step() != null && c.step().action() instanceof Action.Stripe s ? billing.clawBackDue(s.event()) : null;
        }
        Instant now = c.entries().getFirst().createdAt();
        b.releaseExpiredHolds(now);
        Period period = model.period();
        if (!model.billing().onSubscription() && !now.isBefore(period.endsAt())) {
            Period next = Period.calendarMonthOf(now);
            var plan = catalog.planOrDefault(model.plan());
            b.rollOver(plan, period, next);
            period = next;
            b.planAllowance(plan);
        }
        b.expire(now);
        Action action = c.step() == null ? null : c.step().action();
        String refusal = switch (action) {
            case Action.Debit a -> charge(b, c, EntryType.DEBIT, catalog.price(a.operation(), Map.of()).bucket(),
                    catalog.price(a.operation(), Map.of()).amountTokens(), period, model.createdAt());
            case Action.Hold a -> {
                String bucket = catalog.price(a.operation(), Map.of()).bucket();
                long amount = catalog.price(a.operation(), Map.of()).amountTokens();
                ModelBucket v = b.bucket(bucket);
                if (v.available() < amount) {
                    yield "a hold of " + amount + " committed with " + v.available() + " available";
                }
                v.held += amount;
                LedgerEntry e = first(c, EntryType.HOLD);
                holds.put(e.reference(), new PendingHold(e.reference(), bucket, amount, now.plusSeconds(a.ttlSeconds())));
                yield null;
            }
            case Action.Capture a -> {
                LedgerEntry e = first(c, EntryType.CAPTURE);
                PendingHold h = e == null ? null : holds.remove(e.reference());
                if (h == null) {
                    yield "a capture of a hold the model has not pending";
                }
                b.bucket(h.bucket()).held -= h.amount();
                long amount = a.amount() == 0 ? h.amount() : a.amount();
                yield amount > h.amount() ? "captured " + amount + " of a hold of " + h.amount()
                        : charge(b, c, EntryType.CAPTURE, h.bucket(), amount, period, model.createdAt());
            }
            case Action.Release a -> {
                LedgerEntry e = first(c, EntryType.RELEASE);
                PendingHold h = e == null ? null : holds.remove(e.reference());
                if (h == null) {
                    yield "a release of a hold the model has not pending";
                }
                b.bucket(h.bucket()).held -= h.amount();
                yield null;
            }
            case Action.Refund a -> refund(b, c, a, period, now);
            case Action.Grant a -> {
                ModelBucket v = b.bucket(a.bucket());
                if (a.storesLot()) {
                    // A grant with terms is a lot of its own, named by its transaction (issue 15).
                    LedgerEntry e = first(c, EntryType.GRANT);
                    v.addLot(new ModelBucket.ModelLot("lot_" + e.transactionId(), "grant", a.amount(), a.amount(),
                            a.priority() == null ? com.tokenwallet.domain.account.Lot.DEFAULT_PRIORITY : a.priority(), a.expiresAt(), now));
                } else {
                    v.addUnlotted(a.amount());
                }
                yield null;
            }
            case Action.Adjust a -> {
                ModelBucket v = b.bucket(a.bucket());
                if (a.amount() > 0) {
                    v.give(a.purchased() ? 0 : a.amount(), a.purchased() ? a.amount() : 0); // tokens added repay the debt first
                    yield null;
                }
                if ((a.purchased() ? v.purchased : v.allowance) + a.amount() < 0 || v.allowance + v.purchased + a.amount() < v.held) {
                    yield "an adjustment left " + a.bucket() + " below zero or its holds";
                }
                v.minus(a.purchased() ? 0 : -a.amount(), a.purchased() ? -a.amount() : 0);
                yield null;
            }
            case Action.Stripe s when s.event() instanceof StripeEvent.Purchase p -> billing.purchase(b, p, now);
            case Action.PlanChange a -> {
                // The plan changes; with the allowance now, each bucket's allowance becomes the plan's, never less
                // than what pending holds need beyond the purchased part.
                if (!a.plan().equals(c.after().plan())) {
                    yield "a plan change to " + a.plan() + " wrote plan " + c.after().plan();
                }
                if (a.resetNow()) {
                    b.planAllowance(catalog.planOrDefault(a.plan()));
                }
                yield null;
            }
            case Action.CreditLimit a -> {
                ModelBucket v = b.bucket(a.bucket());
                long needed = Math.max(Math.max(0, -v.unlotted()), v.held - v.allowance - v.purchased);
                v.creditLimit = a.limit();
                yield a.limit() < needed ? "a credit limit of " + a.limit() + " committed where the bucket needs " + needed : null;
            }
            case Action.SettleOwed a when a.credit() -> billing.settleOwed(b, a, now);
            case null, default -> action instanceof Action.Stripe ? billing.event(b, c, model, period) : null;
        };
        if (refusal != null) {
            return refusal;
        }
        String differs = b.differs(c.after());
        return differs == null ? null : "wrote " + differs;
    }

    /**
     * A debit or capture: available within the credit limit, taken in burn-down order; the charge's entry must name
     * the lots the model took from (ids and amounts, in that order), which its refunds give back to.
     */
    private String charge(ModelAccount b, Commit c, EntryType type, String bucket, long amount, Period period,
                          Instant accountCreatedAt) {
        ModelBucket v = b.bucket(bucket);
        if (v.available() < amount) {
            return "a charge of " + amount + " " + bucket + " committed with " + v.available() + " available";
        }
        List<ModelBucket.Take> took = v.take(bucket, amount, period, accountCreatedAt);
        LedgerEntry e = first(c, type);
        if (e == null) {
            return "a charge without a " + type.wireName() + " entry";
        }
        takes.put(e.transactionId(), took);
        List<String> written = e.consumed().stream().map(x -> x.lotId() + "=" + x.amount()).toList();
        List<String> expected = took.stream().map(t -> t.lotId() + "=" + t.amount()).toList();
        return written.equals(expected) ? null : "charge " + e.transactionId() + " consumed " + written + ", the model took " + expected;
    }

    /**
     * A refund gives back the charge's takes from the last one on (skipping what earlier refunds gave back), each to
     * the lot it came from (see {@link ModelBucket#giveBack}).
     */
    private String refund(ModelAccount b, Commit c, Action.Refund a, Period period, Instant now) {
        LedgerEntry entry = first(c, EntryType.REFUND);
        List<ModelBucket.Take> took = entry == null ? null : takes.get(entry.reference());
        if (took == null) {
            return "a refund of a charge the model does not know";
        }
        long charged = took.stream().mapToLong(ModelBucket.Take::amount).sum();
        long already = refunded.getOrDefault(entry.reference(), 0L);
        long amount = a.amount() == 0 ? charged - already : a.amount();
        if (amount < 1 || already + amount > charged) {
            return "a refund of " + amount + " committed with " + (charged - already) + " left to refund";
        }
        refunded.put(entry.reference(), already + amount);
        List<ModelBucket.Take> portions = new ArrayList<>();
        long skip = already;
        long left = amount;
        for (int i = took.size() - 1; i >= 0 && left > 0; i--) {
            ModelBucket.Take t = took.get(i);
            long skipped = Math.min(skip, t.amount());
            skip -= skipped;
            long n = Math.min(left, t.amount() - skipped);
            if (n > 0) {
                portions.add(t.withAmount(n));
                left -= n;
            }
        }
        String bucket = entry.bucket();
        b.bucket(bucket).giveBack(bucket, portions, period, now, b.storedLots());
        return null;
    }

    private static LedgerEntry first(Commit c, EntryType type) {
        return c.entries().stream().filter(e -> e.type() == type).findFirst().orElse(null);
    }

}
