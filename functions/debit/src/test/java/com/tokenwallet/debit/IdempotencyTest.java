package com.tokenwallet.debit;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdempotencyTest {

    private static TestWallet wallet;
    private static TestWallet otherInstance;
    private static DebitHandler debit;
    private static CheckHandler check;

    @BeforeAll
    static void start() {
        wallet = new TestWallet();
        otherInstance = wallet.anotherInstance();
        debit = wallet.handler(DebitHandler::new);
        check = wallet.handler(CheckHandler::new);
    }

    @AfterAll
    static void stop() {
        otherInstance.close();
        wallet.close();
    }

    @Test
    void aReplayReturnsTheFirstResponseAndChangesNothing() {
        Wallets.open(debit, "replay");
        APIGatewayV2HTTPResponse first = Wallets.debit(debit, "replay", "key-1", "{\"operation\":\"text_interview\",\"metadata\":{\"interview\":\"i-1\"}}");
        var itemsAfterFirst = wallet.items();

        APIGatewayV2HTTPResponse sameProcess = Wallets.debit(debit, "replay", "key-1", "{\"operation\":\"text_interview\",\"metadata\":{\"interview\":\"i-1\"}}");
        APIGatewayV2HTTPResponse otherProcess = Wallets.debit(otherInstance.handler(DebitHandler::new), "replay", "key-1",
                "{\"operation\":\"text_interview\",\"metadata\":{\"interview\":\"i-1\"}}");

        assertThat(first.getStatusCode()).isEqualTo(201);
        assertThat(first.getHeaders()).doesNotContainKey("Idempotent-Replayed");
        for (APIGatewayV2HTTPResponse replay : List.of(sameProcess, otherProcess)) {
            assertThat(replay.getStatusCode()).isEqualTo(201);
            assertThat(replay.getBody()).isEqualTo(first.getBody());
            assertThat(replay.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        }
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(itemsAfterFirst);
        assertThat(Wallets.available(check, "replay", "credits")).isEqualTo(10 - 5);
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedWith409() {
        Wallets.open(debit, "reuse");
        assertThat(Wallets.debit(debit, "reuse", "key-r", "{\"operation\":\"ai_chat\"}").getStatusCode()).isEqualTo(201);
        var items = wallet.items();

        for (DebitHandler handler : List.of(debit, otherInstance.handler(DebitHandler::new))) {
            APIGatewayV2HTTPResponse other = Wallets.debit(handler, "reuse", "key-r", "{\"operation\":\"voice_interview\"}");
            assertThat(other.getStatusCode()).isEqualTo(409);
            assertThat(TestWallet.body(other)).containsEntry("code", "idempotency_key_reused");
        }
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(items);
    }

    @Test
    void aKeyIsPerAccount() {
        Wallets.open(debit, "per-a");
        Wallets.open(debit, "per-b");
        assertThat(Wallets.debit(debit, "per-a", "shared-key", "{\"operation\":\"ai_chat\"}").getStatusCode()).isEqualTo(201);
        APIGatewayV2HTTPResponse b = Wallets.debit(debit, "per-b", "shared-key", "{\"operation\":\"ai_chat\"}");
        assertThat(b.getStatusCode()).isEqualTo(201);
        assertThat(b.getHeaders()).doesNotContainKey("Idempotent-Replayed");
        assertThat(Wallets.available(check, "per-b", "credits")).isEqualTo(9);
    }

    @Test
    void a402DoesNotUseUpTheKey() {
        Wallets.open(debit, "refused");
        var items = wallet.items();
        APIGatewayV2HTTPResponse refused = Wallets.debit(debit, "refused", "key-402", "{\"bucket\":\"credits\",\"amount\":11,\"description\":\"too much\"}");
        assertThat(refused.getStatusCode()).isEqualTo(402);
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(items);

        // Were the key used up, this other body would be refused with 409.
        APIGatewayV2HTTPResponse later = Wallets.debit(debit, "refused", "key-402", "{\"bucket\":\"credits\",\"amount\":10,\"description\":\"all of it\"}");
        assertThat(later.getStatusCode()).isEqualTo(201);
        assertThat(Wallets.available(check, "refused", "credits")).isZero();
    }

    @Test
    void eightConcurrentRequestsWithOneKeyDebitOnce() throws Exception {
        Wallets.open(debit, "same-key");
        List<DebitHandler> handlers = List.of(debit, otherInstance.handler(DebitHandler::new));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<APIGatewayV2HTTPResponse>> futures = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            DebitHandler handler = handlers.get(i % 2);
            futures.add(pool.submit(() -> {
                start.await();
                return Wallets.debit(handler, "same-key", "one-key", "{\"operation\":\"group_practice_create\"}");
            }));
        }
        start.countDown();
        List<APIGatewayV2HTTPResponse> responses = new ArrayList<>();
        for (Future<APIGatewayV2HTTPResponse> f : futures) {
            responses.add(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertThat(responses).allSatisfy(r -> assertThat(r.getStatusCode()).isEqualTo(201));
        assertThat(responses.stream().map(APIGatewayV2HTTPResponse::getBody).distinct()).hasSize(1);
        assertThat(responses.stream().filter(r -> !r.getHeaders().containsKey("Idempotent-Replayed")).count())
                .as("exactly one response is the first").isEqualTo(1);
        assertThat(Wallets.available(check, "same-key", "credits")).isEqualTo(10 - 3);
        List<Map<String, Object>> ledger = Wallets.ledger(check, "same-key");
        assertThat(ledger.stream().filter(e -> "debit".equals(e.get("type")))).hasSize(1);
    }

    @Test
    void openingAnAccountGrantsOnceHoweverOftenAndConcurrentlyItIsCalled() throws Exception {
        List<DebitHandler> handlers = List.of(debit, otherInstance.handler(DebitHandler::new));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<APIGatewayV2HTTPResponse>> futures = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            DebitHandler handler = handlers.get(i % 2);
            futures.add(pool.submit(() -> {
                start.await();
                return TestWallet.call(handler, ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account("opened-once")
                        .caller("opened-once", "wallet:read").json("{\"email\":\"o@example.com\"}").build());
            }));
        }
        start.countDown();
        int created = 0;
        for (Future<APIGatewayV2HTTPResponse> f : futures) {
            int status = f.get(60, TimeUnit.SECONDS).getStatusCode();
            assertThat(status).isIn(200, 201);
            created += status == 201 ? 1 : 0;
        }
        pool.shutdown();
        assertThat(created).isEqualTo(1);
        assertThat(Wallets.available(check, "opened-once", "credits")).isEqualTo(10);
        assertThat(Wallets.ledger(check, "opened-once").stream().filter(e -> "signup_grant".equals(e.get("type")))).hasSize(1);
    }
}
