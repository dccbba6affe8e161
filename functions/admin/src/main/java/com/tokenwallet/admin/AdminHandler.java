package com.tokenwallet.admin;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.ApiHandler;
import com.tokenwallet.api.ApiProblem;
import com.tokenwallet.api.ApiRequest;
import com.tokenwallet.api.PrimingEvents;
import com.tokenwallet.api.ApiResponses;
import com.tokenwallet.api.Body;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.admin.AdminCommands;
import com.tokenwallet.domain.admin.AdminService;
import com.tokenwallet.domain.billing.OwedPayments;
import com.tokenwallet.domain.port.PaymentRecords;
import com.tokenwallet.domain.admin.HealthCheck;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.ledger.LedgerWindow;
import com.tokenwallet.domain.usage.Granularity;
import com.tokenwallet.domain.usage.LedgerHistory;
import com.tokenwallet.domain.usage.UsageReport;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.service.Results.Answer;
import com.tokenwallet.domain.port.AccountAudit;
import com.tokenwallet.domain.port.AccountDirectory;
import io.micronaut.context.ApplicationContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The admin function (SPEC 3.4), {@code wallet:admin} only: an account with its billing state, pending holds and
 * latest entries, found by id, e-mail address or Stripe customer; grants, signed adjustments and plan changes,
 * each a ledger entry with the reason and the admin's {@code sub}; and the bounded health report. The
 * Idempotency-Key is optional here: with one, a change happens once (replays answer the first response, as on
 * /v1); without, each call applies it. Owed payments (paid sessions the webhook could not credit) are listed and
 * settled, once, by credit or as refunded. Usage over time sums the ledger per day or hour, bucket and operation.
 */
public class AdminHandler extends ApiHandler {
    public static final String ACCOUNT = "GET /admin/accounts/{accountId}";
    public static final String LOOKUP = "GET /admin/accounts";
    public static final String GRANTS = "POST /admin/accounts/{accountId}/grants";
    public static final String ADJUSTMENTS = "POST /admin/accounts/{accountId}/adjustments";
    public static final String PLAN = "POST /admin/accounts/{accountId}/plan";
    public static final String HEALTH = "GET /admin/health";
    public static final String OWED_PAYMENTS = "GET /admin/accounts/{accountId}/owed-payments";
    public static final String SETTLE_OWED_PAYMENT = "POST /admin/accounts/{accountId}/owed-payments/{paymentId}/settle";
    public static final String USAGE = "GET /admin/accounts/{accountId}/usage";
    public static final String CREDIT_LIMIT = "PUT /admin/accounts/{accountId}/credit-limits/{bucket}";
    public static final Set<String> ROUTES = Set.of(ACCOUNT, LOOKUP, GRANTS, ADJUSTMENTS, PLAN, HEALTH, OWED_PAYMENTS, SETTLE_OWED_PAYMENT,
            USAGE, CREDIT_LIMIT);
    static final int MAX_PAYMENT_ID_LENGTH = 255;

    private final AdminService admin;
    private final OwedPayments owed;
    private final LedgerHistory history;

    public AdminHandler() {
        super();
        this.admin = adminService(getApplicationContext());
        this.owed = owedPayments(getApplicationContext());
        this.history = new LedgerHistory(getApplicationContext().getBean(WalletStore.class));
    }

    public AdminHandler(ApplicationContext context) {
        super(context);
        this.admin = adminService(context);
        this.owed = owedPayments(context);
        this.history = new LedgerHistory(context.getBean(WalletStore.class));
    }

    private OwedPayments owedPayments(ApplicationContext context) {
        return new OwedPayments(context.getBean(WalletStore.class), context.getBean(PaymentRecords.class), wallet.catalog(),
                context.getBean(Clock.class));
    }

    private AdminService adminService(ApplicationContext context) {
        // The admin's reads through their ports: DynamoDB in Lambda, SQLite in the local runner (wallet.store).
        return new AdminService(wallet, context.getBean(WalletStore.class), context.getBean(AccountDirectory.class),
                new HealthCheck(context.getBean(AccountAudit.class), context.getBean(Clock.class), HealthCheck.DEFAULT_TIME_BUDGET));
    }

    /** The account view, for an account no one can open (SnapStartPriming): a read, 404. */
    @Override
    protected List<APIGatewayV2HTTPEvent> primingEvents() {
        return List.of(PrimingEvents.request(ACCOUNT, Map.of(), null));
    }

    @Override
    public Set<String> routes() {
        return ROUTES;
    }

    @Override
    protected APIGatewayV2HTTPResponse dispatch(ApiRequest request) {
        // API Gateway demands wallet:admin on every admin route; the function checks it again (defence in depth).
        if (!request.caller().isAdmin()) {
            throw ApiProblem.forbidden("The admin routes need the wallet:admin scope.");
        }
        return switch (request.routeKey()) {
            case ACCOUNT -> ApiResponses.json(200, AdminRepresentations.view(admin.view(request.accountId())));
            case LOOKUP -> lookup(request);
            case GRANTS -> grant(request);
            case ADJUSTMENTS -> adjust(request);
            case PLAN -> plan(request);
            case HEALTH -> health(request);
            case OWED_PAYMENTS -> ApiResponses.json(200, Map.of("items",
                    owed.list(request.accountId()).stream().map(OwedPaymentRepresentations::view).toList()));
            case SETTLE_OWED_PAYMENT -> settle(request);
            case USAGE -> usage(request);
            case CREDIT_LIMIT -> creditLimit(request);
            default -> throw new IllegalStateException("routes() and dispatch() disagree on " + request.routeKey());
        };
    }

    /** {@code ?email=} or {@code ?stripeCustomerId=}, exactly one: {@code {"items":[account...]}}, found through an index. */
    private APIGatewayV2HTTPResponse lookup(ApiRequest request) {
        String email = request.query("email");
        String customer = request.query("stripeCustomerId");
        if ((email == null) == (customer == null)) {
            throw new InvalidRequestException(email == null ? "email" : "stripeCustomerId",
                    "Give exactly one of the query parameters 'email' and 'stripeCustomerId'.");
        }
        var views = email != null ? admin.byEmail(email) : admin.byStripeCustomer(customer);
        return ApiResponses.json(200, Map.of("items", views.stream().map(AdminRepresentations::view).toList()));
    }

    private APIGatewayV2HTTPResponse grant(ApiRequest request) {
        AccountId id = request.accountId();
        Optional<Idempotency> idempotency = optionalIdempotency(request);
        Body body = request.jsonBody(false).allowOnly(Set.of("bucket", "amount", "reason", "expiresAt", "priority", "costBasis"));
        Long priority = body.optionalWholeNumber("priority");
        if (priority != null && (priority < 0 || priority > 100)) {
            throw new InvalidRequestException("priority", "'priority' must be a whole number from 0 to 100.");
        }
        var terms = new AdminCommands.LotTerms(Optional.ofNullable(body.optionalInstant("expiresAt")),
                Optional.ofNullable(priority == null ? null : priority.intValue()), Optional.ofNullable(body.optionalDecimal("costBasis")));
        var command = new AdminCommands.Grant(id, body.string("bucket", 64), body.wholeNumber("amount"),
                body.string("reason", Limits.MAX_REASON_LENGTH), request.caller().subject(), idempotency, terms);
        Answer answer = wallet.grant(command, receipt -> new StoredResponse(201,
                StrictJson.write(AdminRepresentations.receipt(receipt, null))));
        return ApiResponses.stored(answer.response(), answer.replayed());
    }

    private APIGatewayV2HTTPResponse adjust(ApiRequest request) {
        AccountId id = request.accountId();
        Optional<Idempotency> idempotency = optionalIdempotency(request);
        Body body = request.jsonBody(false).allowOnly(Set.of("bucket", "amount", "reason", "part"));
        String part = body.optionalString("part", 16);
        var command = new AdminCommands.Adjustment(id, body.string("bucket", 64), body.wholeNumber("amount"),
                part == null ? AdminCommands.Part.PURCHASED : AdminCommands.Part.fromWireName(part),
                body.string("reason", Limits.MAX_REASON_LENGTH), request.caller().subject(), idempotency);
        Answer answer = wallet.adjust(command, receipt -> new StoredResponse(201,
                StrictJson.write(AdminRepresentations.receipt(receipt, command.part()))));
        return ApiResponses.stored(answer.response(), answer.replayed());
    }

    /**
     * Sets a bucket's credit limit (issue 15): {@code {"creditLimit": n, "reason": ".."}}, 200 with the bucket after it;
     * 409 credit_limit_below_debt below what the bucket owes or holds on credit, 404 for an unknown bucket.
     */
    private APIGatewayV2HTTPResponse creditLimit(ApiRequest request) {
        AccountId id = request.accountId();
        String bucket = request.rawPathParameter("bucket");
        if (bucket == null || !com.tokenwallet.domain.catalog.Catalog.NAME.matcher(bucket).matches()) {
            throw new InvalidRequestException("bucket", "'bucket' must be a bucket name such as 'credits'.");
        }
        Optional<Idempotency> idempotency = optionalIdempotency(request);
        Body body = request.jsonBody(false).allowOnly(Set.of("creditLimit", "reason"));
        var command = new AdminCommands.CreditLimit(id, bucket, body.wholeNumber("creditLimit"),
                body.string("reason", Limits.MAX_REASON_LENGTH), request.caller().subject(), idempotency);
        Answer answer = wallet.setCreditLimit(command, set -> new StoredResponse(200,
                StrictJson.write(AdminRepresentations.creditLimitSet(set))));
        return ApiResponses.stored(answer.response(), answer.replayed());
    }

    private APIGatewayV2HTTPResponse plan(ApiRequest request) {
        AccountId id = request.accountId();
        Optional<Idempotency> idempotency = optionalIdempotency(request);
        Body body = request.jsonBody(false).allowOnly(Set.of("plan", "resetAllowance", "reason"));
        Object reset = body.raw("resetAllowance");
        if (reset != null && !(reset instanceof Boolean)) {
            throw new InvalidRequestException("resetAllowance", "'resetAllowance' must be true or false.");
        }
        var command = new AdminCommands.PlanChange(id, body.string("plan", 64), Boolean.TRUE.equals(reset),
                Optional.ofNullable(body.optionalString("reason", Limits.MAX_REASON_LENGTH)), request.caller().subject(), idempotency);
        Answer answer = wallet.changePlanAsAdmin(command, changed -> new StoredResponse(200,
                StrictJson.write(AdminRepresentations.planChanged(changed, command.resetAllowance()))));
        return ApiResponses.stored(answer.response(), answer.replayed());
    }

    /**
     * {@code ?from=&to=&granularity=day|hour} (day when absent): the account's usage per interval and bucket, from the
     * ledger entries made in {@code [from, to)}; at most 92 days and 10,000 entries per call, else 400 on {@code to}.
     */
    private APIGatewayV2HTTPResponse usage(ApiRequest request) {
        AccountId id = request.accountId();
        String granularity = request.query("granularity");
        LedgerWindow window = new LedgerWindow(request.timeQuery("from"), request.timeQuery("to"));
        UsageReport report = history.usage(id, window, granularity == null ? Granularity.DAY : Granularity.fromWireName(granularity));
        return ApiResponses.json(200, AdminRepresentations.usage(report));
    }

    /** {@code ?limit=1..1000} accounts (default 200) and {@code ?cursor=} from the previous report's {@code nextCursor}. */
    private APIGatewayV2HTTPResponse health(ApiRequest request) {
        int limit = HealthCheck.DEFAULT_ACCOUNTS;
        String rawLimit = request.query("limit");
        if (rawLimit != null) {
            if (!rawLimit.matches("^[0-9]{1,4}$") || Integer.parseInt(rawLimit) < 1 || Integer.parseInt(rawLimit) > HealthCheck.MAX_ACCOUNTS) {
                throw new InvalidRequestException("limit", "'limit' must be a whole number from 1 to " + HealthCheck.MAX_ACCOUNTS + ".");
            }
            limit = Integer.parseInt(rawLimit);
        }
        var report = admin.health(AdminRepresentations.decodeHealthCursor(request.query("cursor")), limit);
        return ApiResponses.json(200, AdminRepresentations.health(report, limit));
    }

    /**
     * Settles an owed payment once (issue 19 item 3): {@code {"outcome":"credit","bucket":..,"tokens":..,"reason":..}}
     * or {@code {"outcome":"refunded","reason":..}}. The same settlement again answers the settled record (200);
     * another one is 409 {@code owed_payment_settled}.
     */
    private APIGatewayV2HTTPResponse settle(ApiRequest request) {
        AccountId id = request.accountId();
        String paymentId = request.rawPathParameter("paymentId");
        if (paymentId == null || paymentId.isEmpty() || paymentId.length() > MAX_PAYMENT_ID_LENGTH || !paymentId.matches("^[A-Za-z0-9_\\-]+$")) {
            throw new InvalidRequestException("paymentId", "'paymentId' must be a Stripe payment id (letters, digits, '_' and '-').");
        }
        Body body = request.jsonBody(false).allowOnly(Set.of("outcome", "bucket", "tokens", "reason"));
        Long tokens = body.optionalWholeNumber("tokens");
        var settled = owed.settle(id, paymentId, new OwedPayments.Settle(body.string("outcome", 16),
                Optional.ofNullable(body.optionalString("bucket", 64)), tokens == null ? 0 : tokens,
                body.string("reason", Limits.MAX_REASON_LENGTH), request.caller().subject()));
        return ApiResponses.json(200, StrictJson.write(OwedPaymentRepresentations.view(settled.payment())),
                settled.replayed() ? Map.of("Idempotent-Replayed", "true") : Map.of());
    }

    private static Optional<Idempotency> optionalIdempotency(ApiRequest request) {
        return request.header("idempotency-key") == null ? Optional.empty() : Optional.of(request.idempotency());
    }
}
