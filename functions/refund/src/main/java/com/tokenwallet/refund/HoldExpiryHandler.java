package com.tokenwallet.refund;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.tokenwallet.api.Emf;
import com.tokenwallet.api.WalletContexts;
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
public class HoldExpiryHandler implements RequestHandler<ScheduledEvent, String> {

    /** How long one run may work, far under the function's timeout. */
    static final Duration BUDGET = Duration.ofSeconds(40);
    static final int ACCOUNTS_PER_QUERY = 100;

    private final WalletService wallet;
    private final Clock clock;

    public HoldExpiryHandler() {
        this(WalletContexts.startForFunction());
    }

    public HoldExpiryHandler(ApplicationContext context) {
        this.wallet = context.getBean(WalletService.class);
        this.clock = context.getBean(Clock.class);
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context lambdaContext) {
        return execute(event);
    }

    public String execute(ScheduledEvent event) {
        Instant started = clock.instant();
        int expired = wallet.sweepExpiredHolds(started.plus(BUDGET), ACCOUNTS_PER_QUERY);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", clock.instant().toString());
        line.put("level", "INFO");
        line.put("function", "HoldExpiryHandler");
        line.put("event", event == null ? null : event.getId());
        line.put("holdsExpired", expired);
        line.put("latencyMs", Duration.between(started, clock.instant()).toMillis());
        line.put("HoldsExpired", expired);
        line.put("_aws", Emf.metadata(java.util.List.of("function"), "HoldsExpired", "Count"));
        String json = StrictJson.write(line);
        System.out.println(json);
        return json;
    }
}
