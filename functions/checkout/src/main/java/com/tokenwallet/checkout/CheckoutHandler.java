package com.tokenwallet.checkout;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import com.tokenwallet.api.ApiHandler;
import com.tokenwallet.api.ApiProblem;
import com.tokenwallet.api.ApiRequest;
import com.tokenwallet.api.PrimingEvents;
import com.tokenwallet.api.ApiResponses;
import com.tokenwallet.api.Body;
import com.tokenwallet.api.StripeSettings;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.billing.Offer;
import com.tokenwallet.domain.billing.Offers;
import com.tokenwallet.domain.catalog.CreditPackage;
import com.tokenwallet.domain.port.PaymentRecords;
import com.tokenwallet.domain.catalog.Plan;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.json.StrictJson;
import io.micronaut.context.ApplicationContext;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v1/accounts/{accountId}/checkout-sessions}: a Stripe Checkout Session for a package (payment
 * mode) or a plan (subscription mode), tied to the account by {@code client_reference_id} and metadata. The
 * request's Idempotency-Key, namespaced by account ({@link #stripeKey}), is Stripe's idempotency key, so a retry
 * gets the same session (Stripe replays it) and the same key with another body is refused (409). A plan is refused
 * with 409 {@code subscription_exists} while the account's subscription is in force. A package's session sells an
 * offer stored first (what the package is at checkout: tokens, bonus, price; see {@link Offers}), named by
 * {@code metadata.offerId}; the webhook credits the payment from it. The account's Stripe customer is created once (under a
 * Stripe idempotency key of its own) and stored; every later session reuses it.
 */
public class CheckoutHandler extends ApiHandler {
    public static final String ROUTE = "POST /v1/accounts/{accountId}/checkout-sessions";
    public static final Set<String> ROUTES = Set.of(ROUTE);
    static final int MAX_URL_LENGTH = 2048;

    private final StripeSettings settings;
    private final Optional<StripeClient> stripe;
    private final Offers offers;

    public CheckoutHandler() {
        this(WalletContexts.startForFunction());
    }

    public CheckoutHandler(ApplicationContext context) {
        super(context);
        this.settings = StripeSettings.from(context);
        this.stripe = client(settings);
        this.offers = new Offers(context.getBean(PaymentRecords.class), context.getBean(java.time.Clock.class));
    }

    private static Optional<StripeClient> client(StripeSettings settings) {
        return settings.secretKey().map(key -> {
            StripeClient.StripeClientBuilder builder = StripeClient.builder().setApiKey(key)
                    .setMaxNetworkRetries(2).setConnectTimeout(5_000).setReadTimeout(20_000);
            settings.apiBase().ifPresent(builder::setApiBase);
            return builder.build();
        });
    }

    /**
     * A session for an account no one can open (SnapStartPriming): without Stripe 503; with it, the account is read
     * (404) before Stripe is called, so priming never reaches Stripe.
     */
    @Override
    protected List<APIGatewayV2HTTPEvent> primingEvents() {
        return List.of(PrimingEvents.request(ROUTE, Map.of(),
                "{\"packageId\":\"pro\",\"successUrl\":\"https://example.com/paid\",\"cancelUrl\":\"https://example.com/cart\"}"));
    }

    @Override
    public Set<String> routes() {
        return ROUTES;
    }

    @Override
    protected APIGatewayV2HTTPResponse dispatch(ApiRequest request) {
        AccountId id = request.accountId();
        request.caller().requireRead(id);
        Idempotency idempotency = request.idempotency();
        Body body = request.jsonBody(false).allowOnly(Set.of("packageId", "planId", "successUrl", "cancelUrl"));
        String packageId = body.optionalString("packageId", 64);
        String planId = body.optionalString("planId", 64);
        if ((packageId == null) == (planId == null)) {
            throw new InvalidRequestException(packageId == null ? "packageId" : "planId",
                    "Give exactly one of 'packageId' and 'planId'.");
        }
        String successUrl = url(body, "successUrl");
        String cancelUrl = url(body, "cancelUrl");
        SessionCreateParams.Builder params = SessionCreateParams.builder()
                .setClientReferenceId(id.value())
                .setSuccessUrl(successUrl)
                .setCancelUrl(cancelUrl)
                .putMetadata("accountId", id.value());
        CreditPackage pkg = null;
        if (packageId != null) {
            pkg = wallet.catalog().packages().get(packageId);
            if (pkg == null) {
                throw new InvalidRequestException("packageId", "Unknown package '" + packageId + "'; see GET /v1/catalog.");
            }
        } else {
            Plan plan = wallet.catalog().plan(planId).orElseThrow(() ->
                    new InvalidRequestException("planId", "Unknown plan '" + planId + "'; see GET /v1/catalog."));
            String price = settings.prices().priceOfPlan(plan.id()).orElseThrow(() -> new InvalidRequestException("planId",
                    "Plan '" + plan.id() + "' cannot be bought: no Stripe price is configured for it."));
            params.setMode(SessionCreateParams.Mode.SUBSCRIPTION).putMetadata("planId", plan.id())
                    .addLineItem(SessionCreateParams.LineItem.builder().setPrice(price).setQuantity(1L).build())
                    .setSubscriptionData(SessionCreateParams.SubscriptionData.builder()
                            .putMetadata("accountId", id.value()).putMetadata("planId", plan.id()).build());
        }
        StripeClient client = stripe.orElseThrow(() -> new ApiProblem(503, "stripe_not_configured",
                "Purchases are not available: STRIPE_SECRET_KEY is not set.", Map.of()));
        Account account = wallet.balance(id);
        if (planId != null) {
            account.billing().requireNoSubscriptionInForce();
        } else {
            sell(params, id, offers.offer(id, idempotency.key().value(), pkg), pkg);
        }
        params.setCustomer(customerOf(client, account));
        Session session = call(() -> client.v1().checkout().sessions().create(params.build(),
                RequestOptions.builder().setIdempotencyKey(stripeKey(id, idempotency.key().value())).build()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sessionId", session.getId());
        out.put("url", session.getUrl());
        boolean replayed = session.getLastResponse() != null
                && session.getLastResponse().headers().firstValue("Idempotent-Replayed").map("true"::equalsIgnoreCase).orElse(false);
        return ApiResponses.json(201, StrictJson.write(out), replayed ? Map.of("Idempotent-Replayed", "true") : Map.of());
    }

    /**
     * A package's session sells its offer, stored before Stripe is called (issue 19 item 3): one line at the offer's
     * price (the configured Stripe Price when the package has one), and {@code offerId} in the session's and the
     * PaymentIntent's metadata, so the payment is credited from what was sold whatever the catalog became.
     */
    private void sell(SessionCreateParams.Builder params, AccountId id, Offer offer, CreditPackage pkg) {
        SessionCreateParams.LineItem.Builder line = SessionCreateParams.LineItem.builder().setQuantity(1L);
        settings.prices().priceOfPackage(offer.packageId()).ifPresentOrElse(line::setPrice, () -> line.setPriceData(
                SessionCreateParams.LineItem.PriceData.builder()
                        .setCurrency(offer.currency())
                        .setUnitAmount(offer.priceCents())
                        .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder().setName(pkg.name()).build())
                        .build()));
        params.setMode(SessionCreateParams.Mode.PAYMENT).putMetadata("packageId", offer.packageId())
                .putMetadata("offerId", offer.offerId()).addLineItem(line.build())
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                        .putMetadata("accountId", id.value()).putMetadata("packageId", offer.packageId())
                        .putMetadata("offerId", offer.offerId()).build());
    }

    /**
     * The Stripe idempotency key of a request: Stripe's keys are shared by every request of the Stripe account, so
     * the caller's key is namespaced by our account (two accounts using the same key must not collide) and hashed,
     * which also keeps it within Stripe's 255 characters whatever the account id and key.
     */
    static String stripeKey(AccountId account, String key) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((account.value() + "\n" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "token-wallet-checkout-" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The account's Stripe customer: the stored one, or one created now (once: a Stripe idempotency key per account) and stored. */
    private String customerOf(StripeClient client, Account account) {
        if (account.billing().stripeCustomerId() != null) {
            return account.billing().stripeCustomerId();
        }
        CustomerCreateParams.Builder params = CustomerCreateParams.builder().putMetadata("accountId", account.id().value());
        if (account.email() != null) {
            params.setEmail(account.email());
        }
        Customer customer = call(() -> client.v1().customers().create(params.build(),
                RequestOptions.builder().setIdempotencyKey("token-wallet-customer-" + account.id().value()).build()));
        return wallet.linkStripeCustomer(account.id(), customer.getId());
    }

    private static String url(Body body, String field) {
        String value = body.string(field, MAX_URL_LENGTH);
        try {
            URI uri = new URI(value);
            if (uri.isAbsolute() && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null) {
                return value;
            }
        } catch (java.net.URISyntaxException e) {
            // refused below
        }
        throw new InvalidRequestException(field, "'" + field + "' must be an absolute http(s) URL.");
    }

    @FunctionalInterface
    private interface StripeCall<T> {
        T run() throws StripeException;
    }

    /** Stripe's refusals as the API's problems; the message names Stripe's request id, never the key. */
    private static <T> T call(StripeCall<T> call) {
        try {
            return call.run();
        } catch (IdempotencyException e) {
            throw new ApiProblem(409, "idempotency_key_reused",
                    "This Idempotency-Key was used with another request body.", Map.of());
        } catch (ApiConnectionException e) {
            throw new ApiProblem(503, "stripe_unavailable", "Stripe could not be reached; retry with the same Idempotency-Key.", Map.of());
        } catch (StripeException e) {
            int status = e.getStatusCode() == null ? 502 : e.getStatusCode();
            String reason = e.getStripeError() == null ? "" : ": " + e.getStripeError().getMessage();
            throw new ApiProblem(status >= 500 || status == 429 ? 503 : 502, "stripe_error", "Stripe refused the request ("
                    + status + ", request " + e.getRequestId() + ")" + reason, Map.of());
        }
    }
}
