package com.tokenwallet.local;

import java.util.Map;

/**
 * The edge's limits, read from template.yaml's WAF web ACL (WalletEdgeWebAcl: rate-based rules in front of the APIs)
 * as the local gateway applies them before a route's own. WAF counts requests per key over a window; the gateway
 * approximates that with a token bucket per key holding the rule's limit, refilled at the limit per window.
 */
final class EdgeLimits {
    static final String ANONYMOUS_RULE = "AnonymousPerSource";
    static final String PER_CALLER_RULE = "PerCaller";

    private static final Map<String, RateLimit> BUNDLED = TemplateRoutes.bundledEdgeLimits();

    /** Requests a source address may send without a valid token or a plausible Stripe signature. */
    static final RateLimit ANONYMOUS_PER_SOURCE = required(ANONYMOUS_RULE);
    /** Requests a caller (a bearer token; locally its verified sub) may send. */
    static final RateLimit PER_CALLER = required(PER_CALLER_RULE);

    private EdgeLimits() {
    }

    private static RateLimit required(String rule) {
        RateLimit limit = BUNDLED.get(rule);
        if (limit == null) {
            throw new IllegalStateException("template.yaml's WAF web ACL has no rate-based rule " + rule + " (found " + BUNDLED.keySet() + ")");
        }
        return limit;
    }
}
