package com.tokenwallet.simulation;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.billing.BillingEvent;
import com.tokenwallet.domain.billing.Offers;
import com.tokenwallet.domain.billing.BillingEvent.AccountRef;
import com.tokenwallet.domain.catalog.CatalogLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** The billing events the webhook function would read from the simulation's Stripe events. */
final class StripeEvents {
    private static final Duration SUBSCRIPTION_PERIOD = Duration.ofDays(30);
    private static final com.tokenwallet.domain.catalog.Catalog CATALOG = CatalogLoader.loadDefault();

    private StripeEvents() {
    }

    static BillingEvent of(Action.Stripe stripe, long startEpoch) {
        AccountRef byAccount = new AccountRef(Optional.of(stripe.account()), Optional.empty(), Optional.empty());
        StripeEvent event = stripe.event();
        long created = startEpoch + event.createdOffset();
        Instant subscriptionStart = Instant.ofEpochSecond(startEpoch);
        return switch (event) {
            case StripeEvent.Purchase e -> {
                long price = CATALOG.packages().get(e.packageId()).priceCents() - e.shortCents();
                yield new BillingEvent.PackagePaid(e.eventId(), e.type(), created, byAccount, "cs_" + e.paymentId(),
                        e.paymentId(), e.packageId(), new BillingEvent.Payment(Optional.of("usd"), OptionalLong.of(price),
                        OptionalLong.of(price), 0, 0, Optional.empty()),
                        Optional.ofNullable(e.offerKey()).map(k -> Offers.offerId(AccountId.of(stripe.account()), k)));
            }
            case StripeEvent.Refunded e -> new BillingEvent.ChargeRefunded(e.eventId(), "charge.refunded", created,
                    byPayment(e.paymentId()), e.paymentId(), e.amountCents(), e.refundedCents());
            case StripeEvent.Dispute e -> new BillingEvent.DisputeOpened(e.eventId(), "charge.dispute.created", created,
                    byPayment(e.paymentId()), e.paymentId(), "dp_" + e.eventId());
            case StripeEvent.SubscriptionStarted e -> new BillingEvent.SubscriptionStarted(e.eventId(), "checkout.session.completed",
                    created, byAccount, e.subscriptionId(), e.plan());
            case StripeEvent.InvoicePaid e -> new BillingEvent.InvoicePaid(e.eventId(), "invoice.paid", created, byAccount,
                    "in_" + e.subscriptionId() + "_" + e.n(), e.subscriptionId(), Optional.of(e.plan()),
                    subscriptionStart.plus(SUBSCRIPTION_PERIOD.multipliedBy(e.n())),
                    subscriptionStart.plus(SUBSCRIPTION_PERIOD.multipliedBy(e.n() + 1L)), e.n() == 0);
            case StripeEvent.Cancelled e -> new BillingEvent.SubscriptionChanged(e.eventId(), "customer.subscription.deleted",
                    created, byAccount, e.subscriptionId(), "canceled", Optional.empty(), true);
        };
    }

    /** A refund or dispute names only the charge's payment (the wallet finds the account from the purchase). */
    private static AccountRef byPayment(String paymentId) {
        return new AccountRef(Optional.empty(), Optional.empty(), Optional.of(paymentId));
    }
}
