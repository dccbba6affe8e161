package com.tokenwallet.debit;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.domain.service.WalletService;
import com.tokenwallet.domain.testing.FaultInjectingWalletStore.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a store does under faults, injected at the store port (FaultInjectingWalletStore): a write whose answer is
 * lost after it committed, throttling, a failure before the commit, and conflicts with other writers.
 */
class FaultInjectionTest {

    private static final String CHAT = "{\"operation\":\"ai_chat\"}";
    private static TestWallet wallet;
    private static DebitHandler debit;
    private static CheckHandler check;

    @BeforeAll
    static void start() {
        wallet = new TestWallet();
        debit = wallet.handler(DebitHandler::new);
        check = wallet.handler(CheckHandler::new);
    }

    @AfterAll
    static void stop() {
        wallet.close();
    }

    @Test
    void aTimeoutAfterCommitAnswers503AndTheRetryReplaysWithoutChargingTwice() {
        Wallets.open(debit, "timeout");
        wallet.store.failNextWrites(Fault.COMMIT_THEN_LOSE_ANSWER, 1);

        APIGatewayV2HTTPResponse lost = Wallets.debit(debit, "timeout", "t-1", CHAT);
        assertThat(lost.getStatusCode()).isEqualTo(503);
        assertThat(lost.getHeaders()).containsKey("Retry-After");
        assertThat(TestWallet.body(lost)).containsEntry("code", "store_unavailable");

        APIGatewayV2HTTPResponse retry = Wallets.debit(debit, "timeout", "t-1", CHAT);
        assertThat(retry.getStatusCode()).isEqualTo(201);
        assertThat(retry.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(Wallets.available(check, "timeout", "credits")).isEqualTo(9);
        assertThat(Wallets.ledger(check, "timeout").stream().filter(e -> "debit".equals(e.get("type")))).hasSize(1);
    }

    @Test
    void throttlingAnswers503WithNothingWrittenAndTheRetryDebitsOnce() {
        Wallets.open(debit, "throttled");
        var items = wallet.items();
        wallet.store.failNextWrites(Fault.THROTTLED, 1);

        APIGatewayV2HTTPResponse throttled = Wallets.debit(debit, "throttled", "th-1", CHAT);
        assertThat(throttled.getStatusCode()).isEqualTo(503);
        assertThat(throttled.getHeaders()).containsKey("Retry-After");
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(items);

        APIGatewayV2HTTPResponse retry = Wallets.debit(debit, "throttled", "th-1", CHAT);
        assertThat(retry.getStatusCode()).isEqualTo(201);
        assertThat(retry.getHeaders()).doesNotContainKey("Idempotent-Replayed");
        assertThat(Wallets.available(check, "throttled", "credits")).isEqualTo(9);
    }

    @Test
    void aTimeoutBeforeCommitAnswers503AndTheRetryDebitsOnce() {
        Wallets.open(debit, "early-timeout");
        wallet.store.failNextWrites(Fault.FAIL_BEFORE_COMMIT, 1);
        assertThat(Wallets.debit(debit, "early-timeout", "e-1", CHAT).getStatusCode()).isEqualTo(503);
        APIGatewayV2HTTPResponse retry = Wallets.debit(debit, "early-timeout", "e-1", CHAT);
        assertThat(retry.getStatusCode()).isEqualTo(201);
        assertThat(retry.getHeaders()).doesNotContainKey("Idempotent-Replayed");
        assertThat(Wallets.available(check, "early-timeout", "credits")).isEqualTo(9);
    }

    @Test
    void conflictsAreRetriedInsideTheRequest_onTheFreshState() {
        Wallets.open(debit, "conflicted");
        int callsBefore = wallet.store.writeCalls();
        wallet.store.failNextWrites(Fault.STALE_CONFLICT, 3);

        APIGatewayV2HTTPResponse response = Wallets.debit(debit, "conflicted", "c-1", CHAT);

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(wallet.store.writeCalls() - callsBefore).isEqualTo(4);
        assertThat(wallet.store.pendingFaults()).isZero();
        assertThat(Wallets.available(check, "conflicted", "credits")).isEqualTo(9);
    }

    @Test
    void conflictsThatNeverEndGiveUpWith503AndChargeNothing() {
        Wallets.open(debit, "stuck");
        var items = wallet.items();
        wallet.store.failNextWrites(Fault.STALE_CONFLICT, WalletService.MAX_WRITE_ATTEMPTS);

        APIGatewayV2HTTPResponse response = Wallets.debit(debit, "stuck", "s-1", CHAT);

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(wallet.store.pendingFaults()).isZero();
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(items);
        assertThat(Wallets.debit(debit, "stuck", "s-1", CHAT).getStatusCode()).isEqualTo(201);
        assertThat(Wallets.available(check, "stuck", "credits")).isEqualTo(9);
    }

    @Test
    void aHotAccount_answers503Busy_onceTheLambdaDeadlineLeavesNoTimeForAnotherAttempt_andChargesNothing() {
        Wallets.open(debit, "hot");
        var items = wallet.items();
        int callsBefore = wallet.store.writeCalls();
        wallet.store.failNextWrites(Fault.STALE_CONFLICT, WalletService.MAX_WRITE_ATTEMPTS);
        // Lambda's remaining time as the write loop sees it: each attempt costs 300 ms of a 2 s budget, and
        // InvocationDeadline keeps 500 ms back for answering, so the fifth attempt is the last that may start.
        Context lambda = lambdaContext(() -> 2_000 - 300 * (wallet.store.writeCalls() - callsBefore));
        var event = ApiEvents.route(DebitHandler.DEBITS).account("hot").caller(Wallets.SERVICE, "wallet:charge")
                .idempotencyKey("hot-1").json(CHAT).build();

        APIGatewayV2HTTPResponse response = debit.handleRequest(event, lambda);

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsKey("Retry-After");
        assertThat(TestWallet.body(response)).containsEntry("code", "store_unavailable");
        assertThat(wallet.store.writeCalls() - callsBefore).as("stopped by the deadline, well before the attempt bound")
                .isEqualTo(5).isLessThan(WalletService.MAX_WRITE_ATTEMPTS);
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(items);
        wallet.store.clearFaults();
        assertThat(Wallets.debit(debit, "hot", "hot-1", CHAT).getStatusCode()).as("the retry, after the burst").isEqualTo(201);
        assertThat(Wallets.available(check, "hot", "credits")).isEqualTo(9);
    }

    private static Context lambdaContext(java.util.function.IntSupplier remainingMillis) {
        return (Context) java.lang.reflect.Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[]{Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRemainingTimeInMillis" -> remainingMillis.getAsInt();
                    case "getAwsRequestId" -> "hot-request";
                    case "getFunctionName" -> "debit";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "test Lambda context";
                    default -> null;
                });
    }
}
