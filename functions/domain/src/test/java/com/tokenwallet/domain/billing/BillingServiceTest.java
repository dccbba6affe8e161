package com.tokenwallet.domain.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
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
import java.time.Duration;
import java.time.Instant;
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
        apply(new BillingEvent.PackagePaid("evt_p", "checkout.session.completed", now, ref("ann"), "cs_1", "pi_1", "starter"));
        wallet.hold(new HoldCommands.Hold(ANN, new ChargeRequest.ByAmount("credits", 55, "render"), 600, Metadata.NONE,
                new Idempotency(new IdempotencyKey("h1"), "f")), r -> new StoredResponse(201, "{}"));

        assertThat(apply(new BillingEvent.ChargeRefunded("evt_r", "charge.refunded", now, ref("ann"), "pi_1", 999, 999))).isEqualTo("applied");

        BucketBalance credits = store.account(ANN).bucket("credits");
        assertThat(credits).isEqualTo(new BucketBalance(0, 55, 55));
        LedgerEntry clawback = store.entries(ANN, EntryType.CLAWBACK).getFirst();
        assertThat(clawback.amount()).isEqualTo(-5);
        assertThat(clawback.metadataJson()).contains("\"shortfall\":45");
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
        apply(new BillingEvent.PackagePaid("evt_p", "checkout.session.completed", now, ref("ann"), "cs_1", "pi_1", "pro"));
        AccountRef paymentOnly = new AccountRef(Optional.empty(), Optional.empty(), Optional.of("pi_1"));

        assertThat(billing.apply(new BillingEvent.DisputeOpened("evt_d", "charge.dispute.created", now, paymentOnly, "pi_1", "dp_1")))
                .satisfies(o -> assertThat(o.account()).contains(ANN)).extracting(BillingService.Outcome::outcome).isEqualTo("applied");
        assertThat(store.account(ANN).bucket("credits").purchased()).isEqualTo(10);
    }

    @Test
    void unknownAccountsAndPackages() {
        assertThat(apply(new BillingEvent.PackagePaid("evt_1", "checkout.session.completed", now, ref("nobody"), "cs", "pi", "pro")))
                .isEqualTo("ignored");
        assertThat(apply(new BillingEvent.PackagePaid("evt_2", "checkout.session.completed", now,
                new AccountRef(Optional.empty(), Optional.of("cus_unknown"), Optional.empty()), "cs", "pi", "pro"))).isEqualTo("ignored");
        // A paid package the catalog no longer has is not silently dropped: the delivery fails (500) until it can be credited.
        assertThatThrownBy(() -> apply(new BillingEvent.PackagePaid("evt_3", "checkout.session.completed", now, ref("ann"), "cs", "pi", "gold")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("gold");
        assertThat(store.entries(ANN, EntryType.PURCHASE)).isEmpty();
    }

    @Test
    void theStripeCustomer_isStoredOnce_theFirstOneWins() {
        assertThat(wallet.linkStripeCustomer(ANN, "cus_1")).isEqualTo("cus_1");
        assertThat(wallet.linkStripeCustomer(ANN, "cus_2")).isEqualTo("cus_1");
        assertThat(store.accountByStripeCustomer("cus_1")).contains(ANN);
        assertThat(apply(new BillingEvent.PackagePaid("evt_1", "checkout.session.completed", now,
                new AccountRef(Optional.empty(), Optional.of("cus_1"), Optional.empty()), "cs", "pi", "starter"))).isEqualTo("applied");
    }
}
