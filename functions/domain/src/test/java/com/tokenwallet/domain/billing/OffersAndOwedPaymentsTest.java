package com.tokenwallet.domain.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.IdempotencyKeyReusedException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.ResourceNotFoundException;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.billing.BillingEvent.AccountRef;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.catalog.CreditPackage;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.hold.HoldStatus;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.service.WalletService;
import com.tokenwallet.domain.testing.InMemoryWalletStore;
import com.tokenwallet.domain.testing.MutableClock;
import com.tokenwallet.domain.testing.TestCatalogs;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 3: what a session sold is stored at checkout (an offer) and credited from it, whatever the catalog
 * became; a payment nothing knows how to credit is recorded as owed, once, and an operator settles it.
 */
class OffersAndOwedPaymentsTest {
    private static final AccountId ANN = AccountId.of("ann");
    private final MutableClock clock = MutableClock.at("2026-11-10T10:00:00Z");
    private final InMemoryWalletStore store = new InMemoryWalletStore(clock);
    private final Catalog catalog = TestCatalogs.defaultCatalog();
    private final WalletService wallet = new WalletService(store, catalog, clock);
    private final Offers offers = new Offers(store, clock);
    private final OwedPayments owed = new OwedPayments(store, store, catalog, clock);
    private long now;

    @BeforeEach
    void open() {
        wallet.open(new CreateAccountCommand(ANN, Optional.empty()));
        now = clock.instant().getEpochSecond();
    }

    /** The catalog after an operator's change: {@code pro} removed, or repriced and resized. */
    private Catalog withPro(CreditPackage pro) {
        Map<String, CreditPackage> packages = new HashMap<>(catalog.packages());
        packages.remove("pro");
        if (pro != null) {
            packages.put("pro", pro);
        }
        return new Catalog(catalog.buckets(), catalog.operations(), packages, catalog.plans(), catalog.signupGrantBucket(),
                catalog.signupGrantTokens(), catalog.defaultPlan());
    }

    private BillingService billing(Catalog c) {
        return new BillingService(store, store, wallet, c, new StripePrices(Map.of(), Map.of()), clock);
    }

    private BillingEvent.PackagePaid paid(String eventId, String paymentId, long amount, Optional<String> offerId) {
        return new BillingEvent.PackagePaid(eventId, "checkout.session.completed", now,
                new AccountRef(Optional.of("ann"), Optional.empty(), Optional.empty()), "cs_" + paymentId, paymentId, "pro",
                new BillingEvent.Payment(Optional.of("usd"), OptionalLong.of(amount), OptionalLong.of(amount), 0, 0, Optional.empty()), offerId);
    }

    private long purchased() {
        return store.account(ANN).bucket("credits").purchased();
    }

    @Test
    void anOffer_isStoredOncePerKey_andAnotherPackageUnderTheSameKeyIsRefused() {
        CreditPackage pro = catalog.packages().get("pro");
        Offer first = offers.offer(ANN, "key-1", pro);
        assertThat(first.offerId()).isEqualTo(Offers.offerId(ANN, "key-1")).startsWith("offer_").hasSize(38);
        assertThat(first.priceCents()).isEqualTo(2499);
        assertThat(offers.offer(ANN, "key-1", pro)).isEqualTo(first);
        // A retry after the catalog changed keeps what the first attempt stored (Stripe replays that session).
        assertThat(offers.offer(ANN, "key-1", new CreditPackage("pro", "Pro", Map.of("credits", 1L), Map.of(), 1, "usd"))).isEqualTo(first);
        assertThatThrownBy(() -> offers.offer(ANN, "key-1", catalog.packages().get("starter"))).isInstanceOf(IdempotencyKeyReusedException.class);
        assertThat(Offers.offerId(AccountId.of("bob"), "key-1")).as("namespaced by account").isNotEqualTo(first.offerId());
    }

    @Test
    void aPaymentIsCreditedFromItsOffer_evenWhenTheCatalogRepricedThePackageSince() {
        Offer offer = offers.offer(ANN, "k", catalog.packages().get("pro"));
        long before = purchased();
        // After checkout the operator made pro cost 39.99 for 300 + 0: the session still sold 150 + 10 for 24.99.
        BillingService after = billing(withPro(new CreditPackage("pro", "Pro", Map.of("credits", 300L), Map.of(), 3999, "usd")));
        BillingService.Outcome outcome = after.apply(paid("evt_1", "pi_1", 2499, Optional.of(offer.offerId())));
        assertThat(outcome.outcome()).isEqualTo("applied");
        assertThat(purchased()).isEqualTo(before + 160);
        assertThat(store.entries(ANN, EntryType.PURCHASE)).singleElement()
                .satisfies(e -> assertThat(e.metadataJson()).contains("\"offerId\":\"" + offer.offerId() + "\""));
        // Without the offer the catalog decides, and the old price no longer pays for pro: owed, nothing credited.
        BillingService.Outcome noOffer = after.apply(paid("evt_2", "pi_2", 2499, Optional.empty()));
        assertThat(noOffer.outcome()).isEqualTo(BillingService.PAYMENT_MISMATCH);
        assertThat(store.findOwedPayment(ANN, "pi_2")).hasValueSatisfying(o -> assertThat(o.kind()).isEqualTo(OwedPayment.PAYMENT_MISMATCH));
        assertThat(purchased()).isEqualTo(before + 160);
        // An offer does not make a short payment good: it is checked against the offer's price.
        Offer other = offers.offer(ANN, "k2", catalog.packages().get("pro"));
        assertThat(after.apply(paid("evt_3", "pi_3", 100, Optional.of(other.offerId()))).outcome()).isEqualTo(BillingService.PAYMENT_MISMATCH);
        assertThat(purchased()).isEqualTo(before + 160);
    }

    @Test
    void aPackageRemovedFromTheCatalog_isCreditedFromItsOffer_orRecordedAsOwedOnce() {
        Offer offer = offers.offer(ANN, "k", catalog.packages().get("pro"));
        BillingService removed = billing(withPro(null));
        long before = purchased();
        assertThat(removed.apply(paid("evt_1", "pi_1", 2499, Optional.of(offer.offerId()))).outcome()).isEqualTo("applied");
        assertThat(purchased()).isEqualTo(before + 160);

        // No offer (a session created before offers were kept, or its offer expired): owed, recorded once.
        for (int delivery = 0; delivery < 3; delivery++) {
            BillingService.Outcome outcome = removed.apply(paid("evt_2", "pi_2", 2499, Optional.of("offer_unknown")));
            assertThat(outcome.outcome()).isEqualTo(delivery == 0 ? BillingService.OWED : "duplicate");
        }
        // Another event about the same payment (async_payment_succeeded, say): still one record.
        assertThat(removed.apply(paid("evt_3", "pi_2", 2499, Optional.empty())).outcome()).isEqualTo(BillingService.OWED);
        assertThat(store.owedPayments(ANN, 10)).singleElement().satisfies(o -> {
            assertThat(o.paymentId()).isEqualTo("pi_2");
            assertThat(o.status()).isEqualTo(OwedPayment.OWED);
            assertThat(o.kind()).isEqualTo(OwedPayment.UNKNOWN_PACKAGE);
            assertThat(o.paid()).contains(new PurchaseRecord.AmountPaid(2499, "usd"));
            assertThat(o.eventId()).isEqualTo("evt_2");
        });
        assertThat(purchased()).isEqualTo(before + 160);
    }

    @Test
    void anOwedPayment_isSettledOnce_byCreditOrAsRefunded() {
        BillingService removed = billing(withPro(null));
        removed.apply(paid("evt_1", "pi_1", 2499, Optional.empty()));
        removed.apply(paid("evt_2", "pi_2", 2499, Optional.empty()));
        long before = purchased();

        OwedPayments.Settle credit = new OwedPayments.Settle("credit", Optional.of("credits"), 160, "pro as sold on 2026-11-09");
        OwedPayments.Settled settled = owed.settle(ANN, "pi_1", credit);
        assertThat(settled.replayed()).isFalse();
        assertThat(settled.payment().status()).isEqualTo(OwedPayment.CREDITED);
        assertThat(purchased()).isEqualTo(before + 160);
        assertThat(store.entries(ANN, EntryType.PURCHASE)).singleElement().satisfies(e -> {
            assertThat(e.reference()).isEqualTo("pi_1");
            assertThat(e.purchasedDelta()).isEqualTo(160);
            assertThat(settled.payment().settlement().orElseThrow().transactionId()).contains(e.transactionId());
        });
        // The same settlement again: answered, nothing credited twice; another way: refused.
        assertThat(owed.settle(ANN, "pi_1", credit).replayed()).isTrue();
        assertThat(purchased()).isEqualTo(before + 160);
        assertThatThrownBy(() -> owed.settle(ANN, "pi_1", new OwedPayments.Settle("refunded", Optional.empty(), 0, "x")))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("owed_payment_settled"));
        // The credit is a purchase of the payment: a later refund of it finds the account and claws back.
        assertThat(store.accountByPayment("pi_1")).contains(ANN);

        OwedPayments.Settled refunded = owed.settle(ANN, "pi_2", new OwedPayments.Settle("refunded", Optional.empty(), 0, "refunded in Stripe"));
        assertThat(refunded.payment().status()).isEqualTo(OwedPayment.REFUNDED);
        assertThat(purchased()).isEqualTo(before + 160);
        assertThat(owed.list(ANN)).extracting(OwedPayment::status).containsExactly(OwedPayment.CREDITED, OwedPayment.REFUNDED);

        assertThatThrownBy(() -> owed.settle(ANN, "pi_none", credit)).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> owed.settle(ANN, "pi_2", new OwedPayments.Settle("credit", Optional.of("nope"), 1, "x")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("bucket"));
        assertThatThrownBy(() -> owed.settle(ANN, "pi_2", new OwedPayments.Settle("credit", Optional.of("credits"), 0, "x")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("tokens"));
        assertThatThrownBy(() -> owed.settle(ANN, "pi_2", new OwedPayments.Settle("gift", Optional.empty(), 0, "x")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("outcome"));
        assertThatThrownBy(() -> owed.settle(ANN, "pi_2", new OwedPayments.Settle("refunded", Optional.empty(), 0, " ")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("reason"));
    }

    /**
     * Found by the simulation (issue 16; seed 6624770717933791294, shrunk to: open; a hold; a package paid short,
     * recorded as owed; the clock past the hold's expiry and the period's end; the owed payment settled by credit).
     * The settlement wrote the account as it was stored, the expired hold still pending and the period ended, where
     * every other write first releases expired holds and moves the period: it now does the same, in its own write.
     */
    @Test
    void settlingAnOwedPayment_releasesExpiredHoldsAndMovesThePeriod_inTheSameWrite() {
        wallet.hold(new HoldCommands.Hold(ANN, new ChargeRequest.ByAmount("credits", 5, "render"), 60, Metadata.NONE,
                new Idempotency(new IdempotencyKey("h1"), "f")), r -> new StoredResponse(201, "{}"));
        String holdId = store.entries(ANN, EntryType.HOLD).getFirst().reference();
        assertThat(billing(catalog).apply(paid("evt_short", "pi_short", 2000, Optional.empty())).outcome()).isEqualTo("payment_mismatch");
        clock.set(java.time.Instant.parse("2026-12-01T00:00:10Z"));
        long before = purchased();

        owed.settle(ANN, "pi_short", new OwedPayments.Settle("credit", Optional.of("credits"), 160, "pro as sold"));

        var account = store.account(ANN);
        assertThat(account.holds()).isEmpty();
        assertThat(account.bucket("credits").held()).isZero();
        assertThat(account.bucket("credits").purchased()).isEqualTo(before + 160);
        assertThat(account.period().id()).isEqualTo(com.tokenwallet.domain.account.Period.calendarMonthOf(clock.instant()).id());
        assertThat(store.findHold(ANN, holdId).orElseThrow().status()).isEqualTo(HoldStatus.EXPIRED);
        assertThat(store.entries(ANN, EntryType.EXPIRY)).singleElement().satisfies(e -> assertThat(e.reference()).isEqualTo(holdId));
        // The ledger still sums to the balance in every part.
        for (String bucket : account.buckets().keySet()) {
            var entries = store.entries(ANN).stream().filter(e -> e.bucket().equals(bucket)).toList();
            assertThat(entries.stream().mapToLong(e -> e.allowanceDelta()).sum()).isEqualTo(account.bucket(bucket).allowance());
            assertThat(entries.stream().mapToLong(e -> e.purchasedDelta()).sum()).isEqualTo(account.bucket(bucket).purchased());
            assertThat(entries.stream().mapToLong(e -> e.heldDelta()).sum()).isEqualTo(account.bucket(bucket).held());
        }
    }
}
