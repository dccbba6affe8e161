package com.tokenwallet.local;

/**
 * The edge's limits (template.yaml's WalletEdgeWebAcl, AWS WAF rate-based rules in front of the API), which the local
 * gateway applies before a route's own: WAF counts requests per key over a window; the gateway approximates that with
 * a token bucket per key of the window's size, refilled at the window's average rate.
 */
final class EdgeLimits {
    /** AnonymousPerSource: 120 requests a minute per source address without a valid token or a plausible Stripe signature. */
    static final RateLimit ANONYMOUS_PER_SOURCE = new RateLimit(2, 120);
    /** PerCaller: 6,000 requests a minute per caller (bearer token; locally its verified sub). */
    static final RateLimit PER_CALLER = new RateLimit(100, 6_000);

    private EdgeLimits() {
    }
}
