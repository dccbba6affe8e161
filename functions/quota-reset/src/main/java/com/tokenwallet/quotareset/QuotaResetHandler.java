package com.tokenwallet.quotareset;

import com.amazonaws.services.lambda.runtime.Context;
import com.tokenwallet.api.Emf;
import com.tokenwallet.api.PrimingEvents;
import com.tokenwallet.api.SnapStartPriming;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.api.CurrentInvocation;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.domain.port.SegmentDispatcher;
import com.tokenwallet.domain.port.SegmentDispatcher.DispatchFailedException;
import com.tokenwallet.domain.port.SegmentDispatcher.SegmentTask;
import com.tokenwallet.domain.reset.QuotaReset;
import com.tokenwallet.domain.reset.QuotaReset.Coordination;
import com.tokenwallet.domain.reset.QuotaReset.Progress;
import com.tokenwallet.domain.reset.QuotaReset.SegmentRun;
import com.tokenwallet.domain.service.WalletService;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.MicronautRequestHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The monthly quota reset, fanned out over invocations of this one function. The EventBridge schedule (00:00 UTC
 * on the 1st) invokes it as the coordinator, which dispatches one asynchronous invocation per scan segment not
 * done yet; each of those works on its segment from the checkpoint until the segment is done or its time is
 * nearly up, then hands the rest to a fresh invocation of itself. The input is a plain map, since the function
 * receives two kinds of events: the schedule's and {@link SegmentPayload}'s.
 *
 * <p>Every invocation writes one JSON line in CloudWatch embedded metric format (namespace TokenWallet): a
 * worker's carries its own counts as the metrics AccountsSeen, AccountsReset, AccountsSkipped, AccountsFailed and
 * SegmentsDone (so they add up over a job), and its segment's totals so far; the coordinator's says how many
 * segments it dispatched and how many were already done.
 *
 * <p>Settings: {@code WALLET_RESET_SEGMENTS} (default 32), {@code WALLET_RESET_THREADS} (accounts rolled over at
 * once by one worker, default 4), {@code WALLET_RESET_ACCOUNTS_PER_SECOND} (at most, per worker, default 160; 0
 * for no limit), {@code WALLET_RESET_PAGE_ITEMS} (items per scan call, default 1,000).
 */
public class QuotaResetHandler extends MicronautRequestHandler<Map<String, Object>, String> {
    /** The Lambda context of the invocation running (null outside Lambda): see CurrentInvocation. */
    private final CurrentInvocation invocation;

    /** Left for the last page's writes, its checkpoint and the hand-over before Lambda's 15-minute limit. */
    static final Duration MARGIN = Duration.ofSeconds(60);
    /** A worker's time where no Lambda context says how much is left (the local runner, tests). */
    static final Duration BUDGET_WITHOUT_CONTEXT = Duration.ofMinutes(13);
    static final int DEFAULT_SEGMENTS = 32;
    static final int DEFAULT_THREADS = 4;
    /** Per worker: 32 of them at 160 a second write about 30,000 WCU a second (infra/QUOTA-RESET.md). */
    static final double DEFAULT_ACCOUNTS_PER_SECOND = 160;

    private final QuotaReset reset;
    private final Clock clock;
    private final int segments;
    /** The dispatcher when segments run in this process, so that a scheduled run can wait for them; else null. */
    private final InProcessSegmentDispatcher inProcess;
    private final SnapStartPriming priming;

    /** In Lambda: segments are dispatched as asynchronous invocations of this function. */
    public QuotaResetHandler() {
        this(WalletContexts.startForFunction(), LambdaSegmentDispatcher.fromEnvironment());
    }

    /**
     * For the local runner, the benchmark and tests: segments run in this process, and a scheduled run waits for
     * them and answers with the job's outcome.
     */
    public QuotaResetHandler(ApplicationContext context) {
        this(context, new InProcessSegmentDispatcher(segments(context) + 2));
    }

    public QuotaResetHandler(ApplicationContext context, SegmentDispatcher dispatcher) {
        super(context);
        this.invocation = context.getBean(CurrentInvocation.class);
        this.clock = context.getBean(Clock.class);
        this.segments = segments(context);
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
        this.reset = new QuotaReset(context.getBean(AccountScan.class), wallet, dispatcher, clock, settings);
        this.priming = SnapStartPriming.register(() -> prime(wallet), wallet::renewIdentifiers);
        this.inProcess = dispatcher instanceof InProcessSegmentDispatcher local ? local : null;
        if (inProcess != null) {
            inProcess.deliverTo(task -> work(task, null));
        }
    }

    /**
     * Before the SnapStart snapshot: a scheduled event and a segment's payload read, the progress of a job that
     * cannot exist read from the store (its checkpoints), an account no one can open read, and a line built (not
     * written). Nothing is dispatched or written.
     */
    private void prime(WalletService wallet) {
        Map<String, Object> schedule = new LinkedHashMap<>(Map.of("version", "0", "id", "snapstart-priming",
                "detail-type", "Scheduled Event", "source", "aws.scheduler", "detail", Map.of()));
        SegmentPayload.task(schedule);
        SegmentPayload.task(SegmentPayload.map(new SegmentTask("quota-reset#0000-01", 0, 1, "snapstart-priming", 0)));
        try {
            reset.progress("quota-reset#0000-01", 1);
            wallet.balance(AccountId.of(PrimingEvents.ACCOUNT));
        } catch (RuntimeException expected) {
            // Not found (or the store unreachable at deploy time): either way the reads' code path ran.
        }
        Map<String, Object> line = line("INFO", "coordinator", "quota-reset#0000-01", null);
        line.put("_aws", Emf.metadata(List.of("function"), "SegmentsDispatched", "Count"));
        StrictJson.write(line);
    }

    /** This function's SnapStart hooks. */
    public SnapStartPriming priming() {
        return priming;
    }

    private static int segments(ApplicationContext context) {
        return context.getProperty("wallet.reset.segments", Integer.class, DEFAULT_SEGMENTS);
    }

    /** Lambda's {@code handleRequest} (micronaut-function-aws's MicronautRequestHandler) arrives here; tests may call it. */
    @Override
    public final String execute(Map<String, Object> event) {
        Context lambdaContext = invocation.take();
        Optional<SegmentTask> task = SegmentPayload.task(event);
        return task.isPresent() ? work(task.get(), lambdaContext) : coordinate(lambdaContext);
    }

    /** The schedule's turn: one dispatch per segment not done yet (all of them on the 1st, the rest on a rerun). */
    private String coordinate(Context lambdaContext) {
        Instant started = clock.instant();
        String job = reset.jobFor(started);
        Coordination coordination;
        try {
            coordination = reset.coordinate(job, segments);
        } catch (DispatchFailedException e) {
            Map<String, Object> line = line("ERROR", "coordinator", job, lambdaContext);
            dispatchFailed(line, e, started);
            log(line);
            // Thrown, so that Lambda retries the schedule's invocation (it dispatches the segments not done yet) and
            // then sends it to the failure queue, whose alarm says so.
            throw e;
        }
        Map<String, Object> line = line("INFO", "coordinator", job, lambdaContext);
        line.put("segments", coordination.totalSegments());
        line.put("dispatched", coordination.dispatched());
        line.put("alreadyDone", coordination.alreadyDone());
        line.put("complete", coordination.dispatched() == 0);
        line.put("SegmentsDispatched", coordination.dispatched());
        line.put("latencyMs", Duration.between(started, clock.instant()).toMillis());
        line.put("_aws", Emf.metadata(List.of("function"), "SegmentsDispatched", "Count"));
        String json = log(line);
        if (inProcess == null) {
            return json;
        }
        // Here the segments run in this process: wait for them, so that whoever fired the schedule sees the outcome.
        boolean idle;
        try {
            idle = inProcess.awaitIdle(BUDGET_WITHOUT_CONTEXT.plus(MARGIN));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            idle = false;
        }
        Progress progress = reset.progress(job, segments);
        Map<String, Object> summary = line(idle && progress.complete() ? "INFO" : "WARN", "job", job, lambdaContext);
        summary.put("segments", progress.totalSegments());
        summary.put("segmentsDone", progress.segmentsDone());
        summary.put("dispatched", coordination.dispatched());
        summary.put("alreadyDone", coordination.alreadyDone());
        summary.put("AccountsSeen", progress.seen());
        summary.put("AccountsReset", progress.reset());
        summary.put("AccountsSkipped", progress.skipped());
        summary.put("AccountsFailed", progress.failed());
        summary.put("complete", progress.complete());
        summary.put("latencyMs", Duration.between(started, clock.instant()).toMillis());
        return log(summary);
    }

    /** A segment's turn: work from its checkpoint until done or nearly out of time, then hand over. */
    private String work(SegmentTask task, Context lambdaContext) {
        Instant started = clock.instant();
        BooleanSupplier timeLeft;
        Instant leaseUntil;
        if (lambdaContext == null) {
            Instant deadline = started.plus(BUDGET_WITHOUT_CONTEXT);
            timeLeft = () -> clock.instant().isBefore(deadline);
            leaseUntil = deadline.plus(MARGIN);
        } else {
            // The lease lasts as long as this invocation can: Lambda ends it by then at the latest.
            timeLeft = () -> lambdaContext.getRemainingTimeInMillis() > MARGIN.toMillis();
            leaseUntil = started.plusMillis(lambdaContext.getRemainingTimeInMillis());
        }
        SegmentRun run;
        try {
            run = reset.work(task, timeLeft, leaseUntil);
        } catch (DispatchFailedException e) {
            // The segment's checkpoint is saved; its hand-over to a fresh invocation was refused.
            Map<String, Object> line = segmentLine("ERROR", task, lambdaContext);
            dispatchFailed(line, e, started);
            log(line);
            throw e;
        } catch (RuntimeException e) {
            Map<String, Object> line = segmentLine("ERROR", task, lambdaContext);
            line.put("outcome", "failed");
            line.put("error", e.getClass().getSimpleName());
            line.put("message", String.valueOf(e.getMessage()));
            line.put("latencyMs", Duration.between(started, clock.instant()).toMillis());
            log(line);
            // Thrown, so that Lambda retries this invocation (the same ticket takes the lease back) and then sends
            // it to the dead-letter destination.
            throw e;
        }
        boolean warn = run.outcome() == QuotaReset.Outcome.LEASE_LOST || run.failed() > 0;
        Map<String, Object> line = segmentLine(warn ? "WARN" : "INFO", task, lambdaContext);
        line.put("outcome", run.outcome().name().toLowerCase(Locale.ROOT));
        line.put("done", run.checkpoint().map(AccountScan.Checkpoint::done).orElse(false));
        line.put("pages", run.pages());
        line.put("AccountsSeen", run.seen());
        line.put("AccountsReset", run.reset());
        line.put("AccountsSkipped", run.skipped());
        line.put("AccountsFailed", run.failed());
        line.put("SegmentsDone", run.outcome() == QuotaReset.Outcome.DONE ? 1 : 0);
        run.checkpoint().ifPresent(c -> {
            Map<String, Object> totals = new LinkedHashMap<>();
            totals.put("seen", c.seen());
            totals.put("reset", c.reset());
            totals.put("skipped", c.skipped());
            totals.put("failed", c.failed());
            line.put("segmentTotals", totals);
        });
        line.put("latencyMs", Duration.between(started, clock.instant()).toMillis());
        line.put("_aws", Emf.metadata(List.of("function"), "AccountsSeen", "Count", "AccountsReset", "Count",
                "AccountsSkipped", "Count", "AccountsFailed", "Count", "SegmentsDone", "Count"));
        return log(line);
    }

    /** A refused dispatch: its outcome, what was refused and why, and the metric DispatchFailures. */
    private void dispatchFailed(Map<String, Object> line, DispatchFailedException e, Instant started) {
        line.put("outcome", "dispatch_failed");
        line.put("dispatchedSegment", e.task().segment());
        line.put("error", e.getCause() == null ? e.getClass().getSimpleName() : e.getCause().getClass().getSimpleName());
        line.put("message", String.valueOf(e.getMessage()));
        line.put("latencyMs", Duration.between(started, clock.instant()).toMillis());
        line.put("DispatchFailures", 1);
        line.put("_aws", Emf.metadata(List.of("function"), "DispatchFailures", "Count"));
    }

    private Map<String, Object> segmentLine(String level, SegmentTask task, Context lambdaContext) {
        Map<String, Object> line = line(level, "segment", task.job(), lambdaContext);
        line.put("segment", task.segment());
        line.put("totalSegments", task.totalSegments());
        line.put("handovers", task.handovers());
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
