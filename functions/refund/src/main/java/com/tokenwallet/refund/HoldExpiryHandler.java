package com.tokenwallet.refund;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.tokenwallet.api.Emf;
import com.tokenwallet.api.FunctionHandler;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.domain.WalletException;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.service.WalletService;
import io.micronaut.context.ApplicationContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The expiry sweep, on an EventBridge schedule (every minute): writes the {@code expiry} ledger entries of holds
 * past their time, so {@code held} and the ledger never stay stale. Nothing waits on it: every read and write
 * already treats an expired hold as released. It stops well inside its timeout and the next run goes on.
 */
public class HoldExpiryHandler extends FunctionHandler<ScheduledEvent, String> {

    /** How long one run may work, far under the function's timeout. */
    static final Duration BUDGET = Duration.ofSeconds(40);
    static final int ACCOUNTS_PER_QUERY = 100;

    private final WalletService wallet;
    private final Clock clock;

    public HoldExpiryHandler() {
        this(WalletContexts.startForFunction());
    }

    public HoldExpiryHandler(ApplicationContext context) {
        super(context);
        this.wallet = context.getBean(WalletService.class);
        this.clock = context.getBean(Clock.class);
    }

    @Override
    protected String handle(ScheduledEvent event, Context lambdaContext) {
        return execute(event, lambdaContext == null ? null : lambdaContext.getAwsRequestId());
    }

    /**
     * One run, and its one JSON line: the request id (Lambda's, else the event's), the route ({@code schedule}),
     * the outcome ({@code ok}, or the error's code: the run then fails, and the next minute's run goes on), the
     * latency, and {@code HoldsExpired} as an EMF metric.
     */
    String execute(ScheduledEvent event, String requestId) {
        Instant started = clock.instant();
        int expired = 0;
        String outcome = "ok";
        RuntimeException failure = null;
        try {
            expired = wallet.sweepExpiredHolds(started.plus(BUDGET), ACCOUNTS_PER_QUERY);
        } catch (RuntimeException e) {
            failure = e;
            outcome = e instanceof WalletException walletException ? walletException.code() : "internal_error";
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", clock.instant().toString());
        line.put("level", failure == null ? "INFO" : "ERROR");
        line.put("function", "HoldExpiryHandler");
        line.put("requestId", requestId != null ? requestId : event == null || event.getId() == null ? "-" : event.getId());
        line.put("route", "schedule");
        line.put("event", event == null ? null : event.getId());
        line.put("outcome", outcome);
        line.put("holdsExpired", expired);
        line.put("latencyMs", Duration.between(started, clock.instant()).toMillis());
        if (failure != null) {
            line.put("error", failure.getClass().getName());
            line.put("errorMessage", String.valueOf(failure.getMessage()));
        }
        line.put("HoldsExpired", expired);
        line.put("_aws", Emf.metadata(java.util.List.of("function"), "HoldsExpired", "Count"));
        String json = StrictJson.write(line);
        System.out.println(json);
        if (failure != null) {
            throw failure;
        }
        return json;
    }
}
