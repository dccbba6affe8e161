package com.tokenwallet.debit;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DynamoDB round trips per request, counted by the SDK interceptor on the wallet's own client. */
class CallCountTest {

    private static final String CHAT = "{\"operation\":\"ai_chat\"}";
    private static TestWallet wallet;
    private static TestWallet coldInstance;
    private static DebitHandler debit;
    private static CheckHandler check;

    @BeforeAll
    static void start() {
        wallet = new TestWallet();
        coldInstance = wallet.anotherInstance();
        debit = wallet.handler(DebitHandler::new);
        check = wallet.handler(CheckHandler::new);
        Wallets.open(debit, "counted");
        assertThat(Wallets.debit(debit, "counted", "first", CHAT).getStatusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        coldInstance.close();
        wallet.close();
    }

    @Test
    void aDebitIsOneTransactWriteItems() {
        wallet.counter.reset();
        assertThat(Wallets.debit(debit, "counted", "steady-1", CHAT).getStatusCode()).isEqualTo(201);
        assertThat(wallet.counter.snapshot()).isEqualTo(Map.of("TransactWriteItems", 1L));
    }

    @Test
    void aReplayIsAtMostOneCallAndNoWrite() {
        assertThat(Wallets.debit(debit, "counted", "replayed", CHAT).getStatusCode()).isEqualTo(201);

        wallet.counter.reset();
        Wallets.debit(debit, "counted", "replayed", CHAT);
        assertThat(wallet.counter.total()).isLessThanOrEqualTo(1);
        assertThat(wallet.counter.writeCalls()).isZero();

        // Another instance, which never saw this account or key: one consistent read answers it.
        DebitHandler cold = coldInstance.handler(DebitHandler::new);
        coldInstance.counter.reset();
        var replay = Wallets.debit(cold, "counted", "replayed", CHAT);
        assertThat(replay.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(coldInstance.counter.snapshot()).isEqualTo(Map.of("BatchGetItem", 1L));
        assertThat(coldInstance.counter.writeCalls()).isZero();
    }

    @Test
    void aBalanceReadIsOneGetItem() {
        wallet.counter.reset();
        Wallets.available(check, "counted", "credits");
        assertThat(wallet.counter.snapshot()).isEqualTo(Map.of("GetItem", 1L));
    }
}
