package com.tokenwallet.quotareset;

import static com.tokenwallet.quotareset.ResetFixture.json;
import static com.tokenwallet.quotareset.ResetFixture.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.domain.service.WalletService;
import com.tokenwallet.sqlite.SqliteDatabase;
import com.tokenwallet.sqlite.SqliteWalletStore;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's contract with the state machine, on the embedded SQLite store, turn by turn as the state machine
 * drives it (infra/statemachines/quota-reset.asl.json): a segment's state in (cursor null at the start), its cursor and counts
 * out; the loop on the cursor ends with every account seen once; a worker killed mid-page and run again from its
 * last cursor (the state machine's Retry) resets each account exactly once, with exact counts; the summary adds the
 * segments up.
 */
class WorkerContractTest {
    static final int ACCOUNTS = 60;
    static final int SEGMENTS = 4;
    static final String JOB = "quota-reset#2026-12";

    @TempDir
    Path dir;
    ResetFixture fixture = new ResetFixture();
    ApplicationContext context;

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    private QuotaResetHandler handlerWith(Object... singletons) throws Exception {
        // Pages of 4 items (the SQLite scan reads accounts only): about 15 accounts a segment, several pages each.
        context = fixture.context(fixture.settings(ResetFixture.soloCatalog(dir), SEGMENTS, 2, 4), singletons);
        ResetFixture.openAccountsThatSpent(context, ACCOUNTS);
        fixture.clock.set(ResetFixture.DECEMBER);
        return new QuotaResetHandler(context);
    }

    static Map<String, Object> start(int segment) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("action", "segment");
        input.put("job", JOB);
        input.put("segment", segment);
        input.put("totalSegments", SEGMENTS);
        input.put("cursor", null);
        return input;
    }

    /** The state machine's loop on one segment: a turn per page (the Lambda context leaves time for one). */
    static List<Map<String, Object>> loop(QuotaResetHandler handler, Map<String, Object> input) {
        List<Map<String, Object>> outputs = new ArrayList<>();
        Map<String, Object> state = input;
        for (int turn = 0; turn < 100 && !Boolean.TRUE.equals(state.get("done")); turn++) {
            state = json(handler.handleRequest(state, LambdaContexts.timeForPages(1)));
            outputs.add(state);
        }
        return outputs;
    }

    @Test
    void aTurn_returnsItsCursorAndCounts_andTheLoopOnTheCursorSeesEveryAccountOnce() throws Exception {
        QuotaResetHandler handler = handlerWith();
        List<Map<String, Object>> segmentStates = new ArrayList<>();
        for (int segment = 0; segment < SEGMENTS; segment++) {
            List<Map<String, Object>> outputs = loop(handler, start(segment));
            assertThat(outputs.size()).as("several turns a segment").isGreaterThan(1);
            Map<String, Object> first = outputs.getFirst();
            assertThat(first).containsEntry("action", "segment").containsEntry("job", JOB).containsEntry("segment", segment)
                    .containsEntry("totalSegments", SEGMENTS).containsEntry("done", false);
            assertThat(first.get("cursor")).isInstanceOf(String.class);
            assertThat(number(first, "seen")).isBetween(1L, 4L);
            for (int i = 1; i < outputs.size(); i++) {
                assertThat(number(outputs.get(i), "seen")).as("counts carried from turn to turn").isGreaterThanOrEqualTo(number(outputs.get(i - 1), "seen"));
            }
            Map<String, Object> last = outputs.getLast();
            assertThat(last).containsEntry("done", true).doesNotContainKey("cursor");
            segmentStates.add(last);
            // A done segment given again (a redrive of an iteration that had finished) does nothing.
            assertThat(json(handler.handleRequest(last, LambdaContexts.fullTime()))).isEqualTo(last);
        }
        assertThat(segmentStates.stream().mapToLong(s -> number(s, "seen")).sum()).isEqualTo(ACCOUNTS);
        assertThat(segmentStates.stream().mapToLong(s -> number(s, "reset")).sum()).isEqualTo(ACCOUNTS);
        assertThat(fixture.decemberResetsByAccount(ACCOUNTS).values()).containsOnly(1L);

        Map<String, Object> summaryInput = new LinkedHashMap<>();
        summaryInput.put("action", "summary");
        summaryInput.put("job", JOB);
        summaryInput.put("totalSegments", SEGMENTS);
        summaryInput.put("segments", segmentStates);
        Map<String, Object> summary = json(handler.handleRequest(summaryInput, LambdaContexts.fullTime()));
        assertThat(summary).containsEntry("role", "job").containsEntry("job", JOB).containsEntry("complete", true)
                .containsEntry("segmentsDone", SEGMENTS).containsEntry("AccountsSeen", ACCOUNTS).containsEntry("AccountsReset", ACCOUNTS)
                .containsEntry("AccountsSkipped", 0).containsEntry("AccountsFailed", 0);
    }

    @Test
    void aWorkerKilledMidPage_runAgainFromItsLastCursor_resetsEachAccountOnce_withExactCounts() throws Exception {
        KillMidPage killer = new KillMidPage(new SqliteWalletStore(SqliteDatabase.open(fixture.database.toString()), fixture.clock));
        QuotaResetHandler handler = handlerWith(killer);
        killer.wallet.set(context.getBean(WalletService.class));

        Map<String, Object> afterFirst = json(handler.handleRequest(start(1), LambdaContexts.timeForPages(1)));
        assertThat(afterFirst).containsEntry("done", false);
        killer.arm();
        // The second turn dies halfway through its page: some of its accounts were rolled over, its output is lost.
        assertThatThrownBy(() -> handler.handleRequest(afterFirst, LambdaContexts.timeForPages(1))).hasMessageContaining("killed");
        int killedAfter = killer.rolledBeforeKill.get();
        assertThat(killedAfter).as("the kill came mid-page, after some roll-overs").isPositive();

        // The state machine's Retry gives the same input again: the last cursor.
        List<Map<String, Object>> outputs = loop(handler, afterFirst);
        Map<String, Object> last = outputs.getLast();
        assertThat(last).containsEntry("done", true);
        long segmentAccounts = number(last, "seen");
        // Exact: every account of the segment seen once (the killed turn's page read again, not counted twice), the
        // accounts the killed turn had rolled over counted as skipped (no longer due), the rest as reset.
        assertThat(number(last, "skipped")).isEqualTo(killedAfter);
        assertThat(number(last, "reset")).isEqualTo(segmentAccounts - killedAfter);
        assertThat(number(last, "failed")).isZero();

        for (int segment = 0; segment < SEGMENTS; segment++) {
            if (segment != 1) {
                loop(handler, start(segment));
            }
        }
        assertThat(fixture.decemberResetsByAccount(ACCOUNTS).values()).as("plan_reset entries per account").containsOnly(1L);
    }

    @Test
    void aSegmentCaughtAfterItsRetries_isListedUnfinishedWithItsCursor_andItsSecondRunCompletesTheSummary() throws Exception {
        QuotaResetHandler handler = handlerWith();
        List<Map<String, Object>> firstMap = new ArrayList<>();
        for (int segment = 1; segment < SEGMENTS; segment++) {
            firstMap.add(loop(handler, start(segment)).getLast());
        }
        // Segment 0 did one turn, then failed every retry: the Catch records its last state (the input of the turn
        // that failed) with the error, as the iteration's output.
        Map<String, Object> caught = new LinkedHashMap<>(json(handler.handleRequest(start(0), LambdaContexts.timeForPages(1))));
        caught.put("error", Map.of("Error", "States.TaskFailed", "Cause", "worker killed"));
        firstMap.add(0, caught);

        Map<String, Object> summaryInput = new LinkedHashMap<>();
        summaryInput.put("action", "summary");
        summaryInput.put("job", JOB);
        summaryInput.put("totalSegments", SEGMENTS);
        summaryInput.put("segments", firstMap);
        Map<String, Object> first = json(handler.handleRequest(summaryInput, LambdaContexts.fullTime()));
        assertThat(first).containsEntry("complete", false).containsEntry("segmentsDone", SEGMENTS - 1).containsEntry("level", "WARN");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> unfinished = (List<Map<String, Object>>) first.get("unfinished");
        assertThat(unfinished).hasSize(1);
        assertThat(unfinished.getFirst()).containsEntry("action", "segment").containsEntry("segment", 0)
                .containsEntry("cursor", caught.get("cursor")).containsEntry("done", false).doesNotContainKey("error");

        // The second Map runs it from its last cursor; the final summary takes its state over the caught one.
        Map<String, Object> again = loop(handler, unfinished.getFirst()).getLast();
        summaryInput.put("retried", List.of(again));
        Map<String, Object> last = json(handler.handleRequest(summaryInput, LambdaContexts.fullTime()));
        assertThat(last).containsEntry("complete", true).containsEntry("segmentsDone", SEGMENTS).containsEntry("AccountsSeen", ACCOUNTS)
                .containsEntry("AccountsReset", ACCOUNTS).containsEntry("unfinished", List.of());
        assertThat(fixture.decemberResetsByAccount(ACCOUNTS).values()).containsOnly(1L);
    }

    @Test
    void aMalformedTurn_isRefused() throws Exception {
        QuotaResetHandler handler = handlerWith();
        Map<String, Object> outside = start(SEGMENTS);
        assertThatThrownBy(() -> handler.handleRequest(outside, LambdaContexts.fullTime())).isInstanceOf(IllegalArgumentException.class);
        Map<String, Object> badCursor = start(0);
        badCursor.put("cursor", 7);
        assertThatThrownBy(() -> handler.handleRequest(badCursor, LambdaContexts.fullTime())).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Once armed, the next page read is handed over only after half its accounts were rolled over, and then the
     * read throws: as a worker killed in the middle of a page, its writes partly done and its output never returned.
     */
    static final class KillMidPage implements AccountScan {
        private final AccountScan store;
        private final AtomicBoolean armed = new AtomicBoolean();
        final AtomicReference<WalletService> wallet = new AtomicReference<>();
        final AtomicInteger rolledBeforeKill = new AtomicInteger(-1);

        KillMidPage(AccountScan store) {
            this.store = store;
        }

        void arm() {
            armed.set(true);
        }

        @Override
        public Page scan(int segment, int totalSegments, Optional<String> startAfter, int limit) {
            Page page = store.scan(segment, totalSegments, startAfter, limit);
            if (armed.compareAndSet(true, false)) {
                int rolled = 0;
                for (Account account : page.accounts().subList(0, Math.max(1, page.accounts().size() / 2))) {
                    if (wallet.get().rollOverIfDue(account)) {
                        rolled++;
                    }
                }
                rolledBeforeKill.set(rolled);
                throw new IllegalStateException("worker killed mid-page");
            }
            return page;
        }

        @Override
        public List<Checkpoint> checkpoints(String job) {
            return store.checkpoints(job);
        }

        @Override
        public Optional<Checkpoint> claim(String job, int segment, int totalSegments, String owner, Instant leaseUntil, Instant now) {
            return store.claim(job, segment, totalSegments, owner, leaseUntil, now);
        }

        @Override
        public boolean save(String job, Checkpoint checkpoint, String owner, boolean release) {
            return store.save(job, checkpoint, owner, release);
        }
    }
}
