package com.tokenwallet.simulation;

/**
 * A Stripe event as the simulation generates it: an id (a redelivery repeats it) and {@code createdOffset}, its
 * creation time in seconds after the history's start (deliveries come in any order).
 */
sealed interface StripeEvent {
    String eventId();

    long createdOffset();

    /**
     * A package paid: {@code type} checkout.session.completed, or async_payment_succeeded (a second event for the same
     * payment); {@code offerKey} the Idempotency-Key of the checkout that stored its offer (null: a session without
     * one); {@code shortCents} how much less than the price was paid (0: the price; more: recorded as owed).
     */
    record Purchase(String eventId, long createdOffset, String paymentId, String packageId, String type, String offerKey,
                    long shortCents) implements StripeEvent {
        public String toString() {
            return eventId + " " + type + " " + paymentId + " package " + packageId + (offerKey == null ? "" : " offer-of-" + offerKey)
                    + (shortCents == 0 ? "" : " paid " + shortCents + " cents short");
        }
    }

    /** {@code refundedCents} is cumulative, as Stripe's charge.refunded says. */
    record Refunded(String eventId, long createdOffset, String paymentId, long amountCents, long refundedCents) implements StripeEvent {
        public String toString() {
            return eventId + " charge.refunded " + paymentId + " " + refundedCents + "/" + amountCents;
        }
    }

    record Dispute(String eventId, long createdOffset, String paymentId) implements StripeEvent {
        public String toString() {
            return eventId + " charge.dispute.created " + paymentId;
        }
    }

    record SubscriptionStarted(String eventId, long createdOffset, String subscriptionId, String plan) implements StripeEvent {
        public String toString() {
            return eventId + " subscription started " + subscriptionId + " plan " + plan;
        }
    }

    /** A renewal: invoice {@code n} (0 = the first) of the subscription, for its {@code n}-th 30-day period. */
    record InvoicePaid(String eventId, long createdOffset, String subscriptionId, String plan, int n) implements StripeEvent {
        public String toString() {
            return eventId + " invoice.paid " + subscriptionId + " #" + n + " plan " + plan;
        }
    }

    record Cancelled(String eventId, long createdOffset, String subscriptionId) implements StripeEvent {
        public String toString() {
            return eventId + " customer.subscription.deleted " + subscriptionId;
        }
    }
}
