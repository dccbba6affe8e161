package com.tokenwallet.local;

import com.sun.net.httpserver.HttpHandler;
import com.tokenwallet.api.ApiResponses;
import com.tokenwallet.domain.json.StrictJson;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The runner's HTTP front on Jetty: it checks that the request target is a valid URI (RFC 3986: a raw {@code |},
 * a control character or a bad {@code %} escape is refused), then passes the request to the admin page's handler
 * (under {@link AdminUi#PREFIX}) or to the gateway. What Jetty's parser itself refuses (a bad Content-Length, a
 * bare CR, an obs-folded header, ...) and any other error Jetty answers go through {@link ProblemErrors}: every
 * answer of the runner is problem+json, never an HTML page.
 */
final class JettyFront extends Handler.Abstract {
    /** A request target: origin-form path and query of RFC 3986 characters, with well-formed percent escapes. */
    private static final Pattern TARGET = Pattern.compile("^/(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*"
            + "(?:\\?(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?$");

    private final HttpHandler gateway;
    private final List<AdminUi> pages;

    JettyFront(HttpHandler gateway, AdminUi... pages) {
        this.gateway = gateway;
        this.pages = List.of(pages);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String target = request.getHttpURI().getPathQuery();
        URI uri = null;
        if (target != null && TARGET.matcher(target).matches()) {
            try {
                uri = new URI(target);
            } catch (URISyntaxException e) {
                uri = null;
            }
        }
        if (uri == null) {
            refuse(response, callback, "The request target is not a valid URI path and query (RFC 3986): characters such as | or "
                    + "spaces must be percent-encoded, and every % must begin an escape of two hex digits.");
            return true;
        }
        String path = uri.getRawPath();
        HttpHandler handler = pages.stream().filter(p -> p.serves(path)).<HttpHandler>map(p -> p).findFirst().orElse(gateway);
        try {
            handler.handle(new JettyExchange(request, response, uri));
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
        return true;
    }

    private static void refuse(Response response, Callback callback, String detail) {
        byte[] body = problem(400, detail);
        response.setStatus(400);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        log(400, detail);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** A problem+json body as the functions write it: {@code invalid_request} for a 400, else by status. */
    static byte[] problem(int status, String detail) {
        String code = switch (status) {
            case 400 -> "invalid_request";
            case 404 -> "route_not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            case 501 -> "not_implemented";
            default -> status >= 500 ? "internal_error" : "invalid_request";
        };
        Map<String, Object> extensions = status == 400 ? Map.of("field", "request") : Map.of();
        return ApiResponses.problem(status, code, titleOf(status), detail, extensions).getBody().getBytes(StandardCharsets.UTF_8);
    }

    private static String titleOf(int status) {
        return switch (status) {
            case 400 -> "Invalid request";
            case 413 -> "Payload too large";
            case 414 -> "URI too long";
            case 431 -> "Request header fields too large";
            default -> status >= 500 ? "Internal error" : "Invalid request";
        };
    }

    /** One JSON line per request the front refuses, in the gateway's shape; never the request itself. */
    static void log(int status, String detail) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("level", status >= 500 ? "ERROR" : "INFO");
        line.put("function", "local-gateway");
        line.put("status", status);
        line.put("outcome", "malformed_request");
        line.put("detail", detail);
        System.out.println(StrictJson.write(line));
    }

    /**
     * Jetty's own answers (a request its parser refuses, an error while handling) in problem+json: the reason Jetty
     * gives ("Bad Content-Length", "Illegal character", ...) is the detail; no exception is named.
     */
    static final class ProblemErrors extends ErrorHandler {
        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            String detail = "The request is not well-formed HTTP/1.1" + (reason == null ? "." : ": " + sanitized(reason) + ".");
            fields.put(HttpHeader.CONTENT_TYPE, "application/problem+json");
            log(status, detail);
            return ByteBuffer.wrap(problem(status, detail));
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            String detail = code == 400 ? "The request is not well-formed HTTP/1.1" + (message == null ? "." : ": " + sanitized(message) + ".")
                    : "The local gateway could not answer this request (" + code + ").";
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
            log(code, detail);
            response.write(true, ByteBuffer.wrap(problem(code, detail)), callback);
        }

        /** Jetty's reason, without anything that looks like a class name. */
        private static String sanitized(String reason) {
            String text = reason.replaceAll("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)+(Exception|Error)", "").trim();
            return text.length() > 200 ? text.substring(0, 200) : text;
        }
    }
}
