package com.tokenwallet.api.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.ApiHandler;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.dynamodb.DynamoDbCallCounter;
import com.tokenwallet.dynamodb.testing.FaultInjectingDynamoDbClient;
import com.tokenwallet.dynamodb.testing.LocalDynamoDb;
import io.micronaut.context.ApplicationContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * A wallet on a fresh table of the shared DynamoDB Local, wired exactly as in Lambda (the same Micronaut
 * factory), with a call counter on its client and faults that can be injected into its writes.
 */
public final class TestWallet implements AutoCloseable {

    public final String table;
    public final DynamoDbCallCounter counter = new DynamoDbCallCounter();
    public final FaultInjectingDynamoDbClient client;
    public final ApplicationContext context;
    private final DynamoDbClient raw;

    public final Clock clock;

    public TestWallet() {
        this(LocalDynamoDb.shared().createTable(), null);
    }

    /** A wallet whose every instance reads the time from {@code clock} (for holds that expire, periods that end). */
    public TestWallet(Clock clock) {
        this(LocalDynamoDb.shared().createTable(), clock);
    }

    private TestWallet(String table, Clock clock) {
        this(table, clock, Map.of());
    }

    private final Map<String, Object> extraProperties;
    private final Object[] extraSingletons;

    private TestWallet(String table, Clock clock, Map<String, Object> properties, Object... singletons) {
        LocalDynamoDb db = LocalDynamoDb.shared();
        this.table = table;
        this.clock = clock;
        this.extraProperties = properties;
        this.extraSingletons = singletons;
        raw = db.client(List.of(counter));
        client = new FaultInjectingDynamoDbClient(raw);
        Map<String, Object> all = new java.util.HashMap<>(properties);
        all.put("wallet.table", table);
        List<Object> beans = new java.util.ArrayList<>(List.of(counter, client));
        if (clock != null) {
            beans.add(clock);
        }
        beans.addAll(List.of(singletons));
        context = WalletContexts.start(all, beans.toArray());
    }

    /**
     * A wallet on a fresh table with more configuration and beans, for example a recording {@code BalanceEvents}
     * and {@code wallet.low.balance.thresholds}. Its {@link #anotherInstance()}s share them.
     */
    public static TestWallet with(Clock clock, Map<String, Object> properties, Object... singletons) {
        return new TestWallet(LocalDynamoDb.shared().createTable(), clock, properties, singletons);
    }

    /**
     * Another process on the same table: its own context, client, counter and caches, as a second Lambda
     * instance would have.
     */
    public TestWallet anotherInstance() {
        return new TestWallet(table, clock, extraProperties, extraSingletons);
    }

    /** A handler of this wallet, e.g. {@code wallet.handler(CheckHandler::new)}. */
    public <H extends ApiHandler> H handler(Function<ApplicationContext, H> constructor) {
        return constructor.apply(context);
    }

    /** Every item of the table, for asserting that a refused request changed nothing. */
    public List<Map<String, AttributeValue>> items() {
        ScanResponse scan = raw.scan(b -> b.tableName(table).consistentRead(true));
        return scan.items();
    }

    /** The body of a response as a JSON map. */
    public static Map<String, Object> body(APIGatewayV2HTTPResponse response) {
        try {
            return StrictJson.object(response.getBody());
        } catch (java.io.IOException e) {
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

    @Override
    public void close() {
        context.close();
    }
}
