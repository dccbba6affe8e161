package com.tokenwallet.stripewebhook;

import static com.tokenwallet.stripewebhook.StripeDeliveries.deliver;
import static com.tokenwallet.stripewebhook.StripeDeliveries.event;
import static com.tokenwallet.stripewebhook.StripeDeliveries.packageSession;
import static com.tokenwallet.stripewebhook.StripeDeliveries.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.billing.Offer;
import com.tokenwallet.domain.catalog.CreditPackage;
import com.tokenwallet.domain.port.PaymentRecords;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 3 through the webhook: a session is credited from the offer checkout stored for it (metadata.offerId),
 * whatever the catalog became; a paid package nothing knows is recorded as owed once, answered 200 {@code owed},
 * logged WARN and counted as PaymentsOwed (alarmed), never a 500 that Stripe retries for days.
 */
class StripeOffersTest {
    private TestWallet wallet;
    private StripeWebhookHandler webhook;
    private Accounts accounts;
    private PaymentRecords records;
    private final long now = Instant.now().getEpochSecond();

    @BeforeEach
    void setUp() {
        wallet = new TestWallet();
        webhook = StripeDeliveries.handler(wallet);
        accounts = new Accounts(wallet);
        records = wallet.context.getBean(PaymentRecords.class);
    }

    @AfterEach
    void tearDown() {
        wallet.close();
    }

    private static String outcome(APIGatewayV2HTTPResponse response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return (String) TestWallet.body(response).get("outcome");
    }

    private Offer offer(String account, String offerId, String packageId, long tokens, long price) {
        return records.putOffer(Offer.of(offerId, AccountId.of(account), new CreditPackage(packageId, packageId,
                Map.of("credits", tokens), Map.of("credits", 5L), price, "usd"), Instant.now()));
    }

    private static Map<String, Object> session(String sessionId, String account, String packageId, String payment, long paid, String offerId) {
        Map<String, Object> metadata = new LinkedHashMap<>(Map.of("accountId", account, "packageId", packageId));
        if (offerId != null) {
            metadata.put("offerId", offerId);
        }
        return with(packageSession(sessionId, account, packageId, payment, "paid"), "metadata", metadata,
                "amount_subtotal", paid, "amount_total", paid);
    }

    @Test
    void aSessionIsCreditedFromItsOffer_whenTheCatalogNoLongerHasThePackage_orRepricedIt() {
        accounts.open("ann");
        offer("ann", "offer_gold", "gold", 700, 4_900);          // gold was removed from the catalog since
        offer("ann", "offer_pro", "pro", 100, 1_999);            // pro now costs 2499 for 150 + 10
        String gold = event("evt_1", "checkout.session.completed", now, session("cs_1", "ann", "gold", "pi_1", 4_900, "offer_gold"));
        assertThat(outcome(deliver(webhook, gold))).isEqualTo("applied");
        assertThat(outcome(deliver(webhook, gold))).isEqualTo("duplicate");
        assertThat(outcome(deliver(webhook, event("evt_2", "checkout.session.completed", now,
                session("cs_2", "ann", "pro", "pi_2", 1_999, "offer_pro"))))).isEqualTo("applied");

        assertThat(accounts.purchased("ann", "credits")).isEqualTo(10 + 705 + 105);
        assertThat(accounts.entries("ann", "purchase").stream().map(e -> (Object) ((Map<?, ?>) e.get("metadata")).get("offerId")).toList())
                .containsExactlyInAnyOrder((Object) "offer_gold", "offer_pro");
        assertThat(wallet.items("owed_payments", "ann")).isEmpty();
        accounts.assertInvariant("ann");
    }

    @Test
    void anOfferOfAnotherAccount_orForAnotherPackage_isNotUsed_theCatalogDecides() {
        accounts.open("eve");
        offer("bob", "offer_bob", "pro", 5_000, 100);
        offer("eve", "offer_cheap_pack", "token_pack_100", 5_000, 100);
        assertThat(outcome(deliver(webhook, event("evt_1", "checkout.session.completed", now,
                session("cs_1", "eve", "pro", "pi_1", 100, "offer_bob"))))).isEqualTo("payment_mismatch");
        assertThat(outcome(deliver(webhook, event("evt_2", "checkout.session.completed", now,
                session("cs_2", "eve", "pro", "pi_2", 100, "offer_cheap_pack"))))).isEqualTo("payment_mismatch");
        assertThat(accounts.purchased("eve", "credits")).isEqualTo(10);
    }

    @Test
    void aPaidPackageNothingKnows_isRecordedAsOwedOnce_answers200_logsWarn_andCountsPaymentsOwed() {
        accounts.open("ona");
        String body = event("evt_1", "checkout.session.completed", now, session("cs_1", "ona", "gold", "pi_1", 4_900, null));
        List<Map<String, Object>> lines = logLines(() -> {
            assertThat(outcome(deliver(webhook, body))).isEqualTo("owed");
            assertThat(outcome(deliver(webhook, body))).isEqualTo("duplicate");
            assertThat(outcome(deliver(StripeDeliveries.handler(wallet), body))).isEqualTo("duplicate");
        });
        assertThat(lines.getFirst()).containsEntry("level", "WARN").containsEntry("outcome", "owed").containsEntry("PaymentsOwed", 1)
                .containsEntry("WebhookFailures", 0).containsEntry("accountId", "ona");
        assertThat(lines.subList(1, 3)).allSatisfy(l -> assertThat(l).containsEntry("PaymentsOwed", 0));
        assertThat(wallet.items("owed_payments", "ona")).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("payment_id", "pi_1").containsEntry("status", "owed");
            assertThat((String) r.get("document")).contains("\"kind\":\"unknown_package\"").contains("\"amountPaid\":4900");
        });
        assertThat(accounts.purchased("ona", "credits")).isEqualTo(10);
        assertThat(accounts.entries("ona", "purchase")).isEmpty();
    }

    private static List<Map<String, Object>> logLines(Runnable action) {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("StripeWebhookHandler")).map(l -> {
            try {
                return com.tokenwallet.domain.json.StrictJson.object(l);
            } catch (java.io.IOException e) {
                throw new AssertionError(l, e);
            }
        }).toList();
    }
}
