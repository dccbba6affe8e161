package com.tokenwallet.domain.billing;

/**
 * A paid session that does not pay for the package it names ({@link PaymentCheck}): nothing is credited, and the
 * webhook answers 200 (Stripe retrying would change nothing) with the outcome {@code payment_mismatch}, logged and
 * counted for the alarm, so an operator looks at the payment.
 */
public final class PaymentMismatch extends RuntimeException {
    public PaymentMismatch(String message) {
        super(message, null, false, false);
    }
}
