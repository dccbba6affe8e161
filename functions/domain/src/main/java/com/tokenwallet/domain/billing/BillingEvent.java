package com.tokenwallet.domain.billing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Stripe event, read into what the wallet needs of it. The webhook function builds these from the raw event
 * (whatever its API version); the rules in {@link BillingRules} decide what each one does to an account.
 * {@code created} is the event's creation time in epoch seconds: a subscription state older than the one an
 * account already has is never applied over it.
 */
public sealed interface BillingEvent {
    String eventId();

    String type();

    long created();

    /** How the event names its account: by id (client_reference_id or metadata) or only by Stripe customer. */
    AccountRef account();

    /**
     * A package's Checkout Session was paid: credit the package once per payment, if {@code payment} pays for it
     * ({@link PaymentCheck}); {@code offerId} (the session's {@code metadata.offerId}) names the {@link Offer} it sold.
     */
    record PackagePaid(String eventId, String type, long created, AccountRef account, String checkoutSessionId,
                       String paymentId, String packageId, Payment payment, Optional<String> offerId) implements BillingEvent {
        /** A session without an offer (created before offers were stored, or elsewhere): credited from the catalog. */
        public PackagePaid(String eventId, String type, long created, AccountRef account, String checkoutSessionId,
                           String paymentId, String packageId, Payment payment) {
            this(eventId, type, created, account, checkoutSessionId, paymentId, packageId, payment, Optional.empty());
        }
    }

    /**
     * What a Checkout Session says was paid, in the currency's minor units (cents): its {@code currency},
     * {@code amount_subtotal} (before discounts and tax), {@code amount_total} (what the buyer paid), the tax and
     * shipping within the total, and its line items' prices when the event carries them (Stripe includes
     * {@code line_items} only when the session is retrieved expanded; empty otherwise).
     */
    record Payment(Optional<String> currency, OptionalLong subtotal, OptionalLong total, long tax, long shipping,
                   Optional<List<PaidLine>> lines) {
        public Payment {
            lines = lines.map(List::copyOf);
        }
    }

    /** A line item of a session: its Stripe Price (when it names one) and quantity. */
    record PaidLine(Optional<String> priceId, long quantity) {
    }

    /** A subscription-mode Checkout Session completed: the plan starts. */
    record SubscriptionStarted(String eventId, String type, long created, AccountRef account, String subscriptionId,
                               String planId) implements BillingEvent {
    }

    /**
     * A subscription invoice was paid: the account moves to its billing period with the plan's allowance.
     * {@code planId} is empty when no line names a known price; {@code firstInvoice} marks the invoice that
     * created the subscription.
     */
    record InvoicePaid(String eventId, String type, long created, AccountRef account, String invoiceId,
                       String subscriptionId, Optional<String> planId, Instant periodStart, Instant periodEnd,
                       boolean firstInvoice) implements BillingEvent {
    }

    /** A subscription changed (plan, status) or ended ({@code deleted}). */
    record SubscriptionChanged(String eventId, String type, long created, AccountRef account, String subscriptionId,
                               String status, Optional<String> planId, boolean deleted) implements BillingEvent {
    }

    /** A charge was refunded, all or partly: {@code amountRefunded} is cumulative, in the charge's minor units. */
    record ChargeRefunded(String eventId, String type, long created, AccountRef account, String paymentId,
                          long amount, long amountRefunded) implements BillingEvent {
    }

    /** A dispute (chargeback) was opened on a charge. */
    record DisputeOpened(String eventId, String type, long created, AccountRef account, String paymentId,
                         String disputeId) implements BillingEvent {
    }

    /** An event that changes nothing (an unknown type, an unpaid session, ...), and why. */
    record Ignored(String eventId, String type, long created, AccountRef account, String why) implements BillingEvent {
    }

    /**
     * How to find the account: by id, else by Stripe customer, else by the payment of a credited purchase (a
     * dispute names only its charge and payment).
     */
    record AccountRef(Optional<String> accountId, Optional<String> customerId, Optional<String> paymentId) {
        public static final AccountRef NONE = new AccountRef(Optional.empty(), Optional.empty(), Optional.empty());
    }
}
