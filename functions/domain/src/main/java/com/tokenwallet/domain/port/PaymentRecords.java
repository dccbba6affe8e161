package com.tokenwallet.domain.port;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.billing.Offer;
import com.tokenwallet.domain.billing.OwedPayment;
import java.util.List;
import java.util.Optional;

/**
 * The store's records of what Checkout sells and what the wallet owes: offers (written by checkout before Stripe
 * is called, read by the webhook) and owed payments (written with the Stripe event's record through
 * {@link WalletStore.SideWrite.Owed}, listed and read here). Every engine implements it beside {@link WalletStore}.
 */
public interface PaymentRecords {
    /** Stores the offer unless one with its id exists for its account; answers the stored one (this or the earlier). */
    Offer putOffer(Offer offer);

    Optional<Offer> findOffer(AccountId account, String offerId);

    /** The account's owed payments (whatever their status), in payment-id order, at most {@code limit}. */
    List<OwedPayment> owedPayments(AccountId account, int limit);

    Optional<OwedPayment> findOwedPayment(AccountId account, String paymentId);
}
