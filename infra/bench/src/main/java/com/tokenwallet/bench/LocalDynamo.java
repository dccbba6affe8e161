package com.tokenwallet.bench;

import com.amazonaws.services.dynamodbv2.local.main.CommandLineInput;
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * DynamoDB Local inside the bench's JVM, in memory, on a free port of 127.0.0.1 only (as infra/local's runner
 * starts it). The child JVMs reach it over HTTP, as a function reaches DynamoDB. Always {@link #close()}d.
 */
final class LocalDynamo implements AutoCloseable {
    private static final int START_ATTEMPTS = 5;

    private final DynamoDBProxyServer server;
    private final int port;

    private LocalDynamo(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    static LocalDynamo start() {
        Exception last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freeLoopbackPort();
            DynamoDBProxyServer server;
            try {
                CommandLineInput input = new CommandLineInput(new String[]{"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
                if (!input.init()) {
                    throw new IllegalStateException("DynamoDB Local refused its arguments");
                }
                server = ServerRunner.createServer(input);
            } catch (Exception e) {
                throw new IllegalStateException("cannot configure DynamoDB Local", e);
            }
            bindToLoopbackOnly(server);
            try {
                server.start();
                return new LocalDynamo(server, port);
            } catch (Exception e) {
                last = e;
                try {
                    server.stop();
                } catch (Exception ignored) {
                    // it did not start
                }
                Throwable cause = e;
                while (cause.getCause() != null && cause.getCause() != cause) {
                    cause = cause.getCause();
                }
                if (!(cause instanceof BindException)) {
                    break;
                }
            }
        }
        throw new IllegalStateException("cannot start DynamoDB Local", last);
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            System.err.println("could not stop DynamoDB Local: " + e);
        }
    }

    /** Its Jetty listens on every interface unless told otherwise; the bench's data stays on 127.0.0.1. */
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

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[]{127, 0, 0, 1}))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }
}
