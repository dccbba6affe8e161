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
