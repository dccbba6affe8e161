package com.tokenwallet.bench.child;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.ApiProblem;
import com.tokenwallet.api.ApiRequest;
import com.tokenwallet.api.ApiResponses;
import com.tokenwallet.api.Body;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.WalletException;
import com.tokenwallet.domain.catalog.CatalogLoader;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.DebitCommand;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.service.Results.Answer;
import com.tokenwallet.domain.service.WalletService;
import com.tokenwallet.dynamodb.DynamoDbCallCounter;
import com.tokenwallet.dynamodb.DynamoDbClients;
import com.tokenwallet.dynamodb.DynamoDbWalletStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An experiment, not a proposal of code: the debit route of the debit function with the wallet's own classes
 * (ApiRequest, Body, WalletService, DynamoDbWalletStore, CatalogLoader, ApiResponses, StrictJson) wired by hand, as
 * WalletFactory wires them, and no Micronaut at all. The request handling is a copy of {@code ApiHandler.execute}
 * and {@code DebitHandler.debit}, with the same kind of JSON log line per request. It shows what the cold start
 * of the function's own code costs without a dependency-injection container.
 */
public final class PlainDebitHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final String DEBITS = "POST /v1/accounts/{accountId}/debits";

    private final DynamoDbCallCounter counter = new DynamoDbCallCounter();
    private final WalletService wallet;

    public PlainDebitHandler() {
        String endpoint = System.getenv("WALLET_DYNAMODB_ENDPOINT");
        var client = DynamoDbClients.create(endpoint == null || endpoint.isBlank() ? null : endpoint, System.getenv("AWS_REGION"), List.of(counter));
        this.wallet = new WalletService(new DynamoDbWalletStore(client, System.getenv("WALLET_TABLE")),
                CatalogLoader.load(System.getenv("WALLET_CATALOG")), Clock.systemUTC());
    }

    public DynamoDbCallCounter counter() {
        return counter;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        long started = System.nanoTime();
        APIGatewayV2HTTPResponse response;
        String outcome;
        try {
            if (!DEBITS.equals(event.getRouteKey())) {
                throw ApiProblem.routeNotFound(String.valueOf(event.getRouteKey()));
            }
            response = debit(ApiRequest.from(event));
            outcome = "ok";
        } catch (ApiProblem p) {
            response = ApiResponses.problem(p);
            outcome = p.code();
        } catch (WalletException e) {
            response = ApiResponses.problem(e);
            outcome = e.code();
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("level", "INFO");
        line.put("function", "PlainDebitHandler");
        line.put("requestId", event.getRequestContext().getRequestId());
        line.put("route", event.getRouteKey());
        line.put("status", response.getStatusCode());
        line.put("outcome", outcome);
        line.put("latencyMs", (System.nanoTime() - started) / 1_000_000.0);
        System.out.println(StrictJson.write(line));
        return response;
    }

    private APIGatewayV2HTTPResponse debit(ApiRequest request) {
        var id = request.accountId();
        request.caller().requireCharge();
        var idempotency = request.idempotency();
        Body body = request.jsonBody(false);
        ChargeRequest charge;
        if (body.has("operation")) {
            body.allowOnly(Set.of("operation", "params", "metadata"));
            charge = new ChargeRequest.ByOperation(body.string("operation", 64), body.optionalObject("params"));
        } else if (body.has("bucket") || body.has("amount")) {
            body.allowOnly(Set.of("bucket", "amount", "description", "metadata"));
            charge = new ChargeRequest.ByAmount(body.string("bucket", 64), body.wholeNumber("amount"),
                    body.string("description", Limits.MAX_DESCRIPTION_LENGTH));
        } else {
            throw new InvalidRequestException("operation", "Send either 'operation' (with 'params') or 'bucket', 'amount' and 'description'.");
        }
        DebitCommand command = new DebitCommand(id, charge, Metadata.of(body.raw("metadata")), idempotency);
        Answer answer = wallet.debit(command, receipt -> new StoredResponse(201, StrictJson.write(receipt(receipt.entry(), receipt.available()))));
        return ApiResponses.stored(answer.response(), answer.replayed());
    }

    private static Map<String, Object> receipt(LedgerEntry entry, long available) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("transactionId", entry.transactionId());
        out.put("accountId", entry.accountId().value());
        out.put("bucket", entry.bucket());
        out.put("amount", -entry.amount());
        out.put("fromAllowance", -entry.allowanceDelta());
        out.put("fromPurchased", -entry.purchasedDelta());
        out.put("available", available);
        if (entry.operation() != null) {
            out.put("operation", entry.operation());
        }
        out.put("createdAt", entry.createdAt().toString());
        return out;
    }
}
