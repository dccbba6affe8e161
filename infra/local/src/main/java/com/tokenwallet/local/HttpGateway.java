package com.tokenwallet.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.tokenwallet.api.ApiRequest;
import com.tokenwallet.api.ApiResponses;
import com.tokenwallet.domain.json.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The local API Gateway: turns each HTTP request into the HTTP API payload 2.0 event API Gateway would send
 * (route key, raw path and query, lower-case headers, cookies, body, base64 for non-text bodies, request context
 * with the JWT authorizer's claims and scopes), calls the function's handler in this JVM, and writes its response.
 *
 * <p>Where API Gateway answers on its own, this gateway answers in the wallet's problem+json format instead, so
 * that local clients see one error format: unknown route 404 {@code route_not_found} (API Gateway:
 * {@code {"message":"Not Found"}}), wrong method 405 with {@code Allow} (API Gateway: 404), missing or invalid
 * token 401 {@code unauthenticated} (API Gateway: {@code {"message":"Unauthorized"}}), a token with none of the
 * route's AuthorizationScopes 403 {@code forbidden} (API Gateway: {@code {"message":"Forbidden"}}), a route over
 * its throttling limit 429 {@code throttled} with {@code Retry-After} (API Gateway:
 * {@code {"message":"Too Many Requests"}}), and a body over the wallet's own limit 413 {@code payload_too_large}
 * (API Gateway accepts up to 10 MB and lets the function refuse it).
 *
 * <p>It also serves the API's OpenAPI document at {@code GET /openapi.yaml}, without a token: a local convenience
 * for clients and tools, not a route of the deployed API.
 */
final class HttpGateway implements HttpHandler {

    /** The functions refuse bodies over 64 KiB themselves; the gateway reads a little more so they still can. */
    static final int MAX_BODY_BYTES = ApiRequest.MAX_BODY_BYTES + 1024;
    /** Stripe's events may be up to 1 MiB (the document's bound, and the webhook function's own). */
    static final int MAX_WEBHOOK_BODY_BYTES = com.tokenwallet.stripewebhook.StripeWebhookHandler.MAX_EVENT_BYTES + 1024;
    /** How much of an oversized body is read (and dropped) before answering 413. */
    static final int MAX_DISCARDED_BYTES = 2 * 1024 * 1024;

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final SecureRandom IDS = new SecureRandom();

    private final RouteTable routes;
    private final Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handlers;
    private final LocalTokens tokens;
    private final int port;
    private final Map<String, java.util.function.Supplier<Object>> schedules;
    private final RouteThrottle throttle;
    private final CallerThrottle callers;
    private final CallerThrottle anonymous;
    private final byte[] openApiDocument;

    /** Where the local runner, and only it, fires a scheduled function by hand: POST /_local/schedules/NAME. */
    static final String SCHEDULES_PREFIX = "/_local/schedules/";
    /** Where the local runner serves the OpenAPI document bundled into its jar. */
    static final String OPENAPI_PATH = "/openapi.yaml";

    HttpGateway(RouteTable routes, Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handlers,
                LocalTokens tokens, int port, Map<String, java.util.function.Supplier<Object>> schedules,
                RouteThrottle throttle, byte[] openApiDocument) {
        this(routes, handlers, tokens, port, schedules, throttle, new CallerThrottle(EdgeLimits.PER_CALLER, System::nanoTime),
                new CallerThrottle(EdgeLimits.ANONYMOUS_PER_SOURCE, System::nanoTime), openApiDocument);
    }

    HttpGateway(RouteTable routes, Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handlers,
                LocalTokens tokens, int port, Map<String, java.util.function.Supplier<Object>> schedules,
                RouteThrottle throttle, CallerThrottle callers, CallerThrottle anonymous, byte[] openApiDocument) {
        this.callers = callers;
        this.anonymous = anonymous;
        this.routes = routes;
        this.handlers = Map.copyOf(handlers);
        this.tokens = tokens;
        this.port = port;
        this.schedules = Map.copyOf(schedules);
        this.throttle = throttle;
        this.openApiDocument = openApiDocument.clone();
    }

    /** The OpenAPI document, as YAML (GET and HEAD). */
    private Answer openApi(String method) {
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            Answer answer = refuse(405, "method_not_allowed", "Method not allowed", OPENAPI_PATH + " does not accept " + method + ".");
            answer.response().getHeaders().put("Allow", "GET, HEAD");
            return answer;
        }
        return Answer.of(APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                .withHeaders(Map.of("Content-Type", "application/yaml; charset=utf-8"))
                .withBody(new String(openApiDocument, StandardCharsets.UTF_8)).build());
    }

    /** Fires a scheduled function (the server listens on 127.0.0.1 only); its result is the body. */
    private Answer schedule(String method, String name) {
        java.util.function.Supplier<Object> run = schedules.get(name);
        if (run == null) {
            return refuse(404, "route_not_found", "Not found", "No scheduled function named " + name + "; known: " + schedules.keySet() + ".");
        }
        if (!"POST".equals(method)) {
            return refuse(405, "method_not_allowed", "Method not allowed", "Fire a schedule with POST.");
        }
        Object result = run.get();
        String body = result instanceof String text ? text : com.tokenwallet.domain.json.StrictJson.write(result);
        return Answer.of(APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                .withHeaders(Map.of("Content-Type", "application/json")).withBody(body).build());
    }

    @Override
    public void handle(HttpExchange exchange) {
        try (exchange) {
            String requestId = newRequestId();
            Answer answer;
            try {
                answer = route(exchange, requestId);
            } catch (IOException e) {
                // The client went away while sending its body; there is no one to answer.
                return;
            } catch (RuntimeException e) {
                System.err.println("token-wallet-local: request " + requestId + " failed in the local gateway: " + e);
                answer = refuse(500, "internal_error", "Internal error", "The local gateway failed; request id " + requestId + ".");
            }
            if (answer.refusal() != null) {
                logRefusal(exchange, requestId, answer);
                drainOrClose(exchange, answer);
            }
            write(exchange, answer.response(), requestId);
        } catch (IOException e) {
            // The client closed the connection before the response was written.
        }
    }

    /** The response, and the refusal's code when the gateway answered without calling a function. */
    private record Answer(APIGatewayV2HTTPResponse response, String refusal) {
        static Answer of(APIGatewayV2HTTPResponse response) {
            return new Answer(response, null);
        }
    }

    private Answer route(HttpExchange exchange, String requestId) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        if (rawPath == null || rawPath.isEmpty()) {
            rawPath = "/";
        }
        if (rawPath.startsWith(SCHEDULES_PREFIX)) {
            return schedule(method, rawPath.substring(SCHEDULES_PREFIX.length()));
        }
        if (rawPath.equals(OPENAPI_PATH)) {
            return openApi(method);
        }

        RouteTable.Resolution resolution = routes.resolve(method, rawPath);
        if (resolution instanceof RouteTable.Resolution.NotFound) {
            return refuse(404, "route_not_found", "Not found", "No route matches " + method + " " + rawPath + ".");
        }
        if (resolution instanceof RouteTable.Resolution.MethodNotAllowed notAllowed) {
            Answer answer = refuse(405, "method_not_allowed", "Method not allowed", rawPath + " does not accept " + method + ".");
            answer.response().getHeaders().put("Allow", String.join(", ", notAllowed.allowed()));
            return answer;
        }
        RouteTable.Resolution.Found found = (RouteTable.Resolution.Found) resolution;
        Route route = found.route();

        // Who is asking comes before any limit (issue 19): in AWS the edge (WalletEdgeWebAcl) counts anonymous traffic
        // per source address and each caller on its own, so a flood without a valid token or a plausible Stripe
        // signature never uses up a route's limit, which authenticated callers and Stripe share.
        String source = exchange.getRemoteAddress().getAddress().getHostAddress();
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = null;
        if (route.authorized()) {
            LocalTokens.Verified token;
            try {
                token = tokens.verify(bearerToken(exchange.getRequestHeaders()));
            } catch (LocalTokens.InvalidTokenException e) {
                java.util.OptionalLong wait = anonymous.admit(source);
                if (wait.isPresent()) {
                    return throttled(wait.getAsLong(), "Anonymous requests from " + source + " exceed " + anonymous.limit() + ".");
                }
                Answer answer = refuse(401, "unauthenticated", "Unauthenticated", e.getMessage());
                answer.response().getHeaders().put("WWW-Authenticate", "Bearer");
                return answer;
            }
            java.util.OptionalLong wait = callers.admit("sub:" + token.claims().get("sub"));
            if (wait.isPresent()) {
                return throttled(wait.getAsLong(), "The caller's requests exceed " + callers.limit() + ".");
            }
            if (!route.scopes().isEmpty() && route.scopes().stream().noneMatch(token.scopes()::contains)) {
                return refuse(403, "forbidden", "Forbidden",
                        "This route needs one of the scopes " + String.join(", ", route.scopes()) + ".");
            }
            authorizer = APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                            .withClaims(new LinkedHashMap<>(token.claims()))
                            .withScopes(new ArrayList<>(token.scopes()))
                            .build())
                    .build();
        }
        boolean webhook = com.tokenwallet.stripewebhook.StripeWebhookHandler.ROUTE.equals(route.routeKey());
        boolean anonymousDelivery = webhook && !plausibleStripeSignature(exchange.getRequestHeaders().getFirst("Stripe-Signature"));
        if (anonymousDelivery) {
            java.util.OptionalLong wait = anonymous.admit(source);
            if (wait.isPresent()) {
                return throttled(wait.getAsLong(), "Anonymous requests from " + source + " exceed " + anonymous.limit() + ".");
            }
        }

        // The route's own limit (API Gateway's throttling), for what got past the edge: authenticated callers, and
        // deliveries that look like Stripe's. A delivery without a plausible signature goes on to the function, which
        // refuses it, without counting against the webhook's limit.
        java.util.OptionalLong retryAfterSeconds = anonymousDelivery ? java.util.OptionalLong.empty() : throttle.admit(route);
        if (retryAfterSeconds.isPresent()) {
            return throttled(retryAfterSeconds.getAsLong(), route.routeKey() + " allows " + throttle.limitOf(route) + "; retry after "
                    + retryAfterSeconds.getAsLong() + " s.");
        }

        int maxBody = webhook ? MAX_WEBHOOK_BODY_BYTES : MAX_BODY_BYTES;
        byte[] body = readBody(exchange, maxBody);
        if (body == null) {
            Answer answer = refuse(413, "payload_too_large", "Payload too large",
                    "The body is larger than " + (maxBody - 1024) / 1024 + " KiB.");
            // The body may not have been read to its end: the connection cannot be reused.
            answer.response().getHeaders().put("Connection", "close");
            return answer;
        }

        APIGatewayV2HTTPEvent event = event(exchange, route, found.pathParameters(), method, rawPath, rawQuery, body,
                authorizer, requestId);
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler = handlers.get(route.handlerClass());
        APIGatewayV2HTTPResponse response;
        try {
            response = handler.handleRequest(event, null);
        } catch (RuntimeException | Error e) {
            // In Lambda an uncaught exception is an invocation error and API Gateway answers 500.
            System.err.println("token-wallet-local: " + route.function() + " threw on request " + requestId + ":");
            e.printStackTrace();
            return refuse(500, "internal_error", "Internal error", "The function failed; request id " + requestId + ".");
        }
        if (response == null) {
            return refuse(500, "internal_error", "Internal error", "The function returned no response; request id " + requestId + ".");
        }
        return Answer.of(response);
    }

    private static Answer throttled(long retryAfterSeconds, String detail) {
        Answer answer = refuse(429, "throttled", "Too many requests", detail + " Retry after " + retryAfterSeconds + " s.");
        answer.response().getHeaders().put("Retry-After", String.valueOf(retryAfterSeconds));
        return answer;
    }

    /**
     * Whether a Stripe-Signature header is of Stripe's shape and dated within the tolerance of now: what the edge can
     * check without the endpoint's secret (the function verifies the signature itself).
     */
    static boolean plausibleStripeSignature(String header) {
        if (header == null) {
            return false;
        }
        long now = Instant.now().getEpochSecond();
        long tolerance = com.tokenwallet.stripewebhook.StripeWebhookHandler.TOLERANCE_SECONDS;
        return com.tokenwallet.stripewebhook.SignatureHeader.parse(header)
                .filter(h -> Math.abs(h.timestamp() - now) <= tolerance).isPresent();
    }

    private APIGatewayV2HTTPEvent event(HttpExchange exchange, Route route, Map<String, String> pathParameters, String method,
                                        String rawPath, String rawQuery, byte[] body,
                                        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                // Payload 2.0 moves cookies out of the headers into their own list.
                values.forEach(value -> {
                    for (String cookie : value.split(";")) {
                        if (!cookie.isBlank()) {
                            cookies.add(cookie.trim());
                        }
                    }
                });
            } else {
                headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
            }
        });
        String host = headers.getOrDefault("host", "127.0.0.1:" + port);
        Instant now = Instant.now();

        String encodedBody = null;
        boolean base64 = false;
        if (body.length > 0) {
            String text = isTextual(headers.get("content-type")) ? utf8OrNull(body) : null;
            if (text != null) {
                encodedBody = text;
            } else {
                encodedBody = Base64.getEncoder().encodeToString(body);
                base64 = true;
            }
        }

        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(method)
                .withPath(rawPath)
                .withProtocol(exchange.getProtocol())
                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                .withUserAgent(headers.getOrDefault("user-agent", ""))
                .build();
        var context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAccountId("000000000000")
                .withApiId("local")
                .withDomainName(host)
                .withDomainPrefix(host.contains(".") ? host.substring(0, host.indexOf('.')) : host)
                .withHttp(http)
                .withRequestId(requestId)
                .withRouteKey(route.routeKey())
                .withStage("$default")
                .withTime(REQUEST_TIME.format(now))
                .withTimeEpoch(now.toEpochMilli())
                .withAuthorizer(authorizer)
                .build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(route.routeKey())
                .withRawPath(rawPath)
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(queryParameters(rawQuery))
                .withPathParameters(pathParameters.isEmpty() ? null : new LinkedHashMap<>(pathParameters))
                .withBody(encodedBody)
                .withIsBase64Encoded(base64)
                .withRequestContext(context)
                .build();
    }

    /**
     * The body, or null when it is larger than {@code maxBytes}. An oversized body of up to
     * {@link #MAX_DISCARDED_BYTES} is read and thrown away, so that the client, still sending it, gets the 413
     * rather than a reset connection; a larger one (by its Content-Length) is not read at all.
     */
    private static byte[] readBody(HttpExchange exchange, int maxBytes) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > MAX_DISCARDED_BYTES) {
                    return null;
                }
            } catch (NumberFormatException e) {
                // The HTTP server has already refused a malformed length; chunked bodies are bounded below.
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length <= maxBytes) {
                return body;
            }
            byte[] buffer = new byte[8192];
            long discarded = body.length;
            for (int n = in.read(buffer); n >= 0 && discarded <= MAX_DISCARDED_BYTES; n = in.read(buffer)) {
                discarded += n;
            }
            return null;
        }
    }

    /**
     * A request refused before its body was read (401, 429, ...) leaves the body on the connection: up to the body
     * bound it is read and dropped so that the client can reuse the connection; past that the connection is closed.
     */
    private static void drainOrClose(HttpExchange exchange, Answer answer) {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] buffer = new byte[8192];
            long read = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                read += n;
                if (read > MAX_WEBHOOK_BODY_BYTES) {
                    answer.response().getHeaders().put("Connection", "close");
                    return;
                }
            }
        } catch (IOException e) {
            answer.response().getHeaders().put("Connection", "close");
        }
    }

    private static String bearerToken(Headers headers) {
        String authorization = headers.getFirst("Authorization");
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return value.substring(7).trim();
    }

    /** Payload 2.0's query parameters: decoded, and repeated names joined with commas. */
    private static Map<String, String> queryParameters(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decodeQuery(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decodeQuery(pair.substring(equals + 1));
            parameters.merge(name, value, (a, b) -> a + "," + b);
        }
        return parameters.isEmpty() ? null : parameters;
    }

    private static String decodeQuery(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /** Bodies API Gateway passes as text; everything else (and a body without a content type) goes as base64. */
    private static boolean isTextual(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.startsWith("text/")
                || type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/xml") || type.endsWith("+xml")
                || type.equals("application/javascript")
                || type.equals("application/x-www-form-urlencoded");
    }

    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** An answer of the gateway itself, in the wallet's problem+json (with mutable headers, to add to). */
    private static Answer refuse(int status, String code, String title, String detail) {
        APIGatewayV2HTTPResponse response = ApiResponses.problem(status, code, title, detail, Map.of());
        response.setHeaders(new LinkedHashMap<>(response.getHeaders()));
        return new Answer(response, code);
    }

    /**
     * The functions log one JSON line per request they serve; the gateway logs one, in the same shape, for each
     * request it answers itself, so that every request leaves a line. Never a header, token or body.
     */
    private static void logRefusal(HttpExchange exchange, String requestId, Answer answer) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("level", answer.response().getStatusCode() >= 500 ? "ERROR" : "INFO");
        line.put("function", "local-gateway");
        line.put("requestId", requestId);
        String path = exchange.getRequestURI().getRawPath();
        line.put("request", exchange.getRequestMethod() + " " + (path != null && path.length() > 200 ? path.substring(0, 200) + "..." : path));
        line.put("status", answer.response().getStatusCode());
        line.put("outcome", answer.refusal());
        System.out.println(StrictJson.write(line));
    }

    private static void write(HttpExchange exchange, APIGatewayV2HTTPResponse response, String requestId) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach(headers::set);
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> values.forEach(value -> headers.add(name, value)));
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(cookie -> headers.add("Set-Cookie", cookie));
        }
        headers.set("Apigw-Requestid", requestId);

        byte[] body;
        if (response.getBody() == null) {
            body = new byte[0];
        } else if (response.getIsBase64Encoded()) {
            body = Base64.getDecoder().decode(response.getBody());
        } else {
            body = response.getBody().getBytes(StandardCharsets.UTF_8);
        }
        int status = response.getStatusCode() == 0 ? 200 : response.getStatusCode();
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        if (head && body.length > 0) {
            // HEAD: the headers GET would have, its Content-Length included, and no body.
            headers.set("Content-Length", String.valueOf(body.length));
        }
        boolean noBody = status == 204 || status == 304 || body.length == 0 || head;
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** An id in the shape of API Gateway's ({@code JdmWkiFhoAMEMvQ=}): 11 random bytes, base64. */
    private static String newRequestId() {
        byte[] bytes = new byte[11];
        IDS.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
