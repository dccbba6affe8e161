package com.tokenwallet.debit;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
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
import org.junit.jupiter.api.Test;

/**
 * Many callers debit one account at once, spread over several wallet instances (separate contexts, clients and
 * caches, as separate Lambda instances would be): exactly as many debits succeed as the balance covers, every
 * other one is refused with 402, and the ledger sums to the balance.
 */
class ConcurrencyTest {

    private static final int THREADS = 32;
    private static final int INSTANCES = 4;

    @Test
    void thirtyTwoConcurrentDebitsNeverOverdraw() throws Exception {
        // The signup grant is 10 credits; ai_chat costs 1, a by-amount debit of 3 fits 3 times.
        assertConcurrentDebits("{\"operation\":\"ai_chat\"}", 1, 10);
        assertConcurrentDebits("{\"bucket\":\"credits\",\"amount\":3,\"description\":\"batch job\"}", 3, 3);
    }

    private void assertConcurrentDebits(String body, long cost, int expectedSuccesses) throws Exception {
        try (TestWallet first = new TestWallet()) {
            List<TestWallet> instances = new ArrayList<>(List.of(first));
            for (int i = 1; i < INSTANCES; i++) {
                instances.add(first.anotherInstance());
            }
            try {
                String account = "acct-" + cost;
                Wallets.open(first.handler(DebitHandler::new), account);
                CheckHandler check = first.handler(CheckHandler::new);
                long before = Wallets.available(check, account, "credits");
                List<DebitHandler> handlers = instances.stream().map(w -> w.handler(DebitHandler::new)).toList();
                // Every instance has seen the account, so each starts from a snapshot that will go stale.
                handlers.forEach(h -> Wallets.debit(h, account, "warm-" + System.identityHashCode(h), "{\"bucket\":\"credits\",\"amount\":1000000,\"description\":\"warm\"}"));

                ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<APIGatewayV2HTTPResponse>> futures = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    DebitHandler handler = handlers.get(i % INSTANCES);
                    String key = "debit-" + i;
                    futures.add(pool.submit(() -> {
                        start.await();
                        return Wallets.debit(handler, account, key, body);
                    }));
                }
                start.countDown();
                int created = 0;
                int refused = 0;
                for (Future<APIGatewayV2HTTPResponse> f : futures) {
                    APIGatewayV2HTTPResponse response = f.get(60, TimeUnit.SECONDS);
                    if (response.getStatusCode() == 201) {
                        created++;
                    } else {
                        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(402);
                        Map<String, Object> problem = TestWallet.body(response);
                        assertThat(problem).containsEntry("code", "insufficient_tokens").containsEntry("bucket", "credits");
                        assertThat(Wallets.number(problem.get("required"))).isEqualTo(cost);
                        assertThat(Wallets.number(problem.get("available"))).isLessThan(cost);
                        refused++;
                    }
                }
                pool.shutdown();
                assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

                assertThat(created).isEqualTo(expectedSuccesses);
                assertThat(refused).isEqualTo(THREADS - expectedSuccesses);
                long after = Wallets.available(check, account, "credits");
                assertThat(after).isEqualTo(before - created * cost).isGreaterThanOrEqualTo(0);
                List<Map<String, Object>> ledger = Wallets.ledger(check, account);
                long sum = ledger.stream().filter(e -> "credits".equals(e.get("bucket"))).mapToLong(e -> Wallets.number(e.get("amount"))).sum();
                assertThat(sum).as("ledger sum equals the balance").isEqualTo(after);
                assertThat(ledger.stream().filter(e -> "debit".equals(e.get("type"))).count()).isEqualTo(created);
            } finally {
                instances.subList(1, instances.size()).forEach(TestWallet::close);
            }
        }
    }
}
