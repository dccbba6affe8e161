package com.tokenwallet.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API Gateway events a function primes itself with before its SnapStart snapshot: shaped as API Gateway sends
 * them (payload 2.0, JWT claims), for {@link #ACCOUNT}, an account id no caller can open: the routes read the store
 * for it, find nothing and answer with a problem, so priming changes no account.
 */
public final class PrimingEvents {
    /**
     * A valid account id that no account can have: the open-account route refuses it (DebitHandler), so the routes
     * find out at the store that it does not exist, as they would for any unknown account.
     */
    public static final String ACCOUNT = "snapstart-priming-0000000000000000";
    private static final String CALLER = "snapstart-priming";

    private PrimingEvents() {
    }

    /** A request of {@code routeKey} by an admin caller for {@link #ACCOUNT}, with these path parameters and body. */
    public static APIGatewayV2HTTPEvent request(String routeKey, Map<String, String> pathParameters, String jsonBody) {
        return request(routeKey, ACCOUNT, pathParameters, jsonBody, "snapstart-priming");
    }

    /**
     * The account id of the {@code n}th account of priming's success path ({@code ApiHandler.successPrimingSetUp}),
     * which exists only in the memory of a twin of the function, never in a table.
     */
    public static String localAccount(int n) {
        return String.format(java.util.Locale.ROOT, "snapstart-priming-local-%010d", n);
    }

    /** A request of {@code routeKey} by an admin caller for {@code accountId}, with this idempotency key. */
    public static APIGatewayV2HTTPEvent request(String routeKey, String accountId, Map<String, String> pathParameters,
                                                String jsonBody, String idempotencyKey) {
        String[] parts = routeKey.split(" ", 2);
        Map<String, String> path = new LinkedHashMap<>(pathParameters);
        if (parts[1].contains("{accountId}")) {
            path.put("accountId", accountId);
        }
        String rawPath = parts[1];
        for (var p : path.entrySet()) {
            rawPath = rawPath.replace("{" + p.getKey() + "}", p.getValue());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("idempotency-key", idempotencyKey);
        if (jsonBody != null) {
            headers.put("content-type", "application/json");
        }
        var jwt = APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                .withClaims(Map.of("sub", CALLER, "scope", "wallet:admin")).withScopes(List.of("wallet:admin")).build();
        var context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRouteKey(routeKey).withRequestId("snapstart-priming").withStage("$default")
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(parts[0]).withPath(rawPath)
                        .withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").withUserAgent("snapstart-priming").build())
                .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(jwt).build())
                .withTimeEpoch(System.currentTimeMillis()).build();
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey(routeKey).withRawPath(rawPath)
                .withRawQueryString("").withHeaders(headers).withPathParameters(path.isEmpty() ? null : path)
                .withBody(jsonBody).withIsBase64Encoded(false).withRequestContext(context).build();
    }
}
