package com.tokenwallet.quotareset;

import static com.tokenwallet.quotareset.ResetFixture.json;
import static com.tokenwallet.quotareset.ResetFixture.number;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.debit.DebitHandler;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monthly reset at 10,000 accounts on the embedded SQLite engine with a moved clock, over 8 segments looped in
 * process: every account rolls over once with debits racing the reset, a rerun finds the job done, and the job's
 * counts come out exact.
 */
class QuotaResetTest {

    static final int ACCOUNTS = 10_000;
    static final int SEGMENTS = 8;

    @TempDir
    static Path dir;
    static ResetFixture fixture;
    static ApplicationContext context;

    @BeforeAll
    static void accountsOnTheSoloPlanWithSomeAllowanceSpent() throws Exception {
        fixture = new ResetFixture();
        fixture.clock.set("2026-11-30T23:00:00Z");
        context = fixture.context(fixture.settings(ResetFixture.soloCatalog(dir), SEGMENTS, 4, 1_000));
        ResetFixture.openAccountsThatSpent(context, ACCOUNTS);
    }

    @AfterAll
    static void close() {
        context.close();
    }

    @Test
    void everyAccountRollsOverExactlyOnce_withDebitsRacingIt_andARerunFindsTheJobDone() throws Exception {
        QuotaResetHandler inProcess = new QuotaResetHandler(context);
        fixture.clock.set("2026-11-30T23:59:59Z");
        assertThat(json(inProcess.handleRequest(ResetFixture.scheduledEvent(), null))).containsEntry("AccountsReset", 0)
                .containsEntry("complete", true);

        fixture.clock.set(ResetFixture.DECEMBER);
        // The job in this process (the embedded store's stand-in for the state machine) while debits race it: the
        // lazy path and the job share one rule, each account rolls once.
        DebitHandler debit = new DebitHandler(context);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<APIGatewayV2HTTPResponse>> racing = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String id = "acct-" + (i * 5);
            racing.add(pool.submit(() -> ResetFixture.debit(debit, id, "dec", 1)));
        }
        Map<String, Object> first = json(inProcess.handleRequest(ResetFixture.scheduledEvent(), null));
        assertThat(first).containsEntry("complete", true).containsEntry("dispatched", SEGMENTS).containsEntry("alreadyDone", 0);
        for (Future<APIGatewayV2HTTPResponse> f : racing) {
            assertThat(f.get(120, TimeUnit.SECONDS).getStatusCode()).isEqualTo(201);
        }
        pool.shutdown();

        Map<String, Object> job = json(inProcess.handleRequest(ResetFixture.scheduledEvent(), null));
        assertThat(job).containsEntry("complete", true).containsEntry("dispatched", 0).containsEntry("alreadyDone", SEGMENTS)
                .containsEntry("segmentsDone", SEGMENTS).containsEntry("AccountsSeen", ACCOUNTS).containsEntry("AccountsFailed", 0);
        // The counts are the job's (kept in the checkpoints), exact: each
        // account was counted once, reset by the job or skipped because a racing debit had rolled it over first.
        assertThat(number(job, "AccountsReset")).as("the job reset every account the racing debits did not")
                .isBetween((long) ACCOUNTS - 200, (long) ACCOUNTS);
        assertThat(number(job, "AccountsReset") + number(job, "AccountsSkipped")).isEqualTo(ACCOUNTS);

        Map<String, List<Map<String, Object>>> byAccount = fixture.itemsByAccount();
        for (int i = 0; i < ACCOUNTS; i++) {
            String id = "acct-" + i;
            List<Map<String, Object>> items = byAccount.get(id);
            Map<String, Object> account = items.stream().filter(it -> "accounts".equals(it.get("table"))).findFirst().orElseThrow();
            assertThat(account.get("period_id")).isEqualTo("2026-12");
            assertThat(items.stream().filter(ResetFixture::decemberReset).count()).as("plan_reset entries of %s in December", id).isEqualTo(1);
            long mockupAllowance = items.stream().filter(it -> "balances".equals(it.get("table")) && "mockup".equals(it.get("bucket")))
                    .mapToLong(it -> (Long) it.get("allowance")).sum();
            assertThat(mockupAllowance).isEqualTo(i % 5 == 0 && i < 1000 ? 2 : 3);
            long ledgerMockup = items.stream().filter(it -> "ledger".equals(it.get("table")) && "mockup".equals(it.get("bucket")))
                    .mapToLong(it -> (Long) it.get("amount")).sum();
            assertThat(ledgerMockup).as("the ledger of %s sums to its mockup balance", id).isEqualTo(mockupAllowance);
        }

        // December to January: a balance read after midnight already shows the new period, before anything is written.
        fixture.clock.set("2027-01-01T00:00:01Z");
        CheckHandler check = new CheckHandler(context);
        var balance = TestWallet.body(TestWallet.call(check, ApiEvents.route(CheckHandler.BALANCE).account("acct-1").caller("svc", "wallet:charge").build()));
        assertThat(balance).containsEntry("period", "2027-01");
        assertThat(fixture.itemsByAccount().values().stream().flatMap(List::stream).filter(it -> "accounts".equals(it.get("table")))
                .map(it -> it.get("period_id"))).containsOnly("2026-12");
    }
}
