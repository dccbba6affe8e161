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
    private final java.util.Set<String> paid = new java.util.HashSet<>();
    /** What each payment credited, bucket by bucket; what claw-backs took back of it (their targets); which are disputed. */
    private final Map<String, Map<String, Long>> credited = new HashMap<>();
    private final Map<String, Map<String, Long>> clawed = new HashMap<>();
    private final java.util.Set<String> disputed = new java.util.HashSet<>();

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
            String recorded = recordedBalances(model, c);
            if (recorded != null) {
                anomalies.add(where + recorded);
            }
            String problem = expected(model, c);
            if (problem != null) {
                anomalies.add(where + problem + " (step: " + (c.step() == null ? "-" : c.step().action()) + ")");
            }
            if (c.step() != null && c.step().action() instanceof Action.Stripe s && s.event() instanceof StripeEvent.Dispute d
                    && credited.containsKey(d.paymentId())) {
                disputed.add(d.paymentId()); // its purchase is disputed: later refunds take all of it back
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
        Map<String, ModelBucket> b = new LinkedHashMap<>();
        model.buckets().forEach((k, v) -> b.put(k, ModelBucket.of(v)));
        catalog.buckets().forEach(k -> b.computeIfAbsent(k, x -> ModelBucket.of(BucketBalance.EMPTY)));
        Map<String, PendingHold> holds = new LinkedHashMap<>(model.holds());
        if (c.entries().isEmpty()) {
            String differs = sameBuckets(b, holds, c.after());
            return differs == null ? null : "a write without ledger entries changed the account: " + differs;
        }
        Instant now = c.entries().getFirst().createdAt();
        for (PendingHold h : List.copyOf(holds.values())) {
            if (!now.isBefore(h.expiresAt())) {
                holds.remove(h.holdId());
                b.get(h.bucket()).held -= h.amount();
            }
        }
        Period period = model.period();
        if (!model.billing().onSubscription() && !now.isBefore(period.endsAt())) {
            Period next = Period.calendarMonthOf(now);
            var plan = catalog.planOrDefault(model.plan());
            rollOver(b, plan, period, next);
            period = next;
            b.forEach((bucket, v) -> planAllowance(v, plan.allowanceFor(bucket)));
        }
        b.values().forEach(v -> v.expire(now));
        Action action = c.step() == null ? null : c.step().action();
        String refusal = switch (action) {
            case Action.Debit a -> charge(b, c, EntryType.DEBIT, catalog.price(a.operation(), Map.of()).bucket(),
                    catalog.price(a.operation(), Map.of()).amountTokens(), period, model.createdAt());
            case Action.Hold a -> {
                String bucket = catalog.price(a.operation(), Map.of()).bucket();
                long amount = catalog.price(a.operation(), Map.of()).amountTokens();
                ModelBucket v = b.get(bucket);
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
                b.get(h.bucket()).held -= h.amount();
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
                b.get(h.bucket()).held -= h.amount();
                yield null;
            }
            case Action.Refund a -> refund(b, c, a, period, now);
            case Action.Grant a -> {
                ModelBucket v = b.get(a.bucket());
                if (a.storesLot()) {
                    // A grant with terms is a lot of its own, named by its transaction (issue 15).
                    LedgerEntry e = first(c, EntryType.GRANT);
                    v.addLot(new ModelBucket.ModelLot("lot_" + e.transactionId(), "grant", a.amount(), a.amount(),
                            a.priority() == null ? 50 : a.priority(), a.expiresAt(), now));
                } else {
                    v.addUnlotted(a.amount());
                }
                yield null;
            }
            case Action.Adjust a -> {
                ModelBucket v = b.get(a.bucket());
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
            case Action.Stripe s when s.event() instanceof StripeEvent.Purchase p -> {
                if (!paid.add(p.paymentId())) {
                    yield "payment " + p.paymentId() + " credited again";
                }
                var pkg = catalog.packages().get(p.packageId());
                Map<String, Long> credited = new java.util.TreeMap<>();
                pkg.tokens().forEach((bucket, n) -> credited.merge(bucket, n, Long::sum));
                pkg.bonusTokens().forEach((bucket, n) -> credited.merge(bucket, n, Long::sum));
                credited.values().removeIf(n -> n <= 0);
                credited.forEach((bucket, n) -> purchaseLot(b, bucket, p.paymentId(), n, now));
                this.credited.put(p.paymentId(), credited);
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
                ModelBucket v = b.get(a.bucket());
                long needed = Math.max(Math.max(0, -v.unlotted()), v.held - v.allowance - v.purchased);
                v.creditLimit = a.limit();
                yield a.limit() < needed ? "a credit limit of " + a.limit() + " committed where the bucket needs " + needed : null;
            }
            case Action.SettleOwed a when a.credit() -> {
                if (!paid.add(a.paymentId())) {
                    yield "payment " + a.paymentId() + " credited again (settled as owed)";
                }
                purchaseLot(b, a.bucket(), a.paymentId(), a.tokens(), now);
                credited.put(a.paymentId(), Map.of(a.bucket(), a.tokens()));
                yield null;
            }
            case null, default -> action instanceof Action.Stripe ? stripeEvent(b, c, model, period) : null;
        };
        if (refusal != null) {
            return refusal;
        }
        String differs = sameBuckets(b, holds, c.after());
        return differs == null ? null : "wrote " + differs;
    }

    /**
     * A Stripe event other than a purchase. One that claws tokens back is modelled lot by lot ({@link #clawBack}).
     * A subscription event's rules of order (which event wins, which plan, whether the period ended) are the billing
     * rules themselves, so the model takes them as its entries and the written plan say: a rollover lot its entries
     * name must carry what the ended plan's rule carries of the unused allowance, as a lot of the ended period
     * expiring by the rule; when its entries give an allowance, every bucket gets the written plan's (never less than
     * holds need, debt repaid first). Everything else must stay as it was.
     */
    private String stripeEvent(Map<String, ModelBucket> b, Commit c, Account model, Period period) {
        List<LedgerEntry> clawbacks = c.entries().stream().filter(e -> e.type() == EntryType.CLAWBACK).toList();
        if (!clawbacks.isEmpty()) {
            return clawBack(b, clawbacks, ((Action.Stripe) c.step().action()).event());
        }
        var endedPlan = catalog.planOrDefault(model.plan());
        for (LedgerEntry e : c.entries()) {
            String ref = e.reference() == null ? "" : e.reference();
            if (e.type() != EntryType.PLAN_RESET || !ref.startsWith("rollover:") || b.get(e.bucket()).hasLot(ref)) {
                continue; // (a rollover the model made itself, at a calendar period's end before the event, is not the event's)
            }
            var rule = endedPlan.rollover().get(e.bucket());
            long carried = rule == null ? 0 : carry(b, e.bucket(), rule, endedPlan, period, c.after().period());
            if (carried == 0 || carried != e.purchasedDelta()) {
                return "rolled " + e.purchasedDelta() + " " + e.bucket() + " over into " + ref + "; the ended plan " + endedPlan.id()
                        + " carries " + carried;
            }
        }
        boolean allowance = c.entries().stream().anyMatch(e -> e.type() == EntryType.PLAN_RESET && e.description() != null
                && (e.description().startsWith("subscription ") || e.description().startsWith("invoice ")));
        if (allowance) {
            var plan = catalog.planOrDefault(c.after().plan());
            b.forEach((bucket, v) -> planAllowance(v, plan.allowanceFor(bucket)));
        }
        return null;
    }

    /**
     * A Stripe refund or dispute taking a package's tokens back, bucket by bucket of what the payment credited: a
     * dispute all of it, a refund the share refunded so far (cumulative, so a repeated or older event takes nothing
     * more), less what earlier events took back; never more than the purchased tokens holds do not need (the rest is
     * a shortfall, still counted as taken back); from the payment's own lot first, then the unlotted tokens, then the
     * other lots in burn-down order (issue 15).
     */
    private String clawBack(Map<String, ModelBucket> b, List<LedgerEntry> clawbacks, StripeEvent event) {
        String payment = clawbacks.getFirst().reference();
        boolean dispute = event instanceof StripeEvent.Dispute || disputed.contains(payment);
        Map<String, Long> credit = credited.get(payment);
        if (credit == null) {
            return "a claw-back of payment " + payment + ", which the model never credited";
        }
        Map<String, Long> clawedBack = clawed.computeIfAbsent(payment, k -> new java.util.HashMap<>());
        List<String> expectedBuckets = new ArrayList<>();
        for (Map.Entry<String, Long> c : new java.util.TreeMap<>(credit).entrySet()) {
            long target = dispute ? c.getValue() : event instanceof StripeEvent.Refunded r && r.amountCents() > 0
                    ? c.getValue() * Math.min(r.refundedCents(), r.amountCents()) / r.amountCents() : 0;
            long due = target - clawedBack.getOrDefault(c.getKey(), 0L);
            if (due <= 0) {
                continue;
            }
            expectedBuckets.add(c.getKey());
            ModelBucket v = b.get(c.getKey());
            long taken = Math.min(due, Math.max(0, v.purchased - Math.max(0, v.held - v.allowance)));
            LedgerEntry e = clawbacks.stream().filter(x -> x.bucket().equals(c.getKey())).findFirst().orElse(null);
            if (e == null || e.allowanceDelta() != 0 || -e.purchasedDelta() != taken) {
                return "a claw-back of payment " + payment + " took " + (e == null ? "nothing" : -e.purchasedDelta() + " (allowance "
                        + e.allowanceDelta() + ")") + " of " + c.getKey() + "; the model takes " + taken + " of " + due + " due";
            }
            v.minusFrom("purchase:" + c.getKey() + ":" + payment, taken);
            clawedBack.put(c.getKey(), target);
        }
        List<String> written = clawbacks.stream().map(LedgerEntry::bucket).toList();
        return written.equals(expectedBuckets) ? null : "claw-backs of " + written + "; the model expects " + expectedBuckets;
    }

    /**
     * A debit or capture: available within the credit limit, taken in burn-down order; the charge's entry must name
     * the lots the model took from (ids and amounts, in that order), which its refunds give back to.
     */
    private String charge(Map<String, ModelBucket> b, Commit c, EntryType type, String bucket, long amount, Period period,
                          Instant accountCreatedAt) {
        ModelBucket v = b.get(bucket);
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

    /** A package paid (or an owed payment credited): a purchase lot per bucket, unlotted once the account stores all it may. */
    private static void purchaseLot(Map<String, ModelBucket> b, String bucket, String paymentId, long tokens, Instant now) {
        ModelBucket v = b.get(bucket);
        if (storedLots(b) < com.tokenwallet.domain.Limits.MAX_STORED_LOTS) {
            v.addLot(new ModelBucket.ModelLot("purchase:" + bucket + ":" + paymentId, "purchase", tokens, tokens, 50, null, now));
        } else {
            v.addUnlotted(tokens);
        }
    }

    /**
     * The end of a calendar period: each bucket the plan's rollover rule names carries its unused allowance (not
     * reserved by holds), up to the rule's caps, into a rollover lot of the ended period, created at its start and
     * expiring at the end of the rule's n-th period from the next on; the allowance replacement then lets the rest lapse.
     */
    private static void rollOver(Map<String, ModelBucket> b, com.tokenwallet.domain.catalog.Plan plan, Period ended, Period next) {
        plan.rollover().forEach((bucket, rule) -> carry(b, bucket, rule, plan, ended, next));
    }

    /** One bucket's rollover at the end of {@code ended} (see {@link #rollOver}); the tokens carried, 0 if none. */
    private static long carry(Map<String, ModelBucket> b, String bucket, com.tokenwallet.domain.catalog.RolloverRule rule,
                              com.tokenwallet.domain.catalog.Plan plan, Period ended, Period next) {
        ModelBucket v = b.computeIfAbsent(bucket, x -> ModelBucket.of(BucketBalance.EMPTY));
        long tokens = Math.max(0, Math.min(v.allowance, v.allowance + v.purchased - v.held));
        if (rule.maxTokens().isPresent()) {
            tokens = Math.min(tokens, rule.maxTokens().getAsLong());
        }
        if (rule.maxPercent().isPresent()) {
            tokens = Math.min(tokens, plan.allowanceFor(bucket) * rule.maxPercent().getAsInt() / 100);
        }
        String id = "rollover:" + bucket + ":" + ended.id();
        if (tokens == 0 || storedLots(b) >= com.tokenwallet.domain.Limits.MAX_STORED_LOTS || v.hasLot(id)) {
            return 0;
        }
        Instant expiresAt = rule.expiresAfterPeriods().isPresent()
                ? next.endsAt().atOffset(java.time.ZoneOffset.UTC).plusMonths(rule.expiresAfterPeriods().getAsInt() - 1L).toInstant()
                : null;
        v.addLot(new ModelBucket.ModelLot(id, "rollover", tokens, tokens, 50, expiresAt, ended.startsAt()));
        v.setAllowance(v.allowance - tokens);
        return tokens;
    }

    private static int storedLots(Map<String, ModelBucket> b) {
        return b.values().stream().mapToInt(ModelBucket::storedLots).sum();
    }

    /**
     * A refund gives back the charge's takes from the last one on (skipping what earlier refunds gave back), each to
     * the lot it came from (see {@link ModelBucket#giveBack}).
     */
    private String refund(Map<String, ModelBucket> b, Commit c, Action.Refund a, Period period, Instant now) {
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
        b.get(bucket).giveBack(bucket, portions, period, now, storedLots(b));
        return null;
    }

    /**
     * The plan's allowance for a bucket, never less than what pending holds need beyond the purchased part and the
     * credit limit; then the debt repaid from it.
     */
    private static void planAllowance(ModelBucket v, long planAllowance) {
        long allowance = Math.max(planAllowance, v.held - v.purchased - v.creditLimit);
        if (allowance != v.allowance) {
            v.setAllowance(allowance);
        }
    }

    private static LedgerEntry first(Commit c, EntryType type) {
        return c.entries().stream().filter(e -> e.type() == type).findFirst().orElse(null);
    }

    /** Null when the written account has the model's buckets (parts and lots) and holds, else what differs. */
    private static String sameBuckets(Map<String, ModelBucket> b, Map<String, PendingHold> holds, Account after) {
        if (!holds.keySet().equals(after.holds().keySet())) {
            return "holds " + after.holds().keySet() + ", the model expects " + holds.keySet();
        }
        java.util.Set<String> buckets = new java.util.TreeSet<>(b.keySet());
        buckets.addAll(after.buckets().keySet());
        for (String bucket : buckets) {
            ModelBucket v = b.getOrDefault(bucket, ModelBucket.of(BucketBalance.EMPTY));
            String differs = v.differs(after.bucket(bucket));
            if (differs != null) {
                return bucket + ": " + differs;
            }
        }
        return null;
    }
}
