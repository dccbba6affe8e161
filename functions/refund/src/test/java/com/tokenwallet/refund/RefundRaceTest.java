package com.tokenwallet.refund;

import com.tokenwallet.api.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.debit.DebitHandler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 32 threads over four wallet instances refund the same transaction at once, each with its own key and an amount
 * of 1 to 3 tokens. The total refunded never exceeds what the transaction charged; the 201s' amounts add up to
 * the final refunded total (and their {@code refundedTotal}s are the running sums, in some order); every other
 * request is 409 {@code refund_exceeds_charge} for an amount more than what is left; and the tokens go back to the
 * purchased part first, then the allowance. Done for a debit and for a capture.
 */
class RefundRaceTest {

    private static final int THREADS = 32;
    private static final int INSTANCES = 4;
    private static final String ACCOUNT = "refunded";

    /** What one refund request asked for and got. */
    record Attempt(long amount, APIGatewayV2HTTPResponse response) {
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void thirtyTwoConcurrentRefundsNeverReturnMoreThanWasCharged_purchasedFirst() throws Exception {
        TestClock clock = new TestClock("2026-11-10T08:00:00Z");
        // Accounts start on solo with a credits allowance of 5, plus the 10 signup credits (purchased).
        try (CatalogWallet first = CatalogWallet.withDefaultCatalogChanged(clock,
                "\"defaultPlan\": \"free\"", "\"defaultPlan\": \"solo\"",
                "\"solo\": {\"name\": \"Solo\", \"allowance\": {\"mockup\": 3, \"dol\": 3, \"weather\": 2, \"credits\": 0}}",
                "\"solo\": {\"name\": \"Solo\", \"allowance\": {\"mockup\": 3, \"dol\": 3, \"weather\": 2, \"credits\": 5}}")) {
            List<CatalogWallet> instances = new ArrayList<>(List.of(first));
            for (int i = 1; i < INSTANCES; i++) {
                instances.add(first.anotherInstance());
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                DebitHandler debit = new DebitHandler(first.context);
                RefundHandler refund = new RefundHandler(first.context);
                CheckHandler check = new CheckHandler(first.context);
                Api.open(debit, ACCOUNT);
                assertThat(Api.bucket(Api.balance(check, ACCOUNT), "credits")).containsEntry("allowance", 5).containsEntry("purchased", 10);

                // 1. A debit of everything: 5 from the allowance, 10 purchased.
                String debitTx = Api.debited(debit, ACCOUNT, "debit-all", 15);
                race("debit", debitTx, 5, 10, instances, pool, refund, check, first.database);
                assertThat(Api.bucket(Api.balance(check, ACCOUNT), "credits")).containsEntry("allowance", 5).containsEntry("purchased", 10);

                // 2. A capture of 12 of a 15-token hold: 5 from the allowance, 7 purchased.
                String holdId = Api.held(debit, ACCOUNT, "hold", 15, 900);
                APIGatewayV2HTTPResponse captured = Api.capture(debit, ACCOUNT, holdId, "capture", "{\"amount\":12}");
                assertThat(captured.getStatusCode()).as(captured.getBody()).isEqualTo(200);
                race("capture", Api.string(captured, "transactionId"), 5, 7, instances, pool, refund, check, first.database);
                assertThat(Api.bucket(Api.balance(check, ACCOUNT), "credits")).containsEntry("allowance", 5).containsEntry("purchased", 10);
            } finally {
                pool.shutdownNow();
                assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
                instances.subList(1, instances.size()).forEach(CatalogWallet::close);
            }
        }
    }

    private void race(String what, String tx, long fromAllowance, long fromPurchased, List<CatalogWallet> instances,
                      ExecutorService pool, RefundHandler finisher, CheckHandler check, java.nio.file.Path table) throws Exception {
        long charged = fromAllowance + fromPurchased;
        Map<String, Object> before = Api.bucket(Api.balance(check, ACCOUNT), "credits");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Attempt>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long amount = 1 + t % 3;
            RefundHandler handler = new RefundHandler(instances.get(t % INSTANCES).context);
            String key = what + "-refund-" + t;
            futures.add(pool.submit(() -> {
                start.await();
                return new Attempt(amount, HoldRaceTest.withRetries(() -> Api.refund(handler, ACCOUNT, key, Api.refundBody(tx, amount))));
            }));
        }
        start.countDown();
        List<Attempt> attempts = new ArrayList<>();
        for (Future<Attempt> f : futures) {
            attempts.add(f.get(90, TimeUnit.SECONDS));
        }

        List<Attempt> refunded = attempts.stream().filter(a -> a.response().getStatusCode() == 201)
                .sorted(Comparator.comparingLong(a -> Api.number(a.response(), "refundedTotal"))).toList();
        long total = refunded.stream().mapToLong(Attempt::amount).sum();
        assertThat(refunded).as("%s: some refunds succeed", what).isNotEmpty();
        assertThat(total).as("%s: never more than charged", what).isLessThanOrEqualTo(charged);
        long running = 0;
        for (Attempt a : refunded) {
            running += a.amount();
            Map<String, Object> body = TestWallet.body(a.response());
            assertThat(body).containsEntry("transactionId", tx).containsEntry("amount", (int) a.amount());
            assertThat(Api.number(body.get("refundedTotal"))).as("%s: each refundedTotal is a running sum", what).isEqualTo(running);
        }
        for (Attempt a : attempts) {
            if (a.response().getStatusCode() != 201) {
                assertThat(a.response().getStatusCode()).as(a.response().getBody()).isEqualTo(409);
                assertThat(Api.code(a.response())).isEqualTo("refund_exceeds_charge");
                assertThat(a.amount()).as("%s: refused only for more than was left", what).isGreaterThan(charged - total);
            }
        }
        Map<String, Object> tally = Invariants.rows(table, "refund_tallies", ACCOUNT).stream()
                .filter(i -> tx.equals(i.get("transaction_id"))).findFirst().orElseThrow();
        assertThat(Invariants.n(tally, "refunded_allowance") + Invariants.n(tally, "refunded_purchased")).isEqualTo(total);

        // Purchased first: the purchased part of the charge comes back before any allowance does.
        long toPurchased = Math.min(total, fromPurchased);
        Map<String, Object> after = Api.bucket(Api.balance(check, ACCOUNT), "credits");
        assertThat(Api.number(after.get("purchased"))).isEqualTo(Api.number(before.get("purchased")) + toPurchased);
        assertThat(Api.number(after.get("allowance"))).isEqualTo(Api.number(before.get("allowance")) + total - toPurchased);
        assertThat(Invariants.n(tally, "refunded_purchased")).isEqualTo(toPurchased);
        List<Map<String, Object>> ledger = Api.ledger(check, ACCOUNT);
        boolean allowanceSeen = false;
        for (Attempt a : refunded) {
            Map<String, Object> entry = ledger.stream().filter(e -> Api.string(a.response(), "refundId").equals(e.get("transactionId")))
                    .findFirst().orElseThrow();
            assertThat(entry).containsEntry("type", "refund").containsEntry("reference", tx);
            if (allowanceSeen) {
                assertThat(Api.number(entry.get("purchasedDelta"))).as("%s: no purchased token after an allowance token", what).isZero();
            }
            allowanceSeen |= Api.number(entry.get("allowanceDelta")) > 0;
        }
        Invariants.assertHold(check, table, ACCOUNT, instances.getFirst().clock);

        // What is left is refunded by one more request without amount; after that nothing more.
        if (total < charged) {
            APIGatewayV2HTTPResponse rest = Api.refund(finisher, ACCOUNT, what + "-rest", Api.refundBody(tx, null));
            assertThat(rest.getStatusCode()).as(rest.getBody()).isEqualTo(201);
            assertThat(TestWallet.body(rest)).containsEntry("amount", (int) (charged - total)).containsEntry("refundedTotal", (int) charged);
        }
        APIGatewayV2HTTPResponse nothingLeft = Api.refund(finisher, ACCOUNT, what + "-more", Api.refundBody(tx, 1L));
        assertThat(nothingLeft.getStatusCode()).isEqualTo(409);
        assertThat(Api.code(nothingLeft)).isEqualTo("refund_exceeds_charge");
    }
}
