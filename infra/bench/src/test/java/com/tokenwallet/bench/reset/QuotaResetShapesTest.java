package com.tokenwallet.bench.reset;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.dynamodb.testing.FakeDynamoDb;
import com.tokenwallet.dynamodb.testing.RecordedRequest;
import com.tokenwallet.quotareset.QuotaResetHandler;
import io.micronaut.context.ApplicationContext;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Section 3r compares like with like: on a small fixture, the worker driven as the state machine drives it
 * ({@link ResetStateMachine}, several turns per segment) and the raw loop ({@link RawQuotaReset}) send the same
 * DynamoDB requests (each on its own fake, the same table name), compared whole, as the fake received them, with only
 * what is new at each write masked: transaction ids, the entries' creation time and the SDK's ClientRequestToken. They also leave the same items.
 */
class QuotaResetShapesTest {
    static final String TABLE = "wallet-reset-shapes";
    static final int ACCOUNTS = 23;
    static final int SEGMENTS = 3;
    static final int THREADS = 2;
    static final int PAGE_ITEMS = 4;
    static final int PAGES_PER_TURN = 2;

    record Side(List<RecordedRequest> requests, List<Map<String, AttributeValue>> items, long turns) {
    }

    @Test
    void theWorkerAsTheStateMachineDrivesIt_andTheRawLoop_sendTheSameRequests_andLeaveTheSameItems() throws Exception {
        Instant now = Instant.now();
        Side worker = worker(now);
        Side raw = raw(now);

        assertThat(worker.turns()).as("several turns per segment, on the cursor").isGreaterThan(SEGMENTS);
        Map<String, Long> kinds = kinds(worker.requests());
        assertThat(kinds).isEqualTo(kinds(raw.requests()));
        assertThat(kinds.get("TransactWriteItems")).isEqualTo(ACCOUNTS);
        // Pages of PAGE_ITEMS keys: more than one index page per segment, and a read of accounts per page that has keys.
        assertThat(kinds.get("Scan")).isGreaterThan((long) SEGMENTS);
        assertThat(kinds.get("BatchGetItem")).isGreaterThanOrEqualTo((long) ACCOUNTS / PAGE_ITEMS);
        assertThat(kinds.keySet()).containsExactlyInAnyOrder("Scan", "BatchGetItem", "TransactWriteItems");

        List<String> workerShapes = shapes(worker.requests());
        List<String> rawShapes = shapes(raw.requests());
        assertThat(rawShapes).containsExactlyElementsOf(workerShapes);
        // Each write: the account put conditioned on its version, and the two plan_reset entries with their balances after.
        String write = workerShapes.stream().filter(s -> s.startsWith("TransactWriteItems")).findFirst().orElseThrow();
        assertThat(write).contains("#version = :before").contains("plan_reset").contains("balancesAfter")
                .contains("credits:0/10/0,dol:1/0/0,mockup:3/0/0,weather:2/0/0").contains("credits:0/10/0,dol:3/0/0,mockup:3/0/0,weather:2/0/0");

        assertThat(canonicalItems(raw.items())).containsExactlyElementsOf(canonicalItems(worker.items()));
        assertThat(worker.items().stream().filter(i -> i.get("SK").s().startsWith("TX#")).count()).isEqualTo(2L * ACCOUNTS);
    }

    private static Side worker(Instant now) throws Exception {
        FakeDynamoDb fake = new FakeDynamoDb();
        try (DynamoDbClient client = fake.client()) {
            ResetFixture.seed(client, TABLE, ACCOUNTS, now);
            Map<String, Object> properties = Map.of("wallet.table", TABLE, "wallet.reset.threads", THREADS,
                    "wallet.reset.accounts-per-second", 0, "wallet.reset.page-items", PAGE_ITEMS);
            try (ApplicationContext context = WalletContexts.start(properties, client)) {
                QuotaResetHandler handler = new QuotaResetHandler(context);
                fake.clearRequests();
                ResetStateMachine.Execution execution;
                PrintStream console = System.out;
                // The worker's log lines (one JSON line per turn, for CloudWatch) stay out of the test console.
                System.setOut(new PrintStream(OutputStream.nullOutputStream()));
                try {
                    execution = new ResetStateMachine(handler, t -> new TurnContext(PAGES_PER_TURN), 1_000)
                            .run(Period.calendarMonthOf(now).id(), SEGMENTS, SEGMENTS, 60);
                } finally {
                    System.setOut(console);
                }
                assertThat(execution.summary()).containsEntry("complete", true);
                assertThat(((Number) execution.summary().get("AccountsReset")).longValue()).isEqualTo(ACCOUNTS);
                return new Side(fake.requests(), fake.items(TABLE), execution.turnCount());
            }
        }
    }

    private static Side raw(Instant now) throws Exception {
        FakeDynamoDb fake = new FakeDynamoDb();
        try (DynamoDbClient client = fake.client()) {
            ResetFixture.seed(client, TABLE, ACCOUNTS, now);
            fake.clearRequests();
            RawQuotaReset.Counts counts = new RawQuotaReset(client, TABLE, ResetFixture.PLAN, ResetFixture.planAllowance(ResetFixture.catalog()),
                    Clock.systemUTC()).run(SEGMENTS, THREADS, PAGE_ITEMS, 60);
            assertThat(counts.reset()).isEqualTo(ACCOUNTS);
            return new Side(fake.requests(), fake.items(TABLE), 0);
        }
    }

    private static Map<String, Long> kinds(List<RecordedRequest> requests) {
        return requests.stream().collect(Collectors.groupingBy(RecordedRequest::operation, TreeMap::new, Collectors.counting()));
    }

    /** Every request whole (maps in key order), new ids and creation times masked; sorted, as threads interleave. */
    private static List<String> shapes(List<RecordedRequest> requests) {
        List<String> out = new ArrayList<>();
        for (RecordedRequest r : requests) {
            out.add(r.operation() + " " + canonical(r.body()));
        }
        out.sort(null);
        return out;
    }

    private static Object canonical(Object value) {
        if (value instanceof Map<?, ?> map) {
            boolean ledger = map.get("type") instanceof Map<?, ?> type && "ledger".equals(type.get("S"));
            TreeMap<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> {
                String key = (String) k;
                Object c = canonical(v);
                if (key.equals("ClientRequestToken") || key.equals("transactionId") || (key.equals("SK") && c.toString().startsWith("{S=TX#"))
                        || (ledger && key.equals("createdAt"))) {
                    c = "<new>";
                }
                sorted.put(key, c);
            });
            return sorted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(QuotaResetShapesTest::canonical).toList();
        }
        return String.valueOf(value);
    }

    private static List<String> canonicalItems(List<Map<String, AttributeValue>> items) {
        List<String> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            boolean ledger = item.containsKey("type") && "ledger".equals(item.get("type").s());
            TreeMap<String, String> sorted = new TreeMap<>();
            item.forEach((k, v) -> sorted.put(k, k.equals("transactionId") || (k.equals("SK") && v.s() != null && v.s().startsWith("TX#"))
                    || (ledger && k.equals("createdAt")) ? "<new>" : canonicalValue(v)));
            out.add(sorted.toString());
        }
        out.sort(null);
        return out;
    }

    private static String canonicalValue(AttributeValue v) {
        if (v.hasM()) {
            TreeMap<String, String> m = new TreeMap<>();
            v.m().forEach((k, x) -> m.put(k, canonicalValue(x)));
            return "M" + m;
        }
        if (v.hasL()) {
            return "L" + v.l().stream().map(QuotaResetShapesTest::canonicalValue).toList();
        }
        return v.toString();
    }
}
