package com.tokenwallet.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code java -jar token-wallet-local.jar serve|token ...}: runs the API on this machine, or mints a token for it.
 * {@link #run} does the work and returns the exit code, so tests can call it without exiting the JVM.
 */
public final class Main {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    static final String USAGE = """
            Usage:   (JAVA: a JDK 21+, the one infra/select-jdk picks, JAVA="$(infra/select-jdk)/bin/java")
              $JAVA -jar token-wallet-local.jar serve [--port N] [--data-dir DIR | --in-memory] [--clock INSTANT]
              $JAVA -jar token-wallet-local.jar serve --dynamodb-endpoint URL --table NAME [--port N] [--clock INSTANT]
              $JAVA -jar token-wallet-local.jar token --sub SUBJECT --scope "SCOPE [SCOPE...]" [--ttl SECONDS]

            serve   Runs the Token Wallet API (the routes of template.yaml, the functions' own handlers) on
                    http://127.0.0.1:N, on an embedded SQLite database. Listens on 127.0.0.1 only.
                      --port N        HTTP port, default 3000 (0 picks a free one).
                      --data-dir DIR  where the data is kept, default ./.token-wallet-local (created if missing):
                                      one SQLite file, DIR/wallet.db, that survives restarts and kill -9
                                      (sqlite3 DIR/wallet.db opens it).
                      --in-memory     a throwaway store instead, lost when the runner stops.
                      --dynamodb-endpoint URL --table NAME
                                      the same API on a real DynamoDB (AWS, or LocalStack at e.g.
                                      http://127.0.0.1:4566) through the production adapter; the table is
                                      created with its indexes if missing. Credentials and region: the AWS
                                      SDK's usual ones (AWS_REGION, default us-east-1).
                      --clock INSTANT the wallet's clock starts at INSTANT (e.g. 2026-11-30T23:59:30Z) and runs on;
                                      POST /_local/schedules/quota-reset fires the monthly reset at that clock.
                    Ctrl-C (or SIGTERM) stops it.

            token   Prints a JWT for the local API (and only the JWT) on standard output:
                    HS256, issuer token-wallet-local, audience token-wallet.
                      --sub SUBJECT   the caller: with wallet:read, the account it may use.
                      --scope SCOPES  space-separated: wallet:read, wallet:charge, wallet:admin.
                      --ttl SECONDS   lifetime, default 3600, at most 2592000 (30 days).
                    Use it as: curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:3000/v1/catalog

            The signing key is ~/.token-wallet/local-jwt-key (created, mode 600, on first use), or the file
            named by TOKEN_WALLET_JWT_KEY_FILE; serve and token must use the same one.

            Like API Gateway's JWT authorizer, the server requires "Authorization: Bearer <jwt>" on every
            route that template.yaml guards with an authorizer (all but Authorizer: NONE), checks signature,
            iss, aud, exp and nbf, demands one of the route's AuthorizationScopes, and passes the claims (as
            strings) and scopes to the function. Unlike API Gateway, which answers
            its own refusals with {"message":"Unauthorized"}, {"message":"Forbidden"} or
            {"message":"Not Found"}, it answers them in problem+json: 401 unauthenticated, 403 forbidden,
            404 route_not_found, 405 method_not_allowed (with Allow), 413 payload_too_large. It throttles each
            route with the template's RouteSettings (a token bucket per route): 429 throttled, with Retry-After.
            GET /openapi.yaml serves the API's OpenAPI document (no token needed).
            """;

    private Main() {
    }

    public static void main(String[] args) {
        quietLibraries();
        int code = run(args, System.out, System.err, System.getenv(), Path.of(System.getProperty("user.home")));
        if (code != EXIT_OK) {
            System.exit(code);
        }
    }

    /**
     * The libraries' start-up chatter is noise here: the runner prints its own line, and the functions their JSON
     * lines. Micronaut's environments go (warnings still show; a -D on the command line wins).
     */
    private static void quietLibraries() {
        System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.io.micronaut.context", "warn");
    }

    /**
     * Runs a command and returns its exit code: 0, 1 when it failed, 2 for bad arguments (usage on {@code err}).
     * {@code serve} returns only once the server has been stopped (by a signal, through the shutdown hook).
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment, Path home) {
        if (args.length == 0) {
            return usage(err, null);
        }
        String command = args[0];
        List<String> rest = List.of(args).subList(1, args.length);
        if (command.equals("help") || command.equals("--help") || command.equals("-h")) {
            out.print(USAGE);
            return EXIT_OK;
        }
        Path keyFile = LocalTokens.defaultKeyFile(environment, home);
        try {
            return switch (command) {
                case "serve" -> serve(parse(rest, Set.of("--port", "--data-dir", "--clock", "--dynamodb-endpoint", "--table"),
                        Set.of("--in-memory")), keyFile, out, err);
                case "token" -> token(parse(rest, Set.of("--sub", "--scope", "--ttl"), Set.of()), keyFile, out);
                default -> throw new UsageException("unknown command '" + command + "'");
            };
        } catch (UsageException e) {
            return usage(err, e.getMessage());
        } catch (RuntimeException e) {
            err.println("token-wallet-local: " + messages(e));
            return EXIT_FAILED;
        }
    }

    private static int serve(Map<String, String> options, Path keyFile, PrintStream out, PrintStream err) {
        int port = options.containsKey("--port") ? integer(options.get("--port"), "--port", 0, 65_535) : LocalServer.DEFAULT_PORT;
        if (options.containsKey("--data-dir") && options.containsKey("--in-memory")) {
            throw new UsageException("--data-dir and --in-memory exclude each other");
        }
        LocalServer.Options serverOptions;
        boolean dynamo = options.containsKey("--dynamodb-endpoint") || options.containsKey("--table");
        if (dynamo) {
            if (options.containsKey("--data-dir") || options.containsKey("--in-memory")) {
                throw new UsageException("--dynamodb-endpoint keeps the data in DynamoDB: it excludes --data-dir and --in-memory");
            }
            String endpoint = options.get("--dynamodb-endpoint");
            String table = options.get("--table");
            if (endpoint == null || table == null || endpoint.isBlank() || table.isBlank()) {
                throw new UsageException("--dynamodb-endpoint URL and --table NAME go together");
            }
            serverOptions = LocalServer.Options.dynamoDb(port, endpoint(endpoint), table, keyFile);
        } else if (options.containsKey("--in-memory")) {
            serverOptions = LocalServer.Options.inMemory(port, keyFile);
        } else {
            String dataDirectory = options.getOrDefault("--data-dir", LocalServer.DEFAULT_DATA_DIRECTORY.toString());
            if (dataDirectory.isBlank()) {
                throw new UsageException("--data-dir needs a directory");
            }
            serverOptions = LocalServer.Options.fileBacked(port, Path.of(dataDirectory), keyFile);
        }
        if (options.containsKey("--clock")) {
            try {
                serverOptions = serverOptions.withClockAt(java.time.Instant.parse(options.get("--clock")));
            } catch (java.time.format.DateTimeParseException e) {
                throw new UsageException("--clock needs an instant such as 2026-11-30T23:59:30Z");
            }
        }

        LocalServer server = LocalServer.start(serverOptions);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
                err.println("token-wallet-local: stopped");
            } catch (RuntimeException e) {
                err.println("token-wallet-local: " + messages(e));
            }
        }, "token-wallet-local-shutdown"));

        out.println("Token Wallet local API listening on " + server.url()
                + " | data: " + server.dataDescription()
                + " | " + server.routes().size() + " routes | Ctrl-C to stop");
        out.flush();
        try {
            server.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        }
        return EXIT_OK;
    }

    private static int token(Map<String, String> options, Path keyFile, PrintStream out) {
        String subject = options.get("--sub");
        String scope = options.get("--scope");
        if (subject == null || scope == null) {
            throw new UsageException("token needs --sub and --scope");
        }
        List<String> scopes = scope.isBlank() ? List.of() : List.of(scope.trim().split("\\s+"));
        if (scopes.isEmpty()) {
            throw new UsageException("--scope needs at least one scope");
        }
        long ttl = options.containsKey("--ttl")
                ? integer(options.get("--ttl"), "--ttl", 1, LocalTokens.MAX_TTL.toSeconds())
                : LocalTokens.DEFAULT_TTL.toSeconds();
        String jwt;
        try {
            jwt = LocalTokens.fromKeyFile(keyFile).mint(subject, scopes, Duration.ofSeconds(ttl));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        out.println(jwt);
        out.flush();
        return EXIT_OK;
    }

    /** An http(s) URL with a host, or a usage error. */
    private static java.net.URI endpoint(String value) {
        try {
            java.net.URI uri = new java.net.URI(value.trim());
            if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new UsageException("--dynamodb-endpoint needs an http(s) URL such as http://127.0.0.1:4566, not '" + value + "'");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new UsageException("--dynamodb-endpoint needs an http(s) URL such as http://127.0.0.1:4566, not '" + value + "'");
        }
    }

    /** {@code --name value}, {@code --name=value} and flags; each at most once. */
    private static Map<String, String> parse(List<String> args, Set<String> valued, Set<String> flags) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> queue = new ArrayList<>(args);
        for (int i = 0; i < queue.size(); i++) {
            String arg = queue.get(i);
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException(name + " takes no value");
                }
                value = "";
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= queue.size()) {
                        throw new UsageException(name + " needs a value");
                    }
                    value = queue.get(++i);
                }
            } else {
                throw new UsageException("unknown argument '" + arg + "'");
            }
            if (options.putIfAbsent(name, value) != null) {
                throw new UsageException(name + " given twice");
            }
        }
        return options;
    }

    private static int integer(String value, String name, long min, long max) {
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, not '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new UsageException(name + " must be " + min + " to " + max);
        }
        return (int) parsed;
    }

    private static int usage(PrintStream err, String problem) {
        if (problem != null) {
            err.println("token-wallet-local: " + problem);
            err.println();
        }
        err.print(USAGE);
        err.flush();
        return EXIT_USAGE;
    }

    /** The exception's message and its causes', on one line (never a key: nothing here holds one). */
    private static String messages(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 8; depth++, cause = cause.getCause()) {
            text.append(": ").append(cause.getClass().getSimpleName()).append(' ').append(cause.getMessage());
        }
        return text.toString();
    }

    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
