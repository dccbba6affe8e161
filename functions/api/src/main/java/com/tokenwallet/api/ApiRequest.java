package com.tokenwallet.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.json.StrictJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An API Gateway HTTP API (payload 2.0) request, checked at the door: the caller from the JWT authorizer's
 * context, headers by lower-case name, and the body decoded (base64 when API Gateway says so) and bounded.
 */
public final class ApiRequest {
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final String routeKey;
    private final String requestId;
    private final Map<String, String> headers;
    private final Map<String, String> pathParameters;
    private final Map<String, String> query;
    private final String body;
    private final Caller caller;

    private ApiRequest(String routeKey, String requestId, Map<String, String> headers, Map<String, String> pathParameters,
                       Map<String, String> query, String body, Caller caller) {
        this.routeKey = routeKey;
        this.requestId = requestId;
        this.headers = headers;
        this.pathParameters = pathParameters;
        this.query = query;
        this.body = body;
        this.caller = caller;
    }

    public static ApiRequest from(APIGatewayV2HTTPEvent event) {
        return from(event, MAX_BODY_BYTES);
    }

    /** As {@link #from(APIGatewayV2HTTPEvent)}, with another bound on the body (Stripe's events can be larger). */
    public static ApiRequest from(APIGatewayV2HTTPEvent event, int maxBodyBytes) {
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }
        var context = event.getRequestContext();
        String requestId = context != null && context.getRequestId() != null ? context.getRequestId() : "-";
        return new ApiRequest(
                event.getRouteKey() == null ? "" : event.getRouteKey(),
                requestId,
                headers,
                event.getPathParameters() == null ? Map.of() : event.getPathParameters(),
                event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters(),
                decodeBody(event, maxBodyBytes),
                callerOf(event));
    }

    private static String decodeBody(APIGatewayV2HTTPEvent event, int maxBodyBytes) {
        String tooLarge = "The body is larger than " + (maxBodyBytes / 1024) + " KiB.";
        String raw = event.getBody();
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        byte[] bytes;
        if (event.getIsBase64Encoded()) {
            if (raw.length() > (maxBodyBytes / 3 + 1) * 4) {
                throw ApiProblem.payloadTooLarge(tooLarge);
            }
            try {
                bytes = Base64.getDecoder().decode(raw);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("body", "The body is marked base64 but is not valid base64.");
            }
        } else {
            if (raw.length() > maxBodyBytes) {
                throw ApiProblem.payloadTooLarge(tooLarge);
            }
            bytes = raw.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > maxBodyBytes) {
            throw ApiProblem.payloadTooLarge(tooLarge);
        }
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InvalidRequestException("body", "The body is not valid UTF-8.");
        }
    }

    private static Caller callerOf(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        var authorizer = context == null ? null : context.getAuthorizer();
        var jwt = authorizer == null ? null : authorizer.getJwt();
        if (jwt == null || jwt.getClaims() == null) {
            return null;
        }
        String sub = jwt.getClaims().get("sub");
        Set<String> scopes = new LinkedHashSet<>();
        if (jwt.getScopes() != null) {
            scopes.addAll(jwt.getScopes());
        }
        // API Gateway passes the claims as strings; a token's scopes also appear in its space-separated "scope" claim.
        String scopeClaim = jwt.getClaims().get("scope");
        if (scopeClaim != null) {
            scopes.addAll(List.of(scopeClaim.trim().split("\\s+")));
        }
        scopes.remove("");
        return sub == null || sub.isBlank() ? null : new Caller(sub, scopes);
    }

    public String routeKey() {
        return routeKey;
    }

    public String requestId() {
        return requestId;
    }

    /** The authenticated caller; a request that reached a function without one is refused with 401. */
    public Caller caller() {
        if (caller == null) {
            throw ApiProblem.unauthenticated("A valid bearer token is required.");
        }
        return caller;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String query(String name) {
        return query.get(name);
    }

    private static final java.util.regex.Pattern TIME = java.util.regex.Pattern.compile(
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2}))?$");

    /**
     * A required time in the query: an ISO-8601 date (its midnight, UTC) or a date-time with {@code Z} or an offset,
     * such as {@code 2026-11-01} or {@code 2026-11-01T09:30:00Z}. Anything else is 400 on that parameter.
     */
    public java.time.Instant timeQuery(String name) {
        String raw = query(name);
        if (raw == null || raw.length() > 35 || !TIME.matcher(raw).matches()) {
            throw new InvalidRequestException(name, "'" + name + "' must be a date (2026-11-01, midnight UTC) or a date-time "
                    + "with an offset (2026-11-01T09:30:00Z).");
        }
        try {
            return raw.length() == 10
                    ? java.time.LocalDate.parse(raw).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                    : java.time.OffsetDateTime.parse(raw).toInstant();
        } catch (java.time.DateTimeException e) {
            throw new InvalidRequestException(name, "'" + name + "' is not a real date or time: " + raw.replaceAll("[^0-9A-Za-z:.+-]", "?") + ".");
        }
    }

    public String rawPathParameter(String name) {
        return pathParameters.get(name);
    }

    public AccountId accountId() {
        return AccountId.of(pathParameters.get("accountId"));
    }

    public String body() {
        return body;
    }

    /** The body as a JSON object, or an empty body as an empty object when {@code optional}. */
    public Body jsonBody(boolean optional) {
        if (body.isBlank()) {
            if (optional) {
                return new Body(Map.of());
            }
            throw new InvalidRequestException("body", "A JSON object body is required.");
        }
        String contentType = header("content-type");
        if (contentType == null || !isJson(contentType)) {
            throw ApiProblem.unsupportedMediaType("Send the body as application/json.");
        }
        // The body is read as UTF-8, never decoded: another charset, or a content coding, would be read wrongly.
        String charset = charsetOf(contentType);
        if (charset != null && !charset.equalsIgnoreCase("utf-8")) {
            throw ApiProblem.unsupportedMediaType("Send the body in UTF-8 (charset=utf-8 or none), not " + truncated(charset) + ".");
        }
        String encoding = header("content-encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            throw ApiProblem.unsupportedMediaType("Send the body without a Content-Encoding (" + truncated(encoding.trim()) + " is not accepted).");
        }
        Map<String, Object> fields;
        try {
            fields = StrictJson.object(body);
        } catch (IOException e) {
            throw new InvalidRequestException("body", "The body is not a valid JSON object: " + firstLine(e.getMessage()));
        }
        JsonValues.check(fields);
        return new Body(fields);
    }

    /** The charset parameter of a media type, unquoted, or null. */
    private static String charsetOf(String contentType) {
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter.length == 2 && parameter[0].trim().equalsIgnoreCase("charset")) {
                String value = parameter[1].trim();
                return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
            }
        }
        return null;
    }

    private static String truncated(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /**
     * The request's Idempotency-Key with the fingerprint of what it asks: route, every path parameter (the
     * account, and a hold's id) and exact body, so the same key on another hold is a different request.
     */
    public Idempotency idempotency() {
        IdempotencyKey key = new IdempotencyKey(header("idempotency-key"));
        return new Idempotency(key, sha256(routeKey + "\n" + new java.util.TreeMap<>(pathParameters) + "\n" + body));
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse(message);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
