package com.tokenwallet.api;

import java.util.Map;

/**
 * A refusal decided by the HTTP layer itself (authentication, scopes, content type, size, unknown route),
 * answered as problem+json like the domain's refusals.
 */
public final class ApiProblem extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, Object> extensions;

    public ApiProblem(int status, String code, String detail, Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.extensions = Map.copyOf(extensions);
    }

    public static ApiProblem unauthenticated(String detail) {
        return new ApiProblem(401, "unauthenticated", detail, Map.of());
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "forbidden", detail, Map.of());
    }

    public static ApiProblem payloadTooLarge(String detail) {
        return new ApiProblem(413, "payload_too_large", detail, Map.of());
    }

    public static ApiProblem unsupportedMediaType(String detail) {
        return new ApiProblem(415, "unsupported_media_type", detail, Map.of());
    }

    public static ApiProblem routeNotFound(String routeKey) {
        return new ApiProblem(404, "route_not_found", "This function does not serve " + routeKey + ".", Map.of());
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
