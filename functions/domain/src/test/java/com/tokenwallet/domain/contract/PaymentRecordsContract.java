package com.tokenwallet.domain.contract;

import static com.tokenwallet.domain.contract.ContractSupport.applied;
import static com.tokenwallet.domain.contract.ContractSupport.created;
import static com.tokenwallet.domain.contract.ContractSupport.stored;
import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.billing.Offer;
import com.tokenwallet.domain.billing.OwedPayment;
import com.tokenwallet.domain.billing.PurchaseRecord;
import com.tokenwallet.domain.catalog.CreditPackage;
import com.tokenwallet.domain.port.WalletStore.AccountWrite;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import com.tokenwallet.domain.port.WalletStore.WriteResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Checkout's offers and the owed payments (issue 19): an offer is stored once per id and read back as stored, from
 * any instance; an owed payment is created only with the write that records its Stripe event (all or nothing), once,
 * and settled only from the version read.
 */
public interface PaymentRecordsContract extends ContractSupport {

    private static Offer offer(Fresh f, String account, String offerId, long price) {
        return Offer.of(offerId, AccountId.of(account), new CreditPackage("pro", "Pro", Map.of("credits", 500L),
                Map.of("credits", 50L, "mockup", 2L), price, "USD"), f.samples().now());
    }

    private static OwedPayment owed(Fresh f, String account, String paymentId) {
        return new OwedPayment(paymentId, AccountId.of(account), "evt_" + paymentId, "cs_" + paymentId, Optional.of("gone"),
                Optional.of("offer_x"), Optional.of(new PurchaseRecord.AmountPaid(4_900, "usd")), OwedPayment.UNKNOWN_PACKAGE,
                "package gone is in no offer and not in the catalog", f.samples().now(), OwedPayment.OWED, Optional.empty(), 1);
    }

    private static AccountWrite recordOwed(Fresh f, Account before, OwedPayment owed) {
        return new AccountWrite(before, before, List.of(), Optional.empty(), List.of(
                new SideWrite.EventApplied(owed.eventId(), "checkout.session.completed", f.samples().now()),
                new SideWrite.Owed(Optional.empty(), owed)));
    }

    @Test
    default void anOffer_isStoredOncePerId_andReadBackAsStored_fromAnyInstance() {
        try (Fresh f = fresh()) {
            created(f.wallet(), f.samples(), "olga", 0);
            Offer first = offer(f, "olga", "offer_1", 1_900);
            assertThat(f.stores().payments().putOffer(first)).isEqualTo(first);
            assertThat(f.stores().payments().putOffer(offer(f, "olga", "offer_1", 2_500))).as("the same id again").isEqualTo(first);
            assertThat(f.stores().payments().findOffer(AccountId.of("olga"), "offer_1")).contains(first);
            assertThat(f.stores().payments().findOffer(AccountId.of("olga"), "offer_2")).isEmpty();
            assertThat(f.stores().payments().findOffer(AccountId.of("other"), "offer_1")).as("offers are the account's").isEmpty();
            try (StoreSet other = f.stores().anotherInstance()) {
                assertThat(other.payments().findOffer(AccountId.of("olga"), "offer_1")).contains(first);
            }
            // An offer past its expiry may be forgotten (TTL, or pruned when the account stores another), never an unexpired one.
            f.clock().advance(Offer.RETENTION.plusDays(1));
            Offer later = offer(f, "olga", "offer_2", 1_900);
            assertThat(f.stores().payments().putOffer(later)).isEqualTo(later);
            assertThat(f.stores().payments().findOffer(AccountId.of("olga"), "offer_2")).contains(later);
        }
    }

    @Test
    default void anOwedPayment_isRecordedWithItsEvent_once() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "owen", 10);
            OwedPayment owed = owed(f, "owen", "pi_owed");
            Account v2 = applied(f.wallet(), recordOwed(f, v1, owed));
            assertThat(v2.buckets()).isEqualTo(v1.buckets());
            assertThat(f.stores().payments().findOwedPayment(v1.id(), "pi_owed")).contains(owed);
            assertThat(f.stores().payments().owedPayments(v1.id(), 10)).containsExactly(owed);
            assertThat(f.wallet().readForEvent(v1.id(), owed.eventId(), Optional.of("pi_owed")).eventApplied()).isTrue();

            // The same event again: refused as applied, nothing written.
            assertThat(f.wallet().write(recordOwed(f, v2, owed))).isEqualTo(new WriteResult.EventAlreadyApplied());
            // Another event about the same payment: the record exists, so nothing is written (not even the event).
            OwedPayment again = new OwedPayment("pi_owed", v1.id(), "evt_other", "cs_pi_owed", Optional.of("gone"), Optional.empty(),
                    Optional.empty(), OwedPayment.UNKNOWN_PACKAGE, "again", f.samples().now(), OwedPayment.OWED, Optional.empty(), 1);
            assertThat(f.wallet().write(recordOwed(f, v2, again))).isEqualTo(new WriteResult.PurchaseStale());
            assertThat(f.wallet().readForEvent(v1.id(), "evt_other", Optional.empty()).eventApplied()).isFalse();
            assertThat(stored(f.wallet(), "owen").version()).isEqualTo(v2.version());
            assertThat(f.stores().payments().findOwedPayment(v1.id(), "pi_owed")).contains(owed);
            assertThat(f.stores().payments().owedPayments(AccountId.of("nobody"), 10)).isEmpty();
        }
    }

    @Test
    default void anOwedPayment_isSettledOnlyFromTheVersionRead_withItsCreditAndPurchase() {
        try (Fresh f = fresh()) {
            Account v1 = created(f.wallet(), f.samples(), "sade", 0);
            OwedPayment owed = owed(f, "sade", "pi_s");
            Account v2 = applied(f.wallet(), recordOwed(f, v1, owed));
            OwedPayment settled = owed.settled(OwedPayment.CREDITED, new OwedPayment.Settlement(f.samples().now(), "operator checked",
                    Map.of("credits", 550L), Optional.of("tx_1")));
            PurchaseRecord purchase = new PurchaseRecord("pi_s", "gone", Map.of("credits", 550L), Map.of(), false, 1,
                    Optional.of(new PurchaseRecord.AmountPaid(4_900, "usd")));
            Account v3 = applied(f.wallet(), f.samples().grant(v2, 550, List.of(new SideWrite.Owed(Optional.of(owed), settled),
                    new SideWrite.Purchase(Optional.empty(), purchase))));
            assertThat(f.stores().payments().findOwedPayment(v1.id(), "pi_s")).contains(settled);
            assertThat(f.wallet().readForEvent(v1.id(), "evt_any", Optional.of("pi_s")).purchase()).contains(purchase);
            assertThat(stored(f.wallet(), "sade").bucket("credits").purchased()).isEqualTo(550);

            // Settling again from the owed version: refused, nothing credited twice.
            OwedPayment refunded = owed.settled(OwedPayment.REFUNDED, new OwedPayment.Settlement(f.samples().now(), "refunded",
                    Map.of(), Optional.empty()));
            assertThat(f.wallet().write(new AccountWrite(v3, v3, List.of(), Optional.empty(),
                    List.of(new SideWrite.Owed(Optional.of(owed), refunded))))).isEqualTo(new WriteResult.PurchaseStale());
            assertThat(f.stores().payments().findOwedPayment(v1.id(), "pi_s")).contains(settled);
            assertThat(stored(f.wallet(), "sade").version()).isEqualTo(v3.version());
        }
    }
}
