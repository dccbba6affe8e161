package com.tokenwallet.domain.service;

import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Lot;
import com.tokenwallet.domain.account.LotSource;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.catalog.Plan;
import com.tokenwallet.domain.catalog.RolloverRule;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rollover half of a period change (issue 15), shared by the lazy path, the quota reset job and a paid
 * subscription invoice: for each bucket whose plan has a {@link RolloverRule}, the unused allowance of the period
 * that ended, up to the rule's caps, becomes a {@code rollover} lot (id {@code rollover:<bucket>:<period>}, so the
 * same period can never roll twice); the allowance replacement that follows (PlanAllowance) lets the rest lapse.
 * The version-conditioned write makes it happen once, whoever writes first.
 */
public final class AllowanceRollover {
    private AllowanceRollover() {
    }

    /** A bucket's carried tokens and the lot that holds them. */
    public record Carried(String bucket, long tokens, Lot lot) {
    }

    /** The account with the carried tokens moved from its allowance into rollover lots, and what was carried. */
    public record Rolled(Account account, List<Carried> carried) {
    }

    /**
     * Moves the carried part of each bucket's unused allowance of {@code ended} (the allowance not reserved by
     * pending holds) into a rollover lot, on the account
     * as it stood at the end of {@code ended} (allowance not yet replaced). Buckets without a rule, with nothing
     * unused, or of an account that already stores the most lots, carry nothing.
     */
    public static Rolled carry(Account account, Plan plan, Period ended, Period next, Instant now) {
        Account after = account;
        List<Carried> carried = new ArrayList<>();
        for (Map.Entry<String, RolloverRule> rule : plan.rollover().entrySet()) {
            String bucket = rule.getKey();
            BucketBalance balance = after.bucket(bucket);
            // Tokens pending holds reserve are not unused: only the allowance beyond them may roll over.
            long unused = Math.max(0, Math.min(balance.allowance(), balance.total() - balance.held()));
            long tokens = rule.getValue().carried(unused, plan.allowanceFor(bucket));
            String lotId = "rollover:" + bucket + ":" + ended.id();
            if (tokens == 0 || after.storedLotCount() >= Limits.MAX_STORED_LOTS
                    || balance.lots().stream().anyMatch(l -> l.lotId().equals(lotId))) {
                continue;
            }
            Instant expiresAt = rule.getValue().expiresAfterPeriods().isPresent()
                    ? expiry(next, rule.getValue().expiresAfterPeriods().getAsInt()) : null;
            // Created when its tokens were granted (the ended period's start): among lots of equal priority and
            // expiry, older tokens burn first.
            Lot lot = new Lot(lotId, bucket, LotSource.ROLLOVER, tokens, tokens, Lot.DEFAULT_PRIORITY, expiresAt, null,
                    ended.id(), ended.startsAt());
            after = after.withBucket(bucket, balance.plusLot(lot).withAllowance(balance.allowance() - tokens).after());
            carried.add(new Carried(bucket, tokens, lot));
        }
        return new Rolled(after, carried);
    }

    /**
     * The end of the {@code periods}-th period from {@code next} on: {@code next}'s end, then as many calendar
     * months more (UTC) as periods follow it; a subscription's later periods are taken to be months too.
     */
    static Instant expiry(Period next, int periods) {
        return next.endsAt().atOffset(ZoneOffset.UTC).plusMonths(periods - 1L).toInstant();
    }
}
