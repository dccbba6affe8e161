package com.tokenwallet.stripewebhook;

import static com.tokenwallet.stripewebhook.StripeDeliveries.SECRET;
import static com.tokenwallet.stripewebhook.StripeDeliveries.charge;
import static com.tokenwallet.stripewebhook.StripeDeliveries.deliver;
import static com.tokenwallet.stripewebhook.StripeDeliveries.delivery;
import static com.tokenwallet.stripewebhook.StripeDeliveries.dispute;
import static com.tokenwallet.stripewebhook.StripeDeliveries.event;
import static com.tokenwallet.stripewebhook.StripeDeliveries.invoice;
import static com.tokenwallet.stripewebhook.StripeDeliveries.packageSession;
import static com.tokenwallet.stripewebhook.StripeDeliveries.signature;
import static com.tokenwallet.stripewebhook.StripeDeliveries.subscription;
import static com.tokenwallet.stripewebhook.StripeDeliveries.subscriptionSession;
import static com.tokenwallet.stripewebhook.StripeDeliveries.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.TestWallet;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook on the embedded SQLite engine, with deliveries built from Stripe's real shapes and signed with the endpoint secret. */
class StripeWebhookTest {
    static final long DAY = 86_400;
    private TestWallet wallet;
    private StripeWebhookHandler webhook;
    private Accounts accounts;
    private final long now = Instant.now().getEpochSecond();

    @BeforeEach
    void setUp() {
        wallet = new TestWallet();
        webhook = StripeDeliveries.handler(wallet);
        accounts = new Accounts(wallet);
    }

    @AfterEach
    void tearDown() {
        wallet.close();
    }

    private static String outcome(APIGatewayV2HTTPResponse response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return (String) TestWallet.body(response).get("outcome");
    }

    @Test
    void aPaidPackage_isCreditedOnce_howeverOftenItIsDelivered() {
        accounts.open("ann");
        String body = event("evt_1", "checkout.session.completed", now, packageSession("cs_1", "ann", "pro", "pi_1", "paid"));

        assertThat(outcome(deliver(webhook, body))).isEqualTo("applied");
        assertThat(outcome(deliver(webhook, body))).isEqualTo("duplicate");
        assertThat(outcome(deliver(StripeDeliveries.handler(wallet), body))).isEqualTo("duplicate");

        assertThat(accounts.purchased("ann", "credits")).isEqualTo(10 + 150 + 10);
        List<Map<String, Object>> purchases = accounts.entries("ann", "purchase");
        assertThat(purchases).hasSize(1);
        assertThat(purchases.getFirst()).containsEntry("amount", 160).containsEntry("reference", "pi_1");
        accounts.assertInvariant("ann");
    }

    /**
     * Issue 19 item 1: a session carrying metadata.packageId but paid 1 usd, or 299 jpy, or with a 99 % coupon,
     * credits nothing: 200 payment_mismatch (Stripe retrying would change nothing), nothing written, a WARN line and
     * the PaymentMismatches metric the alarm watches. The right payment credits, and its ledger entry says what was paid.
     */
    @Test
    void aSessionThatDoesNotPayForItsPackage_isCreditedNothing_answers200_logsAndCountsIt() {
        accounts.open("min");
        var before = wallet.items();
        List<Map<String, Object>> sessions = List.of(
                with(packageSession("cs_1", "min", "enterprise", "pi_1", "paid"), "amount_subtotal", 1, "amount_total", 1),
                with(packageSession("cs_2", "min", "enterprise", "pi_2", "paid"), "currency", "jpy", "amount_subtotal", 299, "amount_total", 299),
                with(packageSession("cs_3", "min", "enterprise", "pi_3", "paid"), "amount_total", 300,
                        "total_details", Map.of("amount_discount", 29699, "amount_shipping", 0, "amount_tax", 0)),
                with(packageSession("cs_4", "min", "enterprise", "pi_4", "paid"), "amount_total", null, "currency", null));

        List<Map<String, Object>> lines = logLines(() -> {
            for (int i = 0; i < sessions.size(); i++) {
                var response = deliver(webhook, event("evt_" + i, "checkout.session.completed", now, sessions.get(i)));
                assertThat(outcome(response)).as("session %d", i).isEqualTo("payment_mismatch");
            }
        });

        // Nothing credited: balances and ledger as before; each payment is recorded as owed (issue 19 item 3) with its event.
        java.util.function.Predicate<Map<String, Object>> money = r -> !List.of("accounts", "owed_payments", "stripe_events").contains(r.get("table"));
        assertThat(wallet.items()).filteredOn(money).containsExactlyInAnyOrderElementsOf(before.stream().filter(money).toList());
        assertThat(wallet.items("owed_payments", "min")).hasSize(sessions.size())
                .allSatisfy(r -> assertThat((String) r.get("document")).contains("\"kind\":\"payment_mismatch\"").contains("\"status\":\"owed\""));
        assertThat(accounts.purchased("min", "credits")).isEqualTo(10);
        assertThat(lines).hasSize(sessions.size()).allSatisfy(line -> assertThat(line).containsEntry("level", "WARN")
                .containsEntry("outcome", "payment_mismatch").containsEntry("PaymentMismatches", 1).containsEntry("WebhookFailures", 0)
                .containsEntry("accountId", "min").containsKey("reason"));

        assertThat(outcome(deliver(webhook, event("evt_ok", "checkout.session.completed", now,
                packageSession("cs_ok", "min", "enterprise", "pi_ok", "paid"))))).isEqualTo("applied");
        assertThat(accounts.entries("min", "purchase")).first().satisfies(e -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = new java.util.HashMap<>((Map<String, Object>) e.get("metadata"));
            assertThat(metadata.remove("lotId")).as("the purchase lot").isEqualTo("purchase:credits:pi_ok");
            assertThat(metadata).isEqualTo(Map.of("packageId", "enterprise", "checkoutSessionId", "cs_ok", "amountPaid", 29999, "currency", "usd"));
        });
    }

    @Test
    void anUnpaidSession_waitsForAsyncPaymentSucceeded_andAnotherEventForThePaidSessionCreditsNothingMore() {
        accounts.open("bob");
        assertThat(outcome(deliver(webhook, event("evt_1", "checkout.session.completed", now,
                packageSession("cs_1", "bob", "token_pack_100", "pi_1", "unpaid"))))).isEqualTo("ignored");
        assertThat(accounts.purchased("bob", "mockup")).isZero();

        assertThat(outcome(deliver(webhook, event("evt_2", "checkout.session.async_payment_succeeded", now + 60,
                packageSession("cs_1", "bob", "token_pack_100", "pi_1", "paid"))))).isEqualTo("applied");
        assertThat(outcome(deliver(webhook, event("evt_3", "checkout.session.completed", now + 61,
                packageSession("cs_1", "bob", "token_pack_100", "pi_1", "paid"))))).isEqualTo("no_change");

        assertThat(List.of(accounts.purchased("bob", "mockup"), accounts.purchased("bob", "dol"), accounts.purchased("bob", "weather")))
                .containsExactly(34L, 33L, 33L);
        accounts.assertInvariant("bob");
    }

    @Test
    void badStaleTamperedOrMissingSignatures_areRefusedWith400_andWriteNothing() {
        accounts.open("eve");
        var before = wallet.items();
        String body = event("evt_1", "checkout.session.completed", now, packageSession("cs_1", "eve", "enterprise", "pi_1", "paid"));
        String good = signature(body, SECRET, now);

        List<APIGatewayV2HTTPResponse> refused = List.of(
                webhook.handleRequest(delivery(body, signature(body, "whsec_another_secret", now)), null),
                webhook.handleRequest(delivery(body, signature(body, SECRET, now - 301)), null),
                webhook.handleRequest(delivery(body.replace("\"enterprise\"", "\"business\""), good), null),
                webhook.handleRequest(delivery(body, null), null),
                webhook.handleRequest(delivery(body, "t=" + now + ",v1=00"), null),
                webhook.handleRequest(delivery(body, "garbage"), null));

        for (APIGatewayV2HTTPResponse r : refused) {
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(400);
            assertThat(TestWallet.body(r)).containsEntry("code", "invalid_signature");
            assertThat(r.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        }
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(before);
        assertThat(accounts.purchased("eve", "credits")).isEqualTo(10);
    }

    /** Issue 19 item 6: a timestamp stripe-java cannot parse is a bad signature, not a fault anyone can raise at will. */
    @Test
    void malformedSignatureTimestamps_are400InvalidSignature_neverA500_norAnErrorOrAFailureMetric() throws Exception {
        accounts.open("mat");
        var before = wallet.items();
        String body = event("evt_1", "checkout.session.completed", now, packageSession("cs_1", "mat", "pro", "pi_1", "paid"));
        String v1 = signature(body, SECRET, now).substring(signature(body, SECRET, now).indexOf(",v1=") + 4);
        List<String> headers = List.of("t=abc,v1=" + v1, "t=,v1=" + v1, "t=1.5,v1=" + v1, "t=0x10,v1=" + v1,
                "t=99999999999999999999,v1=" + v1, "t,v1=" + v1, "t=" + now + ",t=" + now + ",v1=" + v1, "t=-" + now + ",v1=" + v1,
                "t= " + now + ",v1=" + v1, "v1=" + v1, "t=" + now);

        List<Map<String, Object>> lines = logLines(() -> headers.forEach(header -> {
            var response = webhook.handleRequest(delivery(body, header), null);
            assertThat(response.getStatusCode()).as(header + ": " + response.getBody()).isEqualTo(400);
            assertThat(TestWallet.body(response)).as(header).containsEntry("code", "invalid_signature");
            com.tokenwallet.api.testing.HandlerContract.check(StripeWebhookHandler.ROUTE, response);
        }));

        assertThat(lines).hasSize(headers.size()).allSatisfy(line -> assertThat(line).containsEntry("level", "WARN")
                .containsEntry("WebhookFailures", 0).containsEntry("WebhookSignatureRefusals", 1).doesNotContainKey("error"));
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(before);
    }

    /** Issue 19 item 7: the tolerance holds both ways; a little clock skew ahead is still accepted. */
    @Test
    void signaturesDatedBeyondTheToleranceInTheFuture_areRefused_andALittleAheadIsAccepted() {
        accounts.open("fut");
        String body = event("evt_1", "checkout.session.completed", now, packageSession("cs_1", "fut", "starter", "pi_1", "paid"));
        long tenYears = 10L * 365 * 86_400;

        for (long ahead : List.of(tenYears, StripeWebhookHandler.TOLERANCE_SECONDS + 60)) {
            var refused = webhook.handleRequest(delivery(body, signature(body, SECRET, now + ahead)), null);
            assertThat(refused.getStatusCode()).as("%d s ahead", ahead).isEqualTo(400);
            assertThat(TestWallet.body(refused)).containsEntry("code", "invalid_signature");
        }
        assertThat(accounts.purchased("fut", "credits")).isEqualTo(10);

        var accepted = webhook.handleRequest(delivery(body, signature(body, SECRET, now + 60)), null);
        assertThat(outcome(accepted)).isEqualTo("applied");
    }

    /** The webhook's JSON log lines printed while {@code action} runs. */
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

    @Test
    void withoutTheEndpointSecret_everyDeliveryIs503_soStripeKeepsIt_andNothingIsWritten() {
        accounts.open("nat");
        var before = wallet.items();
        var unconfigured = new StripeWebhookHandler(com.tokenwallet.api.WalletContexts.start(wallet.storeProperties(), wallet.store));
        String body = event("evt_1", "checkout.session.completed", now, packageSession("cs_1", "nat", "pro", "pi_1", "paid"));

        var response = unconfigured.handleRequest(delivery(body, signature(body, SECRET, now)), null);

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(TestWallet.body(response)).containsEntry("code", "stripe_not_configured");
        assertThat(response.getHeaders()).containsKey("Retry-After");
        com.tokenwallet.api.testing.HandlerContract.check(StripeWebhookHandler.ROUTE, response);
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void aBase64EncodedBody_isVerifiedOnItsDecodedBytes() {
        accounts.open("bea");
        String body = event("evt_é", "checkout.session.completed", now, packageSession("cs_1", "bea", "starter", "pi_1", "paid"));
        var event = delivery(Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)), signature(body, SECRET, now));
        event.setIsBase64Encoded(true);

        assertThat(outcome(webhook.handleRequest(event, null))).isEqualTo("applied");
        assertThat(accounts.purchased("bea", "credits")).isEqualTo(10 + 50);
    }

    @Test
    void aLargeEvent_isRead_upToItsOwnBound_andALargerOneIs413() {
        accounts.open("lin");
        Map<String, Object> session = packageSession("cs_1", "lin", "starter", "pi_1", "paid");
        // Many fields rather than one long string (strings are bounded at 64 K characters by the JSON reader).
        session.put("custom_fields", java.util.stream.IntStream.range(0, 3_000)
                .mapToObj(i -> Map.of("key", "field_" + i, "label", "a custom field of this session")).toList());
        String large = event("evt_1", "checkout.session.completed", now, session);
        assertThat(large.length()).isGreaterThan(64 * 1024);
        assertThat(outcome(deliver(webhook, large))).isEqualTo("applied");

        session.put("custom_fields", java.util.stream.IntStream.range(0, 20_000)
                .mapToObj(i -> Map.of("key", "field_" + i, "label", "a custom field of this session")).toList());
        String tooLarge = event("evt_2", "checkout.session.completed", now, session);
        assertThat(tooLarge.length()).isGreaterThan(StripeWebhookHandler.MAX_EVENT_BYTES);
        var refused = webhook.handleRequest(delivery(tooLarge, signature(tooLarge, SECRET, now)), null);
        assertThat(refused.getStatusCode()).isEqualTo(413);
        assertThat(TestWallet.body(refused)).containsEntry("code", "payload_too_large");
    }

    /** Signed, so from Stripe (or someone with the secret), yet unreadable: 400, nothing written, never a 500. */
    @Test
    void signedButMalformedEvents_areRefusedWith400_andWriteNothing() {
        accounts.open("mal");
        var before = wallet.items();
        List<String> bodies = List.of(
                "not json at all",
                "[1,2,3]",
                "{\"id\":\"evt_1\",\"type\":\"checkout.session.completed\"}",
                "{\"id\":\"evt_1\",\"type\":\"checkout.session.completed\",\"created\":\"yesterday\",\"data\":{\"object\":{}}}",
                "{\"id\":\"evt_1\",\"type\":\"charge.dispute.created\",\"created\":" + now + ",\"data\":{\"object\":{\"id\":\"dp_1\"}}}",
                "{\"id\":\"evt_1\",\"id\":\"evt_2\",\"type\":\"plan.created\",\"created\":" + now + ",\"data\":{}}",
                "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"created\":" + now + ",\"data\":{\"object\":{\"id\":\"in_1\","
                        + "\"subscription\":\"sub_1\",\"customer\":\"cus_x\",\"lines\":{\"data\":[]}}}}");
        for (String body : bodies) {
            var response = webhook.handleRequest(delivery(body, signature(body, SECRET, now)), null);
            assertThat(response.getStatusCode()).as(body).isEqualTo(400);
            assertThat(TestWallet.body(response)).as(body).containsEntry("code", "invalid_request");
        }
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(before);
    }

    /** One JSON line per delivery, in embedded metric format: what the WebhookFailures alarm and the dashboards read. */
    @Test
    @SuppressWarnings("unchecked")
    void everyDelivery_logsOneLine_withTheEventsTypeAndOutcome_asMetrics_andNeverTheBodyOrSignature() throws Exception {
        accounts.open("log");
        String body = event("evt_logged", "checkout.session.completed", now, packageSession("cs_1", "log", "pro", "pi_secret_looking", "paid"));
        String signature = signature(body, SECRET, now);
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            webhook.handleRequest(delivery(body, signature), null);
            webhook.handleRequest(delivery(body, signature(body, "whsec_wrong", now)), null);
        } finally {
            System.setOut(original);
        }
        List<Map<String, Object>> lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("StripeWebhookHandler"))
                .map(l -> {
                    try {
                        return com.tokenwallet.domain.json.StrictJson.object(l);
                    } catch (java.io.IOException e) {
                        throw new AssertionError(l, e);
                    }
                }).toList();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).containsEntry("eventId", "evt_logged").containsEntry("eventType", "checkout.session.completed")
                .containsEntry("accountId", "log").containsEntry("outcome", "applied").containsEntry("status", 200)
                .containsEntry("WebhookEvents", 1).containsEntry("WebhookFailures", 0).containsEntry("level", "INFO");
        assertThat(lines.get(1)).containsEntry("outcome", "invalid_signature").containsEntry("status", 400)
                .containsEntry("WebhookFailures", 0).containsEntry("WebhookSignatureRefusals", 1).containsEntry("eventType", "unknown");
        List<Map<String, Object>> directives = (List<Map<String, Object>>) ((Map<String, Object>) lines.get(1).get("_aws")).get("CloudWatchMetrics");
        assertThat(directives).anySatisfy(d -> {
            assertThat(d.get("Dimensions")).isEqualTo(List.of(List.of("function")));
            assertThat(d.get("Metrics")).isEqualTo(List.of(Map.of("Name", "WebhookFailures", "Unit", "Count")));
        });
        assertThat(directives).anySatisfy(d -> assertThat(d.get("Dimensions")).isEqualTo(List.of(List.of("function", "eventType", "outcome"))));
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).doesNotContain(signature).doesNotContain("cs_1").doesNotContain(SECRET);
    }

    @Test
    void unknownTypes_answer200_andChangeNothing() {
        accounts.open("una");
        var before = wallet.items();

        assertThat(outcome(deliver(webhook, event("evt_1", "plan.created", now, StripeDeliveries.fixture("event"))))).isEqualTo("ignored");
        assertThat(outcome(deliver(webhook, event("evt_2", "customer.created", now, StripeDeliveries.fixture("charge"))))).isEqualTo("ignored");
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void paidInvoices_moveTheAccountToTheirPeriod_onceEach_andAnOlderOneNeverMovesItBack() {
        accounts.open("sam");
        long p1 = now - 40 * DAY;
        long p2 = p1 + 30 * DAY;
        accounts.debit("sam", "credits", 1, "k1");
        String first = event("evt_1", "invoice.paid", now - 20, invoice("in_1", "sam", "sub_1", "price_solo", p1, p2, "subscription_create"));
        String second = event("evt_2", "invoice.paid", now - 10, invoice("in_2", "sam", "sub_1", "price_solo", p2, p2 + 30 * DAY, "subscription_cycle"));

        assertThat(outcome(deliver(webhook, first))).isEqualTo("applied");
        assertThat(accounts.balance("sam")).containsEntry("plan", "solo");
        assertThat(List.of(accounts.allowance("sam", "mockup"), accounts.allowance("sam", "dol"), accounts.allowance("sam", "weather")))
                .containsExactly(3L, 3L, 2L);
        accounts.debit("sam", "mockup", 2, "k2");
        assertThat(outcome(deliver(webhook, second))).isEqualTo("applied");
        assertThat(accounts.allowance("sam", "mockup")).as("replaced by the plan's, not added to").isEqualTo(3);
        assertThat(accounts.balance("sam").get("period")).isEqualTo(Instant.ofEpochSecond(p2).toString().substring(0, 10) + "/"
                + Instant.ofEpochSecond(p2 + 30 * DAY).toString().substring(0, 10));

        accounts.debit("sam", "mockup", 1, "k3");
        assertThat(outcome(deliver(webhook, second))).isEqualTo("duplicate");
        assertThat(outcome(deliver(webhook, event("evt_1b", "invoice.paid", now - 20,
                invoice("in_1", "sam", "sub_1", "price_solo", p1, p2, "subscription_create"))))).isEqualTo("no_change");
        assertThat(accounts.allowance("sam", "mockup")).isEqualTo(2);
        accounts.assertInvariant("sam");
    }

    /**
     * Issue 19 item 2: the price the first invoice bills decides the plan and its allowance together, whatever plan
     * the Checkout Session named; when they agree, the session's allowance stands (granted once, not twice).
     */
    @Test
    void theFirstInvoicesPrice_decidesPlanAndAllowanceTogether() {
        long start = now - DAY;
        accounts.open("up");
        deliver(webhook, event("evt_s1", "checkout.session.completed", now - 100, subscriptionSession("cs_1", "up", "sub_1", "solo")));
        assertThat(outcome(deliver(webhook, event("evt_i1", "invoice.paid", now - 90,
                invoice("in_1", "up", "sub_1", "price_business", start, start + 30 * DAY, "subscription_create"))))).isEqualTo("applied");
        assertThat(accounts.balance("up")).containsEntry("plan", "business");
        assertThat(List.of(accounts.allowance("up", "mockup"), accounts.allowance("up", "dol"), accounts.allowance("up", "weather")))
                .containsExactly(10L, 10L, 7L);
        assertThat(accounts.entries("up", "plan_reset")).anySatisfy(e -> assertThat((String) e.get("description")).contains("plan business"));
        accounts.assertInvariant("up");

        accounts.open("down");
        deliver(webhook, event("evt_s2", "checkout.session.completed", now - 100, subscriptionSession("cs_2", "down", "sub_2", "enterprise")));
        assertThat(outcome(deliver(webhook, event("evt_i2", "invoice.paid", now - 90,
                invoice("in_2", "down", "sub_2", "price_solo", start, start + 30 * DAY, "subscription_create"))))).isEqualTo("applied");
        assertThat(accounts.balance("down")).containsEntry("plan", "solo");
        assertThat(List.of(accounts.allowance("down", "mockup"), accounts.allowance("down", "dol"), accounts.allowance("down", "weather")))
                .containsExactly(3L, 3L, 2L);
        accounts.assertInvariant("down");

        accounts.open("same");
        deliver(webhook, event("evt_s3", "checkout.session.completed", now - 100, subscriptionSession("cs_3", "same", "sub_3", "solo")));
        accounts.debit("same", "mockup", 2, "k1");
        assertThat(outcome(deliver(webhook, event("evt_i3", "invoice.paid", now - 90,
                invoice("in_3", "same", "sub_3", "price_solo", start, start + 30 * DAY, "subscription_create"))))).isEqualTo("applied");
        assertThat(accounts.allowance("same", "mockup")).as("the session's allowance, used, not granted again").isEqualTo(1);
        assertThat(accounts.entries("same", "plan_reset")).hasSize(3);
        accounts.assertInvariant("same");
    }

    @Test
    void aSubscriptionAccount_isNotRolledOverByTheCalendar_butByItsInvoices() {
        accounts.open("cal");
        long start = now - 50 * DAY;
        // A paid period that ended 20 days ago: no invoice since (Stripe still retrying), so the allowance stays.
        deliver(webhook, event("evt_1", "invoice.paid", now - 60, invoice("in_1", "cal", "sub_1", "price_business", start, start + 30 * DAY, "subscription_create")));
        accounts.debit("cal", "mockup", 4, "k1");

        assertThat(accounts.allowance("cal", "mockup")).isEqualTo(6);
        assertThat(accounts.balance("cal")).containsEntry("plan", "business");
    }

    @Test
    void subscriptionStates_applyOnlyWhenNewer_andDeletionDowngradesToFree() {
        accounts.open("sue");
        assertThat(outcome(deliver(webhook, event("evt_1", "checkout.session.completed", now - 100,
                subscriptionSession("cs_1", "sue", "sub_1", "solo"))))).isEqualTo("applied");
        assertThat(outcome(deliver(webhook, event("evt_3", "customer.subscription.updated", now - 50,
                subscription("sub_1", "sue", "active", "price_enterprise"))))).isEqualTo("applied");
        assertThat(accounts.allowance("sue", "mockup")).isEqualTo(25);
        // An older update (to business) arrives late: it changes nothing.
        assertThat(outcome(deliver(webhook, event("evt_2", "customer.subscription.updated", now - 70,
                subscription("sub_1", "sue", "active", "price_business"))))).isEqualTo("no_change");
        assertThat(accounts.balance("sue")).containsEntry("plan", "enterprise");

        assertThat(outcome(deliver(webhook, event("evt_4", "customer.subscription.deleted", now - 10,
                subscription("sub_1", "sue", "canceled", "price_enterprise"))))).isEqualTo("applied");
        Map<String, Object> balance = accounts.balance("sue");
        assertThat(balance).containsEntry("plan", "free");
        assertThat((String) balance.get("period")).matches("\\d{4}-\\d{2}");
        assertThat(accounts.allowance("sue", "mockup")).isZero();
        // The session's event delivered again after the deletion starts nothing.
        assertThat(outcome(deliver(webhook, event("evt_1x", "checkout.session.completed", now - 100,
                subscriptionSession("cs_1", "sue", "sub_1", "solo"))))).isEqualTo("no_change");
        assertThat(accounts.balance("sue")).containsEntry("plan", "free");
        accounts.assertInvariant("sue");
    }

    @Test
    void refunds_clawBackInProportionToTheCumulativeAmount_inAnyOrder_onceEach() {
        accounts.open("ray");
        deliver(webhook, event("evt_1", "checkout.session.completed", now - 100, packageSession("cs_1", "ray", "pro", "pi_1", "paid")));
        // The full refund's event arrives before the partial one's.
        assertThat(outcome(deliver(webhook, event("evt_3", "charge.refunded", now - 50, charge("ray", "pi_1", 2499, 2499))))).isEqualTo("applied");
        assertThat(outcome(deliver(webhook, event("evt_2", "charge.refunded", now - 60, charge("ray", "pi_1", 2499, 1000))))).isEqualTo("no_change");
        assertThat(accounts.purchased("ray", "credits")).isEqualTo(10);
        assertThat(accounts.entries("ray", "clawback")).hasSize(1).first().satisfies(e -> assertThat(e).containsEntry("amount", -160));
        accounts.assertInvariant("ray");
    }

    @Test
    void aPaidPackage_isAPurchaseLotOfItsPayment_andARefundClawsBackFromThatLotFirst() {
        com.tokenwallet.api.testing.TestClock clock = new com.tokenwallet.api.testing.TestClock(Instant.ofEpochSecond(now));
        wallet.close();
        wallet = new TestWallet(clock);
        webhook = StripeDeliveries.handler(wallet);
        accounts = new Accounts(wallet);
        accounts.open("lou");
        clock.advance(java.time.Duration.ofMinutes(1)); // the lot is younger than the signup grant's unlotted tokens
        deliver(webhook, event("evt_1", "checkout.session.completed", now - 100, packageSession("cs_1", "lou", "pro", "pi_1", "paid")));
        accounts.debit("lou", "credits", 15, "d-1"); // the 10 signup tokens (unlotted, older), then 5 of the lot

        assertThat(accounts.lots("lou")).singleElement().satisfies(lot -> assertThat(lot)
                .containsEntry("source", "purchase").containsEntry("reference", "pi_1").containsEntry("granted", 160)
                .containsEntry("remaining", 155).doesNotContainKey("expiresAt")
                .hasEntrySatisfying("costBasis", c -> assertThat(new java.math.BigDecimal(c.toString()))
                        .isEqualByComparingTo("15.61875")));
        assertThat(outcome(deliver(webhook, event("evt_2", "charge.refunded", now - 60, charge("lou", "pi_1", 2499, 1000)))))
                .isEqualTo("applied");
        assertThat(accounts.lots("lou")).singleElement().satisfies(lot -> assertThat(lot)
                .containsEntry("remaining", (int) (155 - 1000L * 160 / 2499)));
        assertThat(outcome(deliver(webhook, event("evt_2b", "charge.refunded", now - 55, charge("lou", "pi_1", 2499, 1000)))))
                .as("the same cumulative amount again").isEqualTo("no_change");
        assertThat(outcome(deliver(webhook, event("evt_3", "charge.refunded", now - 50, charge("lou", "pi_1", 2499, 2499)))))
                .isEqualTo("applied");
        assertThat(accounts.lots("lou")).as("the lot's 155 taken; 5 already spent (shortfall)").isEmpty();
        assertThat(accounts.purchased("lou", "credits")).isZero();
        accounts.assertInvariant("lou");
    }

    @Test
    void aPartialRefund_takesItsShare_andTheRestFollowsTheFullOne() {
        accounts.open("pat");
        deliver(webhook, event("evt_1", "checkout.session.completed", now - 100, packageSession("cs_1", "pat", "pro", "pi_1", "paid")));
        assertThat(outcome(deliver(webhook, event("evt_2", "charge.refunded", now - 60, charge("pat", "pi_1", 2499, 1000))))).isEqualTo("applied");
        assertThat(accounts.purchased("pat", "credits")).isEqualTo(170 - 1000L * 160 / 2499);
        assertThat(outcome(deliver(webhook, event("evt_3", "charge.refunded", now - 50, charge("pat", "pi_1", 2499, 2499))))).isEqualTo("applied");
        assertThat(accounts.purchased("pat", "credits")).isEqualTo(10);
        accounts.assertInvariant("pat");
    }

    @Test
    void aClawback_neverGoesBelowZero_andRecordsTheShortfall() {
        accounts.open("sid");
        deliver(webhook, event("evt_1", "checkout.session.completed", now - 100, packageSession("cs_1", "sid", "starter", "pi_1", "paid")));
        accounts.debit("sid", "credits", 55, "spent");

        assertThat(outcome(deliver(webhook, event("evt_2", "charge.dispute.created", now - 50, dispute("dp_1", "pi_1", 999))))).isEqualTo("applied");

        assertThat(accounts.purchased("sid", "credits")).isZero();
        Map<String, Object> clawback = accounts.entries("sid", "clawback").getFirst();
        assertThat(clawback).containsEntry("amount", -5);
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = new java.util.HashMap<>((Map<String, Object>) clawback.get("metadata"));
        assertThat((Map<String, Object>) metadata.remove("fromLot")).as("what the payment's lot still had").containsEntry("amount", 5);
        assertThat(metadata).isEqualTo(Map.of("packageId", "starter", "due", 50, "shortfall", 45));
        assertThat(accounts.balance("sid").get("flags")).isEqualTo(List.of("disputed"));
        accounts.assertInvariant("sid");
    }

    @Test
    void aRefundBeforeItsPurchase_isRetriedLater_andThenApplies() {
        accounts.open("ola");
        String refund = event("evt_2", "charge.refunded", now - 10, charge("ola", "pi_1", 999, 999));
        var early = deliver(webhook, refund);
        assertThat(early.getStatusCode()).isEqualTo(503);
        assertThat(TestWallet.body(early)).containsEntry("code", "event_not_ready");
        assertThat(early.getHeaders()).containsKey("Retry-After");

        deliver(webhook, event("evt_1", "checkout.session.completed", now - 20, packageSession("cs_1", "ola", "starter", "pi_1", "paid")));
        assertThat(outcome(deliver(webhook, refund))).isEqualTo("applied");
        assertThat(accounts.purchased("ola", "credits")).isEqualTo(10);
    }

    @Test
    void eventsOfAnOlderApiVersion_areReadFromWhereThatVersionPutsTheirFields() {
        accounts.open("old");
        // Before 2025: the invoice's subscription at the top, a line's price as an expanded object, no parent.
        Map<String, Object> invoice = invoice("in_1", "old", "sub_1", "price_business", now - DAY, now + 29 * DAY, "subscription_create");
        invoice.remove("parent");
        invoice.put("subscription", Map.of("id", "sub_1", "object", "subscription"));
        invoice.put("subscription_details", Map.of("metadata", Map.of("accountId", "old")));
        @SuppressWarnings("unchecked")
        Map<String, Object> line = new java.util.LinkedHashMap<>(((List<Map<String, Object>>) ((Map<String, Object>) invoice.get("lines")).get("data")).getFirst());
        line.remove("pricing");
        line.put("price", Map.of("id", "price_business", "object", "price"));
        invoice.put("lines", Map.of("object", "list", "data", List.of(line)));
        String body = event("evt_1", "invoice.paid", now, invoice).replace("\"2026-07-29.dahlia\"", "\"2023-10-16\"");

        assertThat(outcome(deliver(webhook, body))).isEqualTo("applied");
        assertThat(accounts.balance("old")).containsEntry("plan", "business");
        assertThat(accounts.allowance("old", "dol")).isEqualTo(10);
    }
}
