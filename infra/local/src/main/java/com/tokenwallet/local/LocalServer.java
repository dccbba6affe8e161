package com.tokenwallet.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpServer;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.dynamodblocal.EmbeddedDynamoDb;
import com.tokenwallet.dynamodb.WalletTable;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The whole API on this machine: DynamoDB Local, one Micronaut context shared by every function's handler (built
 * exactly as in Lambda, pointed at DynamoDB Local through {@code wallet.dynamodb.endpoint}), and the
 * {@link HttpGateway} on 127.0.0.1 in front of them. {@link #close()} stops all of it, in reverse order.
 */
public final class LocalServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 3000;
    public static final String DEFAULT_TABLE = "token-wallet-local";
    public static final Path DEFAULT_DATA_DIRECTORY = Path.of(".token-wallet-local");
    static final int HTTP_THREADS = 16;
    private static final int HTTP_BACKLOG = 64;
    private static final int STOP_GRACE_SECONDS = 1;
    private static final String LOCK_FILE = "runner.lock";

    static {
        // The JDK server waits forever for a slow client unless told otherwise; these bound a request's reading and
        // a response's writing (seconds). They apply to the whole JVM and are only set when nobody else has.
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", "30");
        System.getProperties().putIfAbsent("sun.net.httpserver.maxRspTime", "30");
    }

    /**
     * @param port          the HTTP port on 127.0.0.1; 0 picks a free one (see {@link #port()})
     * @param dataDirectory where DynamoDB Local keeps its file, or null for an in-memory store
     * @param keyFile       the JWT signing key (created when missing)
     * @param table         the wallet table, created when missing
     * @param clockStart    where the wallet's clock starts (then it runs on), or null for the real time
     * @param throttling    one limit for every route instead of the template's, or null for the template's (tests
     *                      lower it to reach it in a few requests)
     */
    public record Options(int port, Path dataDirectory, Path keyFile, String table, Instant clockStart, RateLimit throttling) {
        public Options {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 to 65535");
            }
            Objects.requireNonNull(keyFile, "keyFile");
            Objects.requireNonNull(table, "table");
        }

        public static Options inMemory(int port, Path keyFile) {
            return new Options(port, null, keyFile, DEFAULT_TABLE, null, null);
        }

        public static Options fileBacked(int port, Path dataDirectory, Path keyFile) {
            return new Options(port, Objects.requireNonNull(dataDirectory, "dataDirectory"), keyFile, DEFAULT_TABLE, null, null);
        }

        public Options(int port, Path dataDirectory, Path keyFile, String table) {
            this(port, dataDirectory, keyFile, table, null, null);
        }

        /** The same options with the wallet's clock starting at {@code start} (then advancing in real time). */
        public Options withClockAt(Instant start) {
            return new Options(port, dataDirectory, keyFile, table, start, throttling);
        }

        /** The same options with {@code limit} on every route instead of the template's throttling. */
        public Options withThrottling(RateLimit limit) {
            return new Options(port, dataDirectory, keyFile, table, clockStart, Objects.requireNonNull(limit, "limit"));
        }

        public boolean inMemory() {
            return dataDirectory == null;
        }
    }

    private final Options options;
    private final LocalTokens tokens;
    private final List<Route> routes;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private HttpServer http;
    private volatile boolean serving;
    private ExecutorService executor;
    private Clock clock = Clock.systemUTC();
    private EmbeddedDynamoDb dynamoDb;

    private LocalServer(Options options, LocalTokens tokens, List<Route> routes) {
        this.options = options;
        this.tokens = tokens;
        this.routes = routes;
    }

    /** Starts everything, or releases what it had started and throws. */
    public static LocalServer start(Options options) {
        LocalTokens tokens = LocalTokens.fromKeyFile(options.keyFile());
        List<Route> routes = TemplateRoutes.bundled();
        LocalServer server = new LocalServer(options, tokens, routes);
        try {
            server.startAll();
            return server;
        } catch (RuntimeException | Error e) {
            try {
                server.close();
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
    }

    private void startAll() {
        if (options.dataDirectory() != null) {
            lockDataDirectory(options.dataDirectory());
        }
        // Bind the port first: a port in use fails in milliseconds, before DynamoDB Local and Micronaut start.
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[]{127, 0, 0, 1}), options.port()), HTTP_BACKLOG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + options.port() + " (is it in use? choose another with --port)", e);
        }

        dynamoDb = EmbeddedDynamoDb.start(options.dataDirectory());
        resources.push(dynamoDb);

        clock = options.clockStart() == null ? Clock.systemUTC()
                : Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), options.clockStart()));
        ApplicationContext context = WalletContexts.start(Map.of(
                "wallet.table", options.table(),
                "wallet.dynamodb.endpoint", dynamoDb.endpoint()), clock);
        resources.push(context::close);
        ensureTable(context.getBean(DynamoDbClient.class), options.table());

        Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handlers = new LinkedHashMap<>();
        for (Route route : routes) {
            handlers.computeIfAbsent(route.handlerClass(), name -> instantiate(route, context));
        }

        Map<String, java.util.function.Supplier<Object>> onDemand = startSchedules(context);

        executor = Executors.newFixedThreadPool(HTTP_THREADS, threads("token-wallet-http-"));
        http.setExecutor(executor);
        http.createContext("/", new HttpGateway(new RouteTable(routes), handlers, tokens, port(), onDemand,
                new RouteThrottle(routes, options.throttling(), System::nanoTime), ApiDocument.bundled()));
        // The admin page (infra/admin-ui), from this origin: /admin-ui/ and its two files.
        http.createContext(AdminUi.PREFIX, new AdminUi());
        http.start();
        serving = true;
    }

    /**
     * The template's scheduled functions (the hold expiry sweep), run in this process at their rate, as
     * EventBridge would. A run that fails is logged and the next one goes on.
     */
    @SuppressWarnings("unchecked")
    private Map<String, java.util.function.Supplier<Object>> startSchedules(ApplicationContext context) {
        List<TemplateRoutes.Schedule> schedules = TemplateRoutes.bundledSchedules();
        Map<String, java.util.function.Supplier<Object>> onDemand = new LinkedHashMap<>();
        if (schedules.isEmpty()) {
            return onDemand;
        }
        java.util.concurrent.ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(threads("token-wallet-schedule-"));
        resources.push(scheduler::shutdownNow);
        for (TemplateRoutes.Schedule schedule : schedules) {
            RequestHandler<Object, Object> handler = (RequestHandler<Object, Object>) (RequestHandler<?, ?>)
                    instantiate(new Route("SCHEDULE", "/", schedule.handlerClass(), schedule.function(), false, List.of()), context);
            boolean takesMap = takesMap(handler.getClass());
            // POST /_local/schedules/NAME fires the schedule's event now, with its time set to the runner's clock.
            onDemand.put(schedule.name(), () -> handler.handleRequest(scheduledEvent(takesMap, clock.millis()), null));
            if (schedule.every() == null) {
                continue;
            }
            long millis = schedule.every().toMillis();
            scheduler.scheduleAtFixedRate(() -> {
                try {
                    handler.handleRequest(scheduledEvent(takesMap, clock.millis()), null);
                } catch (RuntimeException e) {
                    System.err.println("token-wallet-local: scheduled " + schedule.function() + " failed: " + e);
                }
            }, millis, millis, TimeUnit.MILLISECONDS);
        }
        return onDemand;
    }

    /**
     * Whether a handler takes its event as a plain map (the quota reset, which receives two kinds of events) rather
     * than as the aws-lambda-java-events class: the Lambda runtime hands each handler the type of its RequestHandler's
     * first type argument (the handlers extend MicronautRequestHandler, whose handleRequest itself is generic).
     */
    static boolean takesMap(Class<?> handlerClass) {
        for (Class<?> c = handlerClass; c != null && c != Object.class; c = c.getSuperclass()) {
            java.util.List<java.lang.reflect.Type> supertypes = new java.util.ArrayList<>(List.of(c.getGenericInterfaces()));
            supertypes.add(c.getGenericSuperclass());
            for (java.lang.reflect.Type type : supertypes) {
                if (type instanceof java.lang.reflect.ParameterizedType p && p.getRawType() instanceof Class<?> raw
                        && RequestHandler.class.isAssignableFrom(raw)) {
                    java.lang.reflect.Type input = p.getActualTypeArguments()[0];
                    Object inputClass = input instanceof java.lang.reflect.ParameterizedType pi ? pi.getRawType() : input;
                    return inputClass instanceof Class<?> k && Map.class.isAssignableFrom(k);
                }
            }
        }
        return false;
    }

    /** An EventBridge scheduled event at {@code epochMillis}, in the form the handler takes. */
    private static Object scheduledEvent(boolean asMap, long epochMillis) {
        String id = java.util.UUID.randomUUID().toString();
        if (asMap) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("version", "0");
            event.put("id", id);
            event.put("detail-type", "Scheduled Event");
            event.put("source", "aws.scheduler");
            event.put("time", Instant.ofEpochMilli(epochMillis).toString());
            event.put("detail", Map.of());
            return event;
        }
        var event = new com.amazonaws.services.lambda.runtime.events.ScheduledEvent();
        event.setId(id);
        event.setSource("aws.scheduler");
        event.setTime(new org.joda.time.DateTime(epochMillis, org.joda.time.DateTimeZone.UTC));
        return event;
    }

    /** The HTTP port (the one picked when the options said 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The API's base URL, {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** DynamoDB Local's endpoint, for {@code aws dynamodb ... --endpoint-url}. */
    public String dynamoDbEndpoint() {
        return dynamoDb.endpoint();
    }

    public Options options() {
        return options;
    }

    public LocalTokens tokens() {
        return tokens;
    }

    public List<Route> routes() {
        return routes;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /**
     * Stops the HTTP server (letting running requests finish for up to a second), the request threads, the
     * Micronaut context (and its DynamoDB client), DynamoDB Local, and releases the data directory. Safe to call
     * more than once and from a shutdown hook.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            RuntimeException failure = null;
            // The HTTP side first, so that no request reaches a function whose context is closing.
            if (http != null) {
                try {
                    if (!serving) {
                        // An HttpServer releases its port from its dispatcher thread only: one that never started
                        // (start-up failed further on) is started with no handler, to be stopped at once.
                        http.start();
                        http.stop(0);
                    } else {
                        http.stop(STOP_GRACE_SECONDS);
                    }
                } catch (RuntimeException e) {
                    failure = new IllegalStateException("the local runner did not stop cleanly", e);
                }
            }
            if (executor != null) {
                executor.shutdown();
                try {
                    if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                        executor.shutdownNow();
                    }
                } catch (InterruptedException e) {
                    executor.shutdownNow();
                    Thread.currentThread().interrupt();
                }
            }
            while (!resources.isEmpty()) {
                try {
                    resources.pop().close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = new IllegalStateException("the local runner did not stop cleanly", e);
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            closed.countDown();
        }
    }

    /** One runner per data directory: two DynamoDB Local servers on one SQLite file would corrupt each other's view. */
    private void lockDataDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            resources.push(channel);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException(directory.toAbsolutePath() + " is in use by another token-wallet-local; "
                        + "stop it, or choose another --data-dir");
            }
            FileLock held = lock;
            resources.push(held::release);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the data directory " + directory.toAbsolutePath(), e);
        }
    }

    private static void ensureTable(DynamoDbClient client, String table) {
        WalletTable.ensure(client, table);
    }

    /** The function's handler, built as the tests build it: its constructor taking the shared context. */
    @SuppressWarnings("unchecked")
    private static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> instantiate(Route route, ApplicationContext context) {
        Class<?> type;
        try {
            type = Class.forName(route.handlerClass());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("template.yaml routes " + route.routeKey() + " to " + route.handlerClass()
                    + ", which is not in this jar: add the " + route.function() + " module to infra/local/pom.xml", e);
        }
        if (!RequestHandler.class.isAssignableFrom(type)) {
            throw new IllegalStateException(route.handlerClass() + " is not a Lambda RequestHandler");
        }
        try {
            Constructor<?> constructor = type.getConstructor(ApplicationContext.class);
            return (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) constructor.newInstance(context);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(route.handlerClass() + " needs a public constructor taking an ApplicationContext "
                    + "for the local runner (and tests) to share one context", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot create " + route.handlerClass(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + route.handlerClass(), e);
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
