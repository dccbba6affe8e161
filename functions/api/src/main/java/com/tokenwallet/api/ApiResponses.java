package com.tokenwallet.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.domain.InsufficientTokensException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.WalletException;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.json.StrictJson;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON and problem+json (RFC 9457) responses. */
public final class ApiResponses {
    public static final String PROBLEM_TYPE_BASE = "https://tokenwallet.dev/problems/";

    private ApiResponses() {
    }

    public static APIGatewayV2HTTPResponse json(int status, Object body) {
        return json(status, StrictJson.write(body), Map.of());
    }

    public static APIGatewayV2HTTPResponse json(int status, String body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.putAll(extraHeaders);
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers).withBody(body).build();
    }

    /** A stored idempotent response; {@code replayed} adds {@code Idempotent-Replayed: true}. */
    public static APIGatewayV2HTTPResponse stored(StoredResponse response, boolean replayed) {
        return json(response.statusCode(), response.body(), replayed ? Map.of("Idempotent-Replayed", "true") : Map.of());
    }

    public static APIGatewayV2HTTPResponse problem(int status, String code, String title, String detail,
                                                   Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", PROBLEM_TYPE_BASE + code);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code);
        body.putAll(extensions);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/problem+json");
        if (status == 503 || status == 429) {
            headers.put("Retry-After", "1");
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers)
                .withBody(StrictJson.write(body)).build();
    }

    public static APIGatewayV2HTTPResponse problem(ApiProblem p) {
        return problem(p.status(), p.code(), titleOf(p.status()), p.getMessage(), p.extensions());
    }

    public static APIGatewayV2HTTPResponse problem(WalletException e) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        int status = switch (e) {
            case InvalidRequestException invalid -> {
                extensions.put("field", invalid.field());
                yield 400;
            }
            case InsufficientTokensException insufficient -> {
                extensions.put("bucket", insufficient.bucket());
                extensions.put("required", insufficient.required());
                extensions.put("available", insufficient.available());
                extensions.put("creditLimit", insufficient.creditLimit());
                extensions.put("shortfall", insufficient.shortfall());
                yield 402;
            }
            case com.tokenwallet.domain.AccountNotFoundException notFound -> 404;
            case com.tokenwallet.domain.IdempotencyKeyReusedException reused -> 409;
            case com.tokenwallet.domain.StoreUnavailableException unavailable -> 503;
            case com.tokenwallet.domain.ResourceNotFoundException notFound -> 404;
            case com.tokenwallet.domain.ConflictException conflict -> 409;
        };
        String detail = e instanceof com.tokenwallet.domain.StoreUnavailableException
                ? "The wallet's store is unavailable; nothing was charged unless a retry with the same Idempotency-Key says so. Retry with the same key."
                : e.getMessage();
        return problem(status, e.code(), titleOf(status), detail, extensions);
    }

    static String titleOf(int status) {
        return switch (status) {
            case 400 -> "Invalid request";
            case 401 -> "Unauthenticated";
            case 402 -> "Insufficient tokens";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            case 413 -> "Payload too large";
            case 415 -> "Unsupported media type";
            case 429 -> "Too many requests";
            case 503 -> "Service unavailable";
            default -> "Internal error";
        };
    }
}
