package com.tokenwallet.local;

import java.util.function.LongSupplier;

/**
 * The token bucket API Gateway throttles each route with: full at {@code burst} tokens, refilled continuously at
 * the rate, one token per request. A request that finds no whole token is refused and told how long until one.
 */
final class TokenBucket {
    private static final double NANOS_PER_SECOND = 1_000_000_000.0;

    private final RateLimit limit;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;

    /** @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}, or a test's) */
    TokenBucket(RateLimit limit, LongSupplier nanoTime) {
        this.limit = limit;
        this.nanoTime = nanoTime;
        this.tokens = limit.burst();
        this.refilledAt = nanoTime.getAsLong();
    }

    RateLimit limit() {
        return limit;
    }

    /** Takes a token: 0 when the request may go, else the nanoseconds until the next whole token. */
    synchronized long tryTake() {
        long now = nanoTime.getAsLong();
        long elapsed = Math.max(0, now - refilledAt);
        tokens = Math.min(limit.burst(), tokens + elapsed / NANOS_PER_SECOND * limit.ratePerSecond());
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / limit.ratePerSecond() * NANOS_PER_SECOND));
    }
}
