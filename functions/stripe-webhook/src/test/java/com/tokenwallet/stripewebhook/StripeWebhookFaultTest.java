package com.tokenwallet.stripewebhook;

import static com.tokenwallet.stripewebhook.StripeDeliveries.deliver;
import static com.tokenwallet.stripewebhook.StripeDeliveries.event;
import static com.tokenwallet.stripewebhook.StripeDeliveries.packageSession;
import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.domain.service.WalletService;
import com.tokenwallet.domain.testing.FaultInjectingWalletStore.Fault;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Store faults injected at the store port (FaultInjectingWalletStore): whatever happens to the write, Stripe's next
 * delivery of the event leaves the package credited exactly once.
 */
class StripeWebhookFaultTest {

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFaultyWrite_thenStripesRedelivery_creditsThePackageExactlyOnce(Fault fault) {
        try (TestWallet wallet = new TestWallet()) {
            Accounts accounts = new Accounts(wallet);
            accounts.open("flo");
            StripeWebhookHandler webhook = StripeDeliveries.handler(wallet);
            String body = event("evt_1", "checkout.session.completed", Instant.now().getEpochSecond(),
                    packageSession("cs_1", "flo", "pro", "pi_1", "paid"));

            // The service computes a stale write again at most MAX_WRITE_ATTEMPTS times before it gives up with 503.
            wallet.store.failNextWrites(fault, fault == Fault.STALE_CONFLICT ? WalletService.MAX_WRITE_ATTEMPTS : 1);
            var first = deliver(webhook, body);
            assertThat(wallet.store.pendingFaults()).isZero();
            var again = deliver(webhook, body);

            if (fault == Fault.COMMIT_THEN_LOSE_ANSWER) {
                assertThat(first.getStatusCode()).isEqualTo(503);
                assertThat(TestWallet.body(again)).containsEntry("outcome", "duplicate");
            } else {
                assertThat(first.getStatusCode()).isEqualTo(503);
                assertThat(TestWallet.body(again)).containsEntry("outcome", "applied");
            }
            assertThat(first.getHeaders()).containsKey("Retry-After");
            assertThat(accounts.purchased("flo", "credits")).isEqualTo(10 + 160);
            assertThat(accounts.entries("flo", "purchase")).hasSize(1);
        }
    }
}
