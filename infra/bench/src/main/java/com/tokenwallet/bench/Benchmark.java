package com.tokenwallet.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.management.OperatingSystemMXBean;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.bench.child.BenchContext;
import com.tokenwallet.bench.child.ColdStart;
import com.tokenwallet.bench.child.PrimedStart;
import com.tokenwallet.bench.child.DebitEvents;
import com.tokenwallet.bench.child.RawDebits;
import com.tokenwallet.bench.child.Throughput;
import com.tokenwallet.debit.DebitHandler;
import com.tokenwallet.dynamodb.DynamoDbCallCounter;
import com.tokenwallet.dynamodb.DynamoDbClients;
import com.tokenwallet.dynamodb.WalletTable;
import com.tokenwallet.dynamodb.testing.FakeDynamoDb;
import com.tokenwallet.dynamodb.testing.FakeDynamoDbServer;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The Token Wallet benchmark: a command that prints measured numbers (README.md, "Benchmark"). On the in-repo fake
 * DynamoDB ({@link FakeDynamoDbServer}, an in-memory Java model of DynamoDB's HTTP API served in this JVM on
 * 127.0.0.1 only) it measures
 * <ol>
 *   <li>DynamoDB calls and consumed write units per debit through the debit function's handler;</li>
 *   <li>the debit function's cold start (fresh JVM: handler constructed, then its first debit) from the shaded
 *       {@code debit-function.jar}, next to a bare aws-lambda-java-core handler making the same DynamoDB calls,
 *       alternating, with the function's JVM flags from template.yaml;</li>
 *   <li>debits per second through the handler against the same raw {@code TransactWriteItems}, in a child JVM
 *       with the same flags;</li>
 *   <li>(unless {@code -Dbench.experiments=false}) what JVM-level measures do to the cold start.</li>
 * </ol>
 * Every loop is bounded in count and time. Settings are system properties, see {@link Config}.
 */
public final class Benchmark {
    static final PrintStream OUT = System.out;
    static final String TABLE = "wallet-bench";
    private static final String CHILD_PACKAGE = "com/tokenwallet/bench/child/";
    private static final double COLD_START_TARGET = 1.5;
    private static final double THROUGHPUT_TARGET = 0.8;

    private final Config config;
    private final FakeDynamoDbServer dynamo;
    private final Path work;
    private final List<String[]> summary = new ArrayList<>();
    private Path debitJar;
    private Path childJar;
    private Path catalog;
    private DebitHandler opener;
    private ApplicationContext openerContext;
    private int accounts;

    private Benchmark(Config config, FakeDynamoDbServer dynamo, Path work) {
        this.config = config;
        this.dynamo = dynamo;
        this.work = work;
    }

    /** The settings, from system properties ({@code -Dbench.coldRuns=9}); the defaults take about five minutes. */
    record Config(Path debitJar, int debits, int coldRuns, int experimentRuns, String threads, int rounds, int perRound, int warmup,
                  int roundSeconds, boolean experiments, List<String> childJvmArgs, java.util.Set<String> sections) {
        /** Every section, in the order they run; {@code -Dbench.sections=2b} runs only the listed ones. */
        static final List<String> ALL_SECTIONS = List.of("0", "1", "2", "2b", "3", "3r", "4");

        boolean runs(String section) {
            return sections.contains(section) && (!section.equals("4") || experiments);
        }

        static Config fromSystemProperties() {
            String jar = System.getProperty("bench.debitJar");
            String jvmArgs = System.getProperty("bench.childJvmArgs");
            return new Config(jar == null ? null : Path.of(jar),
                    Integer.getInteger("bench.debits", 200),
                    Integer.getInteger("bench.coldRuns", 9),
                    Integer.getInteger("bench.experimentRuns", 5),
                    System.getProperty("bench.threads", "1,4"),
                    Integer.getInteger("bench.rounds", 3),
                    Integer.getInteger("bench.perRound", 300),
                    Integer.getInteger("bench.warmup", 300),
                    Integer.getInteger("bench.roundSeconds", 15),
                    Boolean.parseBoolean(System.getProperty("bench.experiments", "true")),
                    jvmArgs == null ? null : List.of(jvmArgs.trim().split("\\s+")),
                    sections(System.getProperty("bench.sections", String.join(",", ALL_SECTIONS))));
        }

        private static java.util.Set<String> sections(String list) {
            java.util.Set<String> out = new java.util.LinkedHashSet<>();
            for (String s : list.split(",")) {
                String section = s.trim();
                if (!ALL_SECTIONS.contains(section)) {
                    throw new IllegalArgumentException("bench.sections: no section " + section + " (sections: " + ALL_SECTIONS + ")");
                }
                out.add(section);
            }
            if (out.contains("4") && !out.contains("2")) {
                // The experiments compare with section 2's cold starts.
                out.add("2");
            }
            return out;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            OUT.println("usage: java [-Dbench.debits=200] [-Dbench.coldRuns=9] [-Dbench.experimentRuns=5] [-Dbench.threads=1,4] [-Dbench.rounds=3]"
                    + " [-Dbench.perRound=300] [-Dbench.warmup=300] [-Dbench.roundSeconds=15] [-Dbench.experiments=true] [-Dbench.sections=0,1,2,2b,3,3r,4]"
                    + " [-Dbench.debitJar=functions/debit/target/debit-function.jar] [-Dbench.childJvmArgs='...']"
                    + " -jar infra/bench/target/token-wallet-bench.jar");
            return;
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // The handlers' request log lines (one JSON line per request, for CloudWatch) would bury the figures: standard output goes nowhere, the bench prints to the console it kept.
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        Path work = Files.createTempDirectory("token-wallet-bench-");
        int status = 0;
        try (FakeDynamoDbServer dynamo = new FakeDynamoDb().serve()) {
            new Benchmark(Config.fromSystemProperties(), dynamo, work).run();
        } catch (Exception e) {
            OUT.flush();
            e.printStackTrace();
            status = 1;
        } finally {
            deleteTree(work);
        }
        OUT.flush();
        System.exit(status);
    }

    private void run() throws Exception {
        Instant began = Instant.now();
        debitJar = findDebitJar();
        childJar = writeChildJar();
        catalog = writeGenerousCatalog();
        List<String> jvmArgs = config.childJvmArgs() != null ? config.childJvmArgs() : defaultChildJvmArgs();
        printMachine(jvmArgs);
        if (config.runs("0")) {
            jarSizes();
        }
        try (DynamoDbClient admin = DynamoDbClients.create(dynamo.endpoint(), "us-east-1", List.of())) {
            createTable(admin, TABLE);
        }
        // Accounts for the children are opened through the handler of this JVM, so every one has the real shape.
        DynamoDbClient openerClient = DynamoDbClients.create(dynamo.endpoint(), "us-east-1", List.of());
        openerContext = WalletContexts.start(Map.of("wallet.table", TABLE, "wallet.catalog", catalog.toString()), openerClient);
        opener = new DebitHandler(openerContext);
        try {
            if (config.runs("1")) {
                callsAndCapacity();
            }
            Baseline baseline = config.runs("2") ? coldStart(jvmArgs) : null;
            if (config.runs("2b")) {
                priming(jvmArgs);
            }
            if (config.runs("3")) {
                throughput(jvmArgs, "3. Throughput: debits per second, DebitHandler.handleRequest against the raw TransactWriteItems",
                        true, "handle");
            }
            if (config.runs("3r")) {
                quotaReset();
            }
            if (config.runs("4")) {
                experiments(jvmArgs, baseline);
            }
        } finally {
            openerContext.close();
            openerClient.close();
        }
        printSummary(began);
    }

    /** Creates a table, tolerating the SDK's retry of a slow first attempt that did create it (a loaded machine). */
    private static void createTable(DynamoDbClient client, String table) {
        try {
            client.createTable(WalletTable.createTableRequest(table));
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceInUseException e) {
            // The name is this run's own: the first attempt created it.
        }
    }

    // ---------------------------------------------------------------- 1. calls and capacity

    private void callsAndCapacity() {
        heading("1. DynamoDB calls and consumed capacity per debit (handler in this JVM, warm)");
        DynamoDbCallCounter counter = new DynamoDbCallCounter();
        DynamoDbClient client = DynamoDbClients.create(dynamo.endpoint(), "us-east-1", List.of(counter));
        ApplicationContext context = WalletContexts.start(Map.of("wallet.table", TABLE, "wallet.catalog", catalog.toString()), counter, client);
        DynamoDbCallCounter freshCounter = new DynamoDbCallCounter();
        DynamoDbClient freshClient = DynamoDbClients.create(dynamo.endpoint(), "us-east-1", List.of(freshCounter));
        ApplicationContext freshContext = WalletContexts.start(Map.of("wallet.table", TABLE), freshCounter, freshClient);
        try {
            DebitHandler handler = new DebitHandler(context);
            String account = "calls-" + System.currentTimeMillis();
            expect(201, handler.handleRequest(DebitEvents.open(account), new BenchContext()), "open " + account);
            for (int i = 0; i < 20; i++) {
                expect(201, handler.handleRequest(DebitEvents.debit(account, account + "-warm-" + i), new BenchContext()), "warm-up debit");
            }
            counter.reset();
            int n = config.debits();
            String lastKey = null;
            for (int i = 0; i < n; i++) {
                lastKey = account + "-" + i;
                expect(201, handler.handleRequest(DebitEvents.debit(account, lastKey), new BenchContext()), "debit " + i);
            }
            Map<String, Long> calls = counter.snapshot();
            double callsPerDebit = (double) counter.total() / n;
            double wcuPerDebit = counter.consumedWriteCapacityUnits() / n;
            double rcuPerDebit = counter.consumedReadCapacityUnits() / n;

            counter.reset();
            APIGatewayV2HTTPResponse replay = handler.handleRequest(DebitEvents.debit(account, lastKey), new BenchContext());
            Map<String, Long> replayCalls = counter.snapshot();

            DebitHandler freshHandler = new DebitHandler(freshContext);
            expect(201, freshHandler.handleRequest(DebitEvents.debit(account, account + "-fresh"), new BenchContext()), "fresh-process debit");
            Map<String, Long> freshCalls = freshCounter.snapshot();

            OUT.printf(Locale.ROOT, "debits through DebitHandler.handleRequest on one account: %d (all 201), after 20 warm-up debits%n", n);
            OUT.printf(Locale.ROOT, "  calls per debit, by operation: %s%n", perDebit(calls, n));
            OUT.printf(Locale.ROOT, "  calls per debit, total:        %.2f%n", callsPerDebit);
            OUT.printf(Locale.ROOT, "  consumed WCU per debit:        %.2f (as the fake reports it with ReturnConsumedCapacity=TOTAL)%n", wcuPerDebit);
            OUT.printf(Locale.ROOT, "  consumed RCU per debit:        %.2f%n", rcuPerDebit);
            OUT.printf(Locale.ROOT, "replay of the last key (same process):        %s, status %d%n", describe(replayCalls), replay.getStatusCode());
            OUT.printf(Locale.ROOT, "first debit of an account a process has not seen (a fresh process): %s, consumed %.1f WCU + %.1f RCU%n",
                    describe(freshCalls), freshCounter.consumedWriteCapacityUnits(), freshCounter.consumedReadCapacityUnits());

            long[] sizes = itemShapes(client, account, lastKey);
            long theoretical = sizes[0];
            OUT.printf(Locale.ROOT, "  DynamoDB bills each item of a transaction: 2 WCU per started KB per item = %d WCU per debit (%d bytes in all);%n",
                    theoretical, sizes[1]);
            OUT.printf(Locale.ROOT, "  the fake's %.2f is computed by the same developer-guide rules (plus index writes), not measured on DynamoDB%n",
                    wcuPerDebit);
            String wcuText = wcuPerDebit > 0
                    ? String.format(Locale.ROOT, "%d by item sizes (fake reported %.2f)", theoretical, wcuPerDebit)
                    : String.format(Locale.ROOT, "%d by item sizes (fake reported none)", theoretical);
            summary.add(new String[]{"DynamoDB calls per debit (steady state)", String.format(Locale.ROOT, "%.2f  %s", callsPerDebit, perDebit(calls, n)),
                    "1", callsPerDebit <= 1.0 ? "MET" : "NOT MET"});
            summary.add(new String[]{"  first debit in a fresh process", describe(freshCalls), "-", "info"});
            summary.add(new String[]{"consumed WCU per debit", wcuText, "-", "info"});
            holdsAndRefunds(context, counter);
            debitsWithLots(context, counter, client);
        } finally {
            context.close();
            freshContext.close();
            client.close();
            freshClient.close();
        }
    }

    // ---------------------------------------------------------------- 3r. quota reset

    /**
     * Section 3r: accounts per second through the monthly reset, the worker driven as the state machine drives it
     * against a plain loop sending the same DynamoDB requests ({@link com.tokenwallet.bench.reset.QuotaResetBench}).
     */
    private void quotaReset() throws Exception {
        heading("3r. Quota reset: accounts per second, the worker turn by turn as infra/statemachines/quota-reset.asl.json drives it, against a raw loop of the same requests");
        var settings = com.tokenwallet.bench.reset.QuotaResetBench.Settings.fromSystemProperties();
        try (DynamoDbClient client = DynamoDbClients.create(dynamo.endpoint(), "us-east-1", List.of())) {
            var result = new com.tokenwallet.bench.reset.QuotaResetBench(settings, OUT).run(client);
            summary.add(new String[]{"quota reset, accounts/s worker / raw loop", String.format(Locale.ROOT, "%.2f  (%.0f/s vs %.0f/s; load %.1f-%.1f)",
                    result.ratio(), result.worker(), result.raw(), result.loadBefore(), result.loadAfter()),
                    ">= " + com.tokenwallet.bench.reset.QuotaResetBench.TARGET, result.met() ? "MET" : "NOT MET"});
        }
    }

    /** Calls per hold, capture, release and refund in the steady state (issue 4), next to the debit's. */
    private void holdsAndRefunds(ApplicationContext context, DynamoDbCallCounter counter) {
        DebitHandler debit = new DebitHandler(context);
        com.tokenwallet.refund.RefundHandler refund = new com.tokenwallet.refund.RefundHandler(context);
        String account = "holds-" + System.currentTimeMillis();
        expect(201, debit.handleRequest(DebitEvents.open(account), new BenchContext()), "open " + account);
        expect(201, debit.handleRequest(DebitEvents.debit(account, account + "-warm"), new BenchContext()), "warm-up debit");
        int n = 50;
        String holdBody = "{\"bucket\":\"credits\",\"amount\":2,\"description\":\"bench hold\",\"ttlSeconds\":600}";
        Map<String, Map<String, Long>> perOperation = new LinkedHashMap<>();
        for (String operation : List.of("hold", "capture", "release", "refund")) {
            perOperation.put(operation, new java.util.TreeMap<>());
        }
        for (int i = 0; i < n; i++) {
            counter.reset();
            String holdA = holdId(expect(201, debit.handleRequest(DebitEvents.event(DebitHandler.HOLDS, account, null, account + "-ha-" + i, holdBody), new BenchContext()), "hold"));
            add(perOperation.get("hold"), counter.snapshot());
            counter.reset();
            expect(200, debit.handleRequest(DebitEvents.event(DebitHandler.CAPTURE, account, holdA, account + "-c-" + i, "{\"amount\":1}"), new BenchContext()), "capture");
            add(perOperation.get("capture"), counter.snapshot());
            String holdB = holdId(expect(201, debit.handleRequest(DebitEvents.event(DebitHandler.HOLDS, account, null, account + "-hb-" + i, holdBody), new BenchContext()), "hold"));
            counter.reset();
            expect(200, refund.handleRequest(DebitEvents.event(com.tokenwallet.refund.RefundHandler.RELEASE, account, holdB, account + "-r-" + i, null), new BenchContext()), "release");
            add(perOperation.get("release"), counter.snapshot());
            APIGatewayV2HTTPResponse charged = expect(201, debit.handleRequest(DebitEvents.debit(account, account + "-d-" + i), new BenchContext()), "debit");
            String transactionId = charged.getBody().replaceAll(".*\"transactionId\":\"([^\"]+)\".*", "$1");
            counter.reset();
            expect(201, refund.handleRequest(DebitEvents.event(com.tokenwallet.refund.RefundHandler.REFUNDS, account, null, account + "-rf-" + i,
                    "{\"transactionId\":\"" + transactionId + "\",\"reason\":\"bench\"}"), new BenchContext()), "refund");
            add(perOperation.get("refund"), counter.snapshot());
        }
        OUT.printf(Locale.ROOT, "holds, captures, releases and refunds on one account (%d of each, after a warm-up debit):%n", n);
        perOperation.forEach((operation, calls) -> {
            long total = calls.values().stream().mapToLong(Long::longValue).sum();
            OUT.printf(Locale.ROOT, "  calls per %-8s %.2f  %s%n", operation + ":", (double) total / n, perDebit(calls, n));
            summary.add(new String[]{"DynamoDB calls per " + operation + " (steady state)", String.format(Locale.ROOT, "%.2f  %s", (double) total / n, perDebit(calls, n)),
                    operation.equals("refund") ? "-" : "1", operation.equals("refund") ? "info" : ((double) total / n <= 1.0 ? "MET" : "NOT MET")});
        });
    }

    /**
     * Issue 15: a debit of an account holding 1, 20 and 100 active lots (admin grants, each with its own expiry, as many
     * as an account may store) stays one call; its write units grow with the account item, which carries the lots.
     */
    private void debitsWithLots(ApplicationContext context, DynamoDbCallCounter counter, DynamoDbClient client) {
        DebitHandler debit = new DebitHandler(context);
        com.tokenwallet.domain.service.WalletService wallet = context.getBean(com.tokenwallet.domain.service.WalletService.class);
        int n = 20;
        OUT.printf(Locale.ROOT, "debits of an account with N active lots (%d debits each, after one warm-up debit):%n", n);
        OUT.println("  lots  calls per debit  account item bytes  WCU per debit by item sizes  fake-reported WCU per debit");
        for (int lots : new int[]{1, 20, com.tokenwallet.domain.Limits.MAX_STORED_LOTS}) {
            String account = "lots" + lots + "-" + System.currentTimeMillis();
            com.tokenwallet.domain.account.AccountId id = com.tokenwallet.domain.account.AccountId.of(account);
            expect(201, debit.handleRequest(DebitEvents.open(account), new BenchContext()), "open " + account);
            Instant expiry = Instant.now().plus(Duration.ofDays(30));
            for (int i = 0; i < lots; i++) {
                String key = account + "-grant-" + i;
                wallet.grant(new com.tokenwallet.domain.admin.AdminCommands.Grant(id, DebitEvents.BUCKET, 1_000, "bench lot", "bench",
                        java.util.Optional.of(new com.tokenwallet.domain.idempotency.Idempotency(new com.tokenwallet.domain.idempotency.IdempotencyKey(key), key)),
                        new com.tokenwallet.domain.admin.AdminCommands.LotTerms(java.util.Optional.of(expiry.plusSeconds(i)), java.util.Optional.empty(), java.util.Optional.empty())),
                        r -> new com.tokenwallet.domain.idempotency.StoredResponse(201, "{}"));
            }
            expect(201, debit.handleRequest(DebitEvents.debit(account, account + "-warm"), new BenchContext()), "warm-up debit");
            counter.reset();
            String lastKey = null;
            for (int i = 0; i < n; i++) {
                lastKey = account + "-" + i;
                expect(201, debit.handleRequest(DebitEvents.debit(account, lastKey), new BenchContext()), "debit with lots");
            }
            double calls = (double) counter.total() / n;
            double reported = counter.consumedWriteCapacityUnits() / n;
            String finalKey = lastKey;
            Map<String, AttributeValue> accountItem = client.getItem(b -> b.tableName(TABLE).key(RawDebits.accountKey(account)).consistentRead(true)).item();
            Map<String, AttributeValue> entry = client.query(b -> b.tableName(TABLE)
                    .keyConditionExpression("PK = :pk AND begins_with(SK, :tx)")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ACCOUNT#" + account), ":tx", AttributeValue.fromS("TX#")))
                    .scanIndexForward(false).limit(1).consistentRead(true)).items().getFirst();
            Map<String, AttributeValue> record = client.getItem(b -> b.tableName(TABLE).key(RawDebits.idempotencyKey(account, finalKey)).consistentRead(true)).item();
            long wcu = ItemSizes.transactionalWcu(accountItem) + ItemSizes.transactionalWcu(entry) + ItemSizes.transactionalWcu(record);
            OUT.printf(Locale.ROOT, "  %4d  %15.2f  %18d  %27d  %27.2f%n", lots, calls, ItemSizes.size(accountItem), wcu, reported);
            summary.add(new String[]{"  debit with " + lots + " active lot" + (lots == 1 ? "" : "s"),
                    String.format(Locale.ROOT, "%.2f calls, %d WCU by item sizes (account item %d bytes)", calls, wcu, ItemSizes.size(accountItem)),
                    "1 call", calls <= 1.0 ? "MET" : "NOT MET"});
        }
    }

    private static void add(Map<String, Long> into, Map<String, Long> calls) {
        calls.forEach((k, v) -> into.merge(k, v, Long::sum));
    }

    private static String holdId(APIGatewayV2HTTPResponse response) {
        return response.getBody().replaceAll(".*\"holdId\":\"([^\"]+)\".*", "$1");
    }

    /** Prints the three items a debit writes, as the handler wrote them and as the raw SDK side builds them. */
    private long[] itemShapes(DynamoDbClient client, String account, String key) {
        Map<String, AttributeValue> accountItem = client.getItem(b -> b.tableName(TABLE).key(RawDebits.accountKey(account)).consistentRead(true)).item();
        Map<String, AttributeValue> entry = client.query(b -> b.tableName(TABLE)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :tx)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ACCOUNT#" + account), ":tx", AttributeValue.fromS("TX#")))
                .scanIndexForward(false).limit(1).consistentRead(true)).items().getFirst();
        Map<String, AttributeValue> record = client.getItem(b -> b.tableName(TABLE).key(RawDebits.idempotencyKey(account, key)).consistentRead(true)).item();
        List<TransactWriteItem> raw = RawDebits.prepare(TABLE, accountItem, DebitEvents.BUCKET, DebitEvents.AMOUNT, DebitEvents.DESCRIPTION,
                key, RawDebits.fingerprint(DebitEvents.DEBIT_ROUTE, account, DebitEvents.DEBIT_BODY), Instant.now()).request().transactItems();
        List<Map<String, AttributeValue>> handlerItems = List.of(accountItem, entry, record);
        String[] names = {"account", "ledger entry", "idempotency record"};
        OUT.println("the items of one debit (one TransactWriteItems of three conditional puts):");
        OUT.println("  item                 handler bytes  raw-SDK bytes  same attributes  WCU (transactional: 2 per started KB)");
        long wcu = 0;
        long bytes = 0;
        for (int i = 0; i < 3; i++) {
            Map<String, AttributeValue> mine = handlerItems.get(i);
            Map<String, AttributeValue> theirs = raw.get(i).put().item();
            long itemWcu = ItemSizes.transactionalWcu(mine);
            wcu += itemWcu;
            bytes += ItemSizes.size(mine);
            OUT.printf(Locale.ROOT, "  %-20s %13d  %13d  %-15s  %d%n", names[i], ItemSizes.size(mine), ItemSizes.size(theirs),
                    new TreeSet<>(mine.keySet()).equals(new TreeSet<>(theirs.keySet())) ? "yes" : "NO " + diff(mine, theirs), itemWcu);
        }
        return new long[]{wcu, bytes};
    }

    private static String diff(Map<String, AttributeValue> a, Map<String, AttributeValue> b) {
        TreeSet<String> onlyA = new TreeSet<>(a.keySet());
        onlyA.removeAll(b.keySet());
        TreeSet<String> onlyB = new TreeSet<>(b.keySet());
        onlyB.removeAll(a.keySet());
        return "(handler only " + onlyA + ", raw only " + onlyB + ")";
    }

    // ---------------------------------------------------------------- 2. cold start

    /** Medians of the cold-start runs of one variant. */
    record ColdStats(String label, List<ChildJvm.Run> runs) {
        double median(ToDoubleFunction<ChildJvm.Run> f) {
            double[] v = runs.stream().mapToDouble(f).sorted().toArray();
            return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }

        double total() {
            return median(ChildJvm.Run::spawnToResultMs);
        }

        double phase(String key) {
            return median(r -> r.number(key));
        }

        Object calls() {
            return runs.isEmpty() ? Map.of() : runs.getFirst().result().get("calls");
        }

        /**
         * The median over i of this variant's i-th run divided by the other's i-th run: the two ran one after the
         * other, so a burst of load from elsewhere on the machine slows both members of a pair.
         */
        double pairRatio(ColdStats other, ToDoubleFunction<ChildJvm.Run> f) {
            double[] r = pairRatios(other, f);
            return r.length == 0 ? Double.NaN : r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
        }

        double[] pairRatios(ColdStats other, ToDoubleFunction<ChildJvm.Run> f) {
            int n = Math.min(runs.size(), other.runs.size());
            double[] r = new double[n];
            for (int i = 0; i < n; i++) {
                r[i] = f.applyAsDouble(runs.get(i)) / f.applyAsDouble(other.runs.get(i));
            }
            Arrays.sort(r);
            return r;
        }
    }

    private Baseline coldStart(List<String> jvmArgs) {
        heading("2. Cold start: a fresh JVM constructs the handler, then answers its first debit (fake DynamoDB)");
        OUT.println("child JVM: " + String.join(" ", command(jvmArgs, debitJar)) + " " + ColdStart.class.getName() + " <real|bare> <account>");
        OUT.printf(Locale.ROOT, "runs: 1 warm-up pair (discarded), then %d of each, alternating which goes first%n", config.coldRuns());
        List<ColdStats> both = alternate(new Variant(jvmArgs, "real", debitJar), new Variant(jvmArgs, "bare", debitJar), config.coldRuns());
        ColdStats real = both.get(0);
        ColdStats bare = both.get(1);
        OUT.printf(Locale.ROOT, "%-46s %14s %20s %8s%n", "median, ms", "DebitHandler", "bare RequestHandler", "ratio");
        row("process spawn -> first debit answered", real.total(), bare.total());
        row("  JVM start -> main()", real.phase("jvmToMainMs"), bare.phase("jvmToMainMs"));
        row("  main() -> handler constructed", real.phase("constructMs"), bare.phase("constructMs"));
        row("  handler constructed -> first debit answered", real.phase("firstDebitMs"), bare.phase("firstDebitMs"));
        row("  main() -> first debit answered", real.phase("mainToAnswerMs"), bare.phase("mainToAnswerMs"));
        row("CPU time of the process until answered", real.phase("cpuMs"), bare.phase("cpuMs"));
        row("classes loaded (incl. the JMX read-out)", real.phase("classesLoaded"), bare.phase("classesLoaded"));
        OUT.println("DynamoDB calls of the first debit: DebitHandler " + shortCalls(real.calls()) + ", bare " + shortCalls(bare.calls()));
        OUT.println("each run, spawn -> answered, ms: DebitHandler " + each(real) + "; bare " + each(bare));
        double[] pairs = real.pairRatios(bare, ChildJvm.Run::spawnToResultMs);
        double ratio = real.pairRatio(bare, ChildJvm.Run::spawnToResultMs);
        OUT.printf(Locale.ROOT, "ratio of each pair (DebitHandler / the bare run next to it): %s%n",
                Arrays.stream(pairs).mapToObj(r -> String.format(Locale.ROOT, "%.2f", r)).toList());
        OUT.printf(Locale.ROOT, "cold-start ratio, median of the pairs, spawn -> first debit answered: %.2f (target <= %.1f: %s);"
                        + " ratio of the medians %.2f; of CPU time %.2f%n", ratio, COLD_START_TARGET,
                ratio <= COLD_START_TARGET ? "MET" : "NOT MET", real.total() / bare.total(), real.pairRatio(bare, r -> r.number("cpuMs")));
        OUT.printf(Locale.ROOT, "with SnapStart (template.yaml) the construction happens before the snapshot; what follows a restore,"
                + " the first debit, takes %.0f ms against %.0f ms (ratio %.2f); restore itself cannot be measured here%n",
                real.phase("firstDebitMs"), bare.phase("firstDebitMs"), real.pairRatio(bare, r -> r.number("firstDebitMs")));
        summary.add(new String[]{"cold-start ratio, DebitHandler / bare handler", String.format(Locale.ROOT, "%.2f  (medians %.0f ms / %.0f ms)",
                ratio, real.total(), bare.total()), "<= 1.5", ratio <= COLD_START_TARGET ? "MET" : "NOT MET"});
        summary.add(new String[]{"  first debit only (what a SnapStart restore leaves)", String.format(Locale.ROOT, "%.2f  (medians %.0f ms / %.0f ms)",
                real.pairRatio(bare, r -> r.number("firstDebitMs")), real.phase("firstDebitMs"), bare.phase("firstDebitMs")), "-", "info"});
        return new Baseline(real, bare);
    }

    /**
     * SnapStart priming without a CRaC JVM: a fresh child constructs the debit function and runs its SnapStart hooks
     * (the priming a snapshot would hold, then the restore's renewal), then answers the first real debit of an account
     * it has not seen, against the median warm debit of the same child. Unprimed children run alternately, for
     * comparison.
     */
    private void priming(List<String> jvmArgs) {
        heading("2b. SnapStart priming: construct + prime, then the first real debit against a warm debit (fake DynamoDB)");
        List<String> base = command(jvmArgs, debitJar);
        OUT.println("child JVM: " + String.join(" ", base) + " " + PrimedStart.class.getName() + " <primed|unprimed> <account>");
        int runs = Math.max(3, config.coldRuns() / 2);
        OUT.printf(Locale.ROOT, "runs: %d of each, alternating, after one discarded pair; warm = median of the last %d of %d debits"
                + " in the same child%n", runs, PrimedStart.MEASURED, PrimedStart.WARM);
        warmFake();
        List<ChildJvm.Run> primed = new ArrayList<>();
        List<ChildJvm.Run> unprimed = new ArrayList<>();
        for (int i = 0; i <= runs; i++) {
            boolean primedFirst = i % 2 == 0;
            ChildJvm.Run a = primedRun(base, primedFirst ? "primed" : "unprimed");
            ChildJvm.Run b = primedRun(base, primedFirst ? "unprimed" : "primed");
            if (i > 0) {
                primed.add(primedFirst ? a : b);
                unprimed.add(primedFirst ? b : a);
            }
        }
        ColdStats p = new ColdStats("primed", primed);
        ColdStats u = new ColdStats("unprimed", unprimed);
        OUT.printf(Locale.ROOT, "%-46s %14s %20s%n", "median, ms", "primed", "unprimed");
        OUT.printf(Locale.ROOT, "%-46s %14.1f %20.1f%n", "  main() -> handler constructed", p.phase("constructMs"), u.phase("constructMs"));
        OUT.printf(Locale.ROOT, "%-46s %14.1f %20.1f%n", "  priming (beforeCheckpoint + afterRestore)", p.phase("primeMs"), u.phase("primeMs"));
        OUT.printf(Locale.ROOT, "%-46s %14.1f %20.1f%n", "  first real debit", p.phase("firstDebitMs"), u.phase("firstDebitMs"));
        OUT.printf(Locale.ROOT, "%-46s %14.2f %20.2f%n", "  warm debit (same child)", p.phase("warmMedianMs"), u.phase("warmMedianMs"));
        OUT.printf(Locale.ROOT, "%-46s %14.2f %20.2f%n", "  first / warm", p.phase("firstOverWarm"), u.phase("firstOverWarm"));
        OUT.printf(Locale.ROOT, "%-46s %14.2f %20.2f%n", "  CPU time of the first debit (its thread)", p.phase("firstDebitCpuMs"),
                u.phase("firstDebitCpuMs"));
        OUT.printf(Locale.ROOT, "%-46s %14.2f %20.2f%n", "  CPU time of a warm debit (its thread, median)", p.phase("warmCpuMedianMs"),
                u.phase("warmCpuMedianMs"));
        OUT.printf(Locale.ROOT, "%-46s %14.0f %20.0f%n", "  classes loaded by the first debit", p.phase("classesLoadedByFirst"),
                u.phase("classesLoadedByFirst"));
        OUT.println("DynamoDB calls of the first debit (an account the process has not seen): " + shortCalls(p.runs().getFirst().result().get("firstCalls"))
                + "; a warm debit makes 1 (TransactWriteItems)");
        OUT.println("each primed run, first / warm: " + p.runs().stream()
                .map(r -> String.format(Locale.ROOT, "%.2f", r.number("firstOverWarm"))).toList()
                + "; in its thread's CPU time: " + p.runs().stream()
                .map(r -> String.format(Locale.ROOT, "%.2f", r.number("firstDebitCpuMs") / r.number("warmCpuMedianMs"))).toList());
        if (PRIMING_PHASES > 0) {
            primingPhases(p);
        }
        double ratio = p.phase("firstOverWarm");
        summary.add(new String[]{"first debit after construct + prime / warm debit", String.format(Locale.ROOT,
                "%.2f  (medians %.1f ms / %.2f ms; unprimed %.2f)", ratio, p.phase("firstDebitMs"), p.phase("warmMedianMs"),
                u.phase("firstOverWarm")), "<= 2", ratio <= 2 ? "MET" : "NOT MET"});
    }

    /**
     * The fake answers in this JVM, and DynamoDB's servers are never cold: before any child is timed, this JVM sends
     * the fake the two requests of a first debit (the BatchGetItem of an account and a key, the TransactWriteItems
     * of a debit) a few hundred times, so that the fake's code for them is compiled here and a child's first debit
     * is not timed against the fake's own first answers. At most 500 of each, and 30 s.
     */
    private void warmFake() {
        String account = openAccount("fake-warm-up");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int n = 0;
        try (DynamoDbClient client = DynamoDbClients.create(dynamo.endpoint(), "us-east-1", List.of())) {
            for (; n < 500 && System.nanoTime() < deadline; n++) {
                String key = "fake-warm-up-" + n;
                expect(201, opener.handleRequest(DebitEvents.debit(account, key), new BenchContext()), "fake warm-up debit");
                client.batchGetItem(b -> b.requestItems(Map.of(TABLE, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder()
                        .keys(RawDebits.accountKey(account), RawDebits.idempotencyKey(account, key)).consistentRead(true).build())));
            }
        }
        OUT.printf(Locale.ROOT, "the fake warmed up first: %d debits and %d BatchGetItem of an account and a key from this JVM%n", n, n);
    }

    private ChildJvm.Run primedRun(List<String> base, String mode) {
        String account = openAccount("primed-" + mode);
        List<String> cmd = new ArrayList<>(base);
        List<String> args = new ArrayList<>(List.of(PrimedStart.class.getName(), mode, account));
        Duration timeout = Duration.ofSeconds(120);
        int phases = PRIMING_PHASES;
        if (phases > 0 && mode.equals("primed")) {
            // Opt-in instrumentation (see PrimedStart and PhaseClock): the phases jar declares PhaseClock a global
            // SDK interceptor, and the child debits `phases` accounts it has not seen after its warm debits.
            int cp = cmd.indexOf("-cp") + 1;
            cmd.set(cp, cmd.get(cp) + java.io.File.pathSeparator + phasesJar());
            List<String> unseen = new ArrayList<>();
            for (int i = 0; i < phases; i++) {
                unseen.add(openAccount("unseen"));
            }
            Path file = work.resolve("unseen-" + accounts + ".txt");
            try {
                Files.write(file, unseen);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            args.add(file.toString());
            timeout = Duration.ofSeconds(300);
        }
        cmd.addAll(args);
        ChildJvm.Run run = ChildJvm.run(cmd, functionEnv(true), work, timeout);
        if (((Number) run.result().get("status")).intValue() != 201) {
            throw new IllegalStateException("the " + mode + " child's first debit answered " + run.result());
        }
        return run;
    }

    /**
     * Section 2b's opt-in breakdown ({@code -Dbench.primingPhases=N}, default 0: off): each primed child also debits
     * N accounts it has not seen, after its warm debits, and its function's DynamoDB client carries
     * {@link com.tokenwallet.bench.child.PhaseClock}, which notes the wall and the thread's CPU clocks around each call.
     */
    static final int PRIMING_PHASES = Integer.getInteger("bench.primingPhases", 0);

    private Path phasesJar;

    /** A jar holding only the SDK's global interceptor list, naming PhaseClock (the class is in the child jar). */
    private Path phasesJar() {
        if (phasesJar == null) {
            Path jar = work.resolve("bench-phases.jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                out.putNextEntry(new JarEntry("software/amazon/awssdk/global/handlers/execution.interceptors"));
                out.write((com.tokenwallet.bench.child.PhaseClock.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            phasesJar = jar;
        }
        return phasesJar;
    }

    /** Prints the primed children's phases: medians over the children of each child's figure. */
    private void primingPhases(ColdStats p) {
        OUT.println();
        OUT.println("phases (opt-in, -Dbench.primingPhases=" + PRIMING_PHASES + "; instrumented children: the clocks add a few"
                + " microseconds per call), median over the primed children, ms, wall / CPU of the debit's thread:");
        OUT.printf(Locale.ROOT, "%-34s %18s %18s %18s %18s%n", "phase", "first debit", "warm (seen)", "unseen (2nd half)", "1st unseen");
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        for (String which : List.of("firstPhases", "unseenPhases", "warmPhases", "unseenFirstPhases")) {
            for (ChildJvm.Run r : p.runs()) {
                if (r.result().get(which) instanceof Map<?, ?> m) {
                    m.keySet().forEach(k -> {
                        String key = String.valueOf(k);
                        if (key.endsWith("CpuMs")) {
                            keys.add(key.substring(0, key.length() - "CpuMs".length()));
                        }
                    });
                }
            }
        }
        for (String phase : keys) {
            OUT.printf(Locale.ROOT, "%-34s %18s %18s %18s %18s%n", phase, phaseCell(p, "firstPhases", phase), phaseCell(p, "warmPhases", phase),
                    phaseCell(p, "unseenPhases", phase), phaseCell(p, "unseenFirstPhases", phase));
        }
        OUT.printf(Locale.ROOT, "unseen accounts per child: %.0f; unseen debit, median of the second half: %.2f ms wall, %.2f ms CPU;"
                        + " the first of them: %.2f ms, %.2f ms CPU%n", p.phase("unseenCount"), p.phase("unseenMedianMs"),
                p.phase("unseenCpuMedianMs"), p.phase("unseenFirstMs"), p.phase("unseenFirstCpuMs"));
        OUT.printf(Locale.ROOT, "first debit / unseen debit (both 2 calls): %.2f wall, %.2f CPU; unseen / warm: %.2f wall, %.2f CPU%n",
                p.median(r -> r.number("firstDebitMs") / r.number("unseenMedianMs")),
                p.median(r -> r.number("firstDebitCpuMs") / r.number("unseenCpuMedianMs")),
                p.median(r -> r.number("unseenMedianMs") / r.number("warmMedianMs")),
                p.median(r -> r.number("unseenCpuMedianMs") / r.number("warmCpuMedianMs")));
        for (int i = 0; p.runs().getFirst().result().containsKey("early" + i + "Phases"); i++) {
            String which = "early" + i + "Phases";
            OUT.printf(Locale.ROOT, "debit %d after the first (another unseen account): total %s; %s%n", i + 1, phaseCell(p, which, "total"),
                    keys.stream().filter(k -> !k.equals("total")).map(k -> k + " " + phaseCell(p, which, k)).toList());
        }
        OUT.println("each primed child, first debit wall/CPU by phase: ");
        for (ChildJvm.Run r : p.runs()) {
            OUT.println("  " + r.result().get("firstPhases"));
        }
    }

    private static String phaseCell(ColdStats p, String which, String phase) {
        double wall = p.median(r -> nested(r, which, phase + "Ms"));
        double cpu = p.median(r -> nested(r, which, phase + "CpuMs"));
        return Double.isNaN(wall) ? "-" : String.format(Locale.ROOT, "%.3f / %.3f", wall, cpu);
    }

    private static double nested(ChildJvm.Run r, String which, String key) {
        return r.result().get(which) instanceof Map<?, ?> m && m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** Each function's deployment package (the shaded jars template.yaml points at), as built. */
    private void jarSizes() {
        heading("0. Deployment packages: functions/*/target/*-function.jar");
        Path functions = debitJar.toAbsolutePath().getParent().getParent().getParent();
        try (var modules = Files.list(functions)) {
            for (Path module : modules.sorted().toList()) {
                Path target = module.resolve("target");
                if (!Files.isDirectory(target)) {
                    continue;
                }
                try (var jars = Files.list(target)) {
                    for (Path jar : jars.filter(j -> j.getFileName().toString().endsWith("-function.jar")
                            && !j.getFileName().toString().startsWith("original-")).sorted().toList()) {
                        OUT.printf(Locale.ROOT, "%-36s %8.2f MB  (%,d bytes)%n", jar.getFileName(), size(jar) / 1_048_576.0, size(jar));
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The cold starts of section 2, which the experiments compare with. */
    record Baseline(ColdStats real, ColdStats bare) {
    }

    /** One way to start a child: JVM flags, handler ({@link ColdStart}'s argument) and the function jar. */
    record Variant(List<String> jvmArgs, String mode, Path jar) {
        Variant with(String flag) {
            List<String> args = new ArrayList<>(jvmArgs);
            args.add(flag);
            return new Variant(args, mode, jar);
        }
    }

    /** Runs two variants {@code runs} times each, alternating which goes first, after one discarded warm-up pair. */
    private List<ColdStats> alternate(Variant a, Variant b, int runs) {
        List<ChildJvm.Run> as = new ArrayList<>();
        List<ChildJvm.Run> bs = new ArrayList<>();
        for (int i = 0; i <= runs; i++) {
            boolean aFirst = i % 2 == 0;
            ChildJvm.Run first = cold(aFirst ? a : b);
            ChildJvm.Run second = cold(aFirst ? b : a);
            if (i > 0) {
                as.add(aFirst ? first : second);
                bs.add(aFirst ? second : first);
            }
        }
        return List.of(new ColdStats(a.mode(), as), new ColdStats(b.mode(), bs));
    }

    private ChildJvm.Run cold(Variant v) {
        String account = openAccount("cold-" + v.mode());
        List<String> cmd = new ArrayList<>(command(v.jvmArgs(), v.jar()));
        cmd.addAll(List.of(ColdStart.class.getName(), v.mode(), account));
        ChildJvm.Run run = ChildJvm.run(cmd, functionEnv(false), work, Duration.ofSeconds(90));
        if (((Number) run.result().get("status")).intValue() != 201) {
            throw new IllegalStateException("the " + v.mode() + " child's first debit answered " + run.result());
        }
        return run;
    }

    // ---------------------------------------------------------------- 3. throughput

    private void throughput(List<String> jvmArgs, String title, boolean headline, String mode) {
        heading(title);
        List<String> cmd = new ArrayList<>(command(jvmArgs, debitJar));
        cmd.addAll(List.of(Throughput.class.getName(), config.threads(), Integer.toString(config.rounds()),
                Integer.toString(config.perRound()), Integer.toString(config.warmup()), Integer.toString(config.roundSeconds()), mode));
        OUT.println("child JVM: " + String.join(" ", cmd));
        if (headline) {
            OUT.printf(Locale.ROOT, "each thread debits an account of its own; %d warm-up debits per thread and side, then %d rounds per side,"
                            + " alternating handler and raw, each up to %d debits per thread and %d s%n",
                    config.warmup(), config.rounds(), config.perRound(), config.roundSeconds());
        }
        Map<String, String> env = functionEnv(true);
        env.put("BENCH_RUN", "tp" + System.nanoTime());
        int[] threads = Arrays.stream(config.threads().split(",")).mapToInt(Integer::parseInt).toArray();
        Duration timeout = Duration.ofSeconds(120L + 2L * (threads.length * config.rounds() + 1) * config.roundSeconds());
        ChildJvm.Run run = ChildJvm.run(cmd, env, work, timeout);
        OUT.printf(Locale.ROOT, "%-8s %12s %12s %7s %12s %9s  %s%n", "threads", "handler /s", "raw SDK /s", "ratio",
                "handler ms", "raw ms", "calls per debit: handler | raw");
        for (int t : threads) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) run.result().get("threads" + t);
            double hd = num(r, "handlerDebits");
            double rd = num(r, "rawDebits");
            double handlerRate = hd / num(r, "handlerSeconds");
            double rawRate = rd / num(r, "rawSeconds");
            double ratio = handlerRate / rawRate;
            OUT.printf(Locale.ROOT, "%-8d %12.1f %12.1f %7.2f %12.2f %9.2f  %s | %s%s%n", t, handlerRate, rawRate, ratio,
                    1000.0 * t / handlerRate, 1000.0 * t / rawRate,
                    perDebit(longs(r.get("handlerCalls")), (long) hd), perDebit(longs(r.get("rawCalls")), (long) rd),
                    num(r, "handlerFailures") + num(r, "rawFailures") > 0
                            ? String.format(Locale.ROOT, "  FAILURES handler %.0f raw %.0f", num(r, "handlerFailures"), num(r, "rawFailures")) : "");
            if (headline) {
                summary.add(new String[]{"throughput ratio, handler / raw SDK, " + t + (t == 1 ? " thread" : " threads"),
                        String.format(Locale.ROOT, "%.2f  (%.0f/s vs %.0f/s)", ratio, handlerRate, rawRate), ">= 0.8",
                        ratio >= THROUGHPUT_TARGET ? "MET" : "NOT MET"});
            }
        }
        if (headline) {
            OUT.println("(ms = mean time per debit and thread; 1 thread is one Lambda instance, which serves one request at a time;"
                    + " the handler's request log lines are built but not printed)");
        }
    }

    // ---------------------------------------------------------------- 4. experiments

    private void experiments(List<String> jvmArgs, Baseline baseline) throws IOException {
        heading("4. Experiments: what would cut the cold start and the per-request cost (nothing in functions/ changed)");
        int runs = config.experimentRuns();
        Variant real = new Variant(jvmArgs, "real", debitJar);
        Variant bare = new Variant(jvmArgs, "bare", debitJar);
        List<String[]> rows = new ArrayList<>();
        rows.add(expRow("A baseline: debit-function.jar, template flags", baseline.real(), baseline.bare(), baseline.real()));

        // JVM options only.
        List<String> fullJit = jvmArgs.stream().filter(a -> !a.startsWith("-XX:TieredStopAtLevel")).toList();
        List<ColdStats> c2 = alternate(new Variant(fullJit, "real", debitJar), new Variant(fullJit, "bare", debitJar), runs);
        rows.add(expRow("B without -XX:TieredStopAtLevel=1, both", c2.get(0), c2.get(1), baseline.real()));

        Path realJsa = work.resolve("real.jsa");
        Path bareJsa = work.resolve("bare.jsa");
        cold(real.with("-XX:ArchiveClassesAtExit=" + realJsa));
        cold(bare.with("-XX:ArchiveClassesAtExit=" + bareJsa));
        if (Files.exists(realJsa) && Files.exists(bareJsa)) {
            List<ColdStats> cds = alternate(real.with("-XX:SharedArchiveFile=" + realJsa), bare.with("-XX:SharedArchiveFile=" + bareJsa), runs);
            rows.add(expRow("C AppCDS archive of a training run, both", cds.get(0), cds.get(1), baseline.real()));
        } else {
            OUT.println("C AppCDS: the training run wrote no archive; skipped");
        }
        if (Runtime.version().feature() >= 25) {
            Path realAot = work.resolve("real.aot");
            Path bareAot = work.resolve("bare.aot");
            ChildJvm.Run realTraining = cold(real.with("-XX:AOTCacheOutput=" + realAot));
            ChildJvm.Run bareTraining = cold(bare.with("-XX:AOTCacheOutput=" + bareAot));
            if (!Files.exists(realAot) || !Files.exists(bareAot)) {
                OUT.println("D: a training run wrote no AOT cache (exit codes " + realTraining.exitCode() + ", " + bareTraining.exitCode()
                        + "); its standard error ends:\n" + (Files.exists(realAot) ? bareTraining : realTraining).stderrTail());
            }
            if (Files.exists(realAot) && Files.exists(bareAot)) {
                List<ColdStats> aot = alternate(real.with("-XX:AOTCache=" + realAot), bare.with("-XX:AOTCache=" + bareAot), runs);
                rows.add(expRow("D JDK 25 AOT cache of a training run, both", aot.get(0), aot.get(1), baseline.real()));
            }
        }

        // Code-shaped changes, tried on copies: subclasses and wrappers in this module, and a trimmed copy of the jar.
        List<ColdStats> lazy = alternate(new Variant(jvmArgs, "real-lazy", debitJar), bare, runs);
        rows.add(expRow("E no eagerInitSingletons (LazyDebitHandler)", lazy.get(0), lazy.get(1), baseline.real()));
        List<ColdStats> direct = alternate(new Variant(jvmArgs, "real-direct", debitJar), bare, runs);
        rows.add(expRow("F plain RequestHandler over execute() (Direct..)", direct.get(0), direct.get(1), baseline.real()));
        Path trimmed = trimmedCopy();
        List<ColdStats> trim = alternate(new Variant(jvmArgs, "real-direct", trimmed), new Variant(jvmArgs, "bare", trimmed), runs);
        rows.add(expRow("G F + only micronaut-context's beans (copy)", trim.get(0), trim.get(1), baseline.real()));
        List<ColdStats> trimLazy = alternate(new Variant(jvmArgs, "real-direct-lazy", trimmed), new Variant(jvmArgs, "bare", trimmed), runs);
        rows.add(expRow("H G without eagerInitSingletons", trimLazy.get(0), trimLazy.get(1), baseline.real()));
        List<ColdStats> plain = alternate(new Variant(jvmArgs, "real-plain", debitJar), bare, runs);
        rows.add(expRow("I the same classes wired by hand, no Micronaut", plain.get(0), plain.get(1), baseline.real()));

        OUT.printf(Locale.ROOT, "%-48s %6s %6s %6s %6s %6s %6s %6s %6s%n", "variant (medians of " + runs + " pairs, ms)", "real",
                "constr", "1st", "CPU", "bare", "ratio", "CPU", "vs A");
        rows.forEach(r -> OUT.printf(Locale.ROOT, "%-48s %6s %6s %6s %6s %6s %6s %6s %6s%n", (Object[]) r));
        OUT.println("real = the debit function's code: process spawn -> first debit answered, of which main() -> constructed and");
        OUT.println("constructed -> first debit answered, and the process's CPU time; bare = the bare handler, spawn -> answered;");
        OUT.println("ratio = median of pair ratios real/bare (wall, then CPU); vs A = real's median against A's;");
        OUT.println("E LazyDebitHandler: DebitHandler whose context builder leaves out eagerInitSingletons(true);");
        OUT.println("F DirectDebitHandler: a plain RequestHandler that starts the same context (eager) and answers with ApiHandler.execute,");
        OUT.println("  so no request passes through MicronautRequestHandler.handleRequest;");
        OUT.println("G F on a copy of debit-function.jar from which the bean definitions of micronaut-function(-aws), -http, -json,");
        OUT.println("  -serde and -jackson are removed: what api would load if it depended on micronaut-context instead of");
        OUT.println("  micronaut-function-aws and micronaut-serde-jackson (the bare handler runs from the same copy);");
        OUT.println("H G with eagerInitSingletons off (ApiHandler still creates the WalletService, its store, client and catalog);");
        OUT.println("I PlainDebitHandler: ApiRequest, WalletService, DynamoDbWalletStore, CatalogLoader wired as WalletFactory does,");
        OUT.println("  debit route copied from ApiHandler.execute and DebitHandler.debit, no Micronaut (the floor of the wallet's own code).");

        throughput(fullJit, "4b. Throughput without -XX:TieredStopAtLevel=1 (C2 available), handler as deployed", false, "handle");
        throughput(jvmArgs, "4c. Throughput, template flags, handler answering through ApiHandler.execute (as F)", false, "direct");
    }

    private static String[] expRow(String label, ColdStats real, ColdStats bare, ColdStats base) {
        return new String[]{label, fmt(real.total()), fmt(real.phase("constructMs")), fmt(real.phase("firstDebitMs")), fmt(real.phase("cpuMs")),
                fmt(bare.total()), String.format(Locale.ROOT, "%.2f", real.pairRatio(bare, ChildJvm.Run::spawnToResultMs)),
                String.format(Locale.ROOT, "%.2f", real.pairRatio(bare, r -> r.number("cpuMs"))),
                String.format(Locale.ROOT, "%+.0f%%", 100 * (real.total() / base.total() - 1))};
    }

    /**
     * A copy of debit-function.jar whose Micronaut bean definitions are only those of the wallet, micronaut-inject,
     * -aop and -context: the classes stay, the beans of micronaut-function(-aws), -http, -json, -serde and -jackson are
     * no longer discovered, as if api depended on micronaut-context instead of micronaut-function-aws.
     */
    private Path trimmedCopy() throws IOException {
        String references = "META-INF/micronaut/io.micronaut.inject.BeanDefinitionReference/";
        List<String> keep = List.of("com.tokenwallet.", "io.micronaut.context.", "io.micronaut.inject.", "io.micronaut.aop.",
                "io.micronaut.logging.", "io.micronaut.runtime.", "io.micronaut.scheduling.");
        Path copy = work.resolve("debit-function-trimmed.jar");
        int removed = 0;
        try (JarFile in = new JarFile(debitJar.toFile()); JarOutputStream out = new JarOutputStream(Files.newOutputStream(copy))) {
            for (JarEntry e : java.util.Collections.list(in.entries())) {
                String name = e.getName();
                if (name.startsWith(references) && name.length() > references.length()) {
                    String bean = name.substring(references.length());
                    if (keep.stream().noneMatch(bean::startsWith) || bean.startsWith("io.micronaut.runtime.http.")) {
                        removed++;
                        continue;
                    }
                }
                out.putNextEntry(new JarEntry(name));
                try (InputStream data = in.getInputStream(e)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
        }
        OUT.printf(Locale.ROOT, "G/H: trimmed copy of debit-function.jar without %d bean definitions%n", removed);
        return copy;
    }

    // ---------------------------------------------------------------- summary

    private void printSummary(Instant began) {
        heading("Summary");
        OUT.printf(Locale.ROOT, "%-52s %-48s %-8s %s%n", "figure", "measured", "target", "result");
        for (String[] r : summary) {
            OUT.printf(Locale.ROOT, "%-52s %-48s %-8s %s%n", (Object[]) r);
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        OUT.printf(Locale.ROOT, "bench took %d s; load average at the end %.2f%n", Duration.between(began, Instant.now()).toSeconds(),
                os.getSystemLoadAverage());
    }

    // ---------------------------------------------------------------- set-up

    private void printMachine(List<String> jvmArgs) throws IOException {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        heading("Token Wallet benchmark");
        OUT.printf(Locale.ROOT, "machine: %d cores (%s), %d MB RAM, %s %s; load average at the start %.2f%n",
                Runtime.getRuntime().availableProcessors(), cpuModel(), os.getTotalMemorySize() / (1024 * 1024),
                System.getProperty("os.name"), System.getProperty("os.arch"), os.getSystemLoadAverage());
        OUT.printf(Locale.ROOT, "java: %s %s (%s)%n", System.getProperty("java.vm.name"), Runtime.version(), javaBinary());
        OUT.println("this JVM's flags: " + ManagementFactory.getRuntimeMXBean().getInputArguments());
        OUT.println("child JVM flags: " + String.join(" ", jvmArgs) + "  (template.yaml's JAVA_TOOL_OPTIONS, a fixed heap,"
                + " and the collector the JVM picks for a 1024 MB container)");
        OUT.printf(Locale.ROOT, "measured function jar: %s (%d KB, built %s)%n", debitJar, Files.size(debitJar) / 1024,
                Files.getLastModifiedTime(debitJar));
        OUT.println("DynamoDB: the in-repo fake (FakeDynamoDbServer) at " + dynamo.endpoint() + ", in memory, in this JVM, table " + TABLE);
        OUT.println("  What the fake changes: it is a Java model that answers in this JVM (no disk, no network beyond loopback,");
        OUT.println("  requests carried out one at a time), so every time below includes a backend far faster than DynamoDB");
        OUT.println("  (single-digit ms per call), and unlike any earlier run on another local engine. Absolute times and debits");
        OUT.println("  per second are this code's own cost plus the fake's; ratios (handler vs raw SDK, first vs warm debit)");
        OUT.println("  compare two clients against the same fake. Calls per debit are exact; consumed WCU is the fake's computation.");
    }

    private List<String> defaultChildJvmArgs() {
        List<String> args = new ArrayList<>(templateJavaToolOptions());
        args.add("-Xmx512m");
        // A 1024 MB function is not a "server-class machine" (under 1792 MB): the JVM picks the serial collector.
        args.add("-XX:+UseSerialGC");
        return args;
    }

    /** The functions' JAVA_TOOL_OPTIONS, read from the template.yaml this module packs, so the two cannot drift. */
    private static List<String> templateJavaToolOptions() {
        try (InputStream in = Benchmark.class.getResourceAsStream("template.yaml")) {
            if (in == null) {
                throw new IllegalStateException("template.yaml is not packed in the bench jar");
            }
            String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("(?m)^\\s*JAVA_TOOL_OPTIONS:\\s*(.+?)\\s*$").matcher(template);
            if (!m.find()) {
                throw new IllegalStateException("template.yaml sets no JAVA_TOOL_OPTIONS");
            }
            return List.of(m.group(1).replace("\"", "").replace("'", "").trim().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> command(List<String> jvmArgs, Path functionJar) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(functionJar + java.io.File.pathSeparator + childJar);
        return cmd;
    }

    /** The function's settings as Lambda would give them (WALLET_TABLE and so on); the generous catalog if asked. */
    private Map<String, String> functionEnv(boolean generousCatalog) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WALLET_TABLE", TABLE);
        env.put("WALLET_DYNAMODB_ENDPOINT", dynamo.endpoint());
        env.put("AWS_REGION", "us-east-1");
        if (generousCatalog) {
            env.put("WALLET_CATALOG", catalog.toString());
        }
        return env;
    }

    private String openAccount(String prefix) {
        String id = prefix + "-" + (++accounts) + "-" + System.currentTimeMillis();
        expect(201, opener.handleRequest(DebitEvents.open(id), new BenchContext()), "open " + id);
        return id;
    }

    private Path findDebitJar() throws URISyntaxException {
        List<Path> candidates = new ArrayList<>();
        if (config.debitJar() != null) {
            candidates.add(config.debitJar());
        } else {
            candidates.add(Path.of("functions/debit/target/debit-function.jar"));
            Path self = Path.of(Benchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // infra/bench/target/token-wallet-bench.jar or infra/bench/target/classes
            candidates.add(self.getParent().resolve("../../../functions/debit/target/debit-function.jar"));
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("debit-function.jar not found at " + candidates
                + ": build it (mvn package -pl functions/debit -am) or pass -Dbench.debitJar=PATH");
    }

    /** The child-JVM classes of this module, alone in a jar (CDS archives no classes from directories). */
    private Path writeChildJar() throws IOException, URISyntaxException {
        Path self = Path.of(Benchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, byte[]> classes = new TreeMap<>();
        if (Files.isDirectory(self)) {
            try (var files = Files.walk(self.resolve(CHILD_PACKAGE))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    classes.put(self.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                }
            }
        } else {
            try (JarFile jar = new JarFile(self.toFile())) {
                for (JarEntry e : java.util.Collections.list(jar.entries())) {
                    if (e.getName().startsWith(CHILD_PACKAGE) && !e.isDirectory()) {
                        try (InputStream in = jar.getInputStream(e)) {
                            classes.put(e.getName(), in.readAllBytes());
                        }
                    }
                }
            }
        }
        if (classes.isEmpty()) {
            throw new IllegalStateException("no " + CHILD_PACKAGE + " classes found in " + self);
        }
        Path jar = work.resolve("bench-child.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                out.putNextEntry(new JarEntry(c.getKey()));
                out.write(c.getValue());
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The default catalog with a signup grant large enough for every debit of the bench. */
    private Path writeGenerousCatalog() throws IOException {
        String catalogText;
        try (InputStream in = Benchmark.class.getClassLoader().getResourceAsStream("com/tokenwallet/domain/catalog/default-catalog.json")) {
            if (in == null) {
                throw new IllegalStateException("the default catalog is not on the class path");
            }
            catalogText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = Pattern.compile("(\"signupGrant\"\\s*:\\s*\\{[^}]*\"amount\"\\s*:\\s*)\\d+").matcher(catalogText);
        if (!m.find()) {
            throw new IllegalStateException("the default catalog has no signupGrant amount to raise");
        }
        Path path = work.resolve("bench-catalog.json");
        Files.writeString(path, m.replaceFirst("$1100000000"));
        return path;
    }

    // ---------------------------------------------------------------- helpers

    private static APIGatewayV2HTTPResponse expect(int status, APIGatewayV2HTTPResponse response, String what) {
        if (response.getStatusCode() != status) {
            throw new IllegalStateException(what + " answered " + response.getStatusCode() + ": " + response.getBody());
        }
        return response;
    }

    private static void heading(String title) {
        OUT.println();
        OUT.println("== " + title + " ==");
    }

    private static void row(String label, double real, double bare) {
        OUT.printf(Locale.ROOT, "%-46s %14.1f %20.1f %8.2f%n", label, real, bare, real / bare);
    }

    private static String each(ColdStats s) {
        return s.runs().stream().map(r -> fmt(r.spawnToResultMs())).toList().toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String perDebit(Map<String, Long> calls, long n) {
        Map<String, String> out = new TreeMap<>();
        calls.forEach((op, c) -> out.put(op, String.format(Locale.ROOT, "%.2f", (double) c / n)));
        return out.toString();
    }

    private static String describe(Map<String, Long> calls) {
        long total = calls.values().stream().mapToLong(Long::longValue).sum();
        return total + (total == 1 ? " call " : " calls ") + calls;
    }

    private static String shortCalls(Object calls) {
        return describe(longs(calls)).replace("calls ", "").replace("call ", "");
    }

    private static Map<String, Long> longs(Object map) {
        Map<String, Long> out = new TreeMap<>();
        if (map instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), ((Number) v).longValue()));
        }
        return out;
    }

    private static double num(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).doubleValue();
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e);
        }
    }
}
