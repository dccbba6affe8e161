package com.tokenwallet.bench.child;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.tokenwallet.debit.DebitHandler;
import com.tokenwallet.dynamodb.DynamoDbCallCounter;
import com.tokenwallet.dynamodb.DynamoDbClients;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Debits per second through the debit function's handler against the same raw {@code TransactWriteItems}, in a JVM
 * started with the function's flags. Each thread debits an account of its own (one Lambda instance serves one
 * request at a time; several threads are several instances sharing this machine). Rounds alternate handler, raw,
 * handler, raw, ... so both see the same table size and the same JIT state; every round is bounded in debits and time.
 *
 * <p>Arguments: thread counts (for example {@code 1,4}), rounds per side, debits per thread per round, warm-up debits
 * per thread per side, seconds at most per round, and optionally {@code direct}: the experiment of answering through
 * {@code ApiHandler.execute} instead of {@code MicronautRequestHandler.handleRequest}. Settings from the environment, as for the function, plus
 * {@code BENCH_RUN} (a prefix for the accounts). Prints one {@link ResultLine}.
 */
public final class Throughput {
    private static final String BUCKET = DebitEvents.BUCKET;

    private final DebitHandler handler;
    private final DynamoDbCallCounter handlerCounter;
    private final DynamoDbClient raw;
    private final DynamoDbCallCounter rawCounter = new DynamoDbCallCounter();
    private final String table;
    private final String run;
    private final List<String> handlerAccounts = new ArrayList<>();
    private final List<String> rawAccounts = new ArrayList<>();
    private final List<Map<String, AttributeValue>> rawState = new ArrayList<>();
    private final ExecutorService pool;
    private final boolean direct;
    private long sequence;

    private Throughput(int threads, boolean direct) {
        this.direct = direct;
        this.table = System.getenv("WALLET_TABLE");
        this.run = System.getenv().getOrDefault("BENCH_RUN", "tp");
        this.handler = new DebitHandler();
        this.handlerCounter = handler.getApplicationContext().getBean(DynamoDbCallCounter.class);
        this.raw = DynamoDbClients.create(System.getenv("WALLET_DYNAMODB_ENDPOINT"), "us-east-1", List.of(rawCounter));
        this.pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            handlerAccounts.add(open(run + "-handler-" + t));
            String rawAccount = open(run + "-raw-" + t);
            rawAccounts.add(rawAccount);
            rawState.add(raw.getItem(b -> b.tableName(table).key(RawDebits.accountKey(rawAccount)).consistentRead(true)).item());
        }
    }

    private String open(String accountId) {
        int status = handler.handleRequest(DebitEvents.open(accountId), new BenchContext()).getStatusCode();
        if (status != 201) {
            throw new IllegalStateException("opening " + accountId + " answered " + status);
        }
        return accountId;
    }

    public static void main(String[] args) throws Exception {
        int[] threadCounts = Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
        int rounds = Integer.parseInt(args[1]);
        int perRound = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        long maxRoundNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
        boolean direct = args.length > 5 && args[5].equals("direct");
        PrintStream console = System.out;
        // The handler writes one JSON log line per request to standard output (CloudWatch, in Lambda): it still
        // builds every line, but here they go nowhere instead of through a pipe the parent would have to drain.
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        int maxThreads = Arrays.stream(threadCounts).max().orElse(1);
        Throughput bench = new Throughput(maxThreads, direct);

        Map<String, Object> out = new LinkedHashMap<>();
        Side warmHandler = bench.round(true, maxThreads, warmup, maxRoundNanos);
        Side warmRaw = bench.round(false, maxThreads, warmup, maxRoundNanos);
        out.put("warmupDebits", warmHandler.debits + warmRaw.debits);
        for (int threads : threadCounts) {
            bench.handlerCounter.reset();
            bench.rawCounter.reset();
            Side handlerTotal = new Side(0, 0, 0);
            Side rawTotal = new Side(0, 0, 0);
            for (int r = 0; r < rounds; r++) {
                handlerTotal = handlerTotal.plus(bench.round(true, threads, perRound, maxRoundNanos));
                rawTotal = rawTotal.plus(bench.round(false, threads, perRound, maxRoundNanos));
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("handlerDebits", handlerTotal.debits);
            result.put("handlerSeconds", handlerTotal.nanos / 1e9);
            result.put("handlerFailures", handlerTotal.failures);
            result.put("handlerCalls", bench.handlerCounter.snapshot());
            result.put("handlerWcu", bench.handlerCounter.consumedWriteCapacityUnits());
            result.put("rawDebits", rawTotal.debits);
            result.put("rawSeconds", rawTotal.nanos / 1e9);
            result.put("rawFailures", rawTotal.failures);
            result.put("rawCalls", bench.rawCounter.snapshot());
            result.put("rawWcu", bench.rawCounter.consumedWriteCapacityUnits());
            out.put("threads" + threads, result);
        }
        bench.pool.shutdownNow();
        ResultLine.print(console, out);
        System.exit(0);
    }

    private record Side(long debits, long failures, long nanos) {
        Side plus(Side other) {
            return new Side(debits + other.debits, failures + other.failures, nanos + other.nanos);
        }
    }

    /** One round: {@code threads} threads, each up to {@code perThread} debits on its own account, until the deadline. */
    private Side round(boolean throughHandler, int threads, int perThread, long maxNanos) throws Exception {
        List<List<APIGatewayV2HTTPEvent>> events = new ArrayList<>();
        List<List<String>> keys = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<APIGatewayV2HTTPEvent> e = new ArrayList<>();
            List<String> k = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                String key = run + "-" + (throughHandler ? "h" : "r") + "-" + (sequence++);
                if (throughHandler) {
                    e.add(DebitEvents.debit(handlerAccounts.get(t), key));
                } else {
                    k.add(key);
                }
            }
            events.add(e);
            keys.add(k);
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<long[]>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                start.await();
                long deadline = System.nanoTime() + maxNanos;
                return throughHandler ? viaHandler(events.get(thread), deadline) : viaSdk(thread, keys.get(thread), deadline);
            }));
        }
        long began = System.nanoTime();
        start.countDown();
        long debits = 0;
        long failures = 0;
        for (Future<long[]> f : done) {
            long[] r = f.get(maxNanos + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS);
            debits += r[0];
            failures += r[1];
        }
        return new Side(debits, failures, System.nanoTime() - began);
    }

    private long[] viaHandler(List<APIGatewayV2HTTPEvent> events, long deadline) {
        long ok = 0;
        long failed = 0;
        BenchContext context = new BenchContext();
        for (APIGatewayV2HTTPEvent event : events) {
            if (System.nanoTime() > deadline) {
                break;
            }
            int status = direct ? handler.execute(event).getStatusCode() : handler.handleRequest(event, context).getStatusCode();
            if (status == 201) {
                ok++;
            } else {
                failed++;
            }
        }
        return new long[]{ok, failed};
    }

    private long[] viaSdk(int thread, List<String> keys, long deadline) {
        long ok = 0;
        long failed = 0;
        String account = rawAccounts.get(thread);
        for (String key : keys) {
            if (System.nanoTime() > deadline) {
                break;
            }
            String fingerprint = RawDebits.fingerprint(DebitEvents.DEBIT_ROUTE, account, DebitEvents.DEBIT_BODY);
            RawDebits.Prepared debit = RawDebits.prepare(table, rawState.get(thread), BUCKET, DebitEvents.AMOUNT,
                    DebitEvents.DESCRIPTION, key, fingerprint, Instant.now());
            try {
                raw.transactWriteItems(debit.request());
                rawState.set(thread, debit.accountAfter());
                ok++;
            } catch (RuntimeException e) {
                failed++;
                rawState.set(thread, raw.getItem(b -> b.tableName(table).key(RawDebits.accountKey(account)).consistentRead(true)).item());
            }
        }
        return new long[]{ok, failed};
    }
}
