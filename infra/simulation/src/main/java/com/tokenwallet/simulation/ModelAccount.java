package com.tokenwallet.simulation;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Lot;
import com.tokenwallet.domain.account.PendingHold;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.catalog.Catalog;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An account as the reference model computes it during one write: its buckets lot by lot ({@link ModelBucket}) and
 * its pending holds, with the rules that span buckets (the stored-lot bound, purchase lots, a period's rollover and
 * allowance, expiry) and the comparison with what was written.
 */
final class ModelAccount {
    final Map<String, ModelBucket> buckets = new LinkedHashMap<>();
    final Map<String, PendingHold> holds = new LinkedHashMap<>();

    /** The account as it was before the write, with every bucket of the catalog. */
    static ModelAccount of(Account account, Catalog catalog) {
        ModelAccount m = new ModelAccount();
        account.buckets().forEach((k, v) -> m.buckets.put(k, ModelBucket.of(v)));
        catalog.buckets().forEach(m::bucket);
        m.holds.putAll(account.holds());
        return m;
    }

    ModelBucket bucket(String name) {
        return buckets.computeIfAbsent(name, x -> ModelBucket.of(BucketBalance.EMPTY));
    }

    /** Pending holds expired by {@code now} end: their tokens are no longer held. */
    void releaseExpiredHolds(Instant now) {
        for (PendingHold h : List.copyOf(holds.values())) {
            if (!now.isBefore(h.expiresAt())) {
                holds.remove(h.holdId());
                bucket(h.bucket()).held -= h.amount();
            }
        }
    }

    /** Every bucket's stored lots expired by {@code now} lapse (see {@link ModelBucket#expire}). */
    void expire(Instant now) {
        buckets.values().forEach(v -> v.expire(now));
    }

    /** A package paid (or an owed payment credited): a purchase lot per bucket, unlotted once the account stores all it may. */
    void purchaseLot(String bucket, String paymentId, long tokens, Instant now) {
        ModelBucket v = bucket(bucket);
        if (storedLots() < com.tokenwallet.domain.Limits.MAX_STORED_LOTS) {
            v.addLot(new ModelBucket.ModelLot("purchase:" + bucket + ":" + paymentId, "purchase", tokens, tokens, Lot.DEFAULT_PRIORITY, null, now));
        } else {
            v.addUnlotted(tokens);
        }
    }

    /**
     * The end of a calendar period: each bucket the plan's rollover rule names carries its unused allowance (not
     * reserved by holds), up to the rule's caps, into a rollover lot of the ended period, created at its start and
     * expiring at the end of the rule's n-th period from the next on; the allowance replacement then lets the rest lapse.
     */
    void rollOver(com.tokenwallet.domain.catalog.Plan plan, Period ended, Period next) {
        plan.rollover().forEach((bucket, rule) -> carry(bucket, rule, plan, ended, next));
    }

    /** One bucket's rollover at the end of {@code ended} (see {@link #rollOver}); the tokens carried, 0 if none. */
    long carry(String bucket, com.tokenwallet.domain.catalog.RolloverRule rule, com.tokenwallet.domain.catalog.Plan plan,
               Period ended, Period next) {
        ModelBucket v = bucket(bucket);
        long tokens = Math.max(0, Math.min(v.allowance, v.allowance + v.purchased - v.held));
        if (rule.maxTokens().isPresent()) {
            tokens = Math.min(tokens, rule.maxTokens().getAsLong());
        }
        if (rule.maxPercent().isPresent()) {
            tokens = Math.min(tokens, plan.allowanceFor(bucket) * rule.maxPercent().getAsInt() / 100);
        }
        String id = "rollover:" + bucket + ":" + ended.id();
        if (tokens == 0 || storedLots() >= com.tokenwallet.domain.Limits.MAX_STORED_LOTS || v.hasLot(id)) {
            return 0;
        }
        Instant expiresAt = rule.expiresAfterPeriods().isPresent()
                ? next.endsAt().atOffset(java.time.ZoneOffset.UTC).plusMonths(rule.expiresAfterPeriods().getAsInt() - 1L).toInstant()
                : null;
        v.addLot(new ModelBucket.ModelLot(id, "rollover", tokens, tokens, Lot.DEFAULT_PRIORITY, expiresAt, ended.startsAt()));
        v.setAllowance(v.allowance - tokens);
        return tokens;
    }

    /** How many lots the whole account stores. */
    int storedLots() {
        return buckets.values().stream().mapToInt(ModelBucket::storedLots).sum();
    }

    /**
     * The plan's allowance for every bucket, never less than what pending holds need beyond the purchased part and the
     * credit limit; then the debt repaid from it.
     */
    void planAllowance(com.tokenwallet.domain.catalog.Plan plan) {
        buckets.forEach((bucket, v) -> planAllowance(v, plan.allowanceFor(bucket)));
    }

    private static void planAllowance(ModelBucket v, long planAllowance) {
        long allowance = Math.max(planAllowance, v.held - v.purchased - v.creditLimit);
        if (allowance != v.allowance) {
            v.setAllowance(allowance);
        }
    }

    /** Null when the written account has the model's buckets (parts and lots) and holds, else what differs. */
    String differs(Account after) {
        if (!holds.keySet().equals(after.holds().keySet())) {
            return "holds " + after.holds().keySet() + ", the model expects " + holds.keySet();
        }
        java.util.Set<String> names = new java.util.TreeSet<>(buckets.keySet());
        names.addAll(after.buckets().keySet());
        for (String bucket : names) {
            ModelBucket v = buckets.getOrDefault(bucket, ModelBucket.of(BucketBalance.EMPTY));
            String differs = v.differs(after.bucket(bucket));
            if (differs != null) {
                return bucket + ": " + differs;
            }
        }
        return null;
    }
}
