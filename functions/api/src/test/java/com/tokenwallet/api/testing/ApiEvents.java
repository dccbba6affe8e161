package com.tokenwallet.api.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds API Gateway HTTP API (payload 2.0) events as the JWT authorizer delivers them: route key, path
 * parameters, headers, body, and the token's claims under {@code requestContext.authorizer.jwt}.
 */
public final class ApiEvents {

    private final String routeKey;
    private final Map<String, String> pathParameters = new LinkedHashMap<>();
    private final Map<String, String> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String body;
    private boolean base64;
    private String sub;
    private List<String> scopes = List.of();
    private boolean authenticated;

    private ApiEvents(String routeKey) {
        this.routeKey = routeKey;
    }

    /** An event for a route key such as {@code POST /v1/accounts/{accountId}/debits}. */
    public static ApiEvents route(String routeKey) {
        return new ApiEvents(routeKey);
    }

    public ApiEvents account(String accountId) {
        pathParameters.put("accountId", accountId);
        return this;
    }

    public ApiEvents pathParameter(String name, String value) {
        pathParameters.put(name, value);
        return this;
    }

    public ApiEvents query(String name, String value) {
        query.put(name, value);
        return this;
    }

    public ApiEvents header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public ApiEvents idempotencyKey(String key) {
        return header("Idempotency-Key", key);
    }

    /** A JSON body, with {@code content-type: application/json} unless a content type was set already. */
    public ApiEvents json(String json) {
        headers.putIfAbsent("content-type", "application/json");
        this.body = json;
        return this;
    }

    public ApiEvents rawBody(String raw, boolean isBase64Encoded) {
        this.body = raw;
        this.base64 = isBase64Encoded;
        return this;
    }

    /** The caller's token: its {@code sub} and scopes, as the authorizer passes them on. */
    public ApiEvents caller(String subject, String... scopeList) {
        this.sub = subject;
        this.scopes = List.of(scopeList);
        this.authenticated = true;
        return this;
    }

    public APIGatewayV2HTTPEvent build() {
        String[] parts = routeKey.split(" ", 2);
        String path = parts.length == 2 ? parts[1] : "/";
        for (Map.Entry<String, String> p : pathParameters.entrySet()) {
            path = path.replace("{" + p.getKey() + "}", p.getValue());
        }
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(parts[0]).withPath(path).withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").withUserAgent("test").build();
        var context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRouteKey(routeKey).withRequestId(UUID.randomUUID().toString()).withStage("$default")
                .withHttp(http).withTimeEpoch(System.currentTimeMillis());
        if (authenticated) {
            Map<String, String> claims = new LinkedHashMap<>();
            if (sub != null) {
                claims.put("sub", sub);
            }
            claims.put("scope", String.join(" ", scopes));
            claims.put("iss", "https://issuer.test");
            var jwt = APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).withScopes(scopes).build();
            context.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder().withJwt(jwt).build());
        }
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0").withRouteKey(routeKey).withRawPath(path)
                .withRawQueryString(query.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .reduce((a, b) -> a + "&" + b).orElse(""))
                .withHeaders(new LinkedHashMap<>(headers))
                .withPathParameters(pathParameters.isEmpty() ? null : new LinkedHashMap<>(pathParameters))
                .withQueryStringParameters(query.isEmpty() ? null : new LinkedHashMap<>(query))
                .withBody(body).withIsBase64Encoded(base64)
                .withRequestContext(context.build())
                .build();
    }
}
