package com.tokenwallet.domain.usage;

import com.tokenwallet.domain.account.AccountId;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An account's ledger summed per interval and bucket (issue 17): every interval of the window, in order, each with
 * the buckets that moved in it. Amounts are whole tokens:
 * <ul>
 *   <li>{@code consumed}: tokens taken by debits and hold captures (positive);</li>
 *   <li>{@code refunded}: tokens returned by refunds;</li>
 *   <li>{@code granted}: the signed sum of signup grants, admin grants and adjustments, and the change plan resets made
 *       to the allowance;</li>
 *   <li>{@code purchased}: tokens credited by purchases, less those clawed back (signed);</li>
 *   <li>{@code byOperation}: {@code consumed} per catalog operation (debits by bucket and amount name none, so the
 *       operations may sum to less than {@code consumed}).</li>
 * </ul>
 * Holds, releases and expiries move no tokens and count nowhere.
 */
public record UsageReport(AccountId accountId, Granularity granularity, List<Interval> intervals) {
    public UsageReport {
        intervals = List.copyOf(intervals);
    }

    public record Interval(Instant start, Map<String, BucketUsage> buckets) {
        public Interval {
            buckets = Map.copyOf(buckets);
        }
    }

    public record BucketUsage(long consumed, long refunded, long granted, long purchased, Map<String, Long> byOperation) {
        public BucketUsage {
            byOperation = Map.copyOf(byOperation);
        }
    }
}
