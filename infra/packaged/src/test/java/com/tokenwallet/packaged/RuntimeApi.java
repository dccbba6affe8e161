package com.tokenwallet.packaged;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An emulator of the Lambda Runtime API (version 2018-06-01) for one execution environment, on 127.0.0.1: what the
 * runtime interface client in the function's JVM talks to at {@code AWS_LAMBDA_RUNTIME_API}.
 *
 * <ul>
 *   <li>{@code GET /2018-06-01/runtime/invocation/next}: waits for an invocation and answers it with the event as the
 *       body and the headers Lambda sends ({@code Lambda-Runtime-Aws-Request-Id}, {@code Lambda-Runtime-Deadline-Ms},
 *       {@code Lambda-Runtime-Invoked-Function-Arn}, {@code Lambda-Runtime-Trace-Id}); the first call means INIT
 *       is done.</li>
 *   <li>{@code POST /2018-06-01/runtime/invocation/{id}/response} and {@code .../error}: the outcome; 202.</li>
 *   <li>{@code POST /2018-06-01/runtime/init/error}: INIT failed; 202 (the runtime then exits).</li>
 *   <li>{@code GET /2018-06-01/runtime/restore/next} and {@code POST .../restore/error}: SnapStart's checkpoint and
 *       restore, which the client goes through when {@code AWS_LAMBDA_INITIALIZATION_TYPE} is {@code snap-start}.</li>
 * </ul>
 */
final class RuntimeApi implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime/";

    /** What the function answered: its response body, or its error (the body and the error type header). */
    record Result(String requestId, boolean error, String body, String errorType) {
    }

    private record Pending(String requestId, String event, long deadlineMs, String traceId) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final String invokedFunctionArn;
    private final int timeoutSeconds;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Result>> results = new ConcurrentHashMap<>();
    private final CompletableFuture<String> init = new CompletableFuture<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile boolean restored;
    private volatile boolean closed;

    /**
     * @param invokedFunctionArn the ARN each invocation names (the alias API Gateway and the schedules invoke)
     * @param timeoutSeconds     the function's timeout: each invocation's deadline is this far ahead
     */
    RuntimeApi(String invokedFunctionArn, int timeoutSeconds) {
        this.invokedFunctionArn = invokedFunctionArn;
        this.timeoutSeconds = timeoutSeconds;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException("could not listen on 127.0.0.1", e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
        server.start();
    }

    /** {@code 127.0.0.1:<port>}: the value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Waits for the end of INIT: null when the runtime asked for its first invocation, else the body of its
     * {@code /init/error} report.
     */
    String awaitInit(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return init.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Whether the runtime went through SnapStart's restore ({@code /restore/next}). */
    boolean restored() {
        return restored;
    }

    /** Every call the runtime made, as {@code METHOD path}, in order. */
    List<String> calls() {
        return List.copyOf(calls);
    }

    /** Invokes the function with {@code event} and waits for its answer. */
    Result invoke(String event, Duration timeout) throws InterruptedException, TimeoutException {
        String requestId = UUID.randomUUID().toString();
        CompletableFuture<Result> result = new CompletableFuture<>();
        results.put(requestId, result);
        queue.add(new Pending(requestId, event, System.currentTimeMillis() + timeoutSeconds * 1000L, traceId()));
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            results.remove(requestId);
        }
    }

    private void exchange(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        calls.add(method + " " + path);
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        try {
            if (!path.startsWith(PREFIX)) {
                send(exchange, 404, "{\"errorType\":\"NotFound\"}");
                return;
            }
            String resource = path.substring(PREFIX.length());
            if (method.equals("GET") && resource.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && resource.startsWith("invocation/") && resource.endsWith("/response")) {
                complete(resource, false, body, null);
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && resource.startsWith("invocation/") && resource.endsWith("/error")) {
                complete(resource, true, body, exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"));
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && resource.equals("init/error")) {
                init.complete(new String(body, StandardCharsets.UTF_8) + " (" 
                        + exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type") + ")");
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("GET") && resource.equals("restore/next")) {
                restored = true;
                send(exchange, 200, "");
            } else if (method.equals("POST") && resource.equals("restore/error")) {
                init.complete("restore failed: " + new String(body, StandardCharsets.UTF_8));
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                send(exchange, 404, "{\"errorType\":\"NotFound\"}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        }
    }

    private void next(HttpExchange exchange) throws IOException, InterruptedException {
        init.complete(null);
        Pending pending = null;
        while (pending == null && !closed) {
            pending = queue.poll(200, TimeUnit.MILLISECONDS);
        }
        if (pending == null) {
            exchange.close();
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", pending.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(pending.deadlineMs()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", invokedFunctionArn);
        headers.set("Lambda-Runtime-Trace-Id", pending.traceId());
        send(exchange, 200, pending.event());
    }

    private void complete(String resource, boolean error, byte[] body, String errorType) {
        String requestId = resource.substring("invocation/".length(), resource.lastIndexOf('/'));
        CompletableFuture<Result> result = results.get(requestId);
        if (result != null) {
            result.complete(new Result(requestId, error, new String(body, StandardCharsets.UTF_8), errorType));
        }
    }

    /** An X-Ray trace header as Lambda passes it: a root id (its time and 96 random bits), a parent, not sampled. */
    private static String traceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String root = "1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + HexFormat.of().formatHex(randomBytes(random, 12));
        return "Root=" + root + ";Parent=" + HexFormat.of().formatHex(randomBytes(random, 8)) + ";Sampled=0";
    }

    private static byte[] randomBytes(ThreadLocalRandom random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }
}
