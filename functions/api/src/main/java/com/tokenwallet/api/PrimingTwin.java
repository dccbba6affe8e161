package com.tokenwallet.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.tokenwallet.domain.events.BalanceEvent;
import com.tokenwallet.domain.port.BalanceEvents;
import com.tokenwallet.dynamodb.DynamoDbCallCounter;
import com.tokenwallet.dynamodb.PrimingTransport;
import io.micronaut.context.ApplicationContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The success path of SnapStart priming: a twin of the function (the same handler class on a context of its own)
 * whose DynamoDB client answers in memory ({@link PrimingTransport}) and whose balance events go nowhere, so it can
 * open accounts and charge them, through {@code handleRequest} as Lambda calls it, and nothing outside the process
 * sees it. The classes, call sites and compiled code it leaves behind are the real function's, shared by class.
 *
 * <p>Two twins share one transport: the first opens the accounts, the second charges each of them first (the read a
 * process makes of an account it has not seen, then the write), then again (the write alone).
 */
final class PrimingTwin {
    /** Settings the twin takes over from the function's context (the rest come from the environment, as there). */
    private static final List<String> SETTINGS = List.of("wallet.table", "wallet.catalog", "wallet.low.balance.thresholds",
            "aws.region");
    private static final BalanceEvents NOWHERE = new Nowhere();

    private PrimingTwin() {
    }

    /** Runs both lists on their twins; returns each status answered and how many times. */
    static Map<Integer, Long> run(ApiHandler function, List<APIGatewayV2HTTPEvent> setUp, List<APIGatewayV2HTTPEvent> charges) {
        ApplicationContext real = function.getApplicationContext();
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String key : SETTINGS) {
            real.getProperty(key, String.class).ifPresent(v -> settings.put(key, v));
        }
        settings.put(WalletFactory.STORE_PROPERTY, WalletFactory.DYNAMODB);
        String region = (String) settings.getOrDefault("aws.region", "us-east-1");
        Map<Integer, Long> answers = new java.util.TreeMap<>();
        // The function's client counts its calls (WalletFactory); the twin's does too, on a counter of its own.
        try (DynamoDbClient client = PrimingTransport.client(region, List.of(new DynamoDbCallCounter()))) {
            answer(function, settings, client, setUp, answers);
            answer(function, settings, client, charges, answers);
        }
        return Map.copyOf(answers);
    }

    private static void answer(ApiHandler function, Map<String, Object> settings, DynamoDbClient client,
                               List<APIGatewayV2HTTPEvent> events, Map<Integer, Long> answers) {
        try (ApplicationContext context = WalletContexts.start(settings, client, NOWHERE)) {
            ApiHandler twin = ApiHandler.twin(function.getClass(), context);
            for (APIGatewayV2HTTPEvent event : events) {
                answers.merge(twin.handleRequest(event, PrimingLambdaContext.INSTANCE).getStatusCode(), 1L, Long::sum);
            }
        }
    }

    /** Balance events of the twin's accounts: built and checked as the function's are, published nowhere. */
    private static final class Nowhere implements BalanceEvents {
        @Override
        public void publish(List<BalanceEvent> events) {
            // The twin's accounts exist only in its transport.
        }
    }
}
