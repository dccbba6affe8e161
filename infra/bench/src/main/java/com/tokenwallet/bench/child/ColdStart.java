package com.tokenwallet.bench.child;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.debit.DebitHandler;
import com.tokenwallet.dynamodb.DynamoDbCallCounter;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One cold start, in a JVM of its own: construct the handler as Lambda does (no-argument constructor, settings
 * from the environment), then answer one debit against the DynamoDB endpoint in {@code WALLET_DYNAMODB_ENDPOINT}.
 * Arguments: the handler ({@code real}: the debit function; {@code bare}: {@link BareDebitHandler}; the experiments
 * {@code real-lazy}: {@link LazyDebitHandler}, {@code real-direct} and {@code real-direct-lazy}: {@link DirectDebitHandler}, {@code real-plain}:
 * {@link PlainDebitHandler}) and an existing account.
 * Prints one {@link ResultLine}: milliseconds from JVM start to main, main to constructed, constructed to answered.
 */
public final class ColdStart {
    private ColdStart() {
    }

    public static void main(String[] args) {
        long mainNanos = System.nanoTime();
        long mainMillis = System.currentTimeMillis();
        String mode = args[0];
        String accountId = args[1];
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler = switch (mode) {
            case "real" -> new DebitHandler();
            case "real-lazy" -> new LazyDebitHandler();
            case "real-direct" -> new DirectDebitHandler();
            case "real-direct-lazy" -> new DirectDebitHandler(false);
            case "real-plain" -> new PlainDebitHandler();
            case "bare" -> new BareDebitHandler();
            default -> throw new IllegalArgumentException("unknown handler " + mode);
        };
        long constructedNanos = System.nanoTime();
        APIGatewayV2HTTPResponse response = handler.handleRequest(DebitEvents.debit(accountId, "cold-" + accountId), new BenchContext());
        long answeredNanos = System.nanoTime();
        double cpuMs = processCpuMillis();

        // Everything below is after the clock stopped.
        long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        DynamoDbCallCounter counter = switch (mode) {
            case "bare" -> ((BareDebitHandler) handler).counter();
            case "real-direct", "real-direct-lazy" -> ((DirectDebitHandler) handler).counter();
            case "real-plain" -> ((PlainDebitHandler) handler).counter();
            default -> ((DebitHandler) handler).getApplicationContext().getBean(DynamoDbCallCounter.class);
        };
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", mode);
        out.put("status", response.getStatusCode());
        out.put("jvmToMainMs", mainMillis - jvmStartMillis);
        out.put("constructMs", (constructedNanos - mainNanos) / 1e6);
        out.put("firstDebitMs", (answeredNanos - constructedNanos) / 1e6);
        out.put("mainToAnswerMs", (answeredNanos - mainNanos) / 1e6);
        out.put("cpuMs", cpuMs);
        out.put("classesLoaded", ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
        out.put("calls", counter.snapshot());
        out.put("wcu", counter.consumedWriteCapacityUnits());
        out.put("rcu", counter.consumedReadCapacityUnits());
        if (response.getStatusCode() != 201) {
            out.put("body", response.getBody());
        }
        ResultLine.print(System.out, out);
        System.exit(0);
    }

    /**
     * CPU time of the whole process so far (every thread: main, JIT compilers, GC), from /proc/self/stat in clock
     * ticks of 10 ms; NaN where there is no /proc. Less disturbed than wall time by other load on the machine.
     */
    private static double processCpuMillis() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3, utime field 14, stime field 15
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
