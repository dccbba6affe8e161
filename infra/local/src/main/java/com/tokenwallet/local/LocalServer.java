package com.tokenwallet.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.dynamodb.WalletTable;
import com.tokenwallet.sqlite.SqliteDatabase;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The whole API on this machine: one Micronaut context shared by every function's handler (built exactly as in
 * Lambda, on the store the options name: the embedded SQLite engine in a file or in memory, or a real DynamoDB
 * through the production adapter), and the {@link HttpGateway} on 127.0.0.1 in front of them. {@link #close()}
 * stops all of it, in reverse order.
 */
public final class LocalServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 3000;
    public static final Path DEFAULT_DATA_DIRECTORY = Path.of(".token-wallet-local");
    /** The SQLite database in the data directory: {@code sqlite3 .token-wallet-local/wallet.db} opens it. */
    public static final String DATABASE_FILE = "wallet.db";
    static final int HTTP_THREADS = 16;
    private static final int HTTP_BACKLOG = 64;
    private static final int STOP_GRACE_SECONDS = 1;
    /** How long a connection may stay idle, a slow client included (the JDK server's maxReqTime was 30 s). */
    private static final long IDLE_TIMEOUT_MILLIS = 30_000;
    /** The request line and headers together; API Gateway's own limit is 10 KB of headers. */
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final String LOCK_FILE = "runner.lock";

    /** Where the runner keeps the wallet's data. */
    public sealed interface Store {
        /** The embedded SQLite engine, its one file ({@value #DATABASE_FILE}) in {@code directory}: data survives restarts. */
        record SqliteFile(Path directory) implements Store {
            public SqliteFile {
                Objects.requireNonNull(directory, "directory");
            }

            public Path database() {
                return directory.resolve(DATABASE_FILE);
            }
        }

        /** The embedded SQLite engine in memory: lost when the runner stops. */
        record InMemory() implements Store {
        }

        /** A real DynamoDB (AWS, or LocalStack) at {@code endpoint}, table {@code table}, through the production adapter. */
        record DynamoDb(URI endpoint, String table) implements Store {
            public DynamoDb {
                Objects.requireNonNull(endpoint, "endpoint");
                Objects.requireNonNull(table, "table");
            }
        }
    }

    /**
     * @param port       the HTTP port on 127.0.0.1; 0 picks a free one (see {@link #port()})
     * @param store      where the data is (see {@link Store})
     * @param keyFile    the JWT signing key (created when missing)
     * @param clockStart where the wallet's clock starts (then it runs on), or null for the real time
     * @param throttling one limit for every route instead of the template's, or null for the template's (tests
     *                   lower it to reach it in a few requests)
     */
    public record Options(int port, Store store, Path keyFile, Instant clockStart, RateLimit throttling) {
        public Options {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 to 65535");
            }
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(keyFile, "keyFile");
        }

        public static Options inMemory(int port, Path keyFile) {
            return new Options(port, new Store.InMemory(), keyFile, null, null);
        }

        public static Options fileBacked(int port, Path dataDirectory, Path keyFile) {
            return new Options(port, new Store.SqliteFile(dataDirectory), keyFile, null, null);
        }

        public static Options dynamoDb(int port, URI endpoint, String table, Path keyFile) {
            return new Options(port, new Store.DynamoDb(endpoint, table), keyFile, null, null);
        }

        /** The same options with the wallet's clock starting at {@code start} (then advancing in real time). */
        public Options withClockAt(Instant start) {
            return new Options(port, store, keyFile, start, throttling);
        }

        /** The same options with {@code limit} on every route instead of the template's throttling. */
        public Options withThrottling(RateLimit limit) {
            return new Options(port, store, keyFile, clockStart, Objects.requireNonNull(limit, "limit"));
        }

        /** The SQLite data directory, or null when the data is in memory or in DynamoDB. */
        public Path dataDirectory() {
            return store instanceof Store.SqliteFile file ? file.directory() : null;
        }

        public boolean inMemory() {
            return store instanceof Store.InMemory;
        }
    }

    private final Options options;
    private final LocalTokens tokens;
    private final List<Route> routes;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private Server http;
    private ServerConnector connector;
    private Clock clock = Clock.systemUTC();

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
        // Bind the port first: a port in use fails in milliseconds, before the store and Micronaut start.
        // Jetty parses HTTP strictly (RFC 9110: no obs-folded headers, no bare CR, one Content-Length); the front
        // checks the target itself, so Jetty's URI compliance is left open and the gateway decides, as API Gateway.
        QueuedThreadPool threads = new QueuedThreadPool(HTTP_THREADS + 4, 4);
        threads.setName("token-wallet-http");
        threads.setDaemon(true);
        http = new Server(threads);
        http.setStopTimeout(STOP_GRACE_SECONDS * 1000L);
        http.setErrorHandler(new JettyFront.ProblemErrors());
        HttpConfiguration config = new HttpConfiguration();
        config.setHttpCompliance(HttpCompliance.RFC9110);
        config.setUriCompliance(UriCompliance.UNSAFE);
        config.setSendServerVersion(false);
        config.setRequestHeaderSize(MAX_HEADER_BYTES);
        connector = new ServerConnector(http, 1, 1, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(options.port());
        connector.setAcceptQueueSize(HTTP_BACKLOG);
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        http.addConnector(connector);
        try {
            connector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + options.port() + " (is it in use? choose another with --port)", e);
        }

        clock = options.clockStart() == null ? Clock.systemUTC()
                : Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), options.clockStart()));
        ApplicationContext context = startContext();

        Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handlers = new LinkedHashMap<>();
        for (Route route : routes) {
            handlers.computeIfAbsent(route.handlerClass(), name -> instantiate(route, context));
        }

        Map<String, java.util.function.Supplier<Object>> onDemand = startSchedules(context);

        // The admin page (infra/admin-ui), from this origin: /admin-ui/ and its two files; everything else: the gateway.
        http.setHandler(new JettyFront(new HttpGateway(new RouteTable(routes), handlers, tokens, port(), onDemand,
                new RouteThrottle(routes, options.throttling(), System::nanoTime), ApiDocument.bundled()), new AdminUi(), AdminUi.walletModule()));
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("the local runner's HTTP server did not start", e);
        }
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
        return connector.getLocalPort();
    }

    /** The API's base URL, {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * The wallet's context on the options' store: {@code wallet.store=sqlite} with the database file (or in memory),
     * or {@code wallet.store=dynamodb} with the table and a client of the endpoint (the table is created, with its
     * indexes, when missing).
     */
    private ApplicationContext startContext() {
        ApplicationContext context = switch (options.store()) {
            case Store.SqliteFile file -> WalletContexts.start(Map.of("wallet.store", "sqlite",
                    "wallet.sqlite.path", file.database().toString()), clock);
            case Store.InMemory memory -> WalletContexts.start(Map.of("wallet.store", "sqlite",
                    "wallet.sqlite.path", SqliteDatabase.IN_MEMORY), clock);
            case Store.DynamoDb dynamo -> {
                DynamoDbClient client = RunnerDynamoDbClient.create(dynamo.endpoint());
                resources.push(client::close);
                ApplicationContext started = WalletContexts.start(Map.of("wallet.store", "dynamodb",
                        "wallet.table", dynamo.table()), clock, client);
                resources.push(started::close);
                try {
                    WalletTable.ensure(client, dynamo.table());
                } catch (software.amazon.awssdk.core.exception.SdkException e) {
                    throw new IllegalStateException("cannot use the DynamoDB table " + dynamo.table() + " at " + dynamo.endpoint()
                            + " (is it running? are AWS credentials and AWS_REGION set for it?)", e);
                }
                resources.pop();
                yield started;
            }
        };
        resources.push(context::close);
        // Open the store now: a database that cannot be opened fails the start, not the first request.
        context.getBean(com.tokenwallet.domain.port.WalletStore.class);
        return context;
    }

    /** Where the data is, for the start line: the SQLite file, "in memory", or the DynamoDB table and endpoint. */
    public String dataDescription() {
        return switch (options.store()) {
            case Store.SqliteFile file -> file.database().toAbsolutePath().normalize()
                    + " (open it with: sqlite3 " + file.database().toAbsolutePath().normalize() + ")";
            case Store.InMemory memory -> "in memory (lost when stopped)";
            case Store.DynamoDb dynamo -> "DynamoDB table " + dynamo.table() + " at " + dynamo.endpoint();
        };
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
     * Micronaut context (and its store: the SQLite database is closed, its write-ahead log folded into the file), and
     * releases the data directory. Safe to call
     * more than once and from a shutdown hook.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            RuntimeException failure = null;
            // The HTTP side first (running requests get a second to finish), so that no request reaches a function whose
            // context is closing.
            if (http != null) {
                try {
                    http.stop();
                } catch (java.util.concurrent.TimeoutException e) {
                    // Connections still open after the grace time (a client keeping one alive) were closed: not a fault.
                } catch (Exception e) {
                    failure = new IllegalStateException("the local runner did not stop cleanly", e);
                }
                if (connector != null) {
                    connector.close();
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

    /**
     * One runner per data directory. SQLite itself is safe with several processes on one file; the lock keeps two
     * runners from serving the same data on two ports by mistake.
     */
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
