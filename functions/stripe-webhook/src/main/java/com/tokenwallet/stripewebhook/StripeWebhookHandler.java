package com.tokenwallet.stripewebhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import com.tokenwallet.api.ApiProblem;
import com.tokenwallet.api.ApiRequest;
import com.tokenwallet.api.ApiResponses;
import com.tokenwallet.api.Emf;
import com.tokenwallet.api.PrimingEvents;
import com.tokenwallet.api.SnapStartPriming;
import com.tokenwallet.api.CurrentInvocation;
import com.tokenwallet.api.StripeSettings;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.WalletException;
import com.tokenwallet.domain.billing.BillingEvent;
import com.tokenwallet.domain.billing.BillingRetryLater;
import com.tokenwallet.domain.billing.BillingService;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.port.PaymentRecords;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.service.WalletService;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /webhooks/stripe} (no JWT): verifies the {@code Stripe-Signature} header on the raw body (decoded
 * first when API Gateway marks it base64) with a 300 s tolerance either way on the real clock, reads the event and applies
 * it at most once ({@link BillingService}). Answers: 200 when the event was applied, was applied before, or
 * changes nothing; 400 for a bad, stale or tampered delivery (nothing is read or written); 503 when it cannot be
 * applied yet or the store is unavailable, and 500 on a fault (Stripe delivers it again in both cases).
 *
 * <p>One JSON log line per delivery, with the event id and type, the account and the outcome (never the body or
 * the signature), in CloudWatch embedded metric format: {@code WebhookEvents} by type and outcome, and
 * {@code WebhookFailures} (5xx: what the wallet failed to do) by function, for the alarm, and
 * {@code WebhookSignatureRefusals} by function (not alarmed: anyone can send a bad signature), and
 * {@code PaymentMismatches} by function (a paid session that does not pay for its package; alarmed), and
 * {@code PaymentsOwed} by function (a paid session whose package is in no offer and not in the catalog, recorded as
 * an owed payment for an operator to settle; alarmed). Both answer 200: Stripe retrying would change nothing.
 */
public class StripeWebhookHandler extends MicronautRequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** The Lambda context of the invocation running (null outside Lambda): see CurrentInvocation. */
    private final CurrentInvocation invocation;
    private final com.tokenwallet.api.InvocationDeadline deadline;
    public static final String ROUTE = "POST /webhooks/stripe";
    public static final java.util.Set<String> ROUTES = java.util.Set.of(ROUTE);
    /** Stripe's own default: a signature older than this is refused (a replay). */
    public static final long TOLERANCE_SECONDS = 300;
    /**
     * Stripe's events are bounded by its objects (an invoice carries its lines), and a 413 would be retried by
     * Stripe for days: a wider bound than the API's 64 KiB, still far under API Gateway's 10 MB.
     */
    public static final int MAX_EVENT_BYTES = 1024 * 1024;

    private final StripeSettings settings;
    private final StripeEventReader reader;
    private final BillingService billing;
    private final SnapStartPriming priming;

    public StripeWebhookHandler() {
        this(WalletContexts.startForFunction());
    }

    public StripeWebhookHandler(ApplicationContext context) {
        super(context);
        this.invocation = context.getBean(CurrentInvocation.class);
        this.deadline = context.getBean(com.tokenwallet.api.InvocationDeadline.class);
        this.settings = StripeSettings.from(context);
        this.reader = new StripeEventReader(settings.prices());
        this.billing = new BillingService(context.getBean(WalletStore.class), context.getBean(PaymentRecords.class),
                context.getBean(WalletService.class), context.getBean(Catalog.class), settings.prices(), context.getBean(Clock.class));
        WalletService wallet = context.getBean(WalletService.class);
        this.priming = SnapStartPriming.register(() -> prime(wallet), () -> {
            wallet.renewIdentifiers();
            billing.renewIdentifiers();
        });
    }

    /**
     * Before the SnapStart snapshot: a sample event's signature checked (under a throwaway secret) and the event read,
     * an account no one can open read from the store, a problem rendered and a line built (not written). Nothing is
     * applied.
     */
    private void prime(WalletService wallet) {
        String secret = "whsec_snapstart_priming";
        long now = java.time.Instant.now().getEpochSecond();
        String payload = "{\"id\":\"evt_snapstart_priming\",\"object\":\"event\",\"created\":" + now
                + ",\"type\":\"checkout.session.completed\",\"data\":{\"object\":{\"id\":\"cs_priming\",\"object\":\"checkout.session\","
                + "\"mode\":\"payment\",\"payment_status\":\"paid\",\"client_reference_id\":\"" + PrimingEvents.ACCOUNT
                + "\",\"payment_intent\":\"pi_priming\",\"metadata\":{\"packageId\":\"pro\"}}}}";
        try {
            String signature = "t=" + now + ",v1=" + Webhook.Util.computeHmacSha256(secret, now + "." + payload);
            Webhook.Signature.verifyHeader(payload, signature, secret, TOLERANCE_SECONDS);
            reader.read(StrictJson.object(payload));
            wallet.balance(com.tokenwallet.domain.account.AccountId.of(PrimingEvents.ACCOUNT));
        } catch (SignatureVerificationException | IOException | java.security.GeneralSecurityException | RuntimeException expected) {
            // Not found (or the store unreachable at deploy time): either way the code path ran.
        }
        ApiResponses.problem(new ApiProblem(400, "invalid_signature", "priming", Map.of()));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("eventType", "checkout.session.completed");
        line.put("_aws", Emf.metadata(List.of("function"), "WebhookEvents", "Count"));
        StrictJson.write(line);
    }

    /** This function's SnapStart hooks. */
    public SnapStartPriming priming() {
        return priming;
    }

    /** Lambda's {@code handleRequest} (micronaut-function-aws's MicronautRequestHandler) arrives here; tests may call it. */
    @Override
    public final APIGatewayV2HTTPResponse execute(APIGatewayV2HTTPEvent event) {
        Context lambdaContext = invocation.take();
        // Lambda's remaining time bounds the wallet's write retries: a hot account answers 503, Stripe retries.
        deadline.begin(lambdaContext);
        try {
            return handle(event, lambdaContext);
        } finally {
            deadline.end();
        }
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context lambdaContext) {
        long started = System.nanoTime();
        String requestId = event.getRequestContext() == null ? "-" : event.getRequestContext().getRequestId();
        Map<String, Object> line = new LinkedHashMap<>();
        APIGatewayV2HTTPResponse response;
        String outcome;
        Throwable failure = null;
        try {
            if (!ROUTE.equals(event.getRouteKey())) {
                throw ApiProblem.routeNotFound(String.valueOf(event.getRouteKey()));
            }
            BillingEvent billingEvent = verifiedEvent(ApiRequest.from(event, MAX_EVENT_BYTES));
            line.put("eventId", billingEvent.eventId());
            line.put("eventType", billingEvent.type());
            BillingService.Outcome result = billing.apply(billingEvent);
            result.account().ifPresent(a -> line.put("accountId", a.value()));
            if (result.reason() != null) {
                line.put("reason", result.reason());
            }
            outcome = result.outcome();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("received", true);
            body.put("eventId", billingEvent.eventId());
            body.put("outcome", outcome);
            response = ApiResponses.json(200, body);
        } catch (ApiProblem p) {
            response = ApiResponses.problem(p);
            outcome = p.code();
        } catch (BillingRetryLater e) {
            response = ApiResponses.problem(503, "event_not_ready", "Service Unavailable", e.getMessage(), Map.of());
            outcome = "event_not_ready";
        } catch (WalletException e) {
            response = ApiResponses.problem(e);
            outcome = e.code();
            failure = e instanceof StoreUnavailableException ? e : null;
        } catch (RuntimeException e) {
            response = ApiResponses.problem(500, "internal_error", "Internal error",
                    "The event could not be applied; request id " + requestId + ". Stripe will deliver it again.", Map.of());
            outcome = "internal_error";
            failure = e;
        }
        log(line, requestId, response.getStatusCode(), outcome, (System.nanoTime() - started) / 1_000_000.0, failure);
        return response;
    }

    private BillingEvent verifiedEvent(ApiRequest request) {
        // Not configured: 503, so Stripe keeps the event and delivers it again once the secret is set.
        String secret = settings.webhookSecret().orElseThrow(() -> new ApiProblem(503, "stripe_not_configured",
                "STRIPE_WEBHOOK_SECRET is not set: no event can be verified; Stripe will deliver it again.", Map.of()));
        String signature = request.header("stripe-signature");
        if (signature == null || signature.isBlank()) {
            throw new ApiProblem(400, "invalid_signature", "The Stripe-Signature header is missing.", Map.of());
        }
        String payload = request.body();
        // A header not of Stripe's shape (t=abc, t=1.5, 20 digits, ...) is a bad signature, never a fault.
        SignatureHeader header = SignatureHeader.parse(signature).orElseThrow(() -> new ApiProblem(400, "invalid_signature",
                "The Stripe-Signature header is not of the form t=<unix seconds>,v1=<64 hex digits>.", Map.of()));
        // stripe-java refuses a signature older than the tolerance only; one dated further ahead is refused as well,
        // or a signature made for the future (with a leaked secret, say) would stay valid until its date came.
        long now = Instant.now().getEpochSecond();
        if (header.timestamp() > now + TOLERANCE_SECONDS) {
            throw new ApiProblem(400, "invalid_signature", "The Stripe-Signature is dated more than " + TOLERANCE_SECONDS
                    + " s in the future.", Map.of());
        }
        try {
            Webhook.Signature.verifyHeader(payload, signature, secret, TOLERANCE_SECONDS);
        } catch (SignatureVerificationException e) {
            // Stale, tampered, or signed with another secret: nothing is read, nothing is written.
            throw new ApiProblem(400, "invalid_signature", "The Stripe-Signature does not match this body and secret within "
                    + TOLERANCE_SECONDS + " s.", Map.of());
        }
        try {
            return reader.read(StrictJson.object(payload));
        } catch (IOException | IllegalArgumentException | java.util.NoSuchElementException e) {
            throw new ApiProblem(400, "invalid_request", "The event is not a Stripe event this function can read: "
                    + e.getMessage(), Map.of("field", "body"));
        }
    }

    private static void log(Map<String, Object> fields, String requestId, int status, String outcome, double latencyMs, Throwable failure) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        boolean mismatch = BillingService.PAYMENT_MISMATCH.equals(outcome);
        boolean owed = BillingService.OWED.equals(outcome);
        line.put("level", status >= 500 ? "ERROR" : status >= 400 || mismatch || owed ? "WARN" : "INFO");
        line.put("function", StripeWebhookHandler.class.getSimpleName());
        line.put("requestId", requestId);
        line.put("route", ROUTE);
        line.put("eventType", "unknown");
        line.putAll(fields);
        line.put("status", status);
        line.put("outcome", outcome);
        line.put("latencyMs", Math.round(latencyMs * 100) / 100.0);
        line.put("Requests", 1);
        line.put("WebhookEvents", 1);
        // Failures are what the wallet could not do (5xx), the alarm's metric. A refused signature is counted apart:
        // anyone can send one, so it must not be a way to raise the alarm at will.
        line.put("WebhookFailures", status >= 500 ? 1 : 0);
        line.put("WebhookSignatureRefusals", "invalid_signature".equals(outcome) ? 1 : 0);
        // A paid session that does not pay for its package: nothing credited, an operator must look (alarmed).
        line.put("PaymentMismatches", mismatch ? 1 : 0);
        // A paid session whose package is in no offer and not in the catalog: recorded as owed, an operator settles it (alarmed).
        line.put("PaymentsOwed", owed ? 1 : 0);
        if (failure != null) {
            line.put("error", failure.getClass().getName());
            line.put("errorMessage", String.valueOf(failure.getMessage()));
        }
        line.put("_aws", Emf.metadata(List.of(
                new Emf.Directive(List.of("function", "outcome"), "Requests", "Count"),
                new Emf.Directive(List.of("function", "eventType", "outcome"), "WebhookEvents", "Count"),
                new Emf.Directive(List.of("function"), "WebhookFailures", "Count"),
                new Emf.Directive(List.of("function"), "WebhookSignatureRefusals", "Count"),
                new Emf.Directive(List.of("function"), "PaymentMismatches", "Count"),
                new Emf.Directive(List.of("function"), "PaymentsOwed", "Count"))));
        System.out.println(StrictJson.write(line));
    }
}
