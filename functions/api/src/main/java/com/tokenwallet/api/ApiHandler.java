package com.tokenwallet.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.WalletException;
import com.tokenwallet.domain.service.WalletService;
import io.micronaut.context.ApplicationContext;
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
public abstract class ApiHandler extends FunctionHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    protected final WalletService wallet;
    private final RequestLog log;

    protected ApiHandler() {
        this(WalletContexts.startForFunction());
    }

    protected ApiHandler(ApplicationContext context) {
        super(context);
        this.wallet = context.getBean(WalletService.class);
        this.log = new RequestLog(getClass().getSimpleName());
    }

    /**
     * One request (Lambda's {@code handleRequest} arrives here through micronaut-function-aws's
     * MicronautRequestHandler; tests and the local runner may call {@link #execute} directly).
     */
    @Override
    protected final APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context lambdaContext) {
        return respond(event);
    }

    /** The API Gateway route keys this function serves, exactly as written in template.yaml. */
    public abstract Set<String> routes();

    /** Runs the route; throws {@link WalletException} or {@link ApiProblem} to refuse. */
    protected abstract APIGatewayV2HTTPResponse dispatch(ApiRequest request);

    private APIGatewayV2HTTPResponse respond(APIGatewayV2HTTPEvent event) {
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
        log.write(requestId, routeKey, accountId, response.getStatusCode(), outcome,
                (System.nanoTime() - started) / 1_000_000.0, failure, metrics);
        return response;
    }
}
