package com.tokenwallet.refund;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.tokenwallet.api.Emf;
import com.tokenwallet.api.PrimingEvents;
import com.tokenwallet.api.SnapStartPriming;
import com.tokenwallet.api.CurrentInvocation;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.domain.WalletException;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.service.WalletService;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
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
public class HoldExpiryHandler extends MicronautRequestHandler<ScheduledEvent, String> {
    /** The Lambda context of the invocation running (null outside Lambda): see CurrentInvocation. */
    private final CurrentInvocation invocation;

    /** How long one run may work, far under the function's timeout. */
    static final Duration BUDGET = Duration.ofSeconds(40);
    static final int ACCOUNTS_PER_QUERY = 100;

    private final WalletService wallet;
    private final Clock clock;
    private final SnapStartPriming priming;

    public HoldExpiryHandler() {
        this(WalletContexts.startForFunction());
    }

    public HoldExpiryHandler(ApplicationContext context) {
        super(context);
        this.invocation = context.getBean(CurrentInvocation.class);
        this.wallet = context.getBean(WalletService.class);
        this.clock = context.getBean(Clock.class);
        this.priming = SnapStartPriming.register(this::prime, wallet::renewIdentifiers);
    }

    /**
     * Before the SnapStart snapshot: a store read of an account no one can open, and a run's line built (not
     * written); no hold is settled.
     */
    private void prime() {
        try {
            wallet.balance(AccountId.of(PrimingEvents.ACCOUNT));
        } catch (WalletException expected) {
            // Not found (or the store unreachable at deploy time): either way the read's code path ran.
        }
        line(null, "snapstart-priming", "ok", 0, null, clock.instant());
    }

    /** This function's SnapStart hooks. */
    public SnapStartPriming priming() {
        return priming;
    }

    /** Lambda's {@code handleRequest} (micronaut-function-aws's MicronautRequestHandler) arrives here; tests may call it. */
    @Override
    public final String execute(ScheduledEvent event) {
        Context lambdaContext = invocation.take();
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
        String json = line(event, requestId, outcome, expired, failure, started);
        System.out.println(json);
        if (failure != null) {
            throw failure;
        }
        return json;
    }

    private String line(ScheduledEvent event, String requestId, String outcome, int expired, RuntimeException failure, Instant started) {
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
        return StrictJson.write(line);
    }
}
