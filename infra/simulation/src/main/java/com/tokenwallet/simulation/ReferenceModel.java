package com.tokenwallet.simulation;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.PendingHold;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain sequential model of the wallet, fed the writes in the order they committed: for each, it computes from
 * its own state and the step that made the write what the balances must become (expired holds released, the period
 * rolled over, then the step's own effect: debit allowance first, hold, capture, release, refund in reverse
 * burn-down (purchased first, then the allowance, which lapses once the charge's period is over; the simulated
 * accounts have no expiring lots, so that is what giving tokens back to the charge's lots comes to here),
 * grant, adjustment, admin plan change, credit limit, package credited once whether by its events or by settling it
 * as owed; charges may take a bucket below zero within its credit limit, and that debt is repaid first by tokens
 * added to the allowance, as issue 15 says) and
 * compares with what was written; each Stripe event is applied once. Subscription events and claw-backs are taken
 * as written (their rules are the billing rules themselves), except that they may not touch the purchased part or
 * the holds beyond what they say. Each write must also start from the model's version of the account: a write over
 * a state the model never had is a lost update.
 */
final class ReferenceModel {
    private final Catalog catalog;
    private final Map<String, Account> accounts = new HashMap<>();
    private final Map<String, LedgerEntry> charges = new HashMap<>();
    /** The period each charge was made in (by id): its allowance tokens come back only while that period lasts. */
    private final Map<String, String> chargePeriods = new HashMap<>();
    private final Map<String, long[]> refunded = new HashMap<>();
    private final java.util.Set<String> paid = new java.util.HashSet<>();

    ReferenceModel(Catalog catalog) {
        this.catalog = catalog;
    }

    List<String> feed(List<Commit> commits) {
        List<String> anomalies = new ArrayList<>();
        java.util.Set<String> events = new java.util.HashSet<>();
        for (Commit c : commits) {
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
            c.entries().forEach(e -> {
                if (e.type() == EntryType.DEBIT || e.type() == EntryType.CAPTURE) {
                    charges.put(e.transactionId(), e);
                    chargePeriods.put(e.transactionId(), c.after().period().id());
                }
            });
            String recorded = recordedBalances(model, c);
            if (recorded != null) {
                anomalies.add(where + recorded);
            }
            String problem = expected(model, c);
            if (problem != null) {
                anomalies.add(where + problem + " (step: " + (c.step() == null ? "-" : c.step().action()) + ")");
            }
            accounts.put(name, c.after());
        }
        return anomalies;
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
        Map<String, long[]> b = new LinkedHashMap<>();
        model.buckets().forEach((k, v) -> b.put(k, new long[] {v.allowance(), v.purchased(), v.held(), v.creditLimit()}));
        Map<String, PendingHold> holds = new LinkedHashMap<>(model.holds());
        if (c.entries().isEmpty()) {
            return sameBuckets(b, holds, c.after()) ? null : "a write without ledger entries changed the balance";
        }
        Instant now = c.entries().getFirst().createdAt();
        for (PendingHold h : List.copyOf(holds.values())) {
            if (!now.isBefore(h.expiresAt())) {
                holds.remove(h.holdId());
                b.get(h.bucket())[2] -= h.amount();
            }
        }
        Period period = model.period();
        if (!model.billing().onSubscription() && !now.isBefore(period.endsAt())) {
            period = Period.calendarMonthOf(now);
            var plan = catalog.planOrDefault(model.plan());
            b.forEach((bucket, v) -> planAllowance(v, plan.allowanceFor(bucket)));
        }
        Action action = c.step() == null ? null : c.step().action();
        String refusal = switch (action) {
            case Action.Debit a -> take(b, catalog.price(a.operation(), Map.of()).bucket(), catalog.price(a.operation(), Map.of()).amountTokens());
            case Action.Hold a -> {
                String bucket = catalog.price(a.operation(), Map.of()).bucket();
                long amount = catalog.price(a.operation(), Map.of()).amountTokens();
                long[] v = b.get(bucket);
                if (v[0] + v[1] - v[2] + v[3] < amount) {
                    yield "a hold of " + amount + " committed with " + (v[0] + v[1] - v[2] + v[3]) + " available";
                }
                v[2] += amount;
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
                b.get(h.bucket())[2] -= h.amount();
                long amount = a.amount() == 0 ? h.amount() : a.amount();
                yield amount > h.amount() ? "captured " + amount + " of a hold of " + h.amount() : take(b, h.bucket(), amount);
            }
            case Action.Release a -> {
                LedgerEntry e = first(c, EntryType.RELEASE);
                PendingHold h = e == null ? null : holds.remove(e.reference());
                if (h == null) {
                    yield "a release of a hold the model has not pending";
                }
                b.get(h.bucket())[2] -= h.amount();
                yield null;
            }
            case Action.Refund a -> refund(b, c, a, period);
            case Action.Grant a -> {
                b.get(a.bucket())[1] += a.amount();
                yield null;
            }
            case Action.Adjust a -> {
                long[] v = b.get(a.bucket());
                v[a.purchased() ? 1 : 0] += a.amount();
                if (a.amount() > 0) {
                    settle(v); // tokens added repay the debt first
                    yield null;
                }
                yield v[0] < 0 || v[1] < 0 || v[0] + v[1] < v[2] ? "an adjustment left " + a.bucket() + " below zero or its holds" : null;
            }
            case Action.Stripe s when s.event() instanceof StripeEvent.Purchase p -> {
                if (!paid.add(p.paymentId())) {
                    yield "payment " + p.paymentId() + " credited again";
                }
                var pkg = catalog.packages().get(p.packageId());
                pkg.tokens().forEach((bucket, n) -> b.get(bucket)[1] += n);
                pkg.bonusTokens().forEach((bucket, n) -> b.get(bucket)[1] += n);
                yield null;
            }
            case Action.PlanChange a -> {
                // The plan changes; with the allowance now, each bucket's allowance becomes the plan's, never less
                // than what pending holds need beyond the purchased part.
                if (!a.plan().equals(c.after().plan())) {
                    yield "a plan change to " + a.plan() + " wrote plan " + c.after().plan();
                }
                if (a.resetNow()) {
                    var plan = catalog.planOrDefault(a.plan());
                    b.forEach((bucket, v) -> planAllowance(v, plan.allowanceFor(bucket)));
                }
                yield null;
            }
            case Action.CreditLimit a -> {
                long[] v = b.computeIfAbsent(a.bucket(), k -> new long[4]);
                long needed = Math.max(Math.max(0, -v[1]), v[2] - v[0] - v[1]);
                v[3] = a.limit();
                yield a.limit() < needed ? "a credit limit of " + a.limit() + " committed where the bucket needs " + needed : null;
            }
            case Action.SettleOwed a when a.credit() -> {
                if (!paid.add(a.paymentId())) {
                    yield "payment " + a.paymentId() + " credited again (settled as owed)";
                }
                b.computeIfAbsent(a.bucket(), k -> new long[4])[1] += a.tokens();
                yield null;
            }
            case null, default -> {
                if (action instanceof Action.Stripe) {
                    // taken as written; it must not touch what it does not own
                    for (Map.Entry<String, BucketBalance> after : c.after().buckets().entrySet()) {
                        long[] v = b.get(after.getKey());
                        if (v != null) {
                            boolean clawback = c.entries().stream().anyMatch(e -> e.type() == EntryType.CLAWBACK);
                            // A new allowance repays debt first (issue 15): the purchased part rises towards zero, no further.
                            boolean repaid = v[1] < 0 && after.getValue().purchased() > v[1] && after.getValue().purchased() <= 0;
                            if (!clawback && !repaid && after.getValue().purchased() != v[1]) {
                                yield "changed the purchased part of " + after.getKey();
                            }
                            v[0] = after.getValue().allowance();
                            v[1] = after.getValue().purchased();
                        }
                    }
                }
                yield null;
            }
        };
        if (refusal != null) {
            return refusal;
        }
        return sameBuckets(b, holds, c.after()) ? null : "balance " + c.after().buckets() + " holds " + c.after().holds().keySet()
                + ", the model expects " + describe(b) + " holds " + holds.keySet();
    }

    private String refund(Map<String, long[]> b, Commit c, Action.Refund a, Period period) {
        LedgerEntry entry = first(c, EntryType.REFUND);
        LedgerEntry charge = entry == null ? null : charges.get(entry.reference());
        if (charge == null) {
            return "a refund of a charge the model does not know";
        }
        long[] done = refunded.computeIfAbsent(charge.transactionId(), t -> new long[2]);
        long chargedAllowance = -charge.allowanceDelta();
        long chargedPurchased = -charge.purchasedDelta();
        long left = chargedAllowance + chargedPurchased - done[0] - done[1];
        long amount = a.amount() == 0 ? left : a.amount();
        if (amount < 1 || amount > left) {
            return "a refund of " + amount + " committed with " + left + " left to refund";
        }
        long toPurchased = Math.min(amount, chargedPurchased - done[1]);
        long toAllowance = amount - toPurchased;
        done[0] += toAllowance;
        done[1] += toPurchased;
        long[] v = b.get(charge.bucket());
        v[1] += toPurchased;
        // The allowance lot the charge took from is its period's (allowance:<bucket>:<period id>): its tokens come
        // back while the account is still in that period, else they lapse. (Not "the period contains the charge's
        // instant": a subscription's invoice may set a period that starts after a charge made in it.)
        if (period.id().equals(chargePeriods.get(charge.transactionId()))) {
            v[0] += toAllowance;
            settle(v);
        }
        return null;
    }

    private static String take(Map<String, long[]> b, String bucket, long amount) {
        long[] v = b.get(bucket);
        if (v[0] + v[1] - v[2] + v[3] < amount) {
            return "a charge of " + amount + " " + bucket + " committed with " + (v[0] + v[1] - v[2] + v[3]) + " available";
        }
        // Beyond the allowance and the purchased tokens, the rest is taken on credit: the purchased part goes below zero.
        long fromAllowance = Math.min(v[0], amount);
        v[0] -= fromAllowance;
        v[1] -= amount - fromAllowance;
        return null;
    }

    /**
     * The plan's allowance for a bucket ({@code v}: allowance, purchased, held, credit limit), never less than what
     * pending holds need beyond the purchased part and the credit limit; then the debt repaid from it.
     */
    private static void planAllowance(long[] v, long planAllowance) {
        v[0] = Math.max(planAllowance, v[2] - v[1] - v[3]);
        settle(v);
    }

    /**
     * Debt (issue 15) is the purchased part below zero (a bucket in debt has no tokens in lots): tokens added to the
     * allowance repay it first, moving to the purchased part.
     */
    private static void settle(long[] v) {
        if (v[1] < 0) {
            long repaid = Math.min(-v[1], v[0]);
            v[0] -= repaid;
            v[1] += repaid;
        }
    }

    private static LedgerEntry first(Commit c, EntryType type) {
        return c.entries().stream().filter(e -> e.type() == type).findFirst().orElse(null);
    }

    private static boolean sameBuckets(Map<String, long[]> b, Map<String, PendingHold> holds, Account after) {
        if (!holds.keySet().equals(after.holds().keySet())) {
            return false;
        }
        for (Map.Entry<String, long[]> e : b.entrySet()) {
            BucketBalance a = after.bucket(e.getKey());
            long[] v = e.getValue();
            if (a.allowance() != v[0] || a.purchased() != v[1] || a.held() != v[2] || a.creditLimit() != v[3]) {
                return false;
            }
        }
        return true;
    }

    private static String describe(Map<String, long[]> b) {
        StringBuilder s = new StringBuilder("{");
        b.forEach((k, v) -> s.append(k).append("=").append(v[0]).append("/").append(v[1]).append("/").append(v[2]).append(" limit ").append(v[3]).append(" "));
        return s.append("}").toString();
    }
}
