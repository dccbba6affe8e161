package com.tokenwallet.dynamodblocal;

import com.amazonaws.services.dynamodbv2.local.main.CommandLineInput;
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * DynamoDB Local as a server inside this JVM, on a free port of 127.0.0.1: in memory, or in one SQLite file
 * ({@code -sharedDb}, the same data whatever region or credentials a client uses) under a data directory.
 * The functions reach it over HTTP through {@code wallet.dynamodb.endpoint}, exactly as they would reach DynamoDB.
 * It must be {@link #close() closed}: its Jetty threads would otherwise keep the JVM alive. The one way the local
 * runner, the benchmark and the tests start DynamoDB Local.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {
    private static final int START_ATTEMPTS = 5;

    private final DynamoDBProxyServer server;
    private final int port;

    private EmbeddedDynamoDb(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts DynamoDB Local: in memory when {@code dataDirectory} is null, else with its file in that directory. */
    public static EmbeddedDynamoDb start(Path dataDirectory) {
        // DynamoDB Local cannot bind port 0 and tell us the port, so a free port is picked first; another process
        // may take it in between, hence a few bounded attempts.
        Exception last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freeLoopbackPort();
            List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-disableTelemetry"));
            if (dataDirectory == null) {
                args.add("-inMemory");
            } else {
                args.addAll(List.of("-dbPath", dataDirectory.toAbsolutePath().toString(), "-sharedDb"));
            }
            DynamoDBProxyServer server;
            try {
                // ServerRunner.createServerFromCommandLineArgs, without the configuration banner it prints on stdout.
                CommandLineInput input = new CommandLineInput(args.toArray(String[]::new));
                if (!input.init()) {
                    throw new IllegalStateException("DynamoDB Local refused its arguments " + args);
                }
                server = ServerRunner.createServer(input);
            } catch (Exception e) {
                throw new IllegalStateException("cannot configure DynamoDB Local", e);
            }
            bindToLoopbackOnly(server);
            try {
                server.start();
                return new EmbeddedDynamoDb(server, port);
            } catch (Exception e) {
                last = e;
                stopQuietly(server);
                if (!(rootCause(e) instanceof BindException)) {
                    break;
                }
            }
        }
        throw new IllegalStateException("cannot start DynamoDB Local", last);
    }

    /** An in-memory DynamoDB Local. */
    public static EmbeddedDynamoDb inMemory() {
        return start(null);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop DynamoDB Local", e);
        }
    }

    /**
     * DynamoDB Local's Jetty listens on every interface ({@code new Server(port)}) and has no option to change it.
     * A local wallet's data has no business on the network, so its connectors are pointed at 127.0.0.1 before
     * start; should a future DynamoDB Local change its internals, start fails rather than silently exposing it.
     */
    private static void bindToLoopbackOnly(DynamoDBProxyServer proxy) {
        try {
            Field field = DynamoDBProxyServer.class.getDeclaredField("server");
            field.setAccessible(true);
            Server jetty = (Server) field.get(proxy);
            Connector[] connectors = jetty.getConnectors();
            if (connectors.length == 0) {
                throw new IllegalStateException("DynamoDB Local's Jetty server has no connector");
            }
            for (Connector connector : connectors) {
                ((ServerConnector) connector).setHost("127.0.0.1");
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot restrict DynamoDB Local to 127.0.0.1 (has its version changed?)", e);
        }
    }

    private static void stopQuietly(DynamoDBProxyServer server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // It did not start; there is nothing more to release.
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        for (int depth = 0; depth < 16 && cause.getCause() != null; depth++) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[]{127, 0, 0, 1}))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }
}
