package com.tokenwallet.refund;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.ApiHandler;
import com.tokenwallet.api.ApiRequest;
import com.tokenwallet.api.PrimingEvents;
import com.tokenwallet.api.ApiResponses;
import com.tokenwallet.api.Body;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.service.Results.Answer;
import io.micronaut.context.ApplicationContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** The function that gives tokens back: releasing holds and refunding debits and captures. */
public class RefundHandler extends ApiHandler {
    public static final String RELEASE = "POST /v1/accounts/{accountId}/holds/{holdId}/release";
    public static final String REFUNDS = "POST /v1/accounts/{accountId}/refunds";
    public static final Set<String> ROUTES = Set.of(RELEASE, REFUNDS);

    public RefundHandler() {
        super();
    }

    public RefundHandler(ApplicationContext context) {
        super(context);
    }

    /** A refund and a release for an account no one can open (SnapStartPriming): each finds nothing, 404. */
    @Override
    protected List<APIGatewayV2HTTPEvent> primingEvents() {
        return List.of(
                PrimingEvents.request(REFUNDS, Map.of(), "{\"transactionId\":\"tx_01KB0000000000000000000000\",\"amount\":1}"),
                PrimingEvents.request(RELEASE, Map.of("holdId", "hold_01KB0000000000000000000000"), "{}"));
    }

    @Override
    public Set<String> routes() {
        return ROUTES;
    }

    @Override
    protected APIGatewayV2HTTPResponse dispatch(ApiRequest request) {
        return switch (request.routeKey()) {
            case RELEASE -> release(request);
            case REFUNDS -> refund(request);
            default -> throw new IllegalStateException("routes() and dispatch() disagree on " + request.routeKey());
        };
    }

    private APIGatewayV2HTTPResponse release(ApiRequest request) {
        request.caller().requireCharge();
        AccountId id = request.accountId();
        String holdId = request.rawPathParameter("holdId");
        var idempotency = request.idempotency();
        request.jsonBody(true).allowOnly(Set.of());
        Answer answer = wallet.release(new HoldCommands.Release(id, holdId, idempotency), receipt -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("holdId", receipt.holdId());
            out.put("released", receipt.released());
            out.put("status", "released");
            out.put("available", receipt.available());
            return new StoredResponse(200, StrictJson.write(out));
        });
        return ApiResponses.stored(answer.response(), answer.replayed());
    }

    private APIGatewayV2HTTPResponse refund(ApiRequest request) {
        request.caller().requireCharge();
        AccountId id = request.accountId();
        var idempotency = request.idempotency();
        Body body = request.jsonBody(false).allowOnly(Set.of("transactionId", "amount", "reason"));
        Long amount = body.optionalWholeNumber("amount");
        var command = new HoldCommands.Refund(id, body.string("transactionId", 64),
                amount == null ? OptionalLong.empty() : OptionalLong.of(amount), body.string("reason", 256), idempotency);
        Answer answer = wallet.refund(command, receipt -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("refundId", receipt.entry().transactionId());
            out.put("transactionId", receipt.transactionId());
            out.put("amount", receipt.amount());
            if (receipt.lapsed() > 0) {
                out.put("lapsed", receipt.lapsed());
            }
            out.put("refundedTotal", receipt.refundedTotal());
            out.put("available", receipt.available());
            return new StoredResponse(201, StrictJson.write(out));
        });
        return ApiResponses.stored(answer.response(), answer.replayed());
    }
}
