package com.tokenwallet.bench.child;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.SnapStartPriming;
import com.tokenwallet.debit.DebitHandler;
import com.tokenwallet.dynamodb.DynamoDbCallCounter;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SnapStart priming, measured in a JVM of its own (no CRaC JVM here): construct the debit function as Lambda does,
 * run its SnapStart hooks as a snapshot and restore would ({@code primed}: beforeCheckpoint's priming, then
 * afterRestore's renewal; {@code unprimed}: neither), then time the first real debit of an existing account, then
 * {@link #WARM} more debits of it. Arguments: the mode and the account. Prints one {@link ResultLine}: construction,
 * priming, the first debit, and the median of the last {@link #MEASURED} warm debits, in ms, and how many classes the
 * first debit loaded.
 *
 * <p>With a third argument (section 2b's opt-in {@code -Dbench.primingPhases=N}: a file of N more accounts, opened by
 * the parent, that this process has not seen) it also debits each of those once after the warm debits (the first
 * debit of an unseen account, 2 calls, with the code compiled by then), and, when the phases jar put
 * {@link PhaseClock} on the function's client, breaks the first, the warm and the unseen debits into phases. It then
 * loads two marker classes, {@code PrimedStart$PrimingEnded} just before the first debit's clock starts and
 * {@code PrimedStart$FirstDebitEnded} just after it stops, so that a {@code -Xlog:class+load,jit+compilation} log
 * of the child shows what happened in between.
 */
public final class PrimedStart {
    public static final int WARM = 300;
    public static final int MEASURED = 200;

    private PrimedStart() {
    }

    public static void main(String[] args) {
        boolean primed = args[0].equals("primed");
        String accountId = args[1];
        List<String> unseen = args.length > 2 ? readLines(args[2]) : List.of();
        boolean phases = args.length > 2;
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
        long primingDone = System.nanoTime();
        long settle = Long.getLong("bench.settleMs", 0);
        if (settle > 0) {
            // Opt-in experiment: time between the restore and the first request, for what runs in the background.
            try {
                Thread.sleep(settle);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (Boolean.getBoolean("bench.evictCaches")) {
            // Opt-in: what a restore starts from (caches cold), approximated by walking 64 MB before the first debit.
            byte[] big = new byte[64 << 20];
            long sum = 0;
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < big.length; i += 64) {
                    big[i]++;
                    sum += big[i];
                }
            }
            if (sum == 42) {
                System.err.println(sum);
            }
        }
        boolean clocked = phases && PhaseClock.loaded();
        DynamoDbCallCounter counter = handler.getApplicationContext().getBean(DynamoDbCallCounter.class);
        Map<String, Long> before = counter.snapshot();
        // The event as the runtime hands it over, built before the clock starts (the bench's own classes are no part of
        // the function's first request), as every warm debit's is.
        APIGatewayV2HTTPEvent firstEvent = DebitEvents.debit(accountId, "first-" + accountId);
        BenchContext firstContext = new BenchContext();
        if (phases) {
            mark("PrimingEnded");
        }
        long loadedBefore = classes.getTotalLoadedClassCount();
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long ready = System.nanoTime();
        long[] armed = clocked ? PhaseClock.arm() : null;
        APIGatewayV2HTTPResponse first = handler.handleRequest(firstEvent, firstContext);
        long[] disarmed = clocked ? PhaseClock.disarm() : null;
        long firstDone = System.nanoTime();
        long firstCpu = threads.getCurrentThreadCpuTime() - cpuBefore;
        long loadedByFirst = classes.getTotalLoadedClassCount() - loadedBefore;
        if (phases) {
            mark("FirstDebitEnded");
        }
        Map<String, Double> firstPhases = clocked ? PhaseClock.breakdown(armed, disarmed) : Map.of();
        Map<String, Long> firstCalls = minus(counter.snapshot(), before);
        // Opt-in (phases mode, -Dbench.earlyDebits=E in the child's flags): the next E unseen accounts debited right
        // after the first debit, before any warm one, to see how fast the first request's extra cost fades.
        int early = phases ? Math.min(Integer.getInteger("bench.earlyDebits", 0), unseen.size()) : 0;
        List<Map<String, Double>> earlyPhases = new ArrayList<>();
        for (int i = 0; i < early; i++) {
            APIGatewayV2HTTPEvent event = DebitEvents.debit(unseen.get(i), "early-" + unseen.get(i));
            BenchContext context = new BenchContext();
            long[] a = clocked ? PhaseClock.arm() : null;
            APIGatewayV2HTTPResponse r = handler.handleRequest(event, context);
            long[] d = clocked ? PhaseClock.disarm() : null;
            if (r.getStatusCode() != 201) {
                throw new IllegalStateException("early debit " + i + " answered " + r.getStatusCode() + " " + r.getBody());
            }
            if (clocked) {
                earlyPhases.add(PhaseClock.breakdown(a, d));
            }
        }
        unseen = unseen.subList(early, unseen.size());
        double[] warm = new double[WARM];
        double[] warmCpu = new double[WARM];
        List<Map<String, Double>> warmPhases = new ArrayList<>();
        for (int i = 0; i < WARM; i++) {
            Timed w = timed(handler, DebitEvents.debit(accountId, "warm-" + i + "-" + accountId), clocked, threads, "warm debit " + i);
            warm[i] = w.wallMs();
            warmCpu[i] = w.cpuMs();
            if (clocked && i >= WARM - MEASURED) {
                warmPhases.add(w.phases());
            }
        }
        double warmMedian = medianOfLast(warm);
        double warmCpuMedian = medianOfLast(warmCpu);
        // The first debit of each account this process has not seen (2 calls), the code compiled by now.
        double[] unseenWall = new double[unseen.size()];
        double[] unseenCpu = new double[unseen.size()];
        List<Map<String, Double>> unseenPhases = new ArrayList<>();
        Map<String, Double> unseenFirstPhases = Map.of();
        for (int i = 0; i < unseen.size(); i++) {
            Timed u = timed(handler, DebitEvents.debit(unseen.get(i), "unseen-" + unseen.get(i)), clocked, threads, "unseen debit " + i);
            unseenWall[i] = u.wallMs();
            unseenCpu[i] = u.cpuMs();
            if (clocked && i >= unseen.size() / 2) {
                unseenPhases.add(u.phases());
            }
            if (clocked && i == 0) {
                unseenFirstPhases = u.phases();
            }
        }

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", args[0]);
        out.put("status", first.getStatusCode());
        out.put("constructMs", (constructed - started) / 1e6);
        out.put("primeMs", (primingDone - constructed) / 1e6);
        out.put("firstDebitMs", (firstDone - ready) / 1e6);
        out.put("warmMedianMs", warmMedian);
        out.put("firstOverWarm", (firstDone - ready) / 1e6 / warmMedian);
        out.put("firstDebitCpuMs", firstCpu / 1e6);
        out.put("warmCpuMedianMs", warmCpuMedian);
        out.put("classesLoadedByFirst", loadedByFirst);
        out.put("primedCount", hooks.primedCount());
        out.put("firstCalls", firstCalls);
        if (phases) {
            out.put("unseenCount", unseen.size());
            out.put("unseenMedianMs", medianOfSecondHalf(unseenWall));
            out.put("unseenCpuMedianMs", medianOfSecondHalf(unseenCpu));
            out.put("unseenFirstMs", unseen.isEmpty() ? Double.NaN : unseenWall[0]);
            out.put("unseenFirstCpuMs", unseen.isEmpty() ? Double.NaN : unseenCpu[0]);
            if (clocked) {
                out.put("firstPhases", firstPhases);
                out.put("warmPhases", medians(warmPhases));
                out.put("unseenPhases", medians(unseenPhases));
                out.put("unseenFirstPhases", unseenFirstPhases);
                for (int i = 0; i < earlyPhases.size(); i++) {
                    out.put("early" + i + "Phases", earlyPhases.get(i));
                }
            }
        }
        if (first.getStatusCode() != 201) {
            out.put("body", first.getBody());
        }
        ResultLine.print(System.out, out);
        System.exit(0);
    }

    /** One timed debit: wall and thread CPU time in ms, and its phases (empty unless clocked). */
    private record Timed(double wallMs, double cpuMs, Map<String, Double> phases) {
    }

    /** Debits with {@code event} (built before the clock starts) and checks it was answered 201. */
    private static Timed timed(DebitHandler handler, APIGatewayV2HTTPEvent event, boolean clocked, ThreadMXBean threads, String what) {
        BenchContext context = new BenchContext();
        long c = threads.getCurrentThreadCpuTime();
        long t = System.nanoTime();
        long[] a = clocked ? PhaseClock.arm() : null;
        APIGatewayV2HTTPResponse r = handler.handleRequest(event, context);
        long[] d = clocked ? PhaseClock.disarm() : null;
        double wall = (System.nanoTime() - t) / 1e6;
        double cpu = (threads.getCurrentThreadCpuTime() - c) / 1e6;
        if (r.getStatusCode() != 201) {
            throw new IllegalStateException(what + " answered " + r.getStatusCode() + " " + r.getBody());
        }
        return new Timed(wall, cpu, clocked ? PhaseClock.breakdown(a, d) : Map.of());
    }

    /** The median of the last {@link #MEASURED} of these. */
    private static double medianOfLast(double[] values) {
        double[] last = Arrays.copyOfRange(values, WARM - MEASURED, WARM);
        Arrays.sort(last);
        return (last[MEASURED / 2 - 1] + last[MEASURED / 2]) / 2;
    }

    private static double medianOfSecondHalf(double[] values) {
        return median(Arrays.copyOfRange(values, values.length / 2, values.length));
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The median of each phase over these debits. */
    private static Map<String, Double> medians(List<Map<String, Double>> debits) {
        Map<String, List<Double>> byPhase = new TreeMap<>();
        debits.forEach(d -> d.forEach((k, v) -> byPhase.computeIfAbsent(k, x -> new ArrayList<>()).add(v)));
        Map<String, Double> out = new LinkedHashMap<>();
        byPhase.forEach((k, v) -> out.put(k, median(v.stream().mapToDouble(Double::doubleValue).toArray())));
        return out;
    }

    private static void mark(String name) {
        try {
            Class.forName(PrimedStart.class.getName() + "$" + name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Marker classes: their loading shows in a class+load log (see the class comment). */
    static final class PrimingEnded {
    }

    static final class FirstDebitEnded {
    }

    private static List<String> readLines(String file) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> !l.isBlank()).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
