package com.tokenwallet.api.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.ApiHandler;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.testing.FaultInjectingWalletStore;
import com.tokenwallet.sqlite.SqliteDatabase;
import com.tokenwallet.sqlite.SqliteStoreFactory;
import com.tokenwallet.sqlite.SqliteWalletStore;
import com.tokenwallet.sqlite.testing.SqliteDump;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A wallet on a fresh SQLite database (the embedded engine of infra/sqlite-store), wired exactly as the functions
 * wire themselves (the same Micronaut factories, with {@code wallet.store=sqlite}), with faults that can be injected
 * into its writes at the store port ({@link #store}). {@link #anotherInstance()} is another process on the same
 * file: its own context, connection and caches, as a second Lambda instance would have.
 */
public final class TestWallet implements AutoCloseable {
    /** Where the tests' databases go: one directory per wallet, under the module's build directory. */
    private static final Path ROOT = Path.of("target", "test-wallets");

    /** The database file of this wallet (and of its other instances). */
    public final Path database;
    /** This instance's store, through which faults are injected into its writes. */
    public final FaultInjectingWalletStore store;
    public final ApplicationContext context;
    /** The clock every instance reads (null: the real time). */
    public final Clock clock;

    private final SqliteDatabase connection;
    private final Map<String, Object> extraProperties;
    private final Object[] extraSingletons;

    public TestWallet() {
        this(freshDatabase(), null, Map.of());
    }

    /** A wallet whose every instance reads the time from {@code clock} (for holds that expire, periods that end). */
    public TestWallet(Clock clock) {
        this(freshDatabase(), clock, Map.of());
    }

    private TestWallet(Path database, Clock clock, Map<String, Object> properties, Object... singletons) {
        this.database = database;
        this.clock = clock;
        this.extraProperties = properties;
        this.extraSingletons = singletons;
        this.connection = SqliteDatabase.open(database.toString());
        this.store = new FaultInjectingWalletStore(new SqliteWalletStore(connection, clock == null ? Clock.systemUTC() : clock));
        Map<String, Object> all = new HashMap<>(properties);
        all.putAll(storeProperties());
        List<Object> beans = new ArrayList<>(List.of(store));
        if (clock != null) {
            beans.add(clock);
        }
        beans.addAll(List.of(singletons));
        this.context = WalletContexts.start(all, beans.toArray());
    }

    /**
     * A wallet on a fresh database with more configuration and beans, for example a recording {@code BalanceEvents}
     * and {@code wallet.low.balance.thresholds}. Its {@link #anotherInstance()}s share them.
     */
    public static TestWallet with(Clock clock, Map<String, Object> properties, Object... singletons) {
        return new TestWallet(freshDatabase(), clock, properties, singletons);
    }

    /**
     * Another process on the same database: its own context, connection, store and caches, as a second Lambda
     * instance would have.
     */
    public TestWallet anotherInstance() {
        return new TestWallet(database, clock, extraProperties, extraSingletons);
    }

    /**
     * The settings that put a context of one's own on this wallet's data ({@code wallet.store}, {@code wallet.sqlite.path}),
     * for a test that builds a handler with other settings; pass {@link #store} as a singleton to share its faults.
     */
    public Map<String, Object> storeProperties() {
        return Map.of(SqliteStoreFactory.STORE_PROPERTY, SqliteStoreFactory.ENGINE, SqliteStoreFactory.PATH_PROPERTY, database.toString());
    }

    /** A handler of this wallet, e.g. {@code wallet.handler(CheckHandler::new)}. */
    public <H extends ApiHandler> H handler(Function<ApplicationContext, H> constructor) {
        return constructor.apply(context);
    }

    /**
     * Everything the wallet's store holds, as plain rows ({@code "table"} and the columns: see SqliteDump), for
     * asserting that a refused request changed nothing.
     */
    public List<Map<String, Object>> items() {
        return SqliteDump.rows(connection);
    }

    /** The rows of one table that belong to one account. */
    public List<Map<String, Object>> items(String table, String accountId) {
        return SqliteDump.rows(items(), table, accountId);
    }

    /**
     * Runs one SQL statement on the wallet's database, as an operator with the sqlite3 CLI would: for tests that
     * corrupt the data on purpose. Returns the rows it changed.
     */
    public int execute(String sql, Object... args) {
        return connection.write("a test's statement", tx -> tx.update(sql, args));
    }

    /** The body of a response as a JSON map. */
    public static Map<String, Object> body(APIGatewayV2HTTPResponse response) {
        try {
            return StrictJson.object(response.getBody());
        } catch (IOException e) {
            throw new AssertionError("response body is not a JSON object: " + response.getBody(), e);
        }
    }

    /**
     * Calls the handler as Lambda would, and holds its response to the API document ({@link HandlerContract}) when the
     * handler serves the event's route (a test may send a route to the wrong function on purpose: API Gateway never
     * does, and the route_not_found it gets is no part of the contract).
     */
    public static APIGatewayV2HTTPResponse call(ApiHandler handler, APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        if (handler.routes().contains(event.getRouteKey())) {
            HandlerContract.check(event.getRouteKey(), response);
        }
        return response;
    }

    /** A new, empty database file of its own (the tables are created when it is first opened). */
    public static Path freshDatabase() {
        try {
            Files.createDirectories(ROOT);
            return Files.createTempDirectory(ROOT.toAbsolutePath(), "wallet-").resolve("wallet.db");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a test database under " + ROOT.toAbsolutePath(), e);
        }
    }

    @Override
    public void close() {
        try {
            context.close();
        } finally {
            connection.close();
        }
    }
}
