package com.tokenwallet.domain.account;

/**
 * One bucket of an account: the plan's {@code allowance} for the period, the {@code purchased} tokens that
 * persist, and the tokens {@code held} for work in progress. The constructor refuses any state that breaks the
 * invariant (no part negative, holds covered), so an impossible balance can never be written.
 */
public record BucketBalance(long allowance, long purchased, long held) {

    public static final BucketBalance EMPTY = new BucketBalance(0, 0, 0);

    public BucketBalance {
        if (allowance < 0 || purchased < 0 || held < 0) {
            throw new IllegalStateException("negative part: allowance=" + allowance + " purchased=" + purchased + " held=" + held);
        }
        if (held > Math.addExact(allowance, purchased)) {
            throw new IllegalStateException("held " + held + " exceeds allowance+purchased " + (allowance + purchased));
        }
    }

    /** What a new debit or hold may still use. */
    public long available() {
        return allowance + purchased - held;
    }

    /** The balance the ledger sums to (holds move no tokens until captured). */
    public long total() {
        return allowance + purchased;
    }

    /** Allowance first, then purchased. The caller has checked {@code amount <= available()}. */
    public Split splitFor(long amount) {
        long fromAllowance = Math.min(allowance, amount);
        return new Split(fromAllowance, amount - fromAllowance);
    }

    public BucketBalance minus(Split split) {
        return new BucketBalance(allowance - split.fromAllowance(), purchased - split.fromPurchased(), held);
    }

    public BucketBalance plusPurchased(long tokens) {
        return new BucketBalance(allowance, Math.addExact(purchased, tokens), held);
    }

    public BucketBalance withHeld(long tokens) {
        return new BucketBalance(allowance, purchased, tokens);
    }

    /** Gives back tokens a charge took: {@code split} says how many to each part. */
    public BucketBalance plus(Split split) {
        return new BucketBalance(Math.addExact(allowance, split.fromAllowance()), Math.addExact(purchased, split.fromPurchased()), held);
    }

    public BucketBalance withAllowance(long tokens) {
        return new BucketBalance(tokens, purchased, held);
    }
}
