package com.tokenwallet.domain.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Lot;
import com.tokenwallet.domain.account.LotSource;
import com.tokenwallet.domain.admin.AdminCommands;
import com.tokenwallet.domain.billing.BillingEvent.AccountRef;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.service.WalletService;
import com.tokenwallet.domain.testing.InMemoryWalletStore;
import com.tokenwallet.domain.testing.MutableClock;
import com.tokenwallet.domain.testing.TestCatalogs;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The billing rules on the in-memory store: what each Stripe event does, in which order, and what it never does. */
class BillingServiceTest {
    private static final AccountId ANN = AccountId.of("ann");
    private final MutableClock clock = MutableClock.at("2026-11-10T10:00:00Z");
    private final InMemoryWalletStore store = new InMemoryWalletStore(clock);
    private final WalletService wallet = new WalletService(store, TestCatalogs.defaultCatalog(), clock);
    private final BillingService billing = new BillingService(store, wallet, TestCatalogs.defaultCatalog(), clock);
    private long now;

    @BeforeEach
    void open() {
        wallet.open(new CreateAccountCommand(ANN, Optional.empty()));
        now = clock.instant().getEpochSecond();
    }

    private static AccountRef ref(String accountId) {
        return new AccountRef(Optional.of(accountId), Optional.empty(), Optional.empty());
    }

    /** What the wallet's own checkout session for {@code packageId} is paid: the catalog's price, in its currency. */
    static BillingEvent.Payment paidFor(String packageId) {
        var pkg = TestCatalogs.defaultCatalog().packages().get(packageId);
        long price = pkg == null ? 100 : pkg.priceCents();
        return new BillingEvent.Payment(Optional.of("usd"), java.util.OptionalLong.of(price), java.util.OptionalLong.of(price), 0, 0,
                Optional.empty());
    }

    private String apply(BillingEvent event) {
        return billing.apply(event).outcome();
    }

    private BillingEvent.InvoicePaid invoice(String id, long created, Instant start, boolean first) {
        return new BillingEvent.InvoicePaid("evt_" + id, "invoice.paid", created, ref("ann"), id, "sub_1", Optional.of("solo"),
                start, start.plus(Duration.ofDays(30)), first);
    }

    @Test
    void aSubscriptionAccount_isLeftAloneByTheMonthlyRollOver_untilItsSubscriptionEnds() {
        apply(invoice("in_1", now, clock.instant().minus(Duration.ofDays(5)), true));
        clock.set(Instant.parse("2026-12-01T00:00:05Z"));

        assertThat(wallet.rollOverIfDue(store.account(ANN))).isFalse();
        assertThat(wallet.balance(ANN).period()).isEqualTo(store.account(ANN).period());

        apply(new BillingEvent.SubscriptionChanged("evt_del", "customer.subscription.deleted", now + 10, ref("ann"), "sub_1",
                "canceled", Optional.of("solo"), true));
        Account after = store.account(ANN);
        assertThat(after.plan()).isEqualTo("free");
        assertThat(after.period().id()).isEqualTo("2026-12");
        assertThat(after.billing().onSubscription()).isFalse();
        assertThat(after.billing().subscription().status()).isEqualTo("canceled");
    }

    @Test
    void aSessionThenItsFirstInvoice_grantTheAllowanceOnce_evenWithADebitBetween() {
        apply(new BillingEvent.SubscriptionStarted("evt_s", "checkout.session.completed", now, ref("ann"), "sub_1", "solo"));
        assertThat(store.account(ANN).bucket("mockup").allowance()).isEqualTo(3);
        store.debitAsOtherWriter(ANN, "mockup", 2);

        assertThat(apply(invoice("in_1", now + 1, clock.instant(), true))).isEqualTo("applied");

        assertThat(store.account(ANN).bucket("mockup").allowance()).as("not granted a second time").isEqualTo(1);
        assertThat(store.account(ANN).period().id()).contains("/");
        assertThat(apply(new BillingEvent.SubscriptionStarted("evt_s2", "checkout.session.completed", now, ref("ann"), "sub_1", "solo")))
                .isEqualTo("no_change");
    }

    @Test
    void theEndOfAnotherSubscription_doesNotEndTheOneInForce() {
        apply(new BillingEvent.SubscriptionStarted("evt_a", "checkout.session.completed", now - 100, ref("ann"), "sub_old", "solo"));
        apply(new BillingEvent.SubscriptionStarted("evt_b", "checkout.session.completed", now, ref("ann"), "sub_new", "business"));
        assertThat(apply(new BillingEvent.SubscriptionChanged("evt_c", "customer.subscription.deleted", now + 5, ref("ann"),
                "sub_old", "canceled", Optional.of("solo"), true))).isEqualTo("no_change");
        assertThat(store.account(ANN).plan()).isEqualTo("business");
    }

    @Test
    void aClawback_leavesWhatPendingHoldsNeed() {
        apply(new BillingEvent.PackagePaid("evt_p", "checkout.session.completed", now, ref("ann"), "cs_1", "pi_1", "starter", paidFor("starter")));
        wallet.hold(new HoldCommands.Hold(ANN, new ChargeRequest.ByAmount("credits", 55, "render"), 600, Metadata.NONE,
                new Idempotency(new IdempotencyKey("h1"), "f")), r -> new StoredResponse(201, "{}"));

        assertThat(apply(new BillingEvent.ChargeRefunded("evt_r", "charge.refunded", now, ref("ann"), "pi_1", 999, 999))).isEqualTo("applied");

        BucketBalance credits = store.account(ANN).bucket("credits");
        assertThat(List.of(credits.allowance(), credits.purchased(), credits.held())).containsExactly(0L, 55L, 55L);
        assertThat(credits.lots()).as("taken from the payment's lot first").singleElement()
                .satisfies(lot -> assertThat(lot.remaining()).isEqualTo(45));
        LedgerEntry clawback = store.entries(ANN, EntryType.CLAWBACK).getFirst();
        assertThat(clawback.amount()).isEqualTo(-5);
        assertThat(clawback.metadataJson()).contains("\"shortfall\":45");
    }

    @Test
    void aPaidPackage_isAPurchaseLot_referencingThePayment_atItsCostBasis() {
        assertThat(apply(new BillingEvent.PackagePaid("evt_p", "checkout.session.completed", now, ref("ann"), "cs_1", "pi_1", "starter",
                paidFor("starter")))).isEqualTo("applied");

        BucketBalance credits = store.account(ANN).bucket("credits");
        assertThat(credits.purchased()).isEqualTo(60);
        assertThat(credits.unlottedPurchased()).as("the signup grant stays unlotted").isEqualTo(10);
        Lot lot = credits.lots().getFirst();
        assertThat(credits.lots()).hasSize(1);
        assertThat(lot.source()).isEqualTo(LotSource.PURCHASE);
        assertThat(lot.reference()).isEqualTo("pi_1");
        assertThat(List.of(lot.granted(), lot.remaining())).containsExactly(50L, 50L);
        assertThat(lot.costBasis()).as("999 cents for 50 tokens").isEqualByComparingTo(new BigDecimal("19.98"));
        assertThat(lot.expiresAt()).as("the catalog's packages have no expiry").isNull();
        assertThat(lot.priority()).isEqualTo(Lot.DEFAULT_PRIORITY);
        LedgerEntry purchase = store.entries(ANN, EntryType.PURCHASE).getFirst();
        assertThat(lot.lotId()).isEqualTo("purchase:credits:pi_1");
        assertThat(purchase.metadataJson()).contains("\"lotId\":\"" + lot.lotId() + "\"");
        assertThat(store.ledgerDisagreements(ANN)).isEmpty();
    }

    @Test
    void aPackageWithBonusTokens_spreadsWhatWasPaidOverAllItsTokens() {
        apply(new BillingEvent.PackagePaid("evt_p", "checkout.session.completed", now, ref("ann"), "cs_1", "pi_1", "pro", paidFor("pro")));

        Lot lot = store.account(ANN).bucket("credits").lots().getFirst();
        assertThat(lot.granted()).isEqualTo(160);
        assertThat(lot.costBasis()).as("2499 / 160").isEqualByComparingTo(new BigDecimal("15.61875"));
    }

    @Test
    void aRefund_clawsBackFromThePaymentsLotFirst_evenAfterPartOfItWasSpent_thenTheUnlottedTokens() {
        clock.set(clock.instant().plusSeconds(60)); // the lot is younger than the signup grant's unlotted tokens
        apply(new BillingEvent.PackagePaid("evt_p", "checkout.session.completed", now, ref("ann"), "cs_1", "pi_1", "starter", paidFor("starter")));
        wallet.debit(new com.tokenwallet.domain.command.DebitCommand(ANN, new ChargeRequest.ByAmount("credits", 15, "render"), Metadata.NONE,
                new Idempotency(new IdempotencyKey("d1"), "f")), r -> new StoredResponse(201, "{}"));
        store.grantAsOtherWriter(ANN, "credits", 20);
        // Burn-down took the 10 unlotted (older) tokens, then 5 of the lot: lot 45, unlotted 20.
        assertThat(store.account(ANN).bucket("credits").lots().getFirst().remaining()).isEqualTo(45);

        assertThat(apply(new BillingEvent.ChargeRefunded("evt_r1", "charge.refunded", now, ref("ann"), "pi_1", 999, 500))).isEqualTo("applied");
        BucketBalance credits = store.account(ANN).bucket("credits");
        assertThat(credits.lots().getFirst().remaining()).as("50 * 500/999 = 25 due, all from the payment's lot").isEqualTo(20);
        assertThat(credits.unlottedPurchased()).isEqualTo(20);

        assertThat(apply(new BillingEvent.ChargeRefunded("evt_r2", "charge.refunded", now + 1, ref("ann"), "pi_1", 999, 999))).isEqualTo("applied");
        credits = store.account(ANN).bucket("credits");
        assertThat(credits.lots()).as("the lot's last 20, then 5 unlotted").isEmpty();
        assertThat(credits.purchased()).isEqualTo(15);
        assertThat(store.entries(ANN, EntryType.CLAWBACK)).extracting(LedgerEntry::amount).containsExactlyInAnyOrder(-25L, -25L);
        assertThat(apply(new BillingEvent.ChargeRefunded("evt_r3", "charge.refunded", now + 2, ref("ann"), "pi_1", 999, 999)))
                .as("the same cumulative amount again takes nothing").isEqualTo("no_change");
        assertThat(store.ledgerDisagreements(ANN)).isEmpty();
    }

    @Test
    void aPurchase_whenTheAccountStoresAllTheLotsItMay_isCreditedUnlotted_andTheEntrySaysSo() {
        for (int i = 0; i < Limits.MAX_STORED_LOTS; i++) {
            wallet.grant(new AdminCommands.Grant(ANN, "credits", 1, "promo " + i, "admin-1", Optional.empty(),
                    new AdminCommands.LotTerms(Optional.empty(), Optional.of(10), Optional.empty())), r -> new StoredResponse(201, "{}"));
        }
        assertThat(store.account(ANN).storedLotCount()).isEqualTo(Limits.MAX_STORED_LOTS);

        assertThat(apply(new BillingEvent.PackagePaid("evt_p", "checkout.session.completed", now, ref("ann"), "cs_1", "pi_1", "starter",
                paidFor("starter")))).isEqualTo("applied");

        BucketBalance credits = store.account(ANN).bucket("credits");
        assertThat(credits.purchased()).as("never lost").isEqualTo(10 + Limits.MAX_STORED_LOTS + 50);
        assertThat(credits.unlottedPurchased()).isEqualTo(60);
        assertThat(store.account(ANN).storedLotCount()).isEqualTo(Limits.MAX_STORED_LOTS);
        LedgerEntry purchase = store.entries(ANN, EntryType.PURCHASE).getFirst();
        assertThat(purchase.description()).contains("stores 100 lots").contains("unlotted");
        assertThat(purchase.metadataJson()).doesNotContain("lotId");
        // A refund then claws back from the unlotted tokens, as before lots.
        assertThat(apply(new BillingEvent.ChargeRefunded("evt_r", "charge.refunded", now, ref("ann"), "pi_1", 999, 999))).isEqualTo("applied");
        assertThat(store.account(ANN).bucket("credits").unlottedPurchased()).isEqualTo(10);
        assertThat(store.account(ANN).storedLotCount()).isEqualTo(Limits.MAX_STORED_LOTS);
        assertThat(store.ledgerDisagreements(ANN)).isEmpty();
    }

    @Test
    void aRefundOfAPaymentNeverCredited_isRetriedForAnHour_thenIgnored_andADisputeThenOnlyFlags() {
        BillingEvent refund = new BillingEvent.ChargeRefunded("evt_r", "charge.refunded", now - 60, ref("ann"), "pi_x", 100, 100);
        assertThatThrownBy(() -> apply(refund)).isInstanceOf(BillingRetryLater.class);

        clock.set(clock.instant().plus(Duration.ofHours(2)));
        assertThat(apply(refund)).isEqualTo("no_change");
        assertThat(apply(new BillingEvent.DisputeOpened("evt_d", "charge.dispute.created", now - 60, ref("ann"), "pi_x", "dp_1")))
                .isEqualTo("applied");
        assertThat(store.account(ANN).billing().flags()).containsExactly("disputed");
        assertThat(store.entries(ANN, EntryType.CLAWBACK)).isEmpty();
    }

    @Test
    void aDisputeNamingOnlyItsPayment_findsTheAccountThroughThePurchase() {
        apply(new BillingEvent.PackagePaid("evt_p", "checkout.session.completed", now, ref("ann"), "cs_1", "pi_1", "pro", paidFor("pro")));
        AccountRef paymentOnly = new AccountRef(Optional.empty(), Optional.empty(), Optional.of("pi_1"));

        assertThat(billing.apply(new BillingEvent.DisputeOpened("evt_d", "charge.dispute.created", now, paymentOnly, "pi_1", "dp_1")))
                .satisfies(o -> assertThat(o.account()).contains(ANN)).extracting(BillingService.Outcome::outcome).isEqualTo("applied");
        assertThat(store.account(ANN).bucket("credits").purchased()).isEqualTo(10);
    }

    /** Issue 19 item 1: the metadata names a package; only a payment of its price, in its currency, credits it. */
    @Test
    void aPaymentThatDoesNotPayForItsPackage_creditsNothing_andSaysWhy() {
        StripePrices prices = new StripePrices(java.util.Map.of("solo", "price_solo"), java.util.Map.of("token_pack_100", "price_pack100"));
        BillingService checked = new BillingService(store, wallet, TestCatalogs.defaultCatalog(), prices, clock);
        java.util.OptionalLong none = java.util.OptionalLong.empty();
        record Paid(String packageId, BillingEvent.Payment payment, String why) {
        }
        java.util.List<Paid> mismatches = java.util.List.of(
                new Paid("enterprise", payment("usd", 1, 1, 0), "1 usd for a 29999 usd package"),
                new Paid("enterprise", payment("jpy", 299, 299, 0), "another currency"),
                new Paid("enterprise", payment("usd", 29999, 300, 0), "a 99 % coupon"),
                new Paid("pro", payment("usd", 2499, 2600, 200), "a discount hidden behind tax"),
                new Paid("pro", payment("usd", 4998, 4998, 0), "two packages' subtotal"),
                new Paid("pro", new BillingEvent.Payment(Optional.empty(), none, none, 0, 0, Optional.empty()), "nothing said of the amount"),
                new Paid("pro", new BillingEvent.Payment(Optional.of("usd"), none, none, 0, 0, Optional.empty()), "no total"),
                new Paid("token_pack_100", withLines(payment("usd", 999, 999, 0), line("price_other", 1)), "not the pack's configured price"),
                new Paid("starter", withLines(payment("usd", 999, 999, 0), line("price_solo", 1)), "a plan's price"),
                new Paid("starter", withLines(payment("usd", 999, 999, 0), line("price_pack100", 1)), "another package's price"),
                new Paid("starter", withLines(payment("usd", 999, 999, 0), line("price_x", 1), line("price_y", 1)), "two lines"),
                new Paid("starter", withLines(payment("usd", 999, 999, 0), line("price_x", 2)), "quantity 2"));
        for (int i = 0; i < mismatches.size(); i++) {
            Paid paid = mismatches.get(i);
            BillingService.Outcome outcome = checked.apply(new BillingEvent.PackagePaid("evt_m" + i, "checkout.session.completed", now,
                    ref("ann"), "cs_m" + i, "pi_m" + i, paid.packageId(), paid.payment()));
            assertThat(outcome.outcome()).as(paid.why()).isEqualTo(BillingService.PAYMENT_MISMATCH);
            assertThat(outcome.reason()).as(paid.why()).contains("pi_m" + i).contains("not credited");
            assertThat(store.readForEvent(ANN, "evt_m" + i, Optional.of("pi_m" + i)).purchase()).as(paid.why()).isEmpty();
        }
        assertThat(store.entries(ANN, EntryType.PURCHASE)).isEmpty();
        assertThat(store.account(ANN).bucket("credits").purchased()).isEqualTo(10);

        // Tax on top, the configured price of the pack, a session in upper-case currency: credited, with what was paid.
        assertThat(checked.apply(new BillingEvent.PackagePaid("evt_ok1", "checkout.session.completed", now, ref("ann"), "cs_ok1", "pi_ok1",
                "pro", payment("USD", 2499, 2699, 200))).outcome()).isEqualTo("applied");
        assertThat(checked.apply(new BillingEvent.PackagePaid("evt_ok2", "checkout.session.completed", now, ref("ann"), "cs_ok2", "pi_ok2",
                "token_pack_100", withLines(payment("usd", 999, 999, 0), line("price_pack100", 1)))).outcome()).isEqualTo("applied");
        assertThat(store.readForEvent(ANN, "evt_x", Optional.of("pi_ok1")).purchase().orElseThrow().paid())
                .contains(new PurchaseRecord.AmountPaid(2699, "usd"));
        assertThat(store.entries(ANN, EntryType.PURCHASE)).anySatisfy(e -> assertThat(e.metadataJson())
                .contains("\"amountPaid\":2699").contains("\"currency\":\"usd\"").contains("\"packageId\":\"pro\""));
    }

    private static BillingEvent.Payment payment(String currency, long subtotal, long total, long tax) {
        return new BillingEvent.Payment(Optional.of(currency), java.util.OptionalLong.of(subtotal), java.util.OptionalLong.of(total), tax, 0,
                Optional.empty());
    }

    private static BillingEvent.Payment withLines(BillingEvent.Payment payment, BillingEvent.PaidLine... lines) {
        return new BillingEvent.Payment(payment.currency(), payment.subtotal(), payment.total(), payment.tax(), payment.shipping(),
                Optional.of(java.util.List.of(lines)));
    }

    private static BillingEvent.PaidLine line(String price, long quantity) {
        return new BillingEvent.PaidLine(Optional.of(price), quantity);
    }

    @Test
    void unknownAccountsAndPackages() {
        assertThat(apply(new BillingEvent.PackagePaid("evt_1", "checkout.session.completed", now, ref("nobody"), "cs", "pi", "pro", paidFor("pro"))))
                .isEqualTo("ignored");
        assertThat(apply(new BillingEvent.PackagePaid("evt_2", "checkout.session.completed", now,
                new AccountRef(Optional.empty(), Optional.of("cus_unknown"), Optional.empty()), "cs", "pi", "pro", paidFor("pro")))).isEqualTo("ignored");
        // A paid package in no offer and not in the catalog is recorded as owed (issue 19 item 3), never a retry loop.
        assertThat(apply(new BillingEvent.PackagePaid("evt_3", "checkout.session.completed", now, ref("ann"), "cs", "pi", "gold", paidFor("gold"))))
                .isEqualTo(BillingService.OWED);
        assertThat(store.findOwedPayment(ANN, "pi")).hasValueSatisfying(o -> assertThat(o.packageId()).contains("gold"));
        assertThat(store.entries(ANN, EntryType.PURCHASE)).isEmpty();
    }

    @Test
    void theStripeCustomer_isStoredOnce_theFirstOneWins() {
        assertThat(wallet.linkStripeCustomer(ANN, "cus_1")).isEqualTo("cus_1");
        assertThat(wallet.linkStripeCustomer(ANN, "cus_2")).isEqualTo("cus_1");
        assertThat(store.accountByStripeCustomer("cus_1")).contains(ANN);
        assertThat(apply(new BillingEvent.PackagePaid("evt_1", "checkout.session.completed", now,
                new AccountRef(Optional.empty(), Optional.of("cus_1"), Optional.empty()), "cs", "pi", "starter", paidFor("starter")))).isEqualTo("applied");
    }
}
