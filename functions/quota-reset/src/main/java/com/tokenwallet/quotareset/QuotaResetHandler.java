package com.tokenwallet.quotareset;

import com.amazonaws.services.lambda.runtime.Context;
import com.tokenwallet.api.CurrentInvocation;
import com.tokenwallet.api.Emf;
import com.tokenwallet.api.PrimingEvents;
import com.tokenwallet.api.SnapStartPriming;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.domain.reset.QuotaReset;
import com.tokenwallet.domain.reset.QuotaReset.Progress;
import com.tokenwallet.domain.reset.QuotaReset.SegmentState;
import com.tokenwallet.domain.reset.QuotaReset.Step;
import com.tokenwallet.domain.service.WalletService;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The monthly quota reset's worker, run by the state machine infra/statemachines/quota-reset.asl.json (AWS Step Functions):
 * each invocation is one turn of one segment's loop ({@link WorkerEvents}: the segment's state in, its cursor and
 * counts out), working page by page for at most {@link #TURN} and returning. It invokes nothing and keeps no state
 * of its own: the state machine holds the cursor, loops until the segment is done, retries a failed turn from the
 * cursor it gave, and sums the segments into the job's summary ({@code "action": "summary"}, also this function).
 *
 * <p>The local runner's schedule (an EventBridge scheduled event, or any event that is neither) runs the whole job
 * in this process on the embedded store, segments looped the same way ({@link QuotaReset#runInProcess}), and
 * answers with the summary.
 *
 * <p>Every turn writes one JSON line in CloudWatch embedded metric format (namespace TokenWallet) with its own
 * counts as the metrics AccountsSeen, AccountsReset, AccountsSkipped, AccountsFailed and SegmentsDone.
 *
 * <p>Settings: {@code WALLET_RESET_SEGMENTS} (local runs only; the state machine has its own, default 32),
 * {@code WALLET_RESET_THREADS} (default 4), {@code WALLET_RESET_ACCOUNTS_PER_SECOND} (per worker, default 160; 0
 * for no limit), {@code WALLET_RESET_PAGE_ITEMS} (default 1,000).
 */
public class QuotaResetHandler extends MicronautRequestHandler<Map<String, Object>, String> {
    /** One turn's working time: well within the function's timeout (300 s in template.yaml). */
    public static final Duration TURN = Duration.ofMinutes(3);
    /** Left for the last page where a Lambda context says how much time is left. */
    public static final Duration MARGIN = Duration.ofSeconds(60);
    static final int DEFAULT_SEGMENTS = 32;
    static final int DEFAULT_THREADS = 4;
    /** Per worker: 32 of them at 160 a second write about 30,000 WCU a second (infra/QUOTA-RESET.md). */
    static final double DEFAULT_ACCOUNTS_PER_SECOND = 160;
    /** As the state machine's Retry on a failed turn (States.TaskFailed MaxAttempts). */
    static final int LOCAL_RETRIES = 3;

    private final CurrentInvocation invocation;
    private final QuotaReset reset;
    private final Clock clock;
    private final int segments;
    private final SnapStartPriming priming;

    public QuotaResetHandler() {
        this(WalletContexts.startForFunction());
    }

    public QuotaResetHandler(ApplicationContext context) {
        super(context);
        this.invocation = context.getBean(CurrentInvocation.class);
        this.clock = context.getBean(Clock.class);
        this.segments = context.getProperty("wallet.reset.segments", Integer.class, DEFAULT_SEGMENTS);
        QuotaReset.Settings settings = new QuotaReset.Settings(
                context.getProperty("wallet.reset.threads", Integer.class, DEFAULT_THREADS),
                context.getProperty("wallet.reset.page-items", Integer.class, QuotaReset.DEFAULT_PAGE_ITEMS),
                context.getProperty("wallet.reset.accounts-per-second", Double.class, DEFAULT_ACCOUNTS_PER_SECOND));
        if (settings.longestPace().compareTo(MARGIN.dividedBy(2)) > 0) {
            throw new IllegalArgumentException("at " + settings.accountsPerSecond() + " accounts a second a page of " + settings.pageItems()
                    + " items could take " + settings.longestPace().toSeconds() + " s, more than half the " + MARGIN.toSeconds()
                    + " s left after the last page: raise the rate or lower the page");
        }
        WalletService wallet = context.getBean(WalletService.class);
        this.reset = new QuotaReset(context.getBean(AccountScan.class), wallet, clock, settings);
        this.priming = SnapStartPriming.register(() -> prime(wallet), wallet::renewIdentifiers);
    }

    /** Before the SnapStart snapshot: a turn's and a summary's input read, an account no one can open read, a line built. */
    private void prime(WalletService wallet) {
        WorkerEvents.segment(WorkerEvents.map(SegmentState.start("quota-reset#0000-01", 0, 1)));
        WorkerEvents.summary(Map.of("action", WorkerEvents.SUMMARY, "job", "quota-reset#0000-01", "totalSegments", 1, "segments", List.of()));
        try {
            wallet.balance(AccountId.of(PrimingEvents.ACCOUNT));
        } catch (RuntimeException expected) {
            // Not found (or the store unreachable at deploy time): either way the read's code path ran.
        }
        Map<String, Object> line = line("INFO", "segment", "quota-reset#0000-01", null);
        line.put("_aws", Emf.metadata(List.of("function"), "AccountsSeen", "Count"));
        StrictJson.write(line);
    }

    public SnapStartPriming priming() {
        return priming;
    }

    @Override
    public final String execute(Map<String, Object> event) {
        Context lambdaContext = invocation.take();
        if (WorkerEvents.isSummary(event)) {
            return summary(event, lambdaContext);
        }
        if (WorkerEvents.isSegment(event)) {
            return turn(WorkerEvents.segment(event), lambdaContext);
        }
        return runInProcess(lambdaContext);
    }

    /** One turn of a segment's loop: its state after the pages there was time for. */
    private String turn(SegmentState from, Context lambdaContext) {
        Instant started = clock.instant();
        Instant deadline = started.plus(TURN);
        BooleanSupplier timeLeft = lambdaContext == null
                ? () -> clock.instant().isBefore(deadline)
                : () -> clock.instant().isBefore(deadline) && lambdaContext.getRemainingTimeInMillis() > MARGIN.toMillis();
        Step step;
        try {
            step = reset.step(from, timeLeft);
        } catch (RuntimeException e) {
            Map<String, Object> line = segmentLine("ERROR", from, lambdaContext);
            line.put("outcome", "failed");
            line.put("error", e.getClass().getSimpleName());
            line.put("message", String.valueOf(e.getMessage()));
            line.put("latencyMs", Duration.between(started, clock.instant()).toMillis());
            log(line);
            // Thrown: the state machine's Retry runs the turn again from the same cursor.
            throw e;
        }
        SegmentState to = step.state();
        Map<String, Object> line = segmentLine(to.failed() > from.failed() ? "WARN" : "INFO", from, lambdaContext);
        line.put("outcome", to.done() ? "done" : "more");
        line.put("pages", step.pages());
        line.put("AccountsSeen", to.seen() - from.seen());
        line.put("AccountsReset", to.reset() - from.reset());
        line.put("AccountsSkipped", to.skipped() - from.skipped());
        line.put("AccountsFailed", to.failed() - from.failed());
        line.put("SegmentsDone", to.done() && !from.done() ? 1 : 0);
        line.put("latencyMs", Duration.between(started, clock.instant()).toMillis());
        line.put("_aws", Emf.metadata(List.of("function"), "AccountsSeen", "Count", "AccountsReset", "Count",
                "AccountsSkipped", "Count", "AccountsFailed", "Count", "SegmentsDone", "Count"));
        log(line);
        return StrictJson.write(WorkerEvents.map(to));
    }

    /**
     * The job's summary (the execution's output), with the segments not done as {@code unfinished}: the state
     * machine runs those again from their last cursor.
     */
    private String summary(Map<String, Object> event, Context lambdaContext) {
        List<SegmentState> states = WorkerEvents.states(event);
        Progress progress = WorkerEvents.summary(event);
        Map<String, Object> line = summaryLine(progress, lambdaContext);
        line.put("unfinished", states.stream().filter(s -> !s.done()).map(WorkerEvents::map).toList());
        return log(line);
    }

    /** The local runner's schedule: the whole job here, on the embedded store, and its summary. */
    private String runInProcess(Context lambdaContext) {
        Instant started = clock.instant();
        String job = reset.jobFor(started);
        int before = (int) reset.segmentsDone(job);
        Progress progress = reset.runInProcess(job, segments, segments, LOCAL_RETRIES, TURN);
        Map<String, Object> summary = summaryLine(progress, lambdaContext);
        summary.put("dispatched", progress.totalSegments() - before);
        summary.put("alreadyDone", before);
        summary.put("latencyMs", Duration.between(started, clock.instant()).toMillis());
        return log(summary);
    }

    private Map<String, Object> summaryLine(Progress progress, Context lambdaContext) {
        Map<String, Object> summary = line(progress.complete() && progress.failed() == 0 ? "INFO" : "WARN", "job", progress.job(), lambdaContext);
        summary.put("segments", progress.totalSegments());
        summary.put("segmentsDone", progress.segmentsDone());
        summary.put("AccountsSeen", progress.seen());
        summary.put("AccountsReset", progress.reset());
        summary.put("AccountsSkipped", progress.skipped());
        summary.put("AccountsFailed", progress.failed());
        summary.put("complete", progress.complete());
        return summary;
    }

    private Map<String, Object> segmentLine(String level, SegmentState state, Context lambdaContext) {
        Map<String, Object> line = line(level, "segment", state.job(), lambdaContext);
        line.put("segment", state.segment());
        line.put("totalSegments", state.totalSegments());
        return line;
    }

    private Map<String, Object> line(String level, String role, String job, Context lambdaContext) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", clock.instant().toString());
        line.put("level", level);
        if (lambdaContext != null && lambdaContext.getAwsRequestId() != null) {
            line.put("requestId", lambdaContext.getAwsRequestId());
        }
        line.put("function", "QuotaResetHandler");
        line.put("role", role);
        line.put("job", job);
        return line;
    }

    private static String log(Map<String, Object> line) {
        String json = StrictJson.write(line);
        System.out.println(json);
        return json;
    }
}
