package com.tokenwallet.bench.child;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Opt-in instrumentation of section 2b's phase breakdown ({@code -Dbench.primingPhases=N}), never in a measured
 * figure of the default run: an SDK execution interceptor that the child's class path declares as a global one (the
 * SDK reads {@code software/amazon/awssdk/global/handlers/execution.interceptors}, which only the phases jar holds),
 * so the function builds its own client with it, unchanged otherwise. While {@link #arm armed} it notes, for each
 * DynamoDB call of the calling thread, the wall clock and the thread's CPU clock at four points: the call begins
 * (before marshalling), the request goes out (signed), the response is in (headers read), the call returns
 * (unmarshalled). {@link #breakdown} turns one debit's notes into its phases.
 */
public final class PhaseClock implements ExecutionInterceptor {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static volatile boolean armed;
    private static final List<long[]> MARKS = new ArrayList<>();
    private static final List<String> OPERATIONS = new ArrayList<>();
    private static Thread owner;

    /** Points of one call: index into its marks (wall at 2i, CPU at 2i+1). */
    private static final int BEGIN = 0;
    private static final int SENT = 1;
    private static final int RECEIVED = 2;
    private static final int RETURNED = 3;

    /** Whether the SDK loaded this interceptor (the phases jar is on the class path). */
    private static volatile boolean loaded;

    public PhaseClock() {
        loaded = true;
    }

    public static boolean loaded() {
        return loaded;
    }

    /** Starts a debit's notes on the current thread: wall and CPU now. */
    public static long[] arm() {
        synchronized (MARKS) {
            MARKS.clear();
            OPERATIONS.clear();
            owner = Thread.currentThread();
        }
        armed = true;
        return now();
    }

    /** Ends them: wall and CPU now. */
    public static long[] disarm() {
        long[] end = now();
        armed = false;
        return end;
    }

    private static long[] now() {
        return new long[]{System.nanoTime(), THREADS.getCurrentThreadCpuTime()};
    }

    private static void mark(ExecutionAttributes attributes, int point) {
        if (!armed || Thread.currentThread() != owner) {
            return;
        }
        long wall = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        synchronized (MARKS) {
            if (point == BEGIN) {
                MARKS.add(new long[8]);
                OPERATIONS.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
            if (MARKS.isEmpty()) {
                return;
            }
            long[] call = MARKS.getLast();
            call[2 * point] = wall;
            call[2 * point + 1] = cpu;
        }
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        mark(attributes, BEGIN);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        mark(attributes, SENT);
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        mark(attributes, RECEIVED);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        mark(attributes, RETURNED);
    }

    /**
     * One debit's phases between {@code start} and {@code end} (from {@link #arm} and {@link #disarm}), in ms, each
     * as {@code wall/cpu} pairs under keys {@code <phase>Ms} and {@code <phase>CpuMs}: {@code before} (the handler
     * until its first call), per call {@code <op>.marshal} (begin to sent: marshalling, signing),
     * {@code <op>.http} (sent to received: the round trip, the fake's work in the parent JVM included),
     * {@code <op>.unmarshal} (received to returned: the body read and parsed), {@code between} (from one call's
     * return to the next one's begin), {@code after} (the last return to the handler's answer), and {@code total}.
     */
    public static Map<String, Double> breakdown(long[] start, long[] end) {
        Map<String, Double> out = new LinkedHashMap<>();
        synchronized (MARKS) {
            long[] last = start;
            for (int i = 0; i < MARKS.size(); i++) {
                long[] c = MARKS.get(i);
                String op = OPERATIONS.get(i);
                put(out, i == 0 ? "before" : "between", last[0], last[1], c[0], c[1]);
                put(out, op + ".marshal", c[0], c[1], c[2], c[3]);
                put(out, op + ".http", c[2], c[3], c[4], c[5]);
                put(out, op + ".unmarshal", c[4], c[5], c[6], c[7]);
                last = new long[]{c[6], c[7]};
            }
            put(out, MARKS.isEmpty() ? "before" : "after", last[0], last[1], end[0], end[1]);
            put(out, "total", start[0], start[1], end[0], end[1]);
            out.put("calls", (double) MARKS.size());
        }
        return out;
    }

    private static void put(Map<String, Double> out, String phase, long wall0, long cpu0, long wall1, long cpu1) {
        out.merge(phase + "Ms", (wall1 - wall0) / 1e6, Double::sum);
        out.merge(phase + "CpuMs", (cpu1 - cpu0) / 1e6, Double::sum);
    }
}
