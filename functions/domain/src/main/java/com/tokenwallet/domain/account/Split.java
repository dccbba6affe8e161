package com.tokenwallet.domain.account;

/** How many of a charge's tokens come from the allowance and how many from the purchased part. */
public record Split(long fromAllowance, long fromPurchased) {
    public Split {
        if (fromAllowance < 0 || fromPurchased < 0) {
            throw new IllegalArgumentException("a split is never negative: " + fromAllowance + "/" + fromPurchased);
        }
    }

    public long total() {
        return fromAllowance + fromPurchased;
    }
}
