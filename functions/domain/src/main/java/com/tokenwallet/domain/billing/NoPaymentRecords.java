package com.tokenwallet.domain.billing;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.port.PaymentRecords;
import java.util.List;
import java.util.Optional;

/** For a store that keeps no payment records: no offer is ever found (the catalog decides), none is kept. */
enum NoPaymentRecords implements PaymentRecords {
    INSTANCE;

    @Override
    public Offer putOffer(Offer offer) {
        throw new UnsupportedOperationException("this store keeps no offers");
    }

    @Override
    public Optional<Offer> findOffer(AccountId account, String offerId) {
        return Optional.empty();
    }

    @Override
    public List<OwedPayment> owedPayments(AccountId account, int limit) {
        return List.of();
    }

    @Override
    public Optional<OwedPayment> findOwedPayment(AccountId account, String paymentId) {
        return Optional.empty();
    }
}
