package com.tokenwallet.simulation;

import com.tokenwallet.domain.account.Account;
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
 * The reference model's side of Stripe and owed payments: each payment credited once (as purchase lots), what it
 * credited bucket by bucket, what claw-backs took back of it and whether it is disputed; and the effect of the other
 * Stripe events on an account.
 */
final class BillingModel {
    private final Catalog catalog;
    /** What each payment credited (once: a payment is credited when it is here), bucket by bucket; what claw-backs took back of it (their targets); which are disputed. */
    private final Map<String, Map<String, Long>> credited = new HashMap<>();
    private final Map<String, Map<String, Long>> clawed = new HashMap<>();
    private final java.util.Set<String> disputed = new java.util.HashSet<>();
    /** The index of the commit that credited each payment. */
    private final Map<String, Integer> creditedAt = new HashMap<>();

    BillingModel(Catalog catalog) {
        this.catalog = catalog;
    }

    /** A package paid: credited once, a purchase lot per bucket of its tokens and bonus. */
    String purchase(ModelAccount b, StripeEvent.Purchase p, Instant now) {
        if (credited.containsKey(p.paymentId())) {
            return "payment " + p.paymentId() + " credited again";
        }
        var pkg = catalog.packages().get(p.packageId());
        Map<String, Long> tokens = new java.util.TreeMap<>();
        pkg.tokens().forEach((bucket, n) -> tokens.merge(bucket, n, Long::sum));
        pkg.bonusTokens().forEach((bucket, n) -> tokens.merge(bucket, n, Long::sum));
        tokens.values().removeIf(n -> n <= 0);
        tokens.forEach((bucket, n) -> b.purchaseLot(bucket, p.paymentId(), n, now));
        credited.put(p.paymentId(), tokens);
        return null;
    }

    /** An owed payment settled by crediting it: once, whether by its events or so, as a purchase lot. */
    String settleOwed(ModelAccount b, Action.SettleOwed a, Instant now) {
        if (credited.containsKey(a.paymentId())) {
            return "payment " + a.paymentId() + " credited again (settled as owed)";
        }
        b.purchaseLot(a.bucket(), a.paymentId(), a.tokens(), now);
        credited.put(a.paymentId(), Map.of(a.bucket(), a.tokens()));
        return null;
    }

    /**
     * After each write (the {@code index}-th): a dispute of a credited payment makes later refunds take all of it
     * back; a payment credited by it is noted as credited there.
     */
    void committed(Commit c, int index) {
        if (c.step() != null && c.step().action() instanceof Action.Stripe s && s.event() instanceof StripeEvent.Dispute d
                && credited.containsKey(d.paymentId())) {
            disputed.add(d.paymentId());
        }
        credited.keySet().forEach(p -> creditedAt.putIfAbsent(p, index));
    }

    /**
     * After every write was fed: each refund or dispute answered (any outcome) of a payment credited before the
     * request began must be taken back by the end, bucket by bucket: what was taken back only grows, and a later
     * event's target is at least as large, so the end's claw-backs reach every answered event's target.
     */
    List<String> answeredClawBacks(List<Step> steps, Map<Integer, Outcome> outcomes, Map<Integer, RefusalCheck.Span> spans) {
        List<String> anomalies = new ArrayList<>();
        for (Step step : steps) {
            Outcome outcome = outcomes.get(step.id());
            RefusalCheck.Span span = spans.get(step.id());
            if (!(step.action() instanceof Action.Stripe s) || outcome == null || outcome.kind() != Outcome.Kind.OK || span == null) {
                continue;
            }
            String payment = s.event() instanceof StripeEvent.Refunded r ? r.paymentId()
                    : s.event() instanceof StripeEvent.Dispute d ? d.paymentId() : null;
            Integer at = payment == null ? null : creditedAt.get(payment);
            if (at == null || at >= span.fromCommit()) {
                continue;
            }
            for (Map.Entry<String, Long> c : new java.util.TreeMap<>(credited.get(payment)).entrySet()) {
                long target = target(s.event(), payment, c.getValue());
                long taken = clawed.getOrDefault(payment, Map.of()).getOrDefault(c.getKey(), 0L);
                if (taken < target) {
                    anomalies.add(step + " answered " + outcome.body() + ", but of the " + c.getValue() + " " + c.getKey() + " payment "
                            + payment + " credited, " + taken + " were taken back in the end, not " + target);
                }
            }
        }
        return anomalies;
    }

    /**
     * A Stripe event other than a purchase. One that claws tokens back is modelled lot by lot ({@link #clawBack}).
     * A subscription event's rules of order (which event wins, which plan, whether the period ended) are the billing
     * rules themselves, so the model takes them as its entries and the written plan say: a rollover lot its entries
     * name must carry what the ended plan's rule carries of the unused allowance, as a lot of the ended period
     * expiring by the rule; when its entries give an allowance, every bucket gets the written plan's (never less than
     * holds need, debt repaid first). Everything else must stay as it was.
     */
    String event(ModelAccount b, Commit c, Account model, Period period) {
        List<LedgerEntry> clawbacks = c.entries().stream().filter(e -> e.type() == EntryType.CLAWBACK).toList();
        StripeEvent stripe = ((Action.Stripe) c.step().action()).event();
        if (!clawbacks.isEmpty()) {
            return clawBack(b, clawbacks, stripe);
        }
        String unwritten = clawBackDue(stripe);
        if (unwritten != null) {
            return unwritten;
        }
        var endedPlan = catalog.planOrDefault(model.plan());
        for (LedgerEntry e : c.entries()) {
            String ref = e.reference() == null ? "" : e.reference();
            if (e.type() != EntryType.PLAN_RESET || !ref.startsWith("rollover:") || b.bucket(e.bucket()).hasLot(ref)) {
                continue; // (a rollover the model made itself, at a calendar period's end before the event, is not the event's)
            }
            var rule = endedPlan.rollover().get(e.bucket());
            long carried = rule == null ? 0 : b.carry(e.bucket(), rule, endedPlan, period, c.after().period());
            if (carried == 0 || carried != e.purchasedDelta()) {
                return "rolled " + e.purchasedDelta() + " " + e.bucket() + " over into " + ref + "; the ended plan " + endedPlan.id()
                        + " carries " + carried;
            }
        }
        boolean allowance = c.entries().stream().anyMatch(e -> e.type() == EntryType.PLAN_RESET && e.description() != null
                && (e.description().startsWith("subscription ") || e.description().startsWith("invoice ")));
        if (allowance) {
            b.planAllowance(catalog.planOrDefault(c.after().plan()));
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
    private String clawBack(ModelAccount b, List<LedgerEntry> clawbacks, StripeEvent event) {
        String payment = clawbacks.getFirst().reference();
        Map<String, Long> credit = credited.get(payment);
        if (credit == null) {
            return "a claw-back of payment " + payment + ", which the model never credited";
        }
        Map<String, Long> clawedBack = clawed.computeIfAbsent(payment, k -> new java.util.HashMap<>());
        List<String> expectedBuckets = new ArrayList<>();
        for (Map.Entry<String, Long> c : new java.util.TreeMap<>(credit).entrySet()) {
            long target = target(event, payment, c.getValue());
            long due = target - clawedBack.getOrDefault(c.getKey(), 0L);
            if (due <= 0) {
                continue;
            }
            expectedBuckets.add(c.getKey());
            ModelBucket v = b.bucket(c.getKey());
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
     * A write of a refund or dispute of a credited payment that holds no claw-back: an anomaly when the model has
     * tokens due back (what {@link #clawBack} would take), else null. (A write that is not made at all is not seen here.)
     */
    String clawBackDue(StripeEvent event) {
        String payment = event instanceof StripeEvent.Refunded r ? r.paymentId() : event instanceof StripeEvent.Dispute d ? d.paymentId() : null;
        Map<String, Long> credit = payment == null ? null : credited.get(payment);
        if (credit == null) {
            return null;
        }
        Map<String, Long> clawedBack = clawed.getOrDefault(payment, Map.of());
        for (Map.Entry<String, Long> c : new java.util.TreeMap<>(credit).entrySet()) {
            long due = target(event, payment, c.getValue()) - clawedBack.getOrDefault(c.getKey(), 0L);
            if (due > 0) {
                return event + " wrote no claw-back; the model has " + due + " " + c.getKey() + " due back";
            }
        }
        return null;
    }

    /** How many of the {@code tokens} a payment credited to a bucket are to be taken back in all after this event. */
    private long target(StripeEvent event, String payment, long tokens) {
        if (event instanceof StripeEvent.Dispute || disputed.contains(payment)) {
            return tokens;
        }
        return event instanceof StripeEvent.Refunded r && r.amountCents() > 0
                ? tokens * Math.min(r.refundedCents(), r.amountCents()) / r.amountCents() : 0;
    }

}
