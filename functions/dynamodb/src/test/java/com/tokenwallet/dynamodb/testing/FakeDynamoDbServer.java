package com.tokenwallet.dynamodb.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FakeDynamoDb} served over HTTP on 127.0.0.1 (never another interface), so that another JVM, such as a
 * packaged Lambda jar, reaches it with {@code AWS_ENDPOINT_URL_DYNAMODB=}{@link #endpoint()} and any credentials and
 * region. Start it from a test with {@code new FakeDynamoDb().serve()}, or on its own with
 * {@code java -cp <test classpath> com.tokenwallet.dynamodb.testing.FakeDynamoDbServer [port]}.
 */
public final class FakeDynamoDbServer implements AutoCloseable {
    /** A silent fault never holds a connection longer than this. */
    private static final Duration MAX_SILENCE = Duration.ofSeconds(60);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final FakeDynamoDb fake;
    private final HttpServer server;
    private final ExecutorService executor;

    public FakeDynamoDbServer(FakeDynamoDb fake, int port) {
        this.fake = fake;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("could not listen on 127.0.0.1:" + port, e);
        }
        executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "fake-dynamodb-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
        server.start();
    }

    public FakeDynamoDb fake() {
        return fake;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>}: the value for AWS_ENDPOINT_URL_DYNAMODB. */
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try {
            if (!exchange.getRequestMethod().equals("POST")) {
                // DynamoDB answers a GET of its root as a health check.
                send(exchange, 200, "healthy: dynamodb.us-east-1.amazonaws.com".getBytes(StandardCharsets.UTF_8), "text/plain");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            FakeDynamoDb.Answer answer = fake.handle(exchange.getRequestHeaders().getFirst("X-Amz-Target"), body);
            if (answer.silence() != null) {
                long millis = Math.min(answer.silence().toMillis(), MAX_SILENCE.toMillis());
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;  // closing an exchange that sent no headers closes the connection: the client gets no answer
            }
            if (answer.drop()) {
                return;
            }
            var headers = FakeSdkHttpClient.headers(answer).headers();
            headers.forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Content-Length")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            send(exchange, answer.status(), answer.body(), null);
        } finally {
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a fake on its own until the process is stopped; prints its endpoint on the first line. */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        FakeDynamoDbServer server = new FakeDynamoDb().serveOn(port);
        System.out.println("FakeDynamoDbServer listening on " + server.endpoint());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join();
    }
}
