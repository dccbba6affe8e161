package com.tokenwallet.domain.account;

import java.time.Instant;

/** A hold not yet captured, released or expired: it keeps {@code amount} tokens of a bucket unavailable. */
public record PendingHold(String holdId, String bucket, long amount, Instant expiresAt) {
    public PendingHold {
        if (amount <= 0) {
            throw new IllegalArgumentException("a hold holds at least one token");
        }
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
