package com.tokenwallet.quotareset;

import static com.tokenwallet.quotareset.ResetFixture.json;
import static com.tokenwallet.quotareset.ResetFixture.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.billing.BillingEvent;
import com.tokenwallet.domain.billing.BillingService;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.service.WalletService;
import java.time.Duration;
import java.util.Optional;
import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.domain.port.SegmentDispatcher;
import com.tokenwallet.domain.port.SegmentDispatcher.SegmentTask;
import com.tokenwallet.sqlite.SqliteDatabase;
import com.tokenwallet.sqlite.SqliteWalletStore;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fan-out on the embedded SQLite engine, invocation by invocation: the coordinator dispatches the segments not done, a
 * worker out of time hands over to a fresh invocation that goes on with the counts so far, a worker that dies is
 * retried and resets nothing twice, and a second worker on a leased segment does nothing.
 */
class QuotaResetFanOutTest {
    static final int ACCOUNTS = 60;
    static final int SEGMENTS = 4;
    static final String JOB = "quota-reset#2026-12";

    @TempDir
    Path dir;
    ResetFixture fixture;
    ApplicationContext context;
    RecordingDispatcher dispatched = new RecordingDispatcher();
    QuotaResetHandler handler;

    @BeforeEach
    void accountsThatSpentInNovember() throws Exception {
        fixture = new ResetFixture();
        // Pages of 4 items (the SQLite scan reads accounts only): about 15 accounts a segment, several pages each.
        context = fixture.context(fixture.settings(ResetFixture.soloCatalog(dir), SEGMENTS, 2, 4));
        ResetFixture.openAccountsThatSpent(context, ACCOUNTS);
        fixture.clock.set(ResetFixture.DECEMBER);
        handler = new QuotaResetHandler(context, dispatched);
    }

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void theCoordinator_dispatchesOneInvocationPerSegmentNotDone_andAScheduleDeliveredAgainOnlyTheRest() {
        Map<String, Object> first = json(handler.handleRequest(ResetFixture.scheduledEvent(), LambdaContexts.fullTime()));

        assertThat(first).containsEntry("role", "coordinator").containsEntry("job", JOB).containsEntry("segments", SEGMENTS)
                .containsEntry("dispatched", SEGMENTS).containsEntry("alreadyDone", 0).containsEntry("SegmentsDispatched", SEGMENTS)
                .containsKey("_aws");
        List<SegmentTask> tasks = dispatched.take();
        assertThat(tasks).extracting(SegmentTask::segment).containsExactly(0, 1, 2, 3);
        assertThat(tasks).allSatisfy(t -> assertThat(t).extracting(SegmentTask::job, SegmentTask::totalSegments, SegmentTask::handovers)
                .containsExactly(JOB, SEGMENTS, 0));
        assertThat(tasks).extracting(SegmentTask::ticket).doesNotHaveDuplicates();

        List<Map<String, Object>> lines = new ArrayList<>();
        for (SegmentTask task : List.of(tasks.get(0), tasks.get(2))) {
            lines.add(invoke(task, LambdaContexts.fullTime()));
        }
        assertThat(lines).allSatisfy(line -> assertThat(line).containsEntry("outcome", "done").containsEntry("done", true)
                .containsEntry("SegmentsDone", 1));

        Map<String, Object> again = json(handler.handleRequest(ResetFixture.scheduledEvent(), LambdaContexts.fullTime()));
        assertThat(again).containsEntry("dispatched", 2).containsEntry("alreadyDone", 2).containsEntry("complete", false);
        List<SegmentTask> rest = dispatched.take();
        assertThat(rest).extracting(SegmentTask::segment).containsExactly(1, 3);
        rest.forEach(task -> lines.add(invoke(task, LambdaContexts.fullTime())));

        Map<String, Object> last = json(handler.handleRequest(ResetFixture.scheduledEvent(), LambdaContexts.fullTime()));
        assertThat(last).containsEntry("dispatched", 0).containsEntry("alreadyDone", SEGMENTS).containsEntry("complete", true);
        assertThat(dispatched.take()).isEmpty();
        assertThat(lines.stream().mapToLong(l -> number(l, "AccountsSeen")).sum()).isEqualTo(ACCOUNTS);
        assertThat(lines.stream().mapToLong(l -> number(l, "AccountsReset")).sum()).isEqualTo(ACCOUNTS);
        assertThat(fixture.decemberResetsByAccount(ACCOUNTS)).allSatisfy((account, resets) -> assertThat(resets).as(account).isEqualTo(1));
    }

    /** Subscription accounts roll over when their invoice is paid (issue 6): the job counts them as skipped. */
    @Test
    void anAccountOnAStripeSubscription_isSkipped_andKeepsItsBillingPeriod() {
        var store = context.getBean(WalletStore.class);
        var billing = new BillingService(store, context.getBean(WalletService.class),
                context.getBean(Catalog.class), fixture.clock);
        Instant start = Instant.parse("2026-11-20T08:00:00Z");
        var ref = new BillingEvent.AccountRef(Optional.of("acct-7"), Optional.empty(),
                Optional.empty());
        assertThat(billing.apply(new BillingEvent.InvoicePaid("evt_1", "invoice.paid",
                start.getEpochSecond(), ref, "in_1", "sub_1", Optional.of("solo"), start, start.plus(Duration.ofDays(30)),
                true)).outcome()).isEqualTo("applied");
        var before = store.findAccount(AccountId.of("acct-7")).orElseThrow();

        handler.handleRequest(ResetFixture.scheduledEvent(), LambdaContexts.fullTime());
        List<Map<String, Object>> lines = new ArrayList<>();
        dispatched.take().forEach(task -> lines.add(invoke(task, LambdaContexts.fullTime())));

        assertThat(lines.stream().mapToLong(l -> number(l, "AccountsReset")).sum()).isEqualTo(ACCOUNTS - 1);
        assertThat(lines.stream().mapToLong(l -> number(l, "AccountsSkipped")).sum()).isEqualTo(1);
        var after = store.findAccount(AccountId.of("acct-7")).orElseThrow();
        assertThat(after.period()).isEqualTo(before.period());
        assertThat(after.period().id()).isEqualTo("2026-11-20/2026-12-20");
        assertThat(after.version()).isEqualTo(before.version());
    }

    @Test
    void aWorkerOutOfTime_handsItsSegmentToAFreshInvocation_whichGoesOnWithTheCountsSoFar() {
        handler.handleRequest(ResetFixture.scheduledEvent(), LambdaContexts.fullTime());
        SegmentTask task = dispatched.take().getFirst();

        List<Map<String, Object>> lines = new ArrayList<>();
        for (int invocation = 0; invocation < 100; invocation++) {
            Map<String, Object> line = invoke(task, LambdaContexts.timeForPages(1));
            lines.add(line);
            assertThat(line).containsEntry("pages", 1).containsEntry("handovers", invocation);
            if (line.get("outcome").equals("done")) {
                break;
            }
            assertThat(line).containsEntry("outcome", "handed_over").containsEntry("done", false).containsEntry("SegmentsDone", 0);
            List<SegmentTask> next = dispatched.take();
            assertThat(next).as("exactly one fresh invocation for the same segment").hasSize(1);
            assertThat(next.getFirst()).extracting(SegmentTask::job, SegmentTask::segment, SegmentTask::totalSegments, SegmentTask::handovers)
                    .containsExactly(JOB, 0, SEGMENTS, invocation + 1);
            assertThat(next.getFirst().ticket()).isNotEqualTo(task.ticket());
            task = next.getFirst();
        }

        assertThat(lines.size()).as("a segment of ~15 accounts in pages of 4 takes several invocations").isGreaterThan(2);
        Map<String, Object> last = lines.getLast();
        assertThat(last).containsEntry("outcome", "done").containsEntry("SegmentsDone", 1);
        assertThat(dispatched.take()).as("no hand-over after the last page").isEmpty();
        @SuppressWarnings("unchecked")
        Map<String, Object> totals = (Map<String, Object>) last.get("segmentTotals");
        long accountsInSegment = accountsInSegment(0);
        assertThat(accountsInSegment).isPositive();
        assertThat(lines.stream().mapToLong(l -> number(l, "AccountsSeen")).sum()).isEqualTo(accountsInSegment);
        assertThat(totals).containsEntry("seen", (int) accountsInSegment).containsEntry("reset", (int) accountsInSegment)
                .containsEntry("skipped", 0).containsEntry("failed", 0);
    }

    @Test
    void aWorkerKilledMidSegment_isRetriedLikeLambdaDoes_andResetsEveryAccountExactlyOnce() throws Exception {
        context.close();
        fixture = new ResetFixture();
        SqliteDatabase database = SqliteDatabase.open(fixture.database.toString());
        CrashBeforeCheckpoint crashing = new CrashBeforeCheckpoint(new SqliteWalletStore(database, fixture.clock));
        context = fixture.context(fixture.settings(ResetFixture.soloCatalog(dir), SEGMENTS, 2, 10), crashing);
        ResetFixture.openAccountsThatSpent(context, ACCOUNTS);
        fixture.clock.set(ResetFixture.DECEMBER);
        InProcessSegmentDispatcher inProcess = new InProcessSegmentDispatcher(SEGMENTS + 2);
        QuotaResetHandler local = new QuotaResetHandler(context, inProcess);

        crashing.arm();
        Map<String, Object> job = json(local.handleRequest(ResetFixture.scheduledEvent(), null));

        long crashedPage = crashing.crashedPageSeen();
        assertThat(crashedPage).as("a worker died after resetting the accounts of a page, before saving it").isPositive();
        assertThat(inProcess.givenUp()).as("its retry went on from the last page saved").isEmpty();
        assertThat(job).containsEntry("complete", true).containsEntry("AccountsFailed", 0);
        assertThat(fixture.decemberResetsByAccount(ACCOUNTS)).allSatisfy((account, resets) -> assertThat(resets).as(account).isEqualTo(1));
        // The page the worker died in was read again by the retry, which found its accounts no longer due: they are
        // counted once, as skipped, since the dead worker's count of them was never saved.
        assertThat(number(job, "AccountsSeen")).isEqualTo(ACCOUNTS);
        assertThat(number(job, "AccountsReset")).isEqualTo(ACCOUNTS - crashedPage);
        assertThat(number(job, "AccountsSkipped")).isEqualTo(crashedPage);
        database.close();
    }

    @Test
    void aSecondWorkerOnALeasedSegment_doesNothing_untilTheLeaseRunsOut() {
        handler.handleRequest(ResetFixture.scheduledEvent(), LambdaContexts.fullTime());
        SegmentTask task = dispatched.take().getFirst();
        Instant now = fixture.clock.instant();
        context.getBean(AccountScan.class).claim(JOB, 0, SEGMENTS, "another-invocation", now.plusSeconds(600), now).orElseThrow();

        Map<String, Object> busy = invoke(task, LambdaContexts.fullTime());

        assertThat(busy).containsEntry("outcome", "busy").containsEntry("AccountsSeen", 0).containsEntry("SegmentsDone", 0)
                .doesNotContainKey("segmentTotals");
        assertThat(dispatched.take()).as("a busy worker hands nothing over").isEmpty();
        fixture.clock.set("2026-12-01T00:10:06Z");
        assertThat(invoke(task, LambdaContexts.fullTime())).containsEntry("outcome", "done")
                .containsEntry("AccountsSeen", (int) accountsInSegment(0));
    }

    @Test
    void aWorkerWithNoTimeForAPage_failsForLambdasRetry_insteadOfHandingOverForever() {
        handler.handleRequest(ResetFixture.scheduledEvent(), LambdaContexts.fullTime());
        SegmentTask task = dispatched.take().getFirst();

        assertThatThrownBy(() -> handler.handleRequest(SegmentPayload.map(task), LambdaContexts.remaining(60_000)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no time left");
        assertThat(dispatched.take()).isEmpty();

        assertThat(invoke(task, LambdaContexts.fullTime())).as("the retry, with the same ticket").containsEntry("outcome", "done");
    }

    @Test
    void aWorkerThatCannotHandOver_fails_andItsRetryGoesOnFromThePagesItSaved() {
        handler.handleRequest(ResetFixture.scheduledEvent(), LambdaContexts.fullTime());
        SegmentTask task = dispatched.take().getFirst();
        SegmentDispatcher refusing = t -> {
            throw new IllegalStateException("Lambda did not queue it");
        };
        QuotaResetHandler cannotHandOver = new QuotaResetHandler(context, refusing);

        assertThatThrownBy(() -> cannotHandOver.handleRequest(SegmentPayload.map(task), LambdaContexts.timeForPages(3)))
                .hasMessageContaining("did not queue");
        Map<String, Object> retry = invoke(task, LambdaContexts.fullTime());

        long accountsInSegment = accountsInSegment(0);
        assertThat(retry).containsEntry("outcome", "done");
        assertThat(number(retry, "AccountsSeen")).as("the first pages were saved by the failed invocation").isLessThan(accountsInSegment);
        @SuppressWarnings("unchecked")
        Map<String, Object> totals = (Map<String, Object>) retry.get("segmentTotals");
        assertThat(totals).containsEntry("seen", (int) accountsInSegment).containsEntry("reset", (int) accountsInSegment);
    }

    @Test
    void aPacedWorker_goesNoFasterThanItsRate() {
        Map<String, Object> settings = fixture.settings(ResetFixture.soloCatalog(dir), SEGMENTS, 2, 10);
        settings.put("wallet.reset.accounts-per-second", 100);
        ApplicationContext paced = fixture.context(settings);
        try {
            QuotaResetHandler slow = new QuotaResetHandler(paced, dispatched);
            slow.handleRequest(ResetFixture.scheduledEvent(), LambdaContexts.fullTime());
            SegmentTask task = dispatched.take().getFirst();
            long accounts = accountsInSegment(0);

            long started = System.nanoTime();
            Map<String, Object> line = json(slow.handleRequest(SegmentPayload.map(task), LambdaContexts.fullTime()));
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(line).containsEntry("outcome", "done").containsEntry("AccountsSeen", (int) accounts);
            assertThat(elapsedMillis).as("%d accounts at 100 a second", accounts).isGreaterThanOrEqualTo(accounts * 10);
        } finally {
            paced.close();
        }
    }

    @Test
    void aRateThatWouldStretchAPagePastTheMargin_isRefusedAtStartUp() {
        Map<String, Object> settings = fixture.settings(ResetFixture.soloCatalog(dir), SEGMENTS, 2, 1_000);
        settings.put("wallet.reset.accounts-per-second", 10);
        ApplicationContext tooSlow = fixture.context(settings);
        try {
            assertThatThrownBy(() -> new QuotaResetHandler(tooSlow, dispatched)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("could take 100 s");
        } finally {
            tooSlow.close();
        }
    }

    private Map<String, Object> invoke(SegmentTask task, com.amazonaws.services.lambda.runtime.Context lambdaContext) {
        Map<String, Object> line = json(handler.handleRequest(SegmentPayload.map(task), lambdaContext));
        assertThat(line).containsEntry("role", "segment").containsEntry("segment", task.segment()).containsKey("_aws");
        return line;
    }

    /** Accounts in a segment, counted with a scan of our own (another connection to the database). */
    private long accountsInSegment(int segment) {
        try (SqliteDatabase database = SqliteDatabase.open(fixture.database.toString())) {
            AccountScan scan = new SqliteWalletStore(database, fixture.clock);
            long count = 0;
            Optional<String> position = Optional.empty();
            for (int page = 0; page < 1_000; page++) {
                AccountScan.Page p = scan.scan(segment, SEGMENTS, position, 100);
                count += p.accounts().size();
                if (p.next().isEmpty()) {
                    return count;
                }
                position = p.next();
            }
        }
        throw new AssertionError("segment too large");
    }
}
