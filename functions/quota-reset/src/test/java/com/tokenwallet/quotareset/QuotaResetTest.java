package com.tokenwallet.quotareset;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.debit.DebitHandler;
import com.tokenwallet.domain.catalog.CatalogLoader;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.dynamodb.DynamoDbCallCounter;
import com.tokenwallet.dynamodb.testing.LocalDynamoDb;
import io.micronaut.context.ApplicationContext;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The monthly reset on DynamoDB Local with a moved clock: every account rolls over once, whatever the number of
 * runs, a run stopped midway resumes, and debits racing the reset keep the books right.
 */
class QuotaResetTest {

    static final int ACCOUNTS = 10_000;

    static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T23:00:00Z"));

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @TempDir
    static Path dir;
    static TestClock clock = new TestClock();
    static ApplicationContext context;
    static DynamoDbClient reader;
    static String table;

    @BeforeAll
    static void accountsOnTheSoloPlanWithSomeAllowanceSpent() throws Exception {
        String catalog;
        try (InputStream in = CatalogLoader.class.getResourceAsStream(CatalogLoader.DEFAULT_RESOURCE)) {
            catalog = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\"defaultPlan\": \"free\"", "\"defaultPlan\": \"solo\"");
        }
        Path file = dir.resolve("catalog.json");
        Files.writeString(file, catalog);
        table = LocalDynamoDb.shared().createTable();
        reader = LocalDynamoDb.shared().client(List.of());
        context = WalletContexts.start(Map.of("wallet.table", table, "wallet.catalog", file.toString(), "wallet.dynamodb.endpoint", LocalDynamoDb.shared().endpoint(),
                "wallet.reset.segments", 8, "wallet.reset.threads", 4), new DynamoDbCallCounter(), clock);
        DebitHandler debit = new DebitHandler(context);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            String id = "acct-" + i;
            work.add(pool.submit(() -> {
                assertThat(TestWallet.call(debit, ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account(id).caller("svc", "wallet:charge").json("{}").build())
                        .getStatusCode()).isEqualTo(201);
                assertThat(Wallet.debit(debit, id, "nov", 2).getStatusCode()).isEqualTo(201);
            }));
        }
        for (Future<?> f : work) {
            f.get(600, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    @AfterAll
    static void close() {
        context.close();
    }

    @Test
    void everyAccountRollsOverExactlyOnce_evenStoppedMidwayAndRunAgain_withDebitsRacingIt() throws Exception {
        QuotaResetHandler handler = new QuotaResetHandler(context);
        clock.now.set(Instant.parse("2026-11-30T23:59:59Z"));
        assertThat(summary(handler.run(clock.instant().plusSeconds(600)))).containsEntry("AccountsReset", 0);

        clock.now.set(Instant.parse("2026-12-01T00:00:05Z"));
        // A run stopped at once (its deadline already passed after the first page of each segment).
        Map<String, Object> stopped = summary(handler.run(clock.instant()));
        assertThat(stopped).containsEntry("complete", false);

        // Debits racing the resumed run: the lazy path and the job share one rule; each account rolls once.
        DebitHandler debit = new DebitHandler(context);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<APIGatewayV2HTTPResponse>> racing = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String id = "acct-" + (i * 5);
            racing.add(pool.submit(() -> Wallet.debit(debit, id, "dec", 1)));
        }
        Map<String, Object> resumed = summary(handler.run(clock.instant().plusSeconds(600)));
        for (Future<APIGatewayV2HTTPResponse> f : racing) {
            assertThat(f.get(60, TimeUnit.SECONDS).getStatusCode()).isEqualTo(201);
        }
        pool.shutdown();
        assertThat(resumed).containsEntry("complete", true);
        Map<String, Object> again = summary(handler.run(clock.instant().plusSeconds(600)));
        assertThat(again).containsEntry("complete", true);

        Map<String, List<Map<String, AttributeValue>>> byAccount = allItems().stream()
                .collect(java.util.stream.Collectors.groupingBy(it -> it.get("PK").s()));
        long resets = 0;
        for (int i = 0; i < ACCOUNTS; i++) {
            String pk = "ACCOUNT#acct-" + i;
            List<Map<String, AttributeValue>> items = byAccount.get(pk);
            Map<String, AttributeValue> account = items.stream().filter(it -> it.get("SK").s().equals("ACCOUNT")).findFirst().orElseThrow();
            assertThat(account.get("periodId").s()).isEqualTo("2026-12");
            long decemberResets = items.stream().filter(it -> it.get("SK").s().startsWith("TX#")
                    && it.get("entryType").s().equals("plan_reset") && it.get("createdAt").s().startsWith("2026-12")).count();
            assertThat(decemberResets).as("plan_reset entries of %s in December", pk).isEqualTo(1);
            long mockupAllowance = Long.parseLong(account.get("buckets").m().get("mockup").m().get("allowance").n());
            assertThat(mockupAllowance).isEqualTo(i % 5 == 0 && i < 1000 ? 2 : 3);
            long ledgerMockup = items.stream().filter(it -> it.get("SK").s().startsWith("TX#")
                    && it.get("bucket").s().equals("mockup")).mapToLong(it -> Long.parseLong(it.get("amount").n())).sum();
            assertThat(ledgerMockup).as("the ledger of %s sums to its mockup balance", pk).isEqualTo(mockupAllowance);
            resets++;
        }
        assertThat(resets).isEqualTo(ACCOUNTS);
        // The counts are the period's job so far (kept in the checkpoints), not this run's.
        long jobResets = ((Number) resumed.get("AccountsReset")).longValue();
        assertThat(jobResets).as("the job reset every account the racing debits did not").isBetween((long) ACCOUNTS - 200, (long) ACCOUNTS);
        assertThat(again).containsEntry("AccountsReset", resumed.get("AccountsReset")).containsEntry("AccountsSeen", ACCOUNTS);

        // December to January: a balance read after midnight already shows the new period, before anything is written.
        clock.now.set(Instant.parse("2027-01-01T00:00:01Z"));
        CheckHandler check = new CheckHandler(context);
        var balance = TestWallet.body(TestWallet.call(check, ApiEvents.route(CheckHandler.BALANCE).account("acct-1").caller("svc", "wallet:charge").build()));
        assertThat(balance).containsEntry("period", "2027-01");
        assertThat(allItems().stream().filter(it -> it.get("SK").s().equals("ACCOUNT")).map(it -> it.get("periodId").s())).containsOnly("2026-12");
    }

    private List<Map<String, AttributeValue>> allItems() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        for (int page = 0; page < 100_000; page++) {
            Map<String, AttributeValue> from = start;
            var response = reader.scan(b -> {
                b.tableName(table).consistentRead(true).limit(500);
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
            });
            items.addAll(response.items());
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                return items;
            }
            start = response.lastEvaluatedKey();
        }
        throw new AssertionError("table too large");
    }

    private static Map<String, Object> summary(String json) throws Exception {
        return StrictJson.object(json);
    }

    /** A by-amount debit of the mockup bucket. */
    static final class Wallet {
        static APIGatewayV2HTTPResponse debit(DebitHandler debit, String account, String key, int amount) {
            return TestWallet.call(debit, ApiEvents.route(DebitHandler.DEBITS).account(account).caller("svc", "wallet:charge")
                    .idempotencyKey(key).json("{\"bucket\":\"mockup\",\"amount\":" + amount + ",\"description\":\"mockup\"}").build());
        }
    }
}
