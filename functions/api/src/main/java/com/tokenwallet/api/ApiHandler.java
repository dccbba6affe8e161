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
    /** Set while {@link #twin} constructs a handler: that one registers no hooks and writes its log lines nowhere. */
    private static final ThreadLocal<Boolean> BUILDING_TWIN = new ThreadLocal<>();
    /**
     * How many times priming sends its requests to the real store (reads that find nothing, a refused write): enough
     * for the real HTTP client's code to be compiled (C1 compiles a method after about 200 calls; 50 rounds make
     * about 250 calls; in the benchmark's section 2b phases 250 rounds halved the CPU time of the first debit's two
     * round trips against 10, and 50 took them from 1.1 and 1.0 ms to 0.9 and 0.6 ms), few enough to keep priming
     * short (0.5 to 1 s more than 10 rounds against the bench's fake).
     */
    static final int STORE_ROUNDS = 50;

    private final SnapStartPriming priming;
    private final RequestLog log;
    private final boolean twin;
    private volatile Map<Integer, Long> successPrimingAnswers = Map.of();
    /** Set while priming sends its requests to the real store through handleRequest (no invocation runs then). */
    private volatile boolean primingRequests;

    protected ApiHandler() {
        this(WalletContexts.startForFunction());
    }

    protected ApiHandler(ApplicationContext context) {
        super(context);
        this.invocation = context.getBean(CurrentInvocation.class);
        this.deadline = context.getBean(InvocationDeadline.class);
        this.wallet = context.getBean(WalletService.class);
        this.twin = Boolean.TRUE.equals(BUILDING_TWIN.get());
        this.log = twin ? RequestLog.nowhere(getClass().getSimpleName()) : new RequestLog(getClass().getSimpleName());
        this.priming = twin ? null : SnapStartPriming.register(this::prime, wallet::renewIdentifiers);
    }

    /** A handler of this class on {@code context} for priming's success path ({@link PrimingTwin}). */
    static ApiHandler twin(Class<? extends ApiHandler> type, ApplicationContext context) {
        BUILDING_TWIN.set(true);
        try {
            return type.getConstructor(ApplicationContext.class).newInstance(context);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getSimpleName() + " has no public constructor taking an ApplicationContext", e);
        } finally {
            BUILDING_TWIN.remove();
        }
    }

    /**
     * The requests this function primes itself with before its SnapStart snapshot ({@link SnapStartPriming}): real
     * events of its routes for {@link PrimingEvents#ACCOUNT}, which no one can open, so each reads the store, finds
     * nothing, and answers a problem. None may change an account: never the open-account route.
     */
    protected abstract List<APIGatewayV2HTTPEvent> primingEvents();

    /**
     * The success path, primed on a twin of this function whose DynamoDB answers in memory ({@link PrimingTwin}):
     * requests that set up accounts there (opening them), then requests that succeed on them (charging them). None
     * of them reaches the store, the event bus or the function's log. Default: none.
     */
    protected List<APIGatewayV2HTTPEvent> successPrimingSetUp() {
        return List.of();
    }

    /** See {@link #successPrimingSetUp()}: the requests that succeed, on a second twin (which has seen no account). */
    protected List<APIGatewayV2HTTPEvent> successPrimingEvents() {
        return List.of();
    }

    /** The statuses the last priming's success path answered, and how many of each (for tests). */
    public Map<Integer, Long> successPrimingAnswers() {
        return successPrimingAnswers;
    }

    /** This function's SnapStart hooks. */
    public SnapStartPriming priming() {
        return priming;
    }

    private void prime() {
        // The requests to the real store, several rounds so that the JIT compiles the code every request runs (C1, at
        // TieredStopAtLevel=1, compiles a method after 200 calls), through this handler's own handleRequest, as Lambda calls it (its log lines built, not written): the
        // library's per-context lookups (the Lambda context factory, the after-execution event publisher and its
        // listeners) are made here, on this function's context, not in its first request (the twin's context has its
        // own; in the benchmark's section 2b phases the first debit spent 0.75 to 0.95 ms before its first call
        // without this, 0.37 to 0.40 with it, where a compiled one spends 0.1 to 0.3).
        primingRequests = true;
        try {
            storeRounds();
        } finally {
            primingRequests = false;
        }
        // The success path, through handleRequest as Lambda calls it: accounts opened and charged on a twin whose
        // store answers in memory. (Running it before the store rounds instead, so that the function's own objects
        // ran last, made no measurable difference to the first debit: benchmark section 2b, phases.)
        List<APIGatewayV2HTTPEvent> setUp = successPrimingSetUp();
        List<APIGatewayV2HTTPEvent> charges = successPrimingEvents();
        if (!charges.isEmpty()) {
            successPrimingAnswers = PrimingTwin.run(this, setUp, charges);
        }
        // A success rendered as every route renders one.
        ApiResponses.json(200, Map.of("primed", true));
    }

    /** The requests to the real store (see {@link #prime}). */
    private void storeRounds() {
        for (int round = 0; round < STORE_ROUNDS; round++) {
            for (APIGatewayV2HTTPEvent event : primingEvents()) {
                handleRequest(event, PrimingLambdaContext.INSTANCE);
            }
            // The store's read path, whether or not a route reached it (checkout without Stripe answers 503 first),
            // and its write path, with a write DynamoDB refuses.
            try {
                wallet.balance(com.tokenwallet.domain.account.AccountId.of(PrimingEvents.ACCOUNT));
            } catch (WalletException expected) {
                // Not found (or the store unreachable at deploy time): either way the read's code path ran.
            }
            PrimingWrites.refusedWrite(getApplicationContext().getBean(software.amazon.awssdk.services.dynamodb.DynamoDbClient.class),
                    getApplicationContext().getRequiredProperty("wallet.table", String.class));
        }
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
            // The twin writes its lines too, to a log that goes nowhere (RequestLog.nowhere); priming's requests to
            // the real store build theirs and write nothing.
            return respond(event, !primingRequests);
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
