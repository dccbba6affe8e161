package com.tokenwallet.bench.child;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * API Gateway HTTP API (payload 2.0) events as the JWT authorizer delivers them (after the test helper
 * {@code com.tokenwallet.api.testing.ApiEvents}, copied so the bench needs no test-jar): a trusted backend with
 * {@code wallet:charge} opening an account or debiting it.
 */
public final class DebitEvents {
    public static final String OPEN_ROUTE = "PUT /v1/accounts/{accountId}";
    public static final String DEBIT_ROUTE = "POST /v1/accounts/{accountId}/debits";
    public static final String CALLER = "bench-backend";
    public static final List<String> SCOPES = List.of("wallet:charge");
    public static final String BUCKET = "credits";
    public static final long AMOUNT = 1;
    public static final String DESCRIPTION = "bench debit";
    /** The body every debit of the bench sends: a custom amount, so the bare handler needs no catalog. */
    public static final String DEBIT_BODY = "{\"bucket\":\"" + BUCKET + "\",\"amount\":" + AMOUNT
            + ",\"description\":\"" + DESCRIPTION + "\"}";

    private DebitEvents() {
    }

    public static APIGatewayV2HTTPEvent open(String accountId) {
        return event(OPEN_ROUTE, accountId, null, null);
    }

    public static APIGatewayV2HTTPEvent debit(String accountId, String idempotencyKey) {
        return event(DEBIT_ROUTE, accountId, idempotencyKey, DEBIT_BODY);
    }

    static APIGatewayV2HTTPEvent event(String routeKey, String accountId, String idempotencyKey, String body) {
        return event(routeKey, accountId, null, idempotencyKey, body);
    }

    /** An event of any wallet route; {@code holdId} fills {holdId} where the route has it. */
    public static APIGatewayV2HTTPEvent event(String routeKey, String accountId, String holdId, String idempotencyKey, String body) {
        String[] parts = routeKey.split(" ", 2);
        String path = parts[1].replace("{accountId}", accountId).replace("{holdId}", holdId == null ? "" : holdId);
        Map<String, String> headers = new LinkedHashMap<>();
        if (body != null) {
            headers.put("content-type", "application/json");
        }
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(parts[0]).withPath(path).withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").withUserAgent("bench").build();
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("sub", CALLER);
        claims.put("scope", String.join(" ", SCOPES));
        claims.put("iss", "https://issuer.bench");
        var jwt = APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).withScopes(SCOPES).build();
        var context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRouteKey(routeKey).withRequestId(UUID.randomUUID().toString()).withStage("$default")
                .withHttp(http).withTimeEpoch(System.currentTimeMillis())
                .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(jwt).build())
                .build();
        Map<String, String> pathParameters = new LinkedHashMap<>();
        pathParameters.put("accountId", accountId);
        if (holdId != null) {
            pathParameters.put("holdId", holdId);
        }
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey(routeKey).withRawPath(path).withRawQueryString("")
                .withHeaders(headers)
                .withPathParameters(pathParameters)
                .withBody(body).withIsBase64Encoded(false)
                .withRequestContext(context)
                .build();
    }
}
