package com.tokenwallet.domain.billing;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A credited package purchase, keyed by its Stripe payment (the PaymentIntent id): what it credited per bucket,
 * what was clawed back so far per bucket (by refunds and disputes), the {@code version} every change of it is
 * conditioned on, and what the buyer paid for it ({@code paid}; empty on records credited before it was kept).
 * Its existence is what makes a purchase credit once, however many events report it.
 */
public record PurchaseRecord(String paymentId, String packageId, Map<String, Long> credited, Map<String, Long> clawedBack,
                             boolean disputed, long version, Optional<AmountPaid> paid) {
    public PurchaseRecord {
        credited = Collections.unmodifiableMap(new TreeMap<>(credited));
        clawedBack = Collections.unmodifiableMap(new TreeMap<>(clawedBack));
    }

    /** A record without what was paid (credited before the amount was kept). */
    public PurchaseRecord(String paymentId, String packageId, Map<String, Long> credited, Map<String, Long> clawedBack,
                          boolean disputed, long version) {
        this(paymentId, packageId, credited, clawedBack, disputed, version, Optional.empty());
    }

    public long clawedBack(String bucket) {
        return clawedBack.getOrDefault(bucket, 0L);
    }

    /** What the buyer paid: {@code amount} in the currency's minor units (Stripe's {@code amount_total}). */
    public record AmountPaid(long amount, String currency) {
    }
}
