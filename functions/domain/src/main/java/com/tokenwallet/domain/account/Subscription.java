package com.tokenwallet.domain.account;

import java.time.Instant;
import java.util.Set;

/**
 * A Stripe subscription as last applied to its account. {@code asOf} is the {@code created} time (epoch seconds)
 * of the newest event whose state was applied: an event older than it never overwrites a newer state.
 * {@code periodStart} is the start of the newest paid billing period (null until the first invoice is paid): an
 * invoice for an earlier period never moves the account back.
 */
public record Subscription(String id, String status, String plan, Instant periodStart, long asOf) {
    /** The statuses in which the subscription's plan is in force (past_due: Stripe is still retrying the payment). */
    public static final Set<String> IN_FORCE = Set.of("active", "trialing", "past_due");

    public Subscription {
        if (id == null || id.isBlank() || status == null || plan == null) {
            throw new IllegalArgumentException("a subscription needs an id, a status and a plan");
        }
    }

    public boolean inForce() {
        return IN_FORCE.contains(status);
    }
}
