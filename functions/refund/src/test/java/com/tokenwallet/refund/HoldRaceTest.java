package com.tokenwallet.refund;

import com.tokenwallet.api.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.debit.DebitHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Capture, release and expiry race on the same holds: 16 threads over three wallet instances (separate
 * contexts, clients and caches, as separate Lambda instances), on a clock the test controls. Some threads capture,
 * some release, and in most runs two "expirers" move the clock past {@code expiresAt} and then read the balance,
 * debit, or run the expiry sweep, each of which treats the holds as released. Every hold ends exactly one way
 * (one 200 capture, one 200 release, or expiry); every other call gets 409 {@code hold_already_resolved} or
 * {@code hold_expired}; and after every run the invariant of {@link Invariants} holds.
 */
class HoldRaceTest {

    private static final int THREADS = 16;
    private static final int INSTANCES = 3;
    private static final int RUNS = 6;
    private static final int HOLDS_PER_RUN = 3;
    private static final long TTL_SECONDS = 60;
    private static final String ACCOUNT = "racer";
    private static final long GRANT = 1_000;

    enum Role { CAPTURE, CAPTURE_ONE, RELEASE, EXPIRE_READ_AND_DEBIT, EXPIRE_AND_SWEEP }

    /** What one thread did and got. */
    record Outcome(int thread, int hold, Role role, APIGatewayV2HTTPResponse response, APIGatewayV2HTTPResponse debit) {
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyHoldEndsExactlyOneWay_andTheInvariantHoldsAfterEveryRun() throws Exception {
        TestClock clock = new TestClock("2026-11-10T08:00:00Z");
        try (CatalogWallet first = CatalogWallet.withSignupGrant(clock, GRANT)) {
            List<CatalogWallet> instances = new ArrayList<>(List.of(first));
            for (int i = 1; i < INSTANCES; i++) {
                instances.add(first.anotherInstance());
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                DebitHandler setup = new DebitHandler(first.context);
                CheckHandler check = new CheckHandler(first.context);
                Api.open(setup, ACCOUNT);
                long spent = 0;
                int expiredRuns = 0;
                int resolvedByCall = 0;
                for (int run = 0; run < RUNS; run++) {
                    spent += race(run, clock, instances, pool, setup, check);
                    Invariants.assertHold(check, first.database, ACCOUNT, clock);
                    assertThat(Api.bucket(Api.balance(check, ACCOUNT), "credits"))
                            .as("run %d: the balance is the grant less what was captured and debited", run)
                            .containsEntry("purchased", (int) (GRANT - spent)).containsEntry("held", 0);
                    clock.advance(Duration.ofSeconds(5));
                }
                // Both kinds of ending happened across the runs (the race is not decided the same way every time).
                List<Map<String, Object>> holdItems = Invariants.rows(first.database, "holds", ACCOUNT);
                assertThat(holdItems).hasSize(RUNS * HOLDS_PER_RUN);
                expiredRuns = (int) holdItems.stream().filter(i -> "expired".equals(i.get("status"))).count();
                resolvedByCall = holdItems.size() - expiredRuns;
                assertThat(resolvedByCall).as("holds captured or released").isPositive();
                assertThat(expiredRuns).as("holds that expired").isPositive();
            } finally {
                pool.shutdownNow();
                assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
                instances.subList(1, instances.size()).forEach(CatalogWallet::close);
            }
        }
    }

    /** One run: new holds, 16 racing threads, then every check. Returns the credits it spent. */
    private long race(int run, TestClock clock, List<CatalogWallet> instances, ExecutorService pool, DebitHandler setup,
                      CheckHandler check) throws Exception {
        Random random = new Random(4242L + run);
        // Run kinds: 0 = capture and release only; 1 = expiry races them; 2 = expiry is likely first.
        int kind = run % 3;
        List<String> holds = new ArrayList<>();
        List<Long> amounts = new ArrayList<>();
        for (int h = 0; h < HOLDS_PER_RUN; h++) {
            long amount = 2 + random.nextInt(4);
            holds.add(Api.held(setup, ACCOUNT, "run" + run + "-hold" + h, amount, TTL_SECONDS));
            amounts.add(amount);
        }
        Instant expiresAt = clock.instant().plusSeconds(TTL_SECONDS);

        CountDownLatch start = new CountDownLatch(1);
        List<Future<Outcome>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            int hold = t % HOLDS_PER_RUN;
            Role role = roleOf(thread, kind);
            CatalogWallet instance = instances.get(t % INSTANCES);
            DebitHandler debit = new DebitHandler(instance.context);
            RefundHandler refund = new RefundHandler(instance.context);
            CheckHandler reader = new CheckHandler(instance.context);
            long delayMillis = switch (kind) {
                case 1 -> random.nextInt(15);
                case 2 -> role == Role.EXPIRE_READ_AND_DEBIT || role == Role.EXPIRE_AND_SWEEP ? 0 : 5 + random.nextInt(20);
                default -> random.nextInt(3);
            };
            String key = "run" + run + "-t" + thread;
            String holdId = holds.get(hold);
            futures.add(pool.submit(() -> {
                start.await();
                Thread.sleep(delayMillis);
                return switch (role) {
                    case CAPTURE -> new Outcome(thread, hold, role, withRetries(() -> Api.capture(debit, ACCOUNT, holdId, key, null)), null);
                    case CAPTURE_ONE -> new Outcome(thread, hold, role,
                            withRetries(() -> Api.capture(debit, ACCOUNT, holdId, key, "{\"amount\":1}")), null);
                    case RELEASE -> new Outcome(thread, hold, role, withRetries(() -> Api.release(refund, ACCOUNT, holdId, key)), null);
                    case EXPIRE_READ_AND_DEBIT -> {
                        clock.advanceTo(expiresAt.plusSeconds(1));
                        assertThat(Api.heldTokens(reader, ACCOUNT, "credits")).as("past expiresAt nothing is held any more").isZero();
                        APIGatewayV2HTTPResponse spend = withRetries(() -> Api.debit(debit, ACCOUNT, key, "{\"operation\":\"ai_chat\"}"));
                        yield new Outcome(thread, hold, role, null, spend);
                    }
                    case EXPIRE_AND_SWEEP -> {
                        clock.advanceTo(expiresAt.plusSeconds(1));
                        new HoldExpiryHandler(instance.context).execute(null);
                        assertThat(Api.heldTokens(reader, ACCOUNT, "credits")).as("past expiresAt nothing is held any more").isZero();
                        yield new Outcome(thread, hold, role, null, null);
                    }
                };
            }));
        }
        start.countDown();
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Outcome> f : futures) {
            outcomes.add(f.get(60, TimeUnit.SECONDS));
        }

        // Whatever expired and was not written yet is written now, so every hold item shows how it ended.
        new HoldExpiryHandler(instances.getFirst().context).execute(null);

        boolean clockMoved = kind != 0;
        long spent = 0;
        List<Map<String, Object>> items = Invariants.items(instances.getFirst().database, ACCOUNT);
        List<Map<String, Object>> ledger = items.stream().filter(i -> "ledger".equals(i.get("table"))).toList();
        for (int h = 0; h < HOLDS_PER_RUN; h++) {
            int index = h;
            String holdId = holds.get(h);
            List<Outcome> calls = outcomes.stream().filter(o -> o.hold() == index && o.response() != null).toList();
            List<Outcome> wins = calls.stream().filter(o -> o.response().getStatusCode() == 200).toList();
            Map<String, Object> record = hold(items, holdId);
            String status = (String) record.get("status");
            List<String> endings = ledger.stream()
                    .filter(e -> holdId.equals(e.get("reference")))
                    .map(e -> (String) e.get("entry_type")).filter(t -> !t.equals("hold")).toList();
            String context = "run " + run + " hold " + h + " " + holdId + ": " + status + ", calls "
                    + calls.stream().map(o -> o.role() + "=" + o.response().getStatusCode() + " " + o.response().getBody()).toList();

            assertThat(wins).as("at most one call wins: %s", context).hasSizeLessThanOrEqualTo(1);
            assertThat(endings).as("exactly one ending in the ledger: %s", context).hasSize(1);
            if (wins.isEmpty()) {
                assertThat(clockMoved).as("only expiry ends a hold without a winning call: %s", context).isTrue();
                assertThat(status).as(context).isEqualTo("expired");
                assertThat(endings).as(context).containsExactly("expiry");
            } else {
                Outcome win = wins.getFirst();
                Map<String, Object> body = TestWallet.body(win.response());
                assertThat(body).containsEntry("holdId", holdId);
                if (win.role() == Role.RELEASE) {
                    assertThat(status).as(context).isEqualTo("released");
                    assertThat(endings).as(context).containsExactly("release");
                    assertThat(body).containsEntry("status", "released").containsEntry("released", amounts.get(h).intValue());
                } else {
                    long captured = win.role() == Role.CAPTURE ? amounts.get(h) : 1;
                    assertThat(status).as(context).isEqualTo("captured");
                    assertThat(endings).as(context).containsExactly("capture");
                    assertThat(body).containsEntry("status", "captured").containsEntry("captured", (int) captured)
                            .containsEntry("released", (int) (amounts.get(h) - captured));
                    assertThat(record.get("capture_transaction_id")).isEqualTo(body.get("transactionId"));
                    assertThat(record.get("captured")).isEqualTo(captured);
                    spent += captured;
                }
            }
            for (Outcome lost : calls) {
                if (lost.response().getStatusCode() == 200) {
                    continue;
                }
                assertThat(lost.response().getStatusCode()).as(context).isEqualTo(409);
                String code = Api.code(lost.response());
                if (clockMoved) {
                    assertThat(code).as(context).isIn("hold_already_resolved", "hold_expired");
                } else {
                    assertThat(code).as(context).isEqualTo("hold_already_resolved");
                }
                if (wins.isEmpty()) {
                    assertThat(code).as("nothing resolved it but expiry: %s", context).isEqualTo("hold_expired");
                }
            }
        }
        System.out.printf("HoldRaceTest run %d (kind %d): holds ended %s; answers %s%n", run, kind,
                holds.stream().map(id -> hold(items, id).get("status")).toList(),
                outcomes.stream().filter(o -> o.response() != null).collect(java.util.stream.Collectors.groupingBy(
                        o -> o.response().getStatusCode() == 200 ? "200" : Api.code(o.response()), java.util.TreeMap::new,
                        java.util.stream.Collectors.counting())));
        for (Outcome o : outcomes) {
            if (o.debit() != null) {
                assertThat(o.debit().getStatusCode()).as(o.debit().getBody()).isEqualTo(201);
                spent += 1;
            }
        }
        return spent;
    }

    private static Role roleOf(int thread, int kind) {
        if (kind != 0 && thread == THREADS - 2) {
            return Role.EXPIRE_READ_AND_DEBIT;
        }
        if (kind != 0 && thread == THREADS - 1) {
            return Role.EXPIRE_AND_SWEEP;
        }
        return switch (thread / HOLDS_PER_RUN % 3) {
            case 0 -> Role.CAPTURE;
            case 1 -> Role.RELEASE;
            default -> Role.CAPTURE_ONE;
        };
    }

    /** A client that retries a 503 with the same Idempotency-Key, as the API asks, a bounded number of times. */
    static APIGatewayV2HTTPResponse withRetries(Supplier<APIGatewayV2HTTPResponse> call) throws InterruptedException {
        APIGatewayV2HTTPResponse response = call.get();
        for (int retry = 0; retry < 5 && response.getStatusCode() == 503; retry++) {
            Thread.sleep(20L + 20L * retry);
            response = call.get();
        }
        return response;
    }

    /** The hold record of {@code holdId} among an account's rows. */
    private static Map<String, Object> hold(List<Map<String, Object>> items, String holdId) {
        return items.stream().filter(i -> "holds".equals(i.get("table")) && holdId.equals(i.get("hold_id"))).findFirst().orElseThrow();
    }
}
