package com.tokenwallet.quotareset;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.tokenwallet.api.Emf;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.domain.port.AccountScan.Checkpoint;
import com.tokenwallet.domain.reset.QuotaReset;
import com.tokenwallet.domain.service.WalletService;
import io.micronaut.context.ApplicationContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The monthly quota reset, on an EventBridge schedule at 00:00 UTC on the 1st. One invocation works on every
 * scan segment in parallel threads until all are done or its time budget is spent; every segment keeps a
 * checkpoint, so the schedule's retries (or a rerun by hand) resume where it stopped and reset nothing twice.
 * Each run logs one JSON line with the counts, in CloudWatch embedded metric format (namespace TokenWallet).
 *
 * <p>Settings: {@code WALLET_RESET_SEGMENTS} (default 16), {@code WALLET_RESET_THREADS} (default 8).
 */
public class QuotaResetHandler implements RequestHandler<ScheduledEvent, String> {

    /** Left for the last checkpoint writes and the log line before Lambda's 15-minute limit. */
    static final Duration MARGIN = Duration.ofSeconds(60);
    static final Duration BUDGET_WITHOUT_CONTEXT = Duration.ofMinutes(13);

    private final QuotaReset reset;
    private final Clock clock;
    private final int segments;
    private final int threads;

    public QuotaResetHandler() {
        this(WalletContexts.startForFunction());
    }

    public QuotaResetHandler(ApplicationContext context) {
        this.clock = context.getBean(Clock.class);
        this.reset = new QuotaReset(context.getBean(AccountScan.class), context.getBean(WalletService.class), clock);
        this.segments = context.getProperty("wallet.reset.segments", Integer.class, 16);
        this.threads = context.getProperty("wallet.reset.threads", Integer.class, 8);
    }

    @Override
    public String handleRequest(ScheduledEvent event, Context lambdaContext) {
        Duration budget = lambdaContext == null ? BUDGET_WITHOUT_CONTEXT
                : Duration.ofMillis(lambdaContext.getRemainingTimeInMillis()).minus(MARGIN);
        String summary = run(clock.instant().plus(budget));
        if (summary.contains("\"complete\":false")) {
            // An error, so that Lambda's asynchronous retries (and then the dead-letter queue) run it again: each
            // run resumes from the checkpoints, so a month with more accounts than one run can do still finishes.
            throw new IllegalStateException("quota reset not complete within this run; it resumes on the retry: " + summary);
        }
        return summary;
    }

    /** Runs every segment until done or {@code deadline}; returns the JSON summary it logged. */
    public String run(Instant deadline) {
        Instant started = clock.instant();
        String job = reset.jobFor(started);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, segments));
        List<Checkpoint> results = new ArrayList<>();
        long failedSegments = 0;
        try {
            List<Future<Checkpoint>> futures = new ArrayList<>();
            for (int segment = 0; segment < segments; segment++) {
                int s = segment;
                futures.add(pool.submit(() -> reset.runSegment(job, s, segments, deadline)));
            }
            for (Future<Checkpoint> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    failedSegments++;
                    System.err.println("quota-reset: a segment failed and will resume on the next run: " + e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdownNow();
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", clock.instant().toString());
        line.put("level", failedSegments > 0 ? "ERROR" : "INFO");
        line.put("function", "QuotaResetHandler");
        line.put("job", job);
        line.put("segments", segments);
        line.put("segmentsDone", results.stream().filter(Checkpoint::done).count());
        line.put("segmentsFailed", failedSegments);
        line.put("AccountsSeen", results.stream().mapToLong(Checkpoint::seen).sum());
        line.put("AccountsReset", results.stream().mapToLong(Checkpoint::reset).sum());
        line.put("AccountsFailed", results.stream().mapToLong(Checkpoint::failed).sum());
        line.put("complete", results.size() == segments && results.stream().allMatch(Checkpoint::done));
        line.put("latencyMs", Duration.between(started, clock.instant()).toMillis());
        line.put("_aws", Emf.metadata(List.of("function"), "AccountsSeen", "Count", "AccountsReset", "Count", "AccountsFailed", "Count"));
        String json = StrictJson.write(line);
        System.out.println(json);
        return json;
    }
}
