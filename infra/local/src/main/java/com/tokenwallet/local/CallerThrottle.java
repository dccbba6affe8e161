package com.tokenwallet.local;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Limits per caller, as the edge in front of the API applies them in AWS (template.yaml's WalletEdgeWebAcl): each
 * key (a caller's JWT {@code sub} once its token verified; the source address for anonymous traffic) has its own
 * {@link TokenBucket}. Anonymous requests (no valid token, no plausible Stripe signature) are counted here and never
 * against a route's limit, so they cannot use up the limits of authenticated callers or of Stripe.
 *
 * <p>At most {@link #MAX_KEYS} keys are kept: the least recently seen is forgotten first (a forgotten key starts
 * again with a full bucket, which only ever errs on the side of admitting).
 */
final class CallerThrottle {
    static final int MAX_KEYS = 10_000;

    private final RateLimit limit;
    private final LongSupplier nanoTime;
    private final Map<String, TokenBucket> buckets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
            return size() > MAX_KEYS;
        }
    };

    CallerThrottle(RateLimit limit, LongSupplier nanoTime) {
        this.limit = limit;
        this.nanoTime = nanoTime;
    }

    RateLimit limit() {
        return limit;
    }

    /** Empty when {@code key} may go on; else the whole seconds (at least 1) to put in Retry-After. */
    OptionalLong admit(String key) {
        TokenBucket bucket;
        synchronized (buckets) {
            bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(limit, nanoTime));
        }
        long waitNanos = bucket.tryTake();
        return waitNanos == 0 ? OptionalLong.empty() : OptionalLong.of(Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L));
    }
}
