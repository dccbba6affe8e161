package com.tokenwallet.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A stand-in for Stripe on 127.0.0.1 that answers the two calls the checkout function makes (a customer, then a
 * Checkout Session whose hosted page is {@link #SESSION_URL}) and records each call. While open, the runner's
 * checkout is configured for it ({@code stripe.secret.key} {@link #SECRET_KEY}, {@code stripe.api.base} its URL).
 */
final class StripeStandIn implements AutoCloseable {
    static final String SECRET_KEY = "sk_test_local";
    static final String SESSION_URL = "https://checkout.stripe.com/c/pay/cs_local";

    /** One call as Stripe received it. */
    record Call(String path, String authorization, String idempotencyKey, String body) {
    }

    private final HttpServer server;
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

    private StripeStandIn(HttpServer server) {
        this.server = server;
    }

    static StripeStandIn start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        StripeStandIn stripe = new StripeStandIn(server);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            stripe.calls.add(new Call(path, exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] answer = (path.equals("/v1/customers") ? "{\"id\":\"cus_local\",\"object\":\"customer\"}"
                    : "{\"id\":\"cs_local\",\"object\":\"checkout.session\",\"url\":\"" + SESSION_URL + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        System.setProperty("stripe.secret.key", SECRET_KEY);
        System.setProperty("stripe.api.base", "http://127.0.0.1:" + server.getAddress().getPort());
        return stripe;
    }

    /** The calls received so far, in order. */
    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    @Override
    public void close() {
        System.clearProperty("stripe.secret.key");
        System.clearProperty("stripe.api.base");
        server.stop(0);
    }
}
