package com.tokenwallet.debit;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.dynamodb.testing.FaultInjectingDynamoDbClient.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What DynamoDB Local never does: conflicts, throttling, and a timeout after the write committed. */
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
        wallet.client.failNextWrites(Fault.TIMEOUT_AFTER_COMMIT, 1);

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
        wallet.client.failNextWrites(Fault.THROTTLING, 1);

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
        wallet.client.failNextWrites(Fault.TIMEOUT_BEFORE_COMMIT, 1);
        assertThat(Wallets.debit(debit, "early-timeout", "e-1", CHAT).getStatusCode()).isEqualTo(503);
        APIGatewayV2HTTPResponse retry = Wallets.debit(debit, "early-timeout", "e-1", CHAT);
        assertThat(retry.getStatusCode()).isEqualTo(201);
        assertThat(retry.getHeaders()).doesNotContainKey("Idempotent-Replayed");
        assertThat(Wallets.available(check, "early-timeout", "credits")).isEqualTo(9);
    }

    @Test
    void transactionConflictsAreRetriedInsideTheRequest() {
        Wallets.open(debit, "conflicted");
        int callsBefore = wallet.client.transactCalls();
        wallet.client.failNextWrites(Fault.TRANSACTION_CONFLICT, 3);

        APIGatewayV2HTTPResponse response = Wallets.debit(debit, "conflicted", "c-1", CHAT);

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(wallet.client.transactCalls() - callsBefore).isEqualTo(4);
        assertThat(wallet.client.pendingFaults()).isZero();
        assertThat(Wallets.available(check, "conflicted", "credits")).isEqualTo(9);
    }

    @Test
    void conflictsThatNeverEndGiveUpWith503AndChargeNothing() {
        Wallets.open(debit, "stuck");
        var items = wallet.items();
        wallet.client.failNextWrites(Fault.TRANSACTION_CONFLICT, 7);

        APIGatewayV2HTTPResponse response = Wallets.debit(debit, "stuck", "s-1", CHAT);

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(wallet.client.pendingFaults()).isZero();
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(items);
        assertThat(Wallets.debit(debit, "stuck", "s-1", CHAT).getStatusCode()).isEqualTo(201);
        assertThat(Wallets.available(check, "stuck", "credits")).isEqualTo(9);
    }
}
