package com.tokenwallet.refund;

import com.tokenwallet.api.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.debit.DebitHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduled sweep writes the expiry of holds nobody touched, once, and takes the accounts out of the index. */
class HoldExpirySweepTest {


    @Test
    void theSweepExpiresHoldsPastTheirTimeOnceAndOnlyThose() {
        TestClock clock = new TestClock("2026-11-23T10:00:00Z");
        try (TestWallet wallet = new TestWallet(clock)) {
            DebitHandler debit = wallet.handler(DebitHandler::new);
            for (String account : List.of("sweep-a", "sweep-b")) {
                assertThat(TestWallet.call(debit, ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account(account)
                        .caller("svc", "wallet:charge").json("{}").build()).getStatusCode()).isEqualTo(201);
            }
            hold(debit, "sweep-a", "short-1", 60, 3);
            hold(debit, "sweep-a", "short-2", 60, 2);
            hold(debit, "sweep-b", "long-1", 3600, 4);
            HoldExpiryHandler sweep = new HoldExpiryHandler(wallet.context);

            assertThat(holdsExpired(sweep.execute(null))).as("nothing is due yet").isZero();

            clock.advance(Duration.ofSeconds(61));
            assertThat(holdsExpired(sweep.execute(null))).isEqualTo(2);
            assertThat(holdsExpired(sweep.execute(null))).as("a second run finds nothing more").isZero();

            Map<String, Object> a = balance(wallet, "sweep-a");
            Map<String, Object> b = balance(wallet, "sweep-b");
            assertThat(wallet.items("pending_holds", "sweep-a")).isEmpty();
            assertThat(a.get("held")).isEqualTo(0L);
            assertThat(account(wallet, "sweep-a")).as("out of the pending-holds index")
                    .containsEntry("hold_shard", null).containsEntry("next_hold_expiry_epoch_s", null);
            assertThat(wallet.items("pending_holds", "sweep-b")).hasSize(1);
            assertThat(b.get("held")).isEqualTo(4L);
            assertThat(account(wallet, "sweep-b").get("hold_shard")).isNotNull();
            assertThat(account(wallet, "sweep-b").get("next_hold_expiry_epoch_s")).isNotNull();

            assertThat(wallet.items("ledger", "sweep-a").stream().filter(i -> "expiry".equals(i.get("entry_type")))).hasSize(2);
            assertThat(wallet.items("holds", "sweep-a").stream().map(i -> i.get("status"))).containsOnly("expired");

            clock.advance(Duration.ofHours(1));
            assertThat(holdsExpired(sweep.execute(null))).isEqualTo(1);
            assertThat(wallet.items("pending_holds", "sweep-b")).isEmpty();
        }
    }

    /** Issue 7's log line: request id, route, outcome and latency; a failed run says so at ERROR and fails. */
    @Test
    void eachRunLogsOneLineWithItsRequestIdAndOutcome_andAFailedRunFails() {
        TestClock clock = new TestClock("2026-11-23T10:00:00Z");
        try (TestWallet wallet = new TestWallet(clock)) {
            DebitHandler debit = wallet.handler(DebitHandler::new);
            TestWallet.call(debit, ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account("logged").caller("svc", "wallet:charge").json("{}").build());
            hold(debit, "logged", "short", 60, 3);
            HoldExpiryHandler sweep = new HoldExpiryHandler(wallet.context);

            Map<String, Object> ok = json(sweep.execute(null, "req-1"));
            assertThat(ok).containsEntry("requestId", "req-1").containsEntry("route", "schedule").containsEntry("outcome", "ok")
                    .containsEntry("level", "INFO").containsKey("latencyMs");

            clock.advance(Duration.ofSeconds(61));
            wallet.store.failNextWrites(com.tokenwallet.domain.testing.FaultInjectingWalletStore.Fault.THROTTLED, 1);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.PrintStream original = System.out;
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> sweep.execute(null, "req-2"))
                        .isInstanceOf(com.tokenwallet.domain.StoreUnavailableException.class);
            } finally {
                System.setOut(original);
            }
            assertThat(json(out.toString(java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> l.contains("HoldExpiryHandler"))
                    .reduce((a, b) -> b).orElseThrow())).containsEntry("requestId", "req-2").containsEntry("outcome", "store_unavailable")
                    .containsEntry("level", "ERROR");
            assertThat(holdsExpired(sweep.execute(null))).as("the next run settles it").isEqualTo(1);
        }
    }

    private static Map<String, Object> json(String line) {
        try {
            return com.tokenwallet.domain.json.StrictJson.object(line);
        } catch (java.io.IOException e) {
            throw new AssertionError(line, e);
        }
    }

    private static void hold(DebitHandler debit, String account, String key, int ttlSeconds, int amount) {
        APIGatewayV2HTTPResponse response = TestWallet.call(debit, ApiEvents.route(DebitHandler.HOLDS).account(account)
                .caller("svc", "wallet:charge").idempotencyKey(key)
                .json("{\"bucket\":\"credits\",\"amount\":" + amount + ",\"description\":\"render\",\"ttlSeconds\":" + ttlSeconds + "}").build());
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    }

    /** The account's row of the accounts table. */
    private static Map<String, Object> account(TestWallet wallet, String id) {
        return wallet.items("accounts", id).stream().findFirst().orElseThrow();
    }

    /** The account's stored credits bucket (its row of the balances table). */
    private static Map<String, Object> balance(TestWallet wallet, String id) {
        return wallet.items("balances", id).stream().filter(i -> "credits".equals(i.get("bucket")))
                .findFirst().orElseThrow();
    }

    private static long holdsExpired(String logLine) {
        try {
            return ((Number) com.tokenwallet.domain.json.StrictJson.object(logLine).get("holdsExpired")).longValue();
        } catch (java.io.IOException e) {
            throw new AssertionError(logLine, e);
        }
    }
}
