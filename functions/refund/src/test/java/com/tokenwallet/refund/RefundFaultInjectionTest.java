package com.tokenwallet.refund;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.debit.DebitHandler;
import com.tokenwallet.domain.service.WalletService;
import com.tokenwallet.domain.testing.FaultInjectingWalletStore.Fault;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Store faults on refunds and holds, injected at the store port (FaultInjectingWalletStore): a write whose answer is
 * lost after it committed, conflicts with other writers, throttling, a failure before the commit. A retry with the same Idempotency-Key replays what committed and never refunds,
 * captures or releases twice; conflicts are retried inside the request; whatever answered 503 without
 * committing changed nothing.
 */
class RefundFaultInjectionTest {

    private static TestWallet wallet;
    private static TestWallet otherInstance;
    private static DebitHandler debit;
    private static RefundHandler refund;
    private static CheckHandler check;
    private String account;

    @BeforeAll
    static void start() {
        wallet = new TestWallet();
        otherInstance = wallet.anotherInstance();
        debit = wallet.handler(DebitHandler::new);
        refund = wallet.handler(RefundHandler::new);
        check = wallet.handler(CheckHandler::new);
    }

    @AfterAll
    static void stop() {
        otherInstance.close();
        wallet.close();
    }

    @AfterEach
    void invariant() {
        assertThat(wallet.store.pendingFaults()).isZero();
        if (account != null) {
            Invariants.assertHold(check, wallet.database, account, java.time.Clock.systemUTC());
        }
    }

    private String open(String id) {
        account = id;
        Api.open(debit, id);
        return id;
    }

    private static void assertUnavailable(APIGatewayV2HTTPResponse response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(503);
        assertThat(response.getHeaders()).containsKey("Retry-After");
        assertThat(Api.code(response)).isEqualTo("store_unavailable");
    }

    private long refundEntries(String id, String tx) {
        return Api.ledger(check, id).stream().filter(e -> "refund".equals(e.get("type")) && tx.equals(e.get("reference"))).count();
    }

    @Test
    void aRefundWhoseAnswerIsLostAfterCommit_isReplayedByTheRetry_andNeverRefundedTwice() {
        String id = open("timeout-partial");
        String tx = Api.debited(debit, id, "debit-1", 6);
        wallet.store.failNextWrites(Fault.COMMIT_THEN_LOSE_ANSWER, 1);

        APIGatewayV2HTTPResponse lost = Api.refund(refund, id, "refund-1", Api.refundBody(tx, 2L));
        assertUnavailable(lost);

        for (RefundHandler handler : List.of(refund, otherInstance.handler(RefundHandler::new))) {
            APIGatewayV2HTTPResponse retry = Api.refund(handler, id, "refund-1", Api.refundBody(tx, 2L));
            assertThat(retry.getStatusCode()).as(retry.getBody()).isEqualTo(201);
            assertThat(retry.getHeaders()).containsEntry("Idempotent-Replayed", "true");
            assertThat(TestWallet.body(retry)).containsEntry("amount", 2).containsEntry("refundedTotal", 2).containsEntry("available", 6);
        }
        assertThat(Api.available(check, id, "credits")).isEqualTo(6);
        assertThat(refundEntries(id, tx)).isEqualTo(1);
    }

    @Test
    void aFullRefundWhoseAnswerIsLost_isReplayed_notAnsweredRefundExceedsCharge() {
        String id = open("timeout-full");
        String tx = Api.debited(debit, id, "debit-1", 4);
        wallet.store.failNextWrites(Fault.COMMIT_THEN_LOSE_ANSWER, 1);

        assertUnavailable(Api.refund(refund, id, "refund-all", Api.refundBody(tx, null)));

        for (RefundHandler handler : List.of(refund, otherInstance.handler(RefundHandler::new))) {
            APIGatewayV2HTTPResponse retry = Api.refund(handler, id, "refund-all", Api.refundBody(tx, null));
            assertThat(retry.getStatusCode()).as(retry.getBody()).isEqualTo(201);
            assertThat(retry.getHeaders()).containsEntry("Idempotent-Replayed", "true");
            assertThat(TestWallet.body(retry)).containsEntry("amount", 4).containsEntry("refundedTotal", 4);
        }
        assertThat(Api.available(check, id, "credits")).isEqualTo(10);
        assertThat(refundEntries(id, tx)).isEqualTo(1);
    }

    @Test
    void conflictsAreRetriedInsideTheRequest() {
        String id = open("conflicted");
        String tx = Api.debited(debit, id, "debit-1", 3);
        int callsBefore = wallet.store.writeCalls();
        wallet.store.failNextWrites(Fault.STALE_CONFLICT, 3);

        APIGatewayV2HTTPResponse response = Api.refund(refund, id, "refund-1", Api.refundBody(tx, null));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        assertThat(response.getHeaders()).doesNotContainKey("Idempotent-Replayed");
        assertThat(wallet.store.writeCalls() - callsBefore).isEqualTo(4);
        assertThat(Api.available(check, id, "credits")).isEqualTo(10);
        assertThat(refundEntries(id, tx)).isEqualTo(1);
    }

    @Test
    void conflictsThatNeverEnd_giveUpWith503_changeNothing_andTheRetryRefundsOnce() {
        String id = open("stuck");
        String tx = Api.debited(debit, id, "debit-1", 3);
        var items = wallet.items();
        wallet.store.failNextWrites(Fault.STALE_CONFLICT, WalletService.MAX_WRITE_ATTEMPTS);

        assertUnavailable(Api.refund(refund, id, "refund-1", Api.refundBody(tx, 2L)));

        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(items);
        APIGatewayV2HTTPResponse retry = Api.refund(refund, id, "refund-1", Api.refundBody(tx, 2L));
        assertThat(retry.getStatusCode()).as(retry.getBody()).isEqualTo(201);
        assertThat(retry.getHeaders()).doesNotContainKey("Idempotent-Replayed");
        assertThat(Api.available(check, id, "credits")).isEqualTo(9);
        assertThat(refundEntries(id, tx)).isEqualTo(1);
    }

    @Test
    void throttlingAndTimeoutsBeforeCommit_answer503_changeNothing_andTheRetryRefundsOnce() {
        String id = open("throttled");
        String tx = Api.debited(debit, id, "debit-1", 5);
        for (Fault fault : List.of(Fault.THROTTLED, Fault.FAIL_BEFORE_COMMIT)) {
            var items = wallet.items();
            wallet.store.failNextWrites(fault, 1);
            String key = "refund-" + fault;

            assertUnavailable(Api.refund(refund, id, key, Api.refundBody(tx, 1L)));
            assertThat(wallet.items()).as(fault.name()).containsExactlyInAnyOrderElementsOf(items);

            APIGatewayV2HTTPResponse retry = Api.refund(refund, id, key, Api.refundBody(tx, 1L));
            assertThat(retry.getStatusCode()).as(retry.getBody()).isEqualTo(201);
            assertThat(retry.getHeaders()).doesNotContainKey("Idempotent-Replayed");
        }
        assertThat(Api.available(check, id, "credits")).isEqualTo(7);
        assertThat(refundEntries(id, tx)).isEqualTo(2);
    }

    @Test
    void aClientThatRetriesEvery503_refundsEachRequestExactlyOnce_whateverTheFaults() {
        String id = open("retrying");
        String tx = Api.debited(debit, id, "debit-1", 8);
        wallet.store.failNextWrites(Fault.COMMIT_THEN_LOSE_ANSWER, 1)
                .failNextWrites(Fault.STALE_CONFLICT, WalletService.MAX_WRITE_ATTEMPTS)
                .failNextWrites(Fault.THROTTLED, 1)
                .failNextWrites(Fault.COMMIT_THEN_LOSE_ANSWER, 1)
                .failNextWrites(Fault.FAIL_BEFORE_COMMIT, 1);
        long total = 0;
        for (int i = 0; i < 4; i++) {
            String key = "refund-" + i;
            RefundHandler handler = i % 2 == 0 ? refund : otherInstance.handler(RefundHandler::new);
            APIGatewayV2HTTPResponse response = retried(() -> Api.refund(handler, id, key, Api.refundBody(tx, 2L)));
            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
            total += 2;
            assertThat(TestWallet.body(response)).containsEntry("refundedTotal", (int) total);
        }
        assertThat(Api.available(check, id, "credits")).isEqualTo(10);
        assertThat(refundEntries(id, tx)).isEqualTo(4);
        assertThat(Api.refund(refund, id, "refund-more", Api.refundBody(tx, 1L)).getStatusCode()).isEqualTo(409);
    }

    @Test
    void holdCaptureAndReleaseWhoseAnswersAreLost_areReplayed_andResolveOnce() {
        String id = open("hold-timeouts");
        wallet.store.failNextWrites(Fault.COMMIT_THEN_LOSE_ANSWER, 1);
        assertUnavailable(Api.hold(debit, id, "hold-1", Api.holdBody(4, 900)));
        APIGatewayV2HTTPResponse hold = Api.hold(debit, id, "hold-1", Api.holdBody(4, 900));
        assertThat(hold.getStatusCode()).isEqualTo(201);
        assertThat(hold.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        String holdId = Api.string(hold, "holdId");
        assertThat(Api.heldTokens(check, id, "credits")).as("one hold, not two").isEqualTo(4);
        String other = Api.held(debit, id, "hold-2", 3, 900);
        // The injected "timeout after commit" only commits a write that would commit: first bring this instance's
        // snapshot up to date (a write refreshes it), so the faulted write is not one that finds the account changed.
        refreshSnapshot(id, "refresh-1");

        wallet.store.failNextWrites(Fault.COMMIT_THEN_LOSE_ANSWER, 1);
        assertUnavailable(Api.release(refund, id, other, "release-1"));
        APIGatewayV2HTTPResponse release = Api.release(otherInstance.handler(RefundHandler::new), id, other, "release-1");
        assertThat(release.getStatusCode()).as(release.getBody()).isEqualTo(200);
        assertThat(release.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(TestWallet.body(release)).containsEntry("released", 3);
        refreshSnapshot(id, "refresh-2");

        wallet.store.failNextWrites(Fault.COMMIT_THEN_LOSE_ANSWER, 1);
        assertUnavailable(Api.capture(debit, id, holdId, "capture-1", "{\"amount\":3}"));
        for (DebitHandler handler : List.of(debit, otherInstance.handler(DebitHandler::new))) {
            APIGatewayV2HTTPResponse capture = Api.capture(handler, id, holdId, "capture-1", "{\"amount\":3}");
            assertThat(capture.getStatusCode()).as(capture.getBody()).isEqualTo(200);
            assertThat(capture.getHeaders()).containsEntry("Idempotent-Replayed", "true");
            assertThat(TestWallet.body(capture)).containsEntry("captured", 3).containsEntry("released", 1);
        }

        Map<String, Object> credits = Api.bucket(Api.balance(check, id), "credits");
        assertThat(credits).as("10 - 2 refresh debits - 3 captured").containsEntry("purchased", 5).containsEntry("held", 0);
        List<Map<String, Object>> ledger = Api.ledger(check, id);
        assertThat(ledger.stream().filter(e -> "capture".equals(e.get("type")))).hasSize(1);
        assertThat(ledger.stream().filter(e -> "release".equals(e.get("type")))).hasSize(1);
        assertThat(ledger.stream().filter(e -> "hold".equals(e.get("type")))).hasSize(2);
    }

    private static void refreshSnapshot(String id, String key) {
        assertThat(Api.debit(debit, id, key, Api.credits(1)).getStatusCode()).isEqualTo(201);
    }

    /** Retries a 503 with the same key, a bounded number of times. */
    private static APIGatewayV2HTTPResponse retried(Supplier<APIGatewayV2HTTPResponse> call) {
        APIGatewayV2HTTPResponse response = call.get();
        for (int retry = 0; retry < 10 && response.getStatusCode() == 503; retry++) {
            response = call.get();
        }
        return response;
    }
}
