package com.tokenwallet.domain.catalog;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * How much of a bucket's unused allowance a plan carries into the next period (issue 15): at most {@code maxTokens},
 * at most {@code maxPercent} of the plan's allowance for the bucket (rounded down), both when both are set. The
 * carried tokens become a {@code rollover} lot that expires at the end of the {@code expiresAfterPeriods}-th
 * period after the one they came from (none: never); the rest of the unused allowance lapses, as before.
 */
public record RolloverRule(OptionalLong maxTokens, OptionalInt maxPercent, OptionalInt expiresAfterPeriods) {
    public RolloverRule {
        if (maxTokens.isPresent() && maxTokens.getAsLong() < 0 || maxPercent.isPresent() && (maxPercent.getAsInt() < 0 || maxPercent.getAsInt() > 100)
                || expiresAfterPeriods.isPresent() && expiresAfterPeriods.getAsInt() < 1) {
            throw new IllegalArgumentException("rollover rule out of range: " + maxTokens + " " + maxPercent + " " + expiresAfterPeriods);
        }
    }

    /** The tokens carried over from {@code unused} allowance, with the plan's {@code allowance} for the bucket. */
    public long carried(long unused, long allowance) {
        long carried = Math.max(0, unused);
        if (maxTokens.isPresent()) {
            carried = Math.min(carried, maxTokens.getAsLong());
        }
        if (maxPercent.isPresent()) {
            carried = Math.min(carried, Math.multiplyExact(allowance, (long) maxPercent.getAsInt()) / 100);
        }
        return carried;
    }
}
