package com.tokenwallet.domain.billing;

/**
 * A paid session the wallet cannot credit by itself ({@link OwedPayment}): thrown by the rules, turned by
 * {@link BillingService} into an owed-payment record written with the event's record.
 */
public final class PaymentOwed extends RuntimeException {
    private final String kind;

    public PaymentOwed(String kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }
}
