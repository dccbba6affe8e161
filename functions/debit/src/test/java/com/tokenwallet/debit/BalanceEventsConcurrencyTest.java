package com.tokenwallet.debit;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.admin.AdminCommands;
import com.tokenwallet.domain.events.BalanceEvent;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.port.BalanceEvents;
import com.tokenwallet.domain.service.WalletService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Balance events under concurrency, on the embedded SQLite engine: 32 threads over 4 wallet instances (separate contexts,
 * clients and caches, as separate Lambda instances) debit one account from 40 credits down past its threshold of
 * 20 and on to zero. Each crossing is sent exactly once, by the writer whose committed write made it: one
 * {@code wallet.balance.low} and one {@code wallet.balance.depleted} per descent, for two descents.
 */
class BalanceEventsConcurrencyTest {
    private static final int THREADS = 32;
    private static final int INSTANCES = 4;
    private static final int DEBITS_PER_THREAD = 2;
    private static final String ACCOUNT = "events-under-load";

    /** The events every instance published, in the order they were published. */
    static final class Recorder implements BalanceEvents {
        final List<BalanceEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void publish(List<BalanceEvent> published) {
            events.addAll(published);
        }
    }

    @Test
    void eachCrossingIsSentExactlyOnce_byTheWriterThatMadeIt() throws Exception {
        Recorder recorder = new Recorder();
        try (TestWallet first = TestWallet.with(null, Map.of("wallet.low.balance.thresholds", "credits=20"), recorder)) {
            List<TestWallet> instances = new ArrayList<>(List.of(first));
            for (int i = 1; i < INSTANCES; i++) {
                instances.add(first.anotherInstance());
            }
            try {
                Wallets.open(first.handler(DebitHandler::new), ACCOUNT);
                WalletService wallet = first.context.getBean(WalletService.class);
                CheckHandler check = first.handler(CheckHandler::new);
                List<DebitHandler> handlers = instances.stream().map(w -> w.handler(DebitHandler::new)).toList();

                for (int descent = 1; descent <= 2; descent++) {
                    // Top up to 40 (no event: it rises), then race 64 debits of 1 for the 40 credits.
                    long available = Wallets.available(check, ACCOUNT, "credits");
                    wallet.grant(new AdminCommands.Grant(AccountId.of(ACCOUNT), "credits", 40 - available, "top up", "test",
                            Optional.empty()), r -> new StoredResponse(201, "granted"));
                    int succeeded = race(handlers, "descent-" + descent);

                    assertThat(succeeded).isEqualTo(40);
                    assertThat(Wallets.available(check, ACCOUNT, "credits")).isZero();
                    assertThat(recorder.events).as("after descent %d", descent).hasSize(2 * descent);
                    assertThat(recorder.events.stream().filter(e -> e.type() == BalanceEvent.Type.LOW)).hasSize(descent);
                    assertThat(recorder.events.stream().filter(e -> e.type() == BalanceEvent.Type.DEPLETED)).hasSize(descent);
                }
                for (BalanceEvent event : recorder.events) {
                    assertThat(event.accountId().value()).isEqualTo(ACCOUNT);
                    assertThat(event.availableBefore()).isGreaterThan(event.threshold());
                    assertThat(event.availableAfter()).isLessThanOrEqualTo(event.threshold());
                }
                assertThat(recorder.events.stream().map(BalanceEvent::version).distinct()).as("one write, one crossing").hasSize(4);
            } finally {
                for (int i = 1; i < instances.size(); i++) {
                    instances.get(i).close();
                }
            }
        }
    }

    /** THREADS threads, DEBITS_PER_THREAD debits of 1 credit each, all released at once; returns how many got 201. */
    private static int race(List<DebitHandler> handlers, String round) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                DebitHandler handler = handlers.get(t % INSTANCES);
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < DEBITS_PER_THREAD; i++) {
                        APIGatewayV2HTTPResponse response = Wallets.debit(handler, ACCOUNT, round + "-" + thread + "-" + i,
                                "{\"operation\":\"ai_chat\"}");
                        assertThat(response.getStatusCode()).as(response.getBody()).isIn(201, 402);
                        ok += response.getStatusCode() == 201 ? 1 : 0;
                    }
                    return ok;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get(120, TimeUnit.SECONDS);
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }
}
