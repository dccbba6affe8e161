package com.tokenwallet.domain.ledger;

/**
 * How much of one charged transaction has been refunded so far, per part. {@code version} 0 means no refund
 * yet; the store writes a new tally only if the stored one is still at the version it was computed from.
 */
public record RefundTally(String transactionId, long refundedAllowance, long refundedPurchased, long version) {
    public long total() {
        return refundedAllowance + refundedPurchased;
    }

    public static RefundTally none(String transactionId) {
        return new RefundTally(transactionId, 0, 0, 0);
    }
}
