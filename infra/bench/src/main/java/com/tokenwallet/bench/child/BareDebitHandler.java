package com.tokenwallet.bench.child;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.dynamodb.DynamoDbCallCounter;
import com.tokenwallet.dynamodb.DynamoDbClients;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * The floor the debit function is compared with: a plain aws-lambda-java-core {@link RequestHandler} that debits
 * with the SDK alone. It builds its client the way the wallet does ({@link DynamoDbClients#create}, the same
 * call-counting interceptor) and makes the same calls as the debit function's first debit in a fresh process: one
 * {@code BatchGetItem} of the account and the idempotency key (a fresh process cannot know the account's version),
 * then the same {@code TransactWriteItems} ({@link RawDebits}). It checks the scope, the key and the body as little
 * as a handler can; it knows only the custom-amount body the bench sends.
 */
public final class BareDebitHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final DynamoDbCallCounter counter = new DynamoDbCallCounter();
    private final DynamoDbClient client;
    private final String table;

    public BareDebitHandler() {
        this.table = System.getenv("WALLET_TABLE");
        String endpoint = System.getenv("WALLET_DYNAMODB_ENDPOINT");
        this.client = DynamoDbClients.create(endpoint == null || endpoint.isBlank() ? null : endpoint,
                System.getenv("AWS_REGION"), List.of(counter));
    }

    public DynamoDbCallCounter counter() {
        return counter;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        long started = System.nanoTime();
        var jwt = event.getRequestContext().getAuthorizer().getJwt();
        String scope = jwt.getClaims().get("scope");
        if (scope == null || !(" " + scope + " ").contains(" wallet:charge ")) {
            return answer(403, "{\"code\":\"forbidden\"}");
        }
        String accountId = event.getPathParameters().get("accountId");
        String key = header(event, "idempotency-key");
        if (key == null) {
            return answer(400, "{\"code\":\"invalid_request\"}");
        }
        String body = event.getBody();
        String bucket = stringField(body, "bucket");
        long amount = Long.parseLong(numberField(body, "amount"));
        String description = stringField(body, "description");
        String fingerprint = RawDebits.fingerprint(event.getRouteKey(), accountId, body);

        BatchGetItemResponse read = client.batchGetItem(b -> b.requestItems(Map.of(table, KeysAndAttributes.builder()
                        .keys(RawDebits.accountKey(accountId), RawDebits.idempotencyKey(accountId, key)).consistentRead(true).build()))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        if (read.hasUnprocessedKeys() && !read.unprocessedKeys().isEmpty()) {
            return answer(503, "{\"code\":\"store_unavailable\"}");
        }
        Map<String, AttributeValue> account = null;
        for (Map<String, AttributeValue> item : read.responses().getOrDefault(table, List.of())) {
            if (item.get("SK").s().equals(RawDebits.ACCOUNT_SK)) {
                account = item;
            } else {
                return answer(Integer.parseInt(item.get("statusCode").n()), item.get("body").s());
            }
        }
        if (account == null) {
            return answer(404, "{\"code\":\"account_not_found\"}");
        }
        RawDebits.Prepared debit = RawDebits.prepare(table, account, bucket, amount, description, key, fingerprint, Instant.now());
        client.transactWriteItems(debit.request());
        System.out.println("{\"function\":\"BareDebitHandler\",\"route\":\"" + event.getRouteKey() + "\",\"status\":201,\"latencyMs\":"
                + (System.nanoTime() - started) / 1_000_000.0 + "}");
        return answer(201, debit.responseBody());
    }

    private static APIGatewayV2HTTPResponse answer(int status, String body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                .withHeaders(Map.of("content-type", "application/json")).withBody(body).build();
    }

    private static String header(APIGatewayV2HTTPEvent event, String name) {
        for (Map.Entry<String, String> h : event.getHeaders().entrySet()) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    private static String stringField(String json, String name) {
        int at = json.indexOf("\"" + name + "\":\"");
        if (at < 0) {
            throw new IllegalArgumentException("no " + name);
        }
        int start = at + name.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }

    private static String numberField(String json, String name) {
        int at = json.indexOf("\"" + name + "\":");
        if (at < 0) {
            throw new IllegalArgumentException("no " + name);
        }
        int start = at + name.length() + 3;
        int end = start;
        while (end < json.length() && (Character.isDigit(json.charAt(end)) || json.charAt(end) == '-')) {
            end++;
        }
        return json.substring(start, end);
    }
}
