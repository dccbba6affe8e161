package com.tokenwallet.stripewebhook;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.HandlerContract;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.domain.json.StrictJson;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe webhook deliveries built from the real object shapes in {@code src/test/resources/stripe/} (copied from
 * Stripe's OpenAPI fixtures), signed as Stripe signs them: {@code t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">}
 * under the endpoint secret. The signer here is independent of stripe-java's verifier.
 */
final class StripeDeliveries {
    static final String SECRET = "whsec_test_0123456789abcdef";
    static final Map<String, Object> PRICES = Map.of("stripe.price.solo", "price_solo", "stripe.price.business", "price_business",
            "stripe.price.enterprise", "price_enterprise", "stripe.token.pack.price.100", "price_pack100");

    private StripeDeliveries() {
    }

    /** A webhook handler on the wallet's store, with a context of its own (and the wallet's faults). */
    static StripeWebhookHandler handler(TestWallet wallet) {
        Map<String, Object> properties = new LinkedHashMap<>(PRICES);
        properties.putAll(wallet.storeProperties());
        properties.put("stripe.webhook.secret", SECRET);
        ApplicationContext context = wallet.clock == null
                ? WalletContexts.start(properties, wallet.store)
                : WalletContexts.start(properties, wallet.store, wallet.clock);
        return new StripeWebhookHandler(context);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> fixture(String name) {
        try (InputStream in = StripeDeliveries.class.getResourceAsStream("/stripe/" + name + ".json")) {
            return StrictJson.object(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The event envelope with this id, type, time and object. */
    static String event(String id, String type, long created, Map<String, Object> object) {
        Map<String, Object> event = fixture("event");
        event.put("id", id);
        event.put("type", type);
        event.put("created", created);
        event.put("api_version", "2026-07-29.dahlia");
        event.put("data", new LinkedHashMap<>(Map.of("object", object)));
        return StrictJson.write(event);
    }

    static Map<String, Object> with(Map<String, Object> object, Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            object.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return object;
    }

    /** A session for a package of the default catalog, paid (or not) at the catalog's price, as the wallet's checkout creates it. */
    static Map<String, Object> packageSession(String sessionId, String accountId, String packageId, String paymentIntent, String paymentStatus) {
        var pkg = com.tokenwallet.domain.catalog.CatalogLoader.loadDefault().packages().get(packageId);
        long price = pkg == null ? 100 : pkg.priceCents();
        return with(fixture("checkout.session"), "id", sessionId, "mode", "payment", "payment_status", paymentStatus,
                "client_reference_id", accountId, "payment_intent", paymentIntent, "customer", "cus_" + accountId,
                "metadata", Map.of("accountId", accountId, "packageId", packageId),
                "currency", pkg == null ? "usd" : pkg.currency(), "amount_subtotal", price, "amount_total", price,
                "total_details", Map.of("amount_discount", 0, "amount_shipping", 0, "amount_tax", 0));
    }

    static Map<String, Object> subscriptionSession(String sessionId, String accountId, String subscriptionId, String planId) {
        return with(fixture("checkout.session"), "id", sessionId, "mode", "subscription", "payment_status", "paid",
                "client_reference_id", accountId, "payment_intent", null, "subscription", subscriptionId,
                "customer", "cus_" + accountId, "metadata", Map.of("accountId", accountId, "planId", planId));
    }

    /** A paid subscription invoice in the current API shape (subscription under parent.subscription_details). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> invoice(String invoiceId, String accountId, String subscriptionId, String price, long start, long end,
                                       String billingReason) {
        Map<String, Object> invoice = fixture("invoice");
        Map<String, Object> line = new LinkedHashMap<>(((List<Map<String, Object>>) ((Map<String, Object>) invoice.get("lines")).get("data")).getFirst());
        line.put("period", Map.of("start", start, "end", end));
        line.put("pricing", Map.of("type", "price_details", "price_details", Map.of("price", price, "product", "prod_x")));
        return with(invoice, "id", invoiceId, "status", "paid", "billing_reason", billingReason, "customer", "cus_" + accountId,
                "subscription", null,
                "parent", Map.of("type", "subscription_details", "subscription_details",
                        Map.of("subscription", subscriptionId, "metadata", Map.of("accountId", accountId))),
                "lines", Map.of("object", "list", "has_more", false, "data", List.of(line)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> subscription(String subscriptionId, String accountId, String status, String price) {
        Map<String, Object> sub = fixture("subscription");
        Map<String, Object> item = new LinkedHashMap<>(((List<Map<String, Object>>) ((Map<String, Object>) sub.get("items")).get("data")).getFirst());
        Map<String, Object> priceObject = new LinkedHashMap<>((Map<String, Object>) item.get("price"));
        priceObject.put("id", price);
        item.put("price", priceObject);
        item.remove("plan");
        return with(sub, "id", subscriptionId, "status", status, "customer", "cus_" + accountId,
                "metadata", Map.of("accountId", accountId), "items", Map.of("object", "list", "data", List.of(item)));
    }

    static Map<String, Object> charge(String accountId, String paymentIntent, long amount, long refunded) {
        return with(fixture("charge"), "id", "ch_" + paymentIntent, "payment_intent", paymentIntent, "customer", "cus_" + accountId,
                "amount", amount, "amount_captured", amount, "amount_refunded", refunded, "refunded", refunded >= amount);
    }

    static Map<String, Object> dispute(String disputeId, String paymentIntent, long amount) {
        return with(fixture("dispute"), "id", disputeId, "charge", "ch_" + paymentIntent, "payment_intent", paymentIntent, "amount", amount);
    }

    static String signature(String body, String secret, long timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static APIGatewayV2HTTPEvent delivery(String body, String signatureHeader) {
        ApiEvents event = ApiEvents.route(StripeWebhookHandler.ROUTE).header("content-type", "application/json; charset=utf-8")
                .rawBody(body, false);
        if (signatureHeader != null) {
            event.header("Stripe-Signature", signatureHeader);
        }
        return event.build();
    }

    /** Delivers {@code body} signed now with the endpoint secret; the answer is held to infra/openapi.yaml. */
    static APIGatewayV2HTTPResponse deliver(StripeWebhookHandler handler, String body) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(delivery(body, signature(body, SECRET, Instant.now().getEpochSecond())), null);
        HandlerContract.check(StripeWebhookHandler.ROUTE, response);
        return response;
    }
}
