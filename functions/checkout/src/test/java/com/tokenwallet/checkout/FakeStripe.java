package com.tokenwallet.checkout;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake of the two Stripe endpoints the checkout function calls, on 127.0.0.1: it records every request (form
 * fields and headers) and keeps Stripe's idempotency rules (the same key and parameters replay the first answer
 * with {@code Idempotent-Replayed: true}; the same key with other parameters is an {@code idempotency_error}).
 */
final class FakeStripe implements AutoCloseable {
    record Request(String path, Map<String, String> form, Map<String, String> headers) {
    }

    private final HttpServer server;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String[]> idempotent = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    volatile int failWithStatus = 0;

    FakeStripe() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests(String path) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.path().equals(path)).toList();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
        String path = exchange.getRequestURI().getPath();
        Request request = new Request(path, form(body), headers);
        requests.add(request);
        if (failWithStatus != 0) {
            respond(exchange, failWithStatus, "{\"error\":{\"type\":\"api_error\",\"message\":\"fake outage\"}}", false);
            return;
        }
        String key = headers.get("idempotency-key");
        if (key != null) {
            String[] first = idempotent.get(path + " " + key);
            if (first != null) {
                if (first[0].equals(body)) {
                    respond(exchange, 200, first[1], true);
                } else {
                    respond(exchange, 400, "{\"error\":{\"type\":\"idempotency_error\",\"message\":\"Keys for idempotent requests"
                            + " can only be used with the same parameters they were first used with.\"}}", false);
                }
                return;
            }
        }
        String answer = switch (path) {
            case "/v1/customers" -> "{\"id\":\"cus_fake" + ids.incrementAndGet() + "\",\"object\":\"customer\"}";
            case "/v1/checkout/sessions" -> {
                String id = "cs_test_fake" + ids.incrementAndGet();
                yield "{\"id\":\"" + id + "\",\"object\":\"checkout.session\",\"mode\":\"" + request.form().get("mode")
                        + "\",\"url\":\"https://checkout.stripe.com/c/pay/" + id + "\"}";
            }
            default -> null;
        };
        if (answer == null) {
            respond(exchange, 404, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Unrecognized request URL\"}}", false);
            return;
        }
        if (key != null) {
            idempotent.put(path + " " + key, new String[] {body, answer});
        }
        respond(exchange, 200, answer, false);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return form;
    }

    private static void respond(HttpExchange exchange, int status, String body, boolean replayed) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Request-Id", "req_fake");
        if (replayed) {
            exchange.getResponseHeaders().add("Idempotent-Replayed", "true");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
