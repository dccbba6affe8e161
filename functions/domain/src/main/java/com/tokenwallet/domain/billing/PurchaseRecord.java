package com.tokenwallet.domain.billing;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A credited package purchase, keyed by its Stripe payment (the PaymentIntent id): what it credited per bucket,
 * what was clawed back so far per bucket (by refunds and disputes), and the {@code version} every change of it
 * is conditioned on. Its existence is what makes a purchase credit once, however many events report it.
 */
public record PurchaseRecord(String paymentId, String packageId, Map<String, Long> credited, Map<String, Long> clawedBack,
                             boolean disputed, long version) {
    public PurchaseRecord {
        credited = Collections.unmodifiableMap(new TreeMap<>(credited));
        clawedBack = Collections.unmodifiableMap(new TreeMap<>(clawedBack));
    }

    public long clawedBack(String bucket) {
        return clawedBack.getOrDefault(bucket, 0L);
    }
}
