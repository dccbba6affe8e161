package com.tokenwallet.quotareset;

import com.tokenwallet.api.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.debit.DebitHandler;
import com.tokenwallet.domain.catalog.CatalogLoader;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.sqlite.testing.SqliteDump;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A wallet database (the embedded SQLite engine) with accounts on the solo plan that spent some of November's mockup allowance,
 * so that December's roll-over changes every account's allowance and writes a plan_reset entry. Also reads the
 * database back, to count what the reset wrote.
 */
final class ResetFixture {
    static final String NOVEMBER = "2026-11-15T12:00:00Z";
    static final String DECEMBER = "2026-12-01T00:00:05Z";

    final TestClock clock = new TestClock(NOVEMBER);
    final Path database = TestWallet.freshDatabase();

    /** The catalog with solo as the default plan, written under {@code dir}. */
    static Path soloCatalog(Path dir) {
        try (InputStream in = CatalogLoader.class.getResourceAsStream(CatalogLoader.DEFAULT_RESOURCE)) {
            String catalog = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\"defaultPlan\": \"free\"", "\"defaultPlan\": \"solo\"");
            Path file = dir.resolve("catalog.json");
            Files.writeString(file, catalog);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The settings of a context on this database: {@code segments}, {@code threads}, {@code pageItems}, no pacing. */
    Map<String, Object> settings(Path catalog, int segments, int threads, int pageItems) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("wallet.store", "sqlite");
        settings.put("wallet.sqlite.path", database.toString());
        settings.put("wallet.catalog", catalog.toString());
        settings.put("wallet.reset.segments", segments);
        settings.put("wallet.reset.threads", threads);
        settings.put("wallet.reset.page-items", pageItems);
        settings.put("wallet.reset.accounts-per-second", 0);
        return settings;
    }

    ApplicationContext context(Map<String, Object> settings, Object... singletons) {
        Object[] all = new Object[singletons.length + 1];
        all[0] = clock;
        System.arraycopy(singletons, 0, all, 1, singletons.length);
        return WalletContexts.start(settings, all);
    }

    /** Opens {@code accounts} accounts named {@code acct-<i>}, each spending 2 of its mockup allowance, on 8 threads. */
    static void openAccountsThatSpent(ApplicationContext context, int accounts) throws Exception {
        DebitHandler debit = new DebitHandler(context);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < accounts; i++) {
                String id = "acct-" + i;
                work.add(pool.submit(() -> {
                    assertThat(TestWallet.call(debit, ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account(id).caller("svc", "wallet:charge")
                            .json("{}").build()).getStatusCode()).isEqualTo(201);
                    assertThat(debit(debit, id, "nov", 2).getStatusCode()).isEqualTo(201);
                }));
            }
            for (Future<?> f : work) {
                f.get(600, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A by-amount debit of the mockup bucket. */
    static APIGatewayV2HTTPResponse debit(DebitHandler debit, String account, String key, int amount) {
        return TestWallet.call(debit, ApiEvents.route(DebitHandler.DEBITS).account(account).caller("svc", "wallet:charge")
                .idempotencyKey(key).json("{\"bucket\":\"mockup\",\"amount\":" + amount + ",\"description\":\"mockup\"}").build());
    }

    /** The EventBridge scheduled event of infra/events, as the Lambda runtime hands it to a Map handler. */
    static Map<String, Object> scheduledEvent() {
        try {
            return StrictJson.object(Files.readString(Path.of("../../infra/events/eventbridge-scheduled-event.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> json(String line) {
        try {
            return StrictJson.object(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long number(Map<String, Object> line, String name) {
        return ((Number) line.get(name)).longValue();
    }

    /** Every row of the database that belongs to an account, by account id. */
    Map<String, List<Map<String, Object>>> itemsByAccount() {
        return SqliteDump.rows(database.toString()).stream().filter(r -> r.get("account_id") != null)
                .collect(Collectors.groupingBy(r -> (String) r.get("account_id")));
    }

    /** How many plan_reset entries each of {@code acct-0 .. acct-(accounts-1)} got in December. */
    Map<String, Long> decemberResetsByAccount(int accounts) {
        Map<String, List<Map<String, Object>>> byAccount = itemsByAccount();
        Map<String, Long> resets = new HashMap<>();
        for (int i = 0; i < accounts; i++) {
            List<Map<String, Object>> items = byAccount.getOrDefault("acct-" + i, List.of());
            resets.put("acct-" + i, items.stream().filter(ResetFixture::decemberReset).count());
        }
        return resets;
    }

    static boolean decemberReset(Map<String, Object> row) {
        return "ledger".equals(row.get("table")) && "plan_reset".equals(row.get("entry_type"))
                && ((String) row.get("created_at")).startsWith("2026-12");
    }
}
