package com.tokenwallet.domain.account;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Stripe knows of an account: its customer (created once, then reused), its subscription as last applied,
 * and flags an admin should see (for example {@code disputed} after a chargeback). Stored in the account item, so
 * every billing change is part of the account's one conditional write.
 */
public record Billing(String stripeCustomerId, Subscription subscription, Set<String> flags) {
    public static final Billing NONE = new Billing(null, null, Set.of());
    public static final String DISPUTED = "disputed";

    public Billing {
        flags = Collections.unmodifiableSet(new TreeSet<>(flags));
    }

    /** Whether a Stripe subscription sets the account's plan and period (else: calendar months). */
    public boolean onSubscription() {
        return subscription != null && subscription.inForce();
    }

    /**
     * Refuses a second subscription while one is in force (active, trialing or past_due): Stripe would start it
     * beside the first, and the customer would pay for two plans while the account has one. A plan change of the
     * live subscription is a subscription update (in Stripe's billing portal), which the webhook applies.
     */
    public void requireNoSubscriptionInForce() {
        if (onSubscription()) {
            throw new com.tokenwallet.domain.ConflictException("subscription_exists", "The account's subscription "
                    + subscription.id() + " (plan " + subscription.plan() + ", " + subscription.status() + ") is in force: change "
                    + "its plan in Stripe's billing portal, or cancel it before starting another.");
        }
    }

    public Billing withCustomer(String customerId) {
        return new Billing(customerId, subscription, flags);
    }

    public Billing withSubscription(Subscription next) {
        return new Billing(stripeCustomerId, next, flags);
    }

    public Billing withFlag(String flag) {
        Set<String> next = new TreeSet<>(flags);
        next.add(flag);
        return new Billing(stripeCustomerId, subscription, next);
    }
}
