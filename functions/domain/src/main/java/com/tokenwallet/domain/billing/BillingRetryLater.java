package com.tokenwallet.domain.billing;

/**
 * An event that cannot be applied yet, for example a refund of a purchase whose payment event has not arrived:
 * the webhook answers 503 and Stripe delivers it again later (it retries for days), by which time it can.
 */
public final class BillingRetryLater extends RuntimeException {
    public BillingRetryLater(String message) {
        super(message, null, false, false);
    }
}
