package com.tokenwallet.domain.service;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.catalog.Plan;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The one rule for giving an account its plan's allowance (the monthly roll-over, a plan change, a paid
 * subscription invoice): every bucket's allowance becomes what the plan grants, never less than what pending holds
 * need beyond the purchased part, so a hold can always be captured.
 */
public final class PlanAllowance {
    private PlanAllowance() {
    }

    /** The account with the plan's allowance in the catalog's buckets and its own, and each changed bucket's delta. */
    public static Replaced replace(Account account, Plan plan, Collection<String> catalogBuckets) {
        Set<String> buckets = new LinkedHashSet<>(catalogBuckets);
        buckets.addAll(account.buckets().keySet());
        Account after = account;
        Map<String, Delta> deltas = new LinkedHashMap<>();
        for (String bucket : buckets) {
            BucketBalance balance = account.bucket(bucket);
            long allowance = Math.max(plan.allowanceFor(bucket), balance.held() - balance.purchased() - balance.creditLimit());
            if (allowance != balance.allowance()) {
                // A bucket in debt repays it from the new allowance first (issue 15): those tokens move to the purchased part.
                BucketBalance.Settled settled = balance.withAllowance(allowance);
                after = after.withBucket(bucket, settled.after());
                deltas.put(bucket, new Delta(allowance - settled.fromAllowance() - balance.allowance(), settled.fromAllowance()));
            }
        }
        return new Replaced(after, deltas);
    }

    /**
     * How a bucket's parts moved: {@code purchased} is the new allowance's tokens that repaid debt (0 without debt), so
     * the entry's amount, {@code allowance + purchased}, is the change of the balance.
     */
    public record Delta(long allowance, long purchased) {
        public long amount() {
            return allowance + purchased;
        }
    }

    /** The account after the replacement, and the deltas of each bucket that changed (in bucket order). */
    public record Replaced(Account account, Map<String, Delta> deltas) {
    }
}
