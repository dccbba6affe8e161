package com.tokenwallet.bench.child;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.SnapStartPriming;
import com.tokenwallet.debit.DebitHandler;
import com.tokenwallet.dynamodb.DynamoDbCallCounter;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SnapStart priming, measured in a JVM of its own (no CRaC JVM here): construct the debit function as Lambda does,
 * run its SnapStart hooks as a snapshot and restore would ({@code primed}: beforeCheckpoint's priming, then
 * afterRestore's renewal; {@code unprimed}: neither), then time the first real debit of an existing account, then
 * {@link #WARM} more debits of it. Arguments: the mode and the account. Prints one {@link ResultLine}: construction,
 * priming, the first debit, and the median of the last {@link #MEASURED} warm debits, in ms, and how many classes the
 * first debit loaded.
 */
public final class PrimedStart {
    public static final int WARM = 300;
    public static final int MEASURED = 200;

    private PrimedStart() {
    }

    public static void main(String[] args) {
        boolean primed = args[0].equals("primed");
        String accountId = args[1];
        // Classes loaded and CPU time of the first debit: the JMX read-outs' own classes load here, before any clock.
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        classes.getTotalLoadedClassCount();
        threads.getCurrentThreadCpuTime();
        long started = System.nanoTime();
        DebitHandler handler = new DebitHandler();
        long constructed = System.nanoTime();
        SnapStartPriming hooks = handler.priming();
        if (primed) {
            hooks.prime();
            hooks.restore();
        }
        long loadedBefore = classes.getTotalLoadedClassCount();
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long ready = System.nanoTime();
        DynamoDbCallCounter counter = handler.getApplicationContext().getBean(DynamoDbCallCounter.class);
        Map<String, Long> before = counter.snapshot();
        APIGatewayV2HTTPResponse first = handler.handleRequest(DebitEvents.debit(accountId, "first-" + accountId), new BenchContext());
        long firstDone = System.nanoTime();
        long firstCpu = threads.getCurrentThreadCpuTime() - cpuBefore;
        long loadedByFirst = classes.getTotalLoadedClassCount() - loadedBefore;
        Map<String, Long> firstCalls = minus(counter.snapshot(), before);
        double[] warm = new double[WARM];
        double[] warmCpu = new double[WARM];
        for (int i = 0; i < WARM; i++) {
            long c = threads.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            APIGatewayV2HTTPResponse r = handler.handleRequest(DebitEvents.debit(accountId, "warm-" + i + "-" + accountId), new BenchContext());
            warm[i] = (System.nanoTime() - t) / 1e6;
            warmCpu[i] = (threads.getCurrentThreadCpuTime() - c) / 1e6;
            if (r.getStatusCode() != 201) {
                throw new IllegalStateException("warm debit " + i + " answered " + r.getStatusCode() + " " + r.getBody());
            }
        }
        double warmMedian = medianOfLast(warm);
        double warmCpuMedian = medianOfLast(warmCpu);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", args[0]);
        out.put("status", first.getStatusCode());
        out.put("constructMs", (constructed - started) / 1e6);
        out.put("primeMs", (ready - constructed) / 1e6);
        out.put("firstDebitMs", (firstDone - ready) / 1e6);
        out.put("warmMedianMs", warmMedian);
        out.put("firstOverWarm", (firstDone - ready) / 1e6 / warmMedian);
        out.put("firstDebitCpuMs", firstCpu / 1e6);
        out.put("warmCpuMedianMs", warmCpuMedian);
        out.put("classesLoadedByFirst", loadedByFirst);
        out.put("primedCount", hooks.primedCount());
        out.put("firstCalls", firstCalls);
        if (first.getStatusCode() != 201) {
            out.put("body", first.getBody());
        }
        ResultLine.print(System.out, out);
        System.exit(0);
    }

    /** The median of the last {@link #MEASURED} of these. */
    private static double medianOfLast(double[] values) {
        double[] last = Arrays.copyOfRange(values, WARM - MEASURED, WARM);
        Arrays.sort(last);
        return (last[MEASURED / 2 - 1] + last[MEASURED / 2]) / 2;
    }

    private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> d = new LinkedHashMap<>();
        after.forEach((k, v) -> {
            long n = v - before.getOrDefault(k, 0L);
            if (n != 0) {
                d.put(k, n);
            }
        });
        return d;
    }
}
