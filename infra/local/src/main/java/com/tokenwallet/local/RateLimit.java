package com.tokenwallet.local;

/**
 * A route's throttling as API Gateway applies it (a stage's {@code ThrottlingRateLimit} and
 * {@code ThrottlingBurstLimit}): a bucket of {@code burst} requests, refilled at {@code ratePerSecond}.
 *
 * @param ratePerSecond the steady rate, requests per second (API Gateway takes a decimal)
 * @param burst         how many requests may arrive at once, after a quiet time
 */
public record RateLimit(double ratePerSecond, int burst) {
    public RateLimit {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("the throttling rate must be a positive number of requests per second, not " + ratePerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("the throttling burst must be at least 1, not " + burst);
        }
    }

    @Override
    public String toString() {
        return (ratePerSecond == Math.rint(ratePerSecond) ? String.valueOf((long) ratePerSecond) : String.valueOf(ratePerSecond))
                + " requests per second, bursts of " + burst;
    }
}
