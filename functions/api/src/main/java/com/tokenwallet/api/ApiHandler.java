package com.tokenwallet.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.WalletException;
import com.tokenwallet.domain.service.WalletService;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of every HTTP function: parse the event, dispatch on API Gateway's {@code routeKey}, map the
 * domain's refusals to problem+json, and write one structured log line per request. Subclasses only say
 * which routes they serve ({@link #routes()}) and what each one does ({@link #dispatch}).
 *
 * <p>The no-argument constructor is the one Lambda uses; it builds the context with every bean created at
 * once, so a SnapStart snapshot is taken of a ready function. Tests and the local runner pass a context.
 */
public abstract class ApiHandler extends MicronautRequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    protected final WalletService wallet;
    private final CurrentInvocation invocation;
    private final InvocationDeadline deadline;
    private final SnapStartPriming priming;
    private final RequestLog log;

    protected ApiHandler() {
        this(WalletContexts.startForFunction());
    }

    protected ApiHandler(ApplicationContext context) {
        super(context);
        this.invocation = context.getBean(CurrentInvocation.class);
        this.deadline = context.getBean(InvocationDeadline.class);
        this.wallet = context.getBean(WalletService.class);
        this.log = new RequestLog(getClass().getSimpleName());
        this.priming = SnapStartPriming.register(this::prime, wallet::renewIdentifiers);
    }

    /**
     * The requests this function primes itself with before its SnapStart snapshot ({@link SnapStartPriming}): real
     * events of its routes for {@link PrimingEvents#ACCOUNT}, which no one can open, so each reads the store, finds
     * nothing, and answers a problem. None may change an account: never the open-account route.
     */
    protected abstract List<APIGatewayV2HTTPEvent> primingEvents();

    /** This function's SnapStart hooks. */
    public SnapStartPriming priming() {
        return priming;
    }

    private void prime() {
        for (APIGatewayV2HTTPEvent event : primingEvents()) {
            respond(event, false);
        }
        // The store's read path, whether or not a route reached it (checkout without Stripe answers 503 first), and
        // its write path, with a write DynamoDB refuses.
        try {
            wallet.balance(com.tokenwallet.domain.account.AccountId.of(PrimingEvents.ACCOUNT));
        } catch (WalletException expected) {
            // Not found (or the store unreachable at deploy time): either way the read's code path ran.
        }
        PrimingWrites.refusedWrite(getApplicationContext().getBean(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class),
                getApplicationContext().getRequiredProperty("wallet.table", String.class));
        // A success rendered as every route renders one.
        ApiResponses.json(200, Map.of("primed", true));
    }

    /**
     * One request: Lambda's {@code handleRequest} (micronaut-function-aws's MicronautRequestHandler) arrives here, and
     * tests and the local runner may call it directly. No route reads the Lambda context; its remaining time is
     * the deadline of the wallet's write retries ({@link InvocationDeadline}).
     */
    @Override
    public final APIGatewayV2HTTPResponse execute(APIGatewayV2HTTPEvent event) {
        deadline.begin(invocation.take());
        try {
            return respond(event, true);
        } finally {
            deadline.end();
        }
    }

    /** The API Gateway route keys this function serves, exactly as written in template.yaml. */
    public abstract Set<String> routes();

    /** Runs the route; throws {@link WalletException} or {@link ApiProblem} to refuse. */
    protected abstract APIGatewayV2HTTPResponse dispatch(ApiRequest request);

    /** The request, answered; its log line is built always and written when {@code writeLog} (not when priming). */
    private APIGatewayV2HTTPResponse respond(APIGatewayV2HTTPEvent event, boolean writeLog) {
        long started = System.nanoTime();
        String routeKey = event.getRouteKey();
        String requestId = event.getRequestContext() == null ? "-" : event.getRequestContext().getRequestId();
        String accountId = event.getPathParameters() == null ? null : event.getPathParameters().get("accountId");
        APIGatewayV2HTTPResponse response;
        String outcome;
        Throwable failure = null;
        RequestMetrics metrics = RequestMetrics.start();
        try {
            if (routeKey == null || !routes().contains(routeKey)) {
                throw ApiProblem.routeNotFound(String.valueOf(routeKey));
            }
            ApiRequest request = ApiRequest.from(event);
            // Who is asking comes before what is asked: no token is 401 whatever else is wrong.
            request.caller();
            response = dispatch(request);
            outcome = "ok";
        } catch (ApiProblem p) {
            response = ApiResponses.problem(p);
            outcome = p.code();
        } catch (WalletException e) {
            response = ApiResponses.problem(e);
            outcome = e.code();
            if (e instanceof StoreUnavailableException) {
                failure = e;
            }
        } catch (RuntimeException e) {
            // An unexpected fault answers 500 and is logged whole; the client retries with the same key.
            response = ApiResponses.problem(500, "internal_error", "Internal error",
                    "An unexpected error occurred; request id " + requestId + ".", Map.of());
            outcome = "internal_error";
            failure = e;
        } finally {
            RequestMetrics.finish();
        }
        double latencyMs = (System.nanoTime() - started) / 1_000_000.0;
        if (writeLog) {
            log.write(requestId, routeKey, accountId, response.getStatusCode(), outcome, latencyMs, failure, metrics);
        } else {
            log.line(requestId, routeKey, accountId, response.getStatusCode(), outcome, latencyMs, failure, metrics);
        }
        return response;
    }
}
