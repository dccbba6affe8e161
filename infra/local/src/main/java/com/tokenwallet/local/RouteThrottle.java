package com.tokenwallet.local;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * The local gateway's throttling: one {@link TokenBucket} per route, with the limits template.yaml gives the route
 * (the HttpApi's RouteSettings, else its DefaultRouteSettings), so the runner throttles where API Gateway would.
 * Routes the template gives no limit are not throttled.
 */
final class RouteThrottle {
    private final Map<String, TokenBucket> buckets = new HashMap<>();

    /**
     * @param override the limit for every route instead of the template's (tests use a low one to reach it
     *                 quickly), or null
     */
    RouteThrottle(List<Route> routes, RateLimit override, LongSupplier nanoTime) {
        for (Route route : routes) {
            RateLimit limit = override != null ? override : route.throttle();
            if (limit != null) {
                buckets.put(route.routeKey(), new TokenBucket(limit, nanoTime));
            }
        }
    }

    /** Empty when the request may go on; else the whole seconds (at least 1) to put in Retry-After. */
    OptionalLong admit(Route route) {
        TokenBucket bucket = buckets.get(route.routeKey());
        if (bucket == null) {
            return OptionalLong.empty();
        }
        long waitNanos = bucket.tryTake();
        if (waitNanos == 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L));
    }

    /** The limit the runner applies to a route, or null when it applies none. */
    RateLimit limitOf(Route route) {
        TokenBucket bucket = buckets.get(route.routeKey());
        return bucket == null ? null : bucket.limit();
    }
}
