package com.tokenwallet.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.debit.DebitHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checkout against a fake Stripe on 127.0.0.1 (stripe-java's API base override), on the embedded SQLite engine. */
class CheckoutTest {
    static final String SECRET_KEY = "sk_test_checkout_secret_1234567890";
    static final String URLS = "\"successUrl\":\"https://app.example.com/paid\",\"cancelUrl\":\"https://app.example.com/cancel\"";

    private TestWallet wallet;
    private FakeStripe stripe;
    private CheckoutHandler checkout;

    @BeforeEach
    void setUp() throws Exception {
        wallet = new TestWallet();
        stripe = new FakeStripe();
        checkout = handler(Map.of("stripe.secret.key", SECRET_KEY, "stripe.api.base", stripe.base()));
        TestWallet.call(wallet.handler(DebitHandler::new), ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account("amy")
                .caller("amy", "wallet:read").json("{\"email\":\"amy@example.com\"}").build());
    }

    @AfterEach
    void tearDown() {
        stripe.close();
        wallet.close();
    }

    private CheckoutHandler handler(Map<String, Object> stripeProperties) {
        Map<String, Object> properties = new LinkedHashMap<>(stripeProperties);
        properties.putAll(wallet.storeProperties());
        properties.put("stripe.price.solo", "price_solo");
        properties.put("stripe.price.business", "price_business");
        properties.put("stripe.token.pack.price.100", "price_pack100");
        return new CheckoutHandler(WalletContexts.start(properties, wallet.store));
    }

    private APIGatewayV2HTTPResponse post(CheckoutHandler handler, String account, String caller, String scope, String key, String body) {
        ApiEvents event = ApiEvents.route(CheckoutHandler.ROUTE).account(account).caller(caller, scope).json(body);
        if (key != null) {
            event.idempotencyKey(key);
        }
        return TestWallet.call(handler, event.build());
    }

    private APIGatewayV2HTTPResponse post(String key, String body) {
        return post(checkout, "amy", "amy", "wallet:read", key, body);
    }

    @Test
    void aPackage_isAPaymentModeSession_withInlinePriceData_tiedToTheAccount() {
        var response = post("buy-pro-1", "{\"packageId\":\"pro\"," + URLS + "}");

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        Map<String, Object> body = TestWallet.body(response);
        assertThat((String) body.get("sessionId")).startsWith("cs_test_fake");
        assertThat((String) body.get("url")).startsWith("https://checkout.stripe.com/c/pay/");
        FakeStripe.Request session = stripe.requests("/v1/checkout/sessions").getFirst();
        assertThat(session.headers()).containsEntry("authorization", "Bearer " + SECRET_KEY);
        assertThat(session.headers().get("idempotency-key")).as("namespaced by account").isNotEqualTo("buy-pro-1").hasSizeLessThanOrEqualTo(255);
        assertThat(session.form()).containsEntry("mode", "payment").containsEntry("client_reference_id", "amy")
                .containsEntry("customer", "cus_fake1")
                .containsEntry("success_url", "https://app.example.com/paid").containsEntry("cancel_url", "https://app.example.com/cancel")
                .containsEntry("metadata[accountId]", "amy").containsEntry("metadata[packageId]", "pro")
                .containsEntry("line_items[0][quantity]", "1")
                .containsEntry("line_items[0][price_data][currency]", "usd")
                .containsEntry("line_items[0][price_data][unit_amount]", "2499")
                .containsEntry("payment_intent_data[metadata][accountId]", "amy")
                .containsEntry("payment_intent_data[metadata][packageId]", "pro")
                .doesNotContainKey("line_items[0][price]");
        FakeStripe.Request customer = stripe.requests("/v1/customers").getFirst();
        assertThat(customer.form()).containsEntry("metadata[accountId]", "amy").containsEntry("email", "amy@example.com");
        assertThat(customer.headers()).containsEntry("idempotency-key", "token-wallet-customer-amy");
    }

    @Test
    void theTokenPack_usesItsConfiguredPrice_andAPlan_isASubscriptionModeSession() {
        assertThat(post("k1", "{\"packageId\":\"token_pack_100\"," + URLS + "}").getStatusCode()).isEqualTo(201);
        assertThat(post("k2", "{\"planId\":\"solo\"," + URLS + "}").getStatusCode()).isEqualTo(201);

        List<FakeStripe.Request> sessions = stripe.requests("/v1/checkout/sessions");
        assertThat(sessions.get(0).form()).containsEntry("line_items[0][price]", "price_pack100").containsEntry("mode", "payment");
        assertThat(sessions.get(1).form()).containsEntry("mode", "subscription").containsEntry("line_items[0][price]", "price_solo")
                .containsEntry("metadata[planId]", "solo").containsEntry("subscription_data[metadata][accountId]", "amy")
                .containsEntry("subscription_data[metadata][planId]", "solo").containsEntry("client_reference_id", "amy");
    }

    @Test
    void theStripeCustomer_isCreatedOnce_andReusedByEveryLaterSession_andAnotherInstance() {
        post("k1", "{\"packageId\":\"starter\"," + URLS + "}");
        post("k2", "{\"packageId\":\"pro\"," + URLS + "}");
        post(handler(Map.of("stripe.secret.key", SECRET_KEY, "stripe.api.base", stripe.base())), "amy", "amy", "wallet:read", "k3",
                "{\"planId\":\"business\"," + URLS + "}");

        assertThat(stripe.requests("/v1/customers")).hasSize(1);
        assertThat(stripe.requests("/v1/checkout/sessions")).extracting(r -> r.form().get("customer")).containsOnly("cus_fake1");
    }

    @Test
    void aRetry_getsTheSameSessionReplayed_andTheSameKeyWithAnotherBody_is409() {
        var first = post("same-key", "{\"packageId\":\"pro\"," + URLS + "}");
        var again = post("same-key", "{\"packageId\":\"pro\"," + URLS + "}");
        var other = post("same-key", "{\"packageId\":\"business\"," + URLS + "}");

        assertThat(again.getStatusCode()).isEqualTo(201);
        assertThat(TestWallet.body(again)).isEqualTo(TestWallet.body(first));
        assertThat(again.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(first.getHeaders()).doesNotContainKey("Idempotent-Replayed");
        assertThat(other.getStatusCode()).isEqualTo(409);
        assertThat(TestWallet.body(other)).containsEntry("code", "idempotency_key_reused");
    }

    /**
     * Issue 19 item 3: a package's session sells an offer stored before Stripe is called (what the package is now),
     * named in the session's and the PaymentIntent's metadata; a retry finds the same offer, another package under
     * the same key is refused before Stripe is called, and a refused request stores none.
     */
    @Test
    void aPackageSession_sellsAnOfferStoredFirst_namedInItsMetadata() {
        var first = post("offer-key", "{\"packageId\":\"pro\"," + URLS + "}");
        assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(201);
        var offers = wallet.items("offers", "amy");
        assertThat(offers).hasSize(1);
        String offerId = (String) offers.getFirst().get("offer_id");
        assertThat(offerId).isEqualTo(com.tokenwallet.domain.billing.Offers.offerId(com.tokenwallet.domain.account.AccountId.of("amy"), "offer-key"));
        assertThat((String) offers.getFirst().get("document")).contains("\"packageId\":\"pro\"").contains("\"price\":2499")
                .contains("\"currency\":\"usd\"").contains("\"tokens\":{\"credits\":150}").contains("\"bonus\":{\"credits\":10}");
        FakeStripe.Request session = stripe.requests("/v1/checkout/sessions").getFirst();
        assertThat(session.form()).containsEntry("metadata[offerId]", offerId).containsEntry("payment_intent_data[metadata][offerId]", offerId);

        assertThat(post("offer-key", "{\"packageId\":\"pro\"," + URLS + "}").getStatusCode()).isEqualTo(201);
        assertThat(stripe.requests("/v1/checkout/sessions").get(1).form()).containsEntry("metadata[offerId]", offerId);
        assertThat(wallet.items("offers", "amy")).hasSize(1);

        int calls = stripe.requests("/v1/checkout/sessions").size();
        var other = post("offer-key", "{\"packageId\":\"starter\"," + URLS + "}");
        assertThat(other.getStatusCode()).isEqualTo(409);
        assertThat(TestWallet.body(other)).containsEntry("code", "idempotency_key_reused");
        assertThat(stripe.requests("/v1/checkout/sessions")).hasSize(calls);

        // A plan's session sells no offer; an unknown account stores none.
        assertThat(post("plan-key", "{\"planId\":\"solo\"," + URLS + "}").getStatusCode()).isEqualTo(201);
        assertThat(post(checkout, "nobody", "svc", "wallet:charge", "k", "{\"packageId\":\"pro\"," + URLS + "}").getStatusCode()).isEqualTo(404);
        assertThat(wallet.items().stream().filter(r -> "offers".equals(r.get("table")))).hasSize(1);
    }

    /**
     * Issue 19 item 4: Stripe's idempotency keys are per Stripe account, so the request's key is namespaced by our
     * account: two of our accounts using the same key get a session each, and each one's retry still replays its own.
     */
    @Test
    void twoAccountsUsingTheSameKey_getASessionEach_andEachRetryReplaysItsOwn() {
        TestWallet.call(wallet.handler(DebitHandler::new), ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account("bob")
                .caller("bob", "wallet:read").build());
        String body = "{\"packageId\":\"pro\"," + URLS + "}";

        var amy = post(checkout, "amy", "amy", "wallet:read", "order-1", body);
        var bob = post(checkout, "bob", "bob", "wallet:read", "order-1", body);
        var amyAgain = post(checkout, "amy", "amy", "wallet:read", "order-1", body);

        assertThat(amy.getStatusCode()).as(amy.getBody()).isEqualTo(201);
        assertThat(bob.getStatusCode()).as(bob.getBody()).isEqualTo(201);
        assertThat(TestWallet.body(bob).get("sessionId")).isNotEqualTo(TestWallet.body(amy).get("sessionId"));
        assertThat(TestWallet.body(amyAgain)).isEqualTo(TestWallet.body(amy));
        assertThat(amyAgain.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        List<String> keys = stripe.requests("/v1/checkout/sessions").stream().map(r -> r.headers().get("idempotency-key")).toList();
        assertThat(keys).hasSize(3).doesNotContain("order-1");
        assertThat(keys.get(0)).isNotEqualTo(keys.get(1)).isEqualTo(keys.get(2));
    }

    /**
     * Issue 19 item 4: an account whose subscription is in force cannot start a second one (the customer would pay
     * for two plans): 409 subscription_exists before Stripe is called; packages can still be bought, and once the
     * subscription has ended a new one can start.
     */
    @Test
    void aSecondSubscription_isRefusedWith409_whileOneIsInForce() {
        var billing = new com.tokenwallet.domain.billing.BillingService(
                wallet.context.getBean(com.tokenwallet.domain.port.WalletStore.class),
                wallet.context.getBean(com.tokenwallet.domain.service.WalletService.class),
                wallet.context.getBean(com.tokenwallet.domain.catalog.Catalog.class), java.time.Clock.systemUTC());
        long now = java.time.Instant.now().getEpochSecond();
        var ref = new com.tokenwallet.domain.billing.BillingEvent.AccountRef(java.util.Optional.of("amy"), java.util.Optional.empty(),
                java.util.Optional.empty());
        assertThat(billing.apply(new com.tokenwallet.domain.billing.BillingEvent.SubscriptionStarted("evt_1", "checkout.session.completed",
                now - 10, ref, "sub_1", "solo")).outcome()).isEqualTo("applied");
        int sessionsBefore = stripe.requests("/v1/checkout/sessions").size();

        var second = post("k-second", "{\"planId\":\"business\"," + URLS + "}");

        assertThat(second.getStatusCode()).as(second.getBody()).isEqualTo(409);
        assertThat(TestWallet.body(second)).containsEntry("code", "subscription_exists");
        assertThat((String) TestWallet.body(second).get("detail")).contains("sub_1");
        assertThat(stripe.requests("/v1/checkout/sessions")).hasSize(sessionsBefore);
        assertThat(post("k-pack", "{\"packageId\":\"starter\"," + URLS + "}").getStatusCode()).isEqualTo(201);

        assertThat(billing.apply(new com.tokenwallet.domain.billing.BillingEvent.SubscriptionChanged("evt_2", "customer.subscription.deleted",
                now - 5, ref, "sub_1", "canceled", java.util.Optional.of("solo"), true)).outcome()).isEqualTo("applied");
        assertThat(post("k-after", "{\"planId\":\"business\"," + URLS + "}").getStatusCode()).isEqualTo(201);
    }

    @Test
    void badRequests_areRefusedBeforeStripeIsCalled() {
        Map<String, Integer> cases = new LinkedHashMap<>();
        cases.put("{\"packageId\":\"pro\",\"planId\":\"solo\"," + URLS + "}", 400);
        cases.put("{" + URLS + "}", 400);
        cases.put("{\"packageId\":\"gold\"," + URLS + "}", 400);
        cases.put("{\"planId\":\"free\"," + URLS + "}", 400);
        cases.put("{\"planId\":\"enterprise\"," + URLS + "}", 400); // no price configured for it in this test
        cases.put("{\"packageId\":\"pro\",\"successUrl\":\"javascript:alert(1)\",\"cancelUrl\":\"https://a.example\"}", 400);
        cases.put("{\"packageId\":\"pro\",\"successUrl\":\"/relative\",\"cancelUrl\":\"https://a.example\"}", 400);
        cases.put("{\"packageId\":\"pro\"," + URLS + ",\"amount\":1}", 400);
        cases.put("{\"packageId\":\"pro\",\"successUrl\":\"https://a.example/" + "x".repeat(3000) + "\",\"cancelUrl\":\"https://a.example\"}", 400);
        cases.forEach((body, status) -> {
            var response = post("k-" + body.hashCode(), body);
            assertThat(response.getStatusCode()).as(body).isEqualTo(status);
            assertThat(TestWallet.body(response)).as(body).containsEntry("code", "invalid_request").containsKey("field");
        });
        assertThat(post(null, "{\"packageId\":\"pro\"," + URLS + "}").getStatusCode()).isEqualTo(400);
        assertThat(post(checkout, "bob", "amy", "wallet:read", "k", "{\"packageId\":\"pro\"," + URLS + "}").getStatusCode()).isEqualTo(403);
        assertThat(post(checkout, "nobody", "svc", "wallet:charge", "k", "{\"packageId\":\"pro\"," + URLS + "}").getStatusCode()).isEqualTo(404);
        assertThat(stripe.requests("/v1/checkout/sessions")).isEmpty();
    }

    @Test
    void whoMayCreateASession_ownAccountWithRead_anyAccountWithChargeOrAdmin_nobodyWithoutAToken() {
        String body = "{\"packageId\":\"starter\"," + URLS + "}";
        assertThat(post(checkout, "amy", "amy", "wallet:read", "a1", body).getStatusCode()).isEqualTo(201);
        assertThat(post(checkout, "amy", "backend", "wallet:charge", "a2", body).getStatusCode()).isEqualTo(201);
        assertThat(post(checkout, "amy", "ops", "wallet:admin", "a3", body).getStatusCode()).isEqualTo(201);
        assertThat(post(checkout, "amy", "bob", "wallet:read", "a4", body).getStatusCode()).isEqualTo(403);
        assertThat(post(checkout, "amy", "amy", "openid", "a5", body).getStatusCode()).isEqualTo(403);
        var anonymous = TestWallet.call(checkout, ApiEvents.route(CheckoutHandler.ROUTE).account("amy").idempotencyKey("a6").json(body).build());
        assertThat(anonymous.getStatusCode()).isEqualTo(401);
        var text = TestWallet.call(checkout, ApiEvents.route(CheckoutHandler.ROUTE).account("amy").caller("amy", "wallet:read")
                .idempotencyKey("a7").header("content-type", "text/plain").rawBody(body, false).build());
        assertThat(text.getStatusCode()).isEqualTo(415);
        assertThat(stripe.requests("/v1/checkout/sessions")).hasSize(3);
    }

    @Test
    void stripeDownOrNotConfigured_is503_andTheSecretKeyIsNeverLogged() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            stripe.failWithStatus = 500;
            var down = post("k1", "{\"packageId\":\"pro\"," + URLS + "}");
            assertThat(down.getStatusCode()).isEqualTo(503);
            assertThat(down.getHeaders()).containsKey("Retry-After");

            var unconfigured = post(handler(Map.of()), "amy", "amy", "wallet:read", "k2", "{\"packageId\":\"pro\"," + URLS + "}");
            assertThat(unconfigured.getStatusCode()).isEqualTo(503);
            assertThat(TestWallet.body(unconfigured)).containsEntry("code", "stripe_not_configured");
        } finally {
            System.setOut(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("\"route\":\"POST /v1/accounts/{accountId}/checkout-sessions\"").doesNotContain(SECRET_KEY).doesNotContain("sk_test");
    }
}
