package com.tokenwallet.check;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.ApiHandler;
import com.tokenwallet.api.ApiRequest;
import com.tokenwallet.api.PrimingEvents;
import com.tokenwallet.api.ApiResponses;
import com.tokenwallet.api.Body;
import com.tokenwallet.api.LedgerExport;
import com.tokenwallet.api.Representations;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.QuoteCommand;
import com.tokenwallet.domain.ledger.LedgerWindow;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.usage.LedgerHistory;
import com.tokenwallet.domain.service.Results.Quote;
import io.micronaut.context.ApplicationContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The read-only function: balances, lots, quotes, transaction history and its export, and the catalog. */
public class CheckHandler extends ApiHandler {
    public static final String BALANCE = "GET /v1/accounts/{accountId}/balance";
    public static final String QUOTES = "POST /v1/accounts/{accountId}/quotes";
    public static final String TRANSACTIONS = "GET /v1/accounts/{accountId}/transactions";
    public static final String EXPORT = "GET /v1/accounts/{accountId}/transactions/export";
    public static final String CATALOG = "GET /v1/catalog";
    public static final String LOTS = "GET /v1/accounts/{accountId}/lots";
    public static final Set<String> ROUTES = Set.of(BALANCE, QUOTES, TRANSACTIONS, EXPORT, CATALOG, LOTS);

    private final LedgerHistory history;

    public CheckHandler() {
        super();
        this.history = new LedgerHistory(getApplicationContext().getBean(WalletStore.class));
    }

    public CheckHandler(ApplicationContext context) {
        super(context);
        this.history = new LedgerHistory(context.getBean(WalletStore.class));
    }

    /** Every route, for an account no one can open (SnapStartPriming): reads only. */
    @Override
    protected List<APIGatewayV2HTTPEvent> primingEvents() {
        APIGatewayV2HTTPEvent export = PrimingEvents.request(EXPORT, Map.of(), null);
        export.setQueryStringParameters(Map.of("from", "2026-11-01", "to", "2026-11-02", "format", "csv"));
        APIGatewayV2HTTPEvent balanceAsOf = PrimingEvents.request(BALANCE, Map.of(), null);
        balanceAsOf.setQueryStringParameters(Map.of("asOf", "2026-11-01T00:00:00Z"));
        return List.of(
                PrimingEvents.request(BALANCE, Map.of(), null),
                balanceAsOf,
                PrimingEvents.request(QUOTES, Map.of(), "{\"operation\":\"text_interview\"}"),
                PrimingEvents.request(TRANSACTIONS, Map.of(), null),
                export,
                PrimingEvents.request(CATALOG, Map.of(), null),
                PrimingEvents.request(LOTS, Map.of(), null));
    }

    @Override
    public Set<String> routes() {
        return ROUTES;
    }

    @Override
    protected APIGatewayV2HTTPResponse dispatch(ApiRequest request) {
        return switch (request.routeKey()) {
            case BALANCE -> balance(request);
            case QUOTES -> quote(request);
            case TRANSACTIONS -> transactions(request);
            case EXPORT -> export(request);
            case CATALOG -> catalog(request);
            case LOTS -> lots(request);
            default -> throw new IllegalStateException("routes() and dispatch() disagree on " + request.routeKey());
        };
    }

    /**
     * Now, or with {@code ?asOf=<instant>} as the ledger had it then (issue 15): one read of the ledger up to the
     * instant. A future or malformed instant answers 400 on {@code asOf}.
     */
    private APIGatewayV2HTTPResponse balance(ApiRequest request) {
        AccountId id = request.accountId();
        request.caller().requireRead(id);
        if (request.query("asOf") != null) {
            return ApiResponses.json(200, Representations.balanceAsOf(wallet.balanceAsOf(id, request.timeQuery("asOf"))));
        }
        return ApiResponses.json(200, Representations.balance(wallet.balance(id)));
    }

    private APIGatewayV2HTTPResponse lots(ApiRequest request) {
        AccountId id = request.accountId();
        request.caller().requireRead(id);
        return ApiResponses.json(200, Representations.lots(wallet.lots(id)));
    }

    private APIGatewayV2HTTPResponse quote(ApiRequest request) {
        AccountId id = request.accountId();
        request.caller().requireRead(id);
        Body body = request.jsonBody(false).allowOnly(Set.of("operation", "params"));
        Quote quote = wallet.quote(new QuoteCommand(id,
                new ChargeRequest.ByOperation(body.string("operation", 64), body.optionalObject("params"))));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("operation", quote.operation());
        out.put("bucket", quote.bucket());
        out.put("cost", quote.cost());
        out.put("available", quote.available());
        out.put("affordable", quote.affordable());
        return ApiResponses.json(200, out);
    }

    private APIGatewayV2HTTPResponse transactions(ApiRequest request) {
        AccountId id = request.accountId();
        request.caller().requireRead(id);
        int limit = Limits.DEFAULT_PAGE_SIZE;
        String rawLimit = request.query("limit");
        if (rawLimit != null) {
            if (!rawLimit.matches("^[0-9]{1,3}$") || Integer.parseInt(rawLimit) < 1 || Integer.parseInt(rawLimit) > Limits.MAX_PAGE_SIZE) {
                throw new InvalidRequestException("limit", "'limit' must be a whole number from 1 to " + Limits.MAX_PAGE_SIZE + ".");
            }
            limit = Integer.parseInt(rawLimit);
        }
        var page = wallet.transactions(id, limit, Representations.decodeCursor(request.query("cursor")));
        return ApiResponses.json(200, Representations.page(page));
    }

    /**
     * {@code ?from=&to=&format=csv|jsonl}: every entry whose transaction was made in {@code [from, to)}, oldest first,
     * as a download. Windows that meet hold every entry exactly once between them; at most 92 days and 10,000 entries
     * (and 5 MB) per call, else 400 on {@code to}.
     */
    private APIGatewayV2HTTPResponse export(ApiRequest request) {
        AccountId id = request.accountId();
        request.caller().requireRead(id);
        LedgerExport.Format format = LedgerExport.Format.fromQuery(request.query("format"));
        LedgerWindow window = new LedgerWindow(request.timeQuery("from"), request.timeQuery("to"));
        LedgerExport export = new LedgerExport(format);
        history.export(id, window, export::add);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", format.contentType());
        headers.put("Content-Disposition", "attachment; filename=\"" + id.value() + "-transactions." + format.extension() + "\"");
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withHeaders(headers).withBody(export.body()).build();
    }

    private APIGatewayV2HTTPResponse catalog(ApiRequest request) {
        request.caller().requireAnyWalletScope();
        return ApiResponses.json(200, Representations.catalog(wallet.catalog()));
    }
}
