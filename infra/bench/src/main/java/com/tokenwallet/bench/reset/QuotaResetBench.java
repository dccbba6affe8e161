package com.tokenwallet.bench.reset;

import com.sun.management.OperatingSystemMXBean;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.quotareset.QuotaResetHandler;
import io.micronaut.context.ApplicationContext;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Section 3r: accounts per second through the monthly reset, the worker (QuotaResetHandler) driven turn by turn as
 * infra/statemachines/quota-reset.asl.json drives it ({@link ResetStateMachine}), against {@link RawQuotaReset}, a
 * plain loop sending the same DynamoDB requests (QuotaResetShapesTest), on the same fake DynamoDB, with the same
 * concurrency (segments at once, writer threads per segment, the next page after the page's writes). Each run resets
 * a freshly seeded table of {@link ResetFixture} accounts (seeding and the worker's wiring are not timed). Warm-up
 * pairs (discarded), then {@code rounds} pairs alternating which side goes first; the medians are compared, and each
 * pair's ratio shown.
 */
public final class QuotaResetBench {
    public static final double TARGET = 0.9;

    /** The section's settings, from system properties. */
    public record Settings(int accounts, int segments, int threads, int pageItems, int pagesPerTurn, int rounds, int warmupPairs, int seconds) {
        public static Settings fromSystemProperties() {
            return new Settings(Integer.getInteger("bench.resetAccounts", 4_000), Integer.getInteger("bench.resetSegments", 4),
                    Integer.getInteger("bench.resetThreads", 4), Integer.getInteger("bench.resetPageItems", 100),
                    Integer.getInteger("bench.resetPagesPerTurn", 5), Integer.getInteger("bench.resetRounds", 6),
                    Integer.getInteger("bench.resetWarmupPairs", 2), Integer.getInteger("bench.resetSeconds", 600));
        }
    }

    /** The section's outcome, for the summary table. */
    public record Result(double worker, double raw, double ratio, List<Double> pairRatios, double loadBefore, double loadAfter,
                         double workerCpuMicros, double rawCpuMicros) {
        public boolean met() {
            return ratio >= TARGET;
        }
    }

    private final Settings settings;
    private final PrintStream out;

    public QuotaResetBench(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public Result run(DynamoDbClient client) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double loadBefore = os.getSystemLoadAverage();
        long deadline = System.nanoTime() + settings.seconds() * 1_000_000_000L;
        Map<String, Long> allowance = ResetFixture.planAllowance(ResetFixture.catalog());
        out.printf(Locale.ROOT, "%d accounts (plan %s: two buckets change, an account put + 2 plan_reset entries per account), %d segments at once,"
                        + " %d writer threads each, pages of %d index keys, %s; unpaced%n", settings.accounts(), ResetFixture.PLAN, settings.segments(),
                settings.threads(), settings.pageItems(),
                settings.pagesPerTurn() == 0 ? "turns of the worker's own 3 minutes" : settings.pagesPerTurn() + " pages per turn");
        out.printf(Locale.ROOT, "load average at the start of the section %.2f%n", loadBefore);
        List<Double> worker = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        List<Double> pairs = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        List<Double> workerCpu = new ArrayList<>();
        List<Double> rawCpu = new ArrayList<>();
        long turns = 0;
        for (int round = -settings.warmupPairs(); round < settings.rounds(); round++) {
            if (round >= 0 && System.nanoTime() > deadline) {
                out.printf(Locale.ROOT, "stopped after %d rounds: bench.resetSeconds=%d passed%n", round, settings.seconds());
                break;
            }
            double[] rate = new double[2];
            double[] cpu = new double[2];
            if (round >= 0) {
                loads.add(os.getSystemLoadAverage());
            }
            for (int turn = 0; turn < 2; turn++) {
                int side = Math.floorMod(round + turn, 2);
                String table = "reset-" + side + "-" + System.nanoTime();
                Instant now = Instant.now();
                ResetFixture.seed(client, table, settings.accounts(), now);
                // Each timed run starts on a collected heap: without it the second run of a pair paid for the first
                // one's garbage (and the seeding's), and whichever side went first looked faster.
                System.gc();
                long timeout = Math.max(10, (deadline - System.nanoTime()) / 1_000_000_000L + 60);
                if (side == 0) {
                    Map<String, Object> properties = Map.of("wallet.table", table, "wallet.reset.threads", settings.threads(),
                            "wallet.reset.accounts-per-second", 0, "wallet.reset.page-items", settings.pageItems());
                    try (ApplicationContext context = WalletContexts.start(properties, client)) {
                        QuotaResetHandler handler = new QuotaResetHandler(context);
                        ResetStateMachine machine = new ResetStateMachine(handler, t -> new TurnContext(settings.pagesPerTurn()), 100_000);
                        long cpuStarted = os.getProcessCpuTime();
                        long started = System.nanoTime();
                        ResetStateMachine.Execution execution = machine.run(Period.calendarMonthOf(now).id(), settings.segments(),
                                settings.segments(), timeout);
                        rate[0] = settings.accounts() / ((System.nanoTime() - started) / 1e9);
                        cpu[0] = (os.getProcessCpuTime() - cpuStarted) / 1e3 / settings.accounts();
                        Object reset = execution.summary().get("AccountsReset");
                        if (!(reset instanceof Number n) || n.longValue() != settings.accounts() || !Boolean.TRUE.equals(execution.summary().get("complete"))) {
                            throw new IllegalStateException("the worker did not reset every account: " + execution.summary());
                        }
                        turns = execution.turnCount();
                    }
                } else {
                    RawQuotaReset loop = new RawQuotaReset(client, table, ResetFixture.PLAN, allowance, Clock.systemUTC());
                    long cpuStarted = os.getProcessCpuTime();
                    long started = System.nanoTime();
                    RawQuotaReset.Counts counts = loop.run(settings.segments(), settings.threads(), settings.pageItems(), timeout);
                    rate[1] = settings.accounts() / ((System.nanoTime() - started) / 1e9);
                    cpu[1] = (os.getProcessCpuTime() - cpuStarted) / 1e3 / settings.accounts();
                    if (counts.reset() != settings.accounts()) {
                        throw new IllegalStateException("the raw loop did not reset every account: " + counts);
                    }
                }
                client.deleteTable(b -> b.tableName(table));
            }
            if (round >= 0) {
                worker.add(rate[0]);
                raw.add(rate[1]);
                pairs.add(rate[0] / rate[1]);
                workerCpu.add(cpu[0]);
                rawCpu.add(cpu[1]);
            }
        }
        double loadAfter = os.getSystemLoadAverage();
        double w = median(worker);
        double r = median(raw);
        Result result = new Result(w, r, w / r, pairs, loadBefore, loadAfter, median(workerCpu), median(rawCpu));
        out.printf(Locale.ROOT, "turns (worker invocations) per execution: %d for %d segments, and the summary%n", turns, settings.segments());
        out.printf(Locale.ROOT, "accounts/s, %d rounds after %d warm-up pairs (discarded): worker %s, raw loop %s%n", worker.size(),
                settings.warmupPairs(), rounded(worker), rounded(raw));
        out.printf(Locale.ROOT, "ratio of each pair (worker / raw; the worker runs first in the 1st, 3rd, ... pair): %s; median %.2f%n",
                pairs.stream().map(p -> String.format(Locale.ROOT, "%.2f", p)).toList(), median(pairs));
        out.printf(Locale.ROOT, "load average before each measured pair: %s; at the end %.2f%n",
                loads.stream().map(l -> String.format(Locale.ROOT, "%.2f", l)).toList(), loadAfter);
        out.printf(Locale.ROOT, "CPU time of this JVM per account (µs; the fake's work and the SDK's included, the same for both sides): worker %s, raw loop %s;"
                        + " medians %.0f and %.0f, raw / worker %.2f%n", rounded(workerCpu), rounded(rawCpu), result.workerCpuMicros(), result.rawCpuMicros(),
                result.rawCpuMicros() / result.workerCpuMicros());
        out.printf(Locale.ROOT, "medians: worker %.0f accounts/s, raw loop %.0f accounts/s, ratio %.2f (target >= %.1f: %s)%n",
                w, r, result.ratio(), TARGET, result.met() ? "MET" : "NOT MET");
        return result;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }
}
