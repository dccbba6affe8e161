package com.tokenwallet.debit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.ApiHandler;
import com.tokenwallet.api.ApiRequest;
import com.tokenwallet.api.PrimingEvents;
import com.tokenwallet.api.ApiResponses;
import com.tokenwallet.api.Body;
import com.tokenwallet.api.ChargeBodies;
import com.tokenwallet.api.Representations;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.command.DebitCommand;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.service.Results.Answer;
import com.tokenwallet.domain.service.Results.Opened;
import io.micronaut.context.ApplicationContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** The charging function: opening accounts, debiting them, and holds (reserve, then capture). */
public class DebitHandler extends ApiHandler {
    public static final String OPEN_ACCOUNT = "PUT /v1/accounts/{accountId}";
    public static final String DEBITS = "POST /v1/accounts/{accountId}/debits";
    public static final String HOLDS = "POST /v1/accounts/{accountId}/holds";
    public static final String CAPTURE = "POST /v1/accounts/{accountId}/holds/{holdId}/capture";
    public static final Set<String> ROUTES = Set.of(OPEN_ACCOUNT, DEBITS, HOLDS, CAPTURE);

    public DebitHandler() {
        super();
    }

    public DebitHandler(ApplicationContext context) {
        super(context);
    }

    /**
     * A debit, a hold and a capture for an account no one can open (SnapStartPriming): each reads the account and the
     * key, finds nothing, and answers 404. Never the open route, which would create the account.
     */
    @Override
    protected List<APIGatewayV2HTTPEvent> primingEvents() {
        return List.of(
                PrimingEvents.request(DEBITS, Map.of(), "{\"operation\":\"text_interview\",\"metadata\":{\"primed\":\"yes\"}}"),
                PrimingEvents.request(HOLDS, Map.of(), "{\"bucket\":\"credits\",\"amount\":1,\"description\":\"priming\",\"ttlSeconds\":60}"),
                PrimingEvents.request(CAPTURE, Map.of("holdId", "hold_01KB0000000000000000000000"), "{\"amount\":1}"));
    }

    /**
     * Accounts of priming's success path. Each is charged first (the read of an account the process has not seen,
     * then the write) and once more (the write alone): the first debit after a restore is always of an account the
     * process has not seen, so its read path must run often enough to be compiled (C1 compiles a method after about
     * 200 calls; with 50 accounts the unseen-account debits after priming still took about twice their steady CPU
     * time for the first few, measured in the benchmark's section 2b phases).
     */
    static final int LOCAL_ACCOUNTS = 250;
    /** Of those, the accounts also charged twice more, held, and replayed (the signup grant covers it). */
    static final int FULL_ACCOUNTS = 50;

    /** Opens the success path's accounts on the first twin (SnapStartPriming, ApiHandler.successPrimingSetUp). */
    @Override
    protected List<APIGatewayV2HTTPEvent> successPrimingSetUp() {
        List<APIGatewayV2HTTPEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < LOCAL_ACCOUNTS; i++) {
            events.add(PrimingEvents.request(OPEN_ACCOUNT, PrimingEvents.localAccount(i), Map.of(), null, "open-" + i));
        }
        return events;
    }

    /**
     * On the second twin, which has seen none of them: each account charged as a caller would, first (a read, then
     * the write) with an amount, then again (the write alone) with an operation's price; the first
     * {@link #FULL_ACCOUNTS} also twice more, then a hold and a replay of their first key.
     */
    @Override
    protected List<APIGatewayV2HTTPEvent> successPrimingEvents() {
        List<APIGatewayV2HTTPEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < LOCAL_ACCOUNTS; i++) {
            String account = PrimingEvents.localAccount(i);
            int charges = i < FULL_ACCOUNTS ? 4 : 2;
            for (int c = 0; c < charges; c++) {
                String body = c % 2 == 0 ? "{\"bucket\":\"credits\",\"amount\":1,\"description\":\"priming\"}"
                        : "{\"operation\":\"ai_chat\",\"metadata\":{\"primed\":\"yes\"}}";
                events.add(PrimingEvents.request(DEBITS, account, Map.of(), body, "debit-" + i + "-" + c));
            }
            if (i < FULL_ACCOUNTS) {
                events.add(PrimingEvents.request(HOLDS, account, Map.of(),
                        "{\"bucket\":\"credits\",\"amount\":1,\"description\":\"priming\",\"ttlSeconds\":60}", "hold-" + i));
                events.add(PrimingEvents.request(DEBITS, account, Map.of(),
                        "{\"bucket\":\"credits\",\"amount\":1,\"description\":\"priming\"}", "debit-" + i + "-0"));
            }
        }
        return events;
    }

    @Override
    public Set<String> routes() {
        return ROUTES;
    }

    @Override
    protected APIGatewayV2HTTPResponse dispatch(ApiRequest request) {
        return switch (request.routeKey()) {
            case OPEN_ACCOUNT -> open(request);
            case DEBITS -> debit(request);
            case HOLDS -> hold(request);
            case CAPTURE -> capture(request);
            default -> throw new IllegalStateException("routes() and dispatch() disagree on " + request.routeKey());
        };
    }

    private APIGatewayV2HTTPResponse open(ApiRequest request) {
        AccountId id = request.accountId();
        // Own account (wallet:read) or a trusted backend, the same rule as reads.
        request.caller().requireRead(id);
        if (id.value().equals(PrimingEvents.ACCOUNT)) {
            // Reserved: the functions prime themselves on it before a SnapStart snapshot, knowing it cannot exist.
            throw new InvalidRequestException("accountId", "This account id is reserved.");
        }
        Body body = request.jsonBody(true).allowOnly(Set.of("email"));
        Opened opened = wallet.open(new CreateAccountCommand(id, Optional.ofNullable(body.optionalString("email", Limits.MAX_EMAIL_LENGTH))));
        Map<String, Object> out = Representations.balance(opened.account());
        out.put("createdAt", opened.account().createdAt().toString());
        return ApiResponses.json(opened.created() ? 201 : 200, out);
    }

    private APIGatewayV2HTTPResponse debit(ApiRequest request) {
        request.caller().requireCharge();
        AccountId id = request.accountId();
        var idempotency = request.idempotency();
        Body body = request.jsonBody(false);
        ChargeRequest charge = ChargeBodies.charge(body, Set.of());
        DebitCommand command = new DebitCommand(id, charge, Metadata.of(body.raw("metadata")), idempotency);
        Answer answer = wallet.debit(command, receipt -> new StoredResponse(201, StrictJson.write(receipt(receipt.entry(), receipt.available(), receipt.consumed()))));
        return ApiResponses.stored(answer.response(), answer.replayed());
    }

    private APIGatewayV2HTTPResponse hold(ApiRequest request) {
        request.caller().requireCharge();
        AccountId id = request.accountId();
        var idempotency = request.idempotency();
        Body body = request.jsonBody(false);
        ChargeRequest charge = ChargeBodies.charge(body, Set.of("ttlSeconds"));
        Long ttl = body.optionalWholeNumber("ttlSeconds");
        var command = new HoldCommands.Hold(id, charge, ttl == null ? Limits.DEFAULT_HOLD_TTL_SECONDS : ttl,
                Metadata.of(body.raw("metadata")), idempotency);
        Answer answer = wallet.hold(command, receipt -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("holdId", receipt.hold().holdId());
            out.put("bucket", receipt.hold().bucket());
            out.put("amount", receipt.hold().amount());
            out.put("expiresAt", receipt.hold().expiresAt().toString());
            out.put("status", "pending");
            out.put("available", receipt.available());
            return new StoredResponse(201, StrictJson.write(out));
        });
        return ApiResponses.stored(answer.response(), answer.replayed());
    }

    private APIGatewayV2HTTPResponse capture(ApiRequest request) {
        request.caller().requireCharge();
        AccountId id = request.accountId();
        String holdId = request.rawPathParameter("holdId");
        var idempotency = request.idempotency();
        Body body = request.jsonBody(true).allowOnly(Set.of("amount"));
        Long amount = body.optionalWholeNumber("amount");
        var command = new HoldCommands.Capture(id, holdId, amount == null ? OptionalLong.empty() : OptionalLong.of(amount), idempotency);
        Answer answer = wallet.capture(command, receipt -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("holdId", receipt.holdId());
            out.put("transactionId", receipt.entry().transactionId());
            out.put("captured", receipt.captured());
            out.put("released", receipt.released());
            out.put("status", "captured");
            out.put("available", receipt.available());
            out.put("consumed", Representations.consumed(receipt.consumed()));
            return new StoredResponse(200, StrictJson.write(out));
        });
        return ApiResponses.stored(answer.response(), answer.replayed());
    }

    private static Map<String, Object> receipt(LedgerEntry entry, long available, java.util.List<com.tokenwallet.domain.account.Consumed> consumed) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("transactionId", entry.transactionId());
        out.put("accountId", entry.accountId().value());
        out.put("bucket", entry.bucket());
        out.put("amount", -entry.amount());
        out.put("fromAllowance", -entry.allowanceDelta());
        out.put("fromPurchased", -entry.purchasedDelta());
        out.put("available", available);
        out.put("consumed", Representations.consumed(consumed));
        if (entry.operation() != null) {
            out.put("operation", entry.operation());
        }
        out.put("createdAt", entry.createdAt().toString());
        return out;
    }
}
