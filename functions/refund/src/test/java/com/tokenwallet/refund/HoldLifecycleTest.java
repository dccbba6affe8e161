package com.tokenwallet.refund;

import com.tokenwallet.api.testing.TestClock;
import static com.tokenwallet.refund.Api.code;
import static com.tokenwallet.refund.Api.number;
import static com.tokenwallet.refund.Api.string;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.debit.DebitHandler;
import com.tokenwallet.domain.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Holds and refunds through the handlers on the embedded SQLite engine, one scenario per test: reserve then capture less,
 * capture all, release, the answers of a hold that already ended or expired, held tokens out of reach of other
 * charges, the bound on pending holds, replays, refunds of debits and captures (and of what cannot be refunded),
 * and an allowance that lapses. Every scenario ends with the invariant of {@link Invariants}.
 */
class HoldLifecycleTest {

    private static final String ACCOUNT = "lifecycle";

    private TestClock clock;
    private TestWallet wallet;
    private DebitHandler debit;
    private RefundHandler refund;
    private CheckHandler check;

    @BeforeEach
    void start() {
        clock = new TestClock("2026-11-23T10:00:00Z");
        wallet = new TestWallet(clock);
        debit = wallet.handler(DebitHandler::new);
        refund = wallet.handler(RefundHandler::new);
        check = wallet.handler(CheckHandler::new);
        Api.open(debit, ACCOUNT);
    }

    @AfterEach
    void stop() {
        Invariants.assertHold(check, wallet.database, ACCOUNT, clock);
        wallet.close();
    }

    private long available() {
        return Api.available(check, ACCOUNT, "credits");
    }

    private void assertRefused(APIGatewayV2HTTPResponse response, int status, String code) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(code(response)).isEqualTo(code);
        assertThat(response.getHeaders()).doesNotContainKey("Idempotent-Replayed");
    }

    private Map<String, Object> ledgerEntry(String transactionId) {
        return Api.ledger(check, ACCOUNT).stream().filter(e -> transactionId.equals(e.get("transactionId"))).findFirst()
                .orElseThrow(() -> new AssertionError("no ledger entry " + transactionId));
    }

    // ---------------------------------------------------------------- hold, capture, release

    @Test
    void holdThenCaptureLessThanHeld_chargesWhatWasUsed_andReleasesTheRest_eachInOneCall() {
        // Steady state: this instance has the account's snapshot from opening it.
        wallet.store.resetCalls();
        APIGatewayV2HTTPResponse hold = Api.hold(debit, ACCOUNT, "hold-1", Api.holdBody(5, 900));
        assertThat(wallet.store.calls()).as("a hold is one call to the store").isEqualTo(Map.of("write", 1L));

        assertThat(hold.getStatusCode()).as(hold.getBody()).isEqualTo(201);
        Map<String, Object> held = TestWallet.body(hold);
        String holdId = (String) held.get("holdId");
        assertThat(holdId).matches("hold_[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(held).containsEntry("bucket", "credits").containsEntry("amount", 5).containsEntry("status", "pending")
                .containsEntry("available", 5).containsEntry("expiresAt", "2026-11-23T10:15:00Z");
        assertThat(Api.bucket(Api.balance(check, ACCOUNT), "credits"))
                .containsEntry("purchased", 10).containsEntry("held", 5).containsEntry("available", 5);

        wallet.store.resetCalls();
        APIGatewayV2HTTPResponse capture = Api.capture(debit, ACCOUNT, holdId, "capture-1", "{\"amount\":3}");
        assertThat(wallet.store.calls()).as("a capture is one call to the store").isEqualTo(Map.of("write", 1L));

        assertThat(capture.getStatusCode()).as(capture.getBody()).isEqualTo(200);
        Map<String, Object> captured = TestWallet.body(capture);
        assertThat(captured).containsEntry("holdId", holdId).containsEntry("captured", 3).containsEntry("released", 2)
                .containsEntry("status", "captured").containsEntry("available", 7);
        assertThat(Api.bucket(Api.balance(check, ACCOUNT), "credits"))
                .containsEntry("purchased", 7).containsEntry("held", 0).containsEntry("available", 7);
        Map<String, Object> entry = ledgerEntry((String) captured.get("transactionId"));
        assertThat(entry).containsEntry("type", "capture").containsEntry("amount", -3).containsEntry("purchasedDelta", -3)
                .containsEntry("reference", holdId);
        assertThat(Api.ledger(check, ACCOUNT)).filteredOn(e -> "hold".equals(e.get("type"))).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("amount", 0).containsEntry("reference", holdId));
        Map<String, Object> record = Invariants.holdItem(wallet.database, ACCOUNT, holdId);
        assertThat(record.get("status")).isEqualTo("captured");
        assertThat(record.get("captured")).isEqualTo(3L);
        assertThat(record.get("capture_transaction_id")).isEqualTo(captured.get("transactionId"));
    }

    @Test
    void captureWithoutAmount_takesTheWholeHold_withOrWithoutABody() {
        String first = Api.held(debit, ACCOUNT, "hold-1", 4, 900);
        String second = Api.held(debit, ACCOUNT, "hold-2", 2, 900);

        APIGatewayV2HTTPResponse noBody = Api.capture(debit, ACCOUNT, first, "capture-1", null);
        APIGatewayV2HTTPResponse emptyObject = Api.capture(debit, ACCOUNT, second, "capture-2", "{}");

        assertThat(noBody.getStatusCode()).as(noBody.getBody()).isEqualTo(200);
        assertThat(TestWallet.body(noBody)).containsEntry("captured", 4).containsEntry("released", 0).containsEntry("available", 4);
        assertThat(emptyObject.getStatusCode()).as(emptyObject.getBody()).isEqualTo(200);
        assertThat(TestWallet.body(emptyObject)).containsEntry("captured", 2).containsEntry("released", 0).containsEntry("available", 4);
        assertThat(available()).isEqualTo(4);
    }

    @Test
    void release_givesEverythingBack_inOneCall() {
        String holdId = Api.held(debit, ACCOUNT, "hold-1", 6, 900);
        assertThat(available()).isEqualTo(4);

        wallet.store.resetCalls();
        APIGatewayV2HTTPResponse release = Api.release(refund, ACCOUNT, holdId, "release-1");
        assertThat(wallet.store.calls()).as("a release is one call to the store").isEqualTo(Map.of("write", 1L));

        assertThat(release.getStatusCode()).as(release.getBody()).isEqualTo(200);
        assertThat(TestWallet.body(release)).containsEntry("holdId", holdId).containsEntry("released", 6)
                .containsEntry("status", "released").containsEntry("available", 10);
        assertThat(Api.bucket(Api.balance(check, ACCOUNT), "credits")).containsEntry("held", 0).containsEntry("available", 10);
        assertThat(Api.ledger(check, ACCOUNT)).filteredOn(e -> "release".equals(e.get("type"))).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("amount", 0).containsEntry("reference", holdId));
        assertThat(Invariants.holdItem(wallet.database, ACCOUNT, holdId).get("status")).isEqualTo("released");
    }

    @Test
    void aHoldResolvesOnce_afterwardsCaptureAndReleaseAnswerHoldAlreadyResolved_andChangeNothing() {
        String released = Api.held(debit, ACCOUNT, "hold-1", 2, 900);
        String captured = Api.held(debit, ACCOUNT, "hold-2", 3, 900);
        assertThat(Api.release(refund, ACCOUNT, released, "release-1").getStatusCode()).isEqualTo(200);
        assertThat(Api.capture(debit, ACCOUNT, captured, "capture-1", "{\"amount\":1}").getStatusCode()).isEqualTo(200);
        var items = wallet.items();
        TestWallet other = wallet.anotherInstance();
        try {
            for (DebitHandler d : List.of(debit, other.handler(DebitHandler::new))) {
                for (String holdId : List.of(released, captured)) {
                    assertRefused(Api.capture(d, ACCOUNT, holdId, "again-c-" + holdId + d.hashCode(), null), 409, "hold_already_resolved");
                }
            }
            for (RefundHandler r : List.of(refund, other.handler(RefundHandler::new))) {
                for (String holdId : List.of(released, captured)) {
                    assertRefused(Api.release(r, ACCOUNT, holdId, "again-r-" + holdId + r.hashCode()), 409, "hold_already_resolved");
                }
            }
        } finally {
            other.close();
        }
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(items);
        assertThat(available()).isEqualTo(9);
    }

    @Test
    void aHoldPastItsExpiry_isAvailableAtOnce_andCaptureOrReleaseAnswerHoldExpired() {
        String holdId = Api.held(debit, ACCOUNT, "hold-1", 7, 60);
        assertThat(available()).isEqualTo(3);
        clock.advance(Duration.ofSeconds(60));

        assertThat(Api.bucket(Api.balance(check, ACCOUNT), "credits")).as("at expiresAt the tokens are available at once")
                .containsEntry("held", 0).containsEntry("available", 10);
        var items = wallet.items();
        assertRefused(Api.capture(debit, ACCOUNT, holdId, "capture-1", null), 409, "hold_expired");
        assertRefused(Api.release(refund, ACCOUNT, holdId, "release-1"), 409, "hold_expired");
        assertThat(wallet.items()).as("a refusal writes nothing").containsExactlyInAnyOrderElementsOf(items);

        // The next write records the expiry: one entry, the hold item expired; the refusals still say hold_expired.
        APIGatewayV2HTTPResponse spend = Api.debit(debit, ACCOUNT, "debit-1", Api.credits(10));
        assertThat(spend.getStatusCode()).as("all 10 are spendable: %s", spend.getBody()).isEqualTo(201);
        assertThat(Invariants.holdItem(wallet.database, ACCOUNT, holdId).get("status")).isEqualTo("expired");
        assertThat(Api.ledger(check, ACCOUNT)).filteredOn(e -> "expiry".equals(e.get("type"))).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("amount", 0).containsEntry("reference", holdId));
        assertRefused(Api.capture(debit, ACCOUNT, holdId, "capture-2", null), 409, "hold_expired");
        assertRefused(Api.release(refund, ACCOUNT, holdId, "release-2"), 409, "hold_expired");
    }

    @Test
    void theTtl_defaultsTo900Seconds_andMayBeAsLongAsADay() {
        APIGatewayV2HTTPResponse byDefault = Api.hold(debit, ACCOUNT, "hold-1",
                "{\"bucket\":\"credits\",\"amount\":1,\"description\":\"render\"}");
        APIGatewayV2HTTPResponse shortest = Api.hold(debit, ACCOUNT, "hold-2", Api.holdBody(1, 1));
        APIGatewayV2HTTPResponse longest = Api.hold(debit, ACCOUNT, "hold-3", Api.holdBody(1, Limits.MAX_HOLD_TTL_SECONDS));

        Instant now = clock.instant();
        assertThat(string(byDefault, "expiresAt")).isEqualTo(now.plusSeconds(900).toString());
        assertThat(string(shortest, "expiresAt")).isEqualTo(now.plusSeconds(1).toString());
        assertThat(string(longest, "expiresAt")).isEqualTo(now.plusSeconds(86_400).toString());
    }

    @Test
    void aHoldByOperation_holdsTheCatalogPrice() {
        APIGatewayV2HTTPResponse hold = Api.hold(debit, ACCOUNT, "hold-1",
                "{\"operation\":\"text_interview\",\"ttlSeconds\":120,\"metadata\":{\"job\":\"j-1\"}}");

        assertThat(hold.getStatusCode()).as(hold.getBody()).isEqualTo(201);
        assertThat(TestWallet.body(hold)).containsEntry("amount", 5).containsEntry("bucket", "credits").containsEntry("available", 5);
        assertThat(Api.ledger(check, ACCOUNT)).filteredOn(e -> "hold".equals(e.get("type"))).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("operation", "text_interview").containsEntry("metadata", Map.of("job", "j-1")));
    }

    @Test
    void heldTokens_areUnavailableToDebitsAndToOtherHolds() {
        Api.held(debit, ACCOUNT, "hold-1", 8, 900);
        var items = wallet.items();

        APIGatewayV2HTTPResponse debitRefused = Api.debit(debit, ACCOUNT, "debit-1", Api.credits(3));
        APIGatewayV2HTTPResponse holdRefused = Api.hold(debit, ACCOUNT, "hold-2", Api.holdBody(3, 900));

        for (APIGatewayV2HTTPResponse refused : List.of(debitRefused, holdRefused)) {
            assertRefused(refused, 402, "insufficient_tokens");
            assertThat(TestWallet.body(refused)).containsEntry("bucket", "credits").containsEntry("required", 3).containsEntry("available", 2);
        }
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(items);
        assertThat(Api.debit(debit, ACCOUNT, "debit-2", Api.credits(2)).getStatusCode()).isEqualTo(201);
        assertThat(available()).isZero();
    }

    @Test
    void aHoldOnAnotherAccountsHoldId_isHoldNotFound() {
        String holdId = Api.held(debit, ACCOUNT, "hold-1", 1, 900);
        Api.open(debit, "someone-else");

        assertRefused(Api.capture(debit, "someone-else", holdId, "capture-1", null), 404, "hold_not_found");
        assertRefused(Api.release(refund, "someone-else", holdId, "release-1"), 404, "hold_not_found");
        assertThat(Invariants.holdItem(wallet.database, ACCOUNT, holdId).get("status")).isEqualTo("pending");
    }

    // ---------------------------------------------------------------- idempotency

    @Test
    void replays_ofHoldCaptureReleaseAndRefund_answerTheFirstResponse_andChangeNothing() {
        String holdBody = Api.holdBody(2, 900);
        APIGatewayV2HTTPResponse hold = Api.hold(debit, ACCOUNT, "hold-1", holdBody);
        String holdId = string(hold, "holdId");
        String otherHold = Api.held(debit, ACCOUNT, "hold-2", 1, 900);
        APIGatewayV2HTTPResponse capture = Api.capture(debit, ACCOUNT, holdId, "capture-1", "{\"amount\":1}");
        APIGatewayV2HTTPResponse release = Api.release(refund, ACCOUNT, otherHold, "release-1");
        String tx = Api.debited(debit, ACCOUNT, "debit-1", 3);
        String refundBody = Api.refundBody(tx, 2L);
        APIGatewayV2HTTPResponse refunded = Api.refund(refund, ACCOUNT, "refund-1", refundBody);
        assertThat(List.of(hold, capture, release, refunded)).extracting(APIGatewayV2HTTPResponse::getStatusCode)
                .containsExactly(201, 200, 200, 201);
        var items = wallet.items();

        TestWallet other = wallet.anotherInstance();
        try {
            for (TestWallet instance : List.of(wallet, other)) {
                DebitHandler d = instance.handler(DebitHandler::new);
                RefundHandler r = instance.handler(RefundHandler::new);
                List<APIGatewayV2HTTPResponse[]> pairs = List.of(
                        new APIGatewayV2HTTPResponse[] {hold, Api.hold(d, ACCOUNT, "hold-1", holdBody)},
                        new APIGatewayV2HTTPResponse[] {capture, Api.capture(d, ACCOUNT, holdId, "capture-1", "{\"amount\":1}")},
                        new APIGatewayV2HTTPResponse[] {release, Api.release(r, ACCOUNT, otherHold, "release-1")},
                        new APIGatewayV2HTTPResponse[] {refunded, Api.refund(r, ACCOUNT, "refund-1", refundBody)});
                for (APIGatewayV2HTTPResponse[] pair : pairs) {
                    assertThat(pair[1].getStatusCode()).isEqualTo(pair[0].getStatusCode());
                    assertThat(pair[1].getBody()).isEqualTo(pair[0].getBody());
                    assertThat(pair[1].getHeaders()).containsEntry("Idempotent-Replayed", "true");
                }
                // The same key with another body: 409, whichever instance answers.
                assertRefused(Api.hold(d, ACCOUNT, "hold-1", Api.holdBody(3, 900)), 409, "idempotency_key_reused");
                assertRefused(Api.capture(d, ACCOUNT, holdId, "capture-1", "{\"amount\":2}"), 409, "idempotency_key_reused");
                assertRefused(Api.refund(r, ACCOUNT, "refund-1", Api.refundBody(tx, 1L)), 409, "idempotency_key_reused");
                assertRefused(Api.refund(r, ACCOUNT, "hold-1", refundBody), 409, "idempotency_key_reused");
            }
        } finally {
            other.close();
        }
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(items);
    }

    /**
     * The Idempotency-Key's fingerprint is route key + account + body (ApiRequest.idempotency()); the hold id is in
     * the path, not the body, so a capture or release of hold B with the key of an earlier capture or release of
     * hold A "replays" A's answer (status captured/released, A's holdId) and leaves B pending.
     */
    @Test
    void theSameKeyForAnotherHold_isIdempotencyKeyReused_notAReplayOfTheFirstHold() {
        String first = Api.held(debit, ACCOUNT, "hold-1", 1, 900);
        String second = Api.held(debit, ACCOUNT, "hold-2", 1, 900);
        String third = Api.held(debit, ACCOUNT, "hold-3", 1, 900);
        String fourth = Api.held(debit, ACCOUNT, "hold-4", 1, 900);
        assertThat(Api.capture(debit, ACCOUNT, first, "capture-key", null).getStatusCode()).isEqualTo(200);
        assertThat(Api.release(refund, ACCOUNT, third, "release-key").getStatusCode()).isEqualTo(200);
        var items = wallet.items();

        assertRefused(Api.capture(debit, ACCOUNT, second, "capture-key", null), 409, "idempotency_key_reused");
        assertRefused(Api.release(refund, ACCOUNT, fourth, "release-key"), 409, "idempotency_key_reused");
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(items);
    }

    // ---------------------------------------------------------------- too many holds

    @Test
    void the26thPendingHold_isRefusedWithTooManyHolds_withoutUsingUpItsKey() {
        try (CatalogWallet rich = CatalogWallet.withSignupGrant(clock, 100)) {
            DebitHandler d = new DebitHandler(rich.context);
            RefundHandler r = new RefundHandler(rich.context);
            CheckHandler c = new CheckHandler(rich.context);
            Api.open(d, "busy");
            String firstHold = null;
            for (int i = 0; i < Limits.MAX_PENDING_HOLDS; i++) {
                String holdId = Api.held(d, "busy", "hold-" + i, 1, 900);
                firstHold = firstHold == null ? holdId : firstHold;
            }
            var items = Invariants.items(rich.database, "busy");

            APIGatewayV2HTTPResponse refused = Api.hold(d, "busy", "hold-26", Api.holdBody(1, 900));

            assertRefused(refused, 409, "too_many_holds");
            assertThat(Invariants.items(rich.database, "busy")).containsExactlyInAnyOrderElementsOf(items);
            assertThat(Api.bucket(Api.balance(c, "busy"), "credits")).containsEntry("held", 25).containsEntry("available", 75);
            assertThat(Api.release(r, "busy", firstHold, "release-0").getStatusCode()).isEqualTo(200);
            APIGatewayV2HTTPResponse now = Api.hold(d, "busy", "hold-26", Api.holdBody(1, 900));
            assertThat(now.getStatusCode()).as(now.getBody()).isEqualTo(201);
            assertThat(now.getHeaders()).doesNotContainKey("Idempotent-Replayed");
            Invariants.assertHold(c, rich.database, "busy", clock);
        }
    }

    // ---------------------------------------------------------------- refunds

    @Test
    void debitThenRefund_fullOrPartial_neverMoreThanCharged() {
        String tx = Api.debited(debit, ACCOUNT, "debit-1", 5);
        assertThat(available()).isEqualTo(5);

        wallet.store.resetCalls();
        APIGatewayV2HTTPResponse partial = Api.refund(refund, ACCOUNT, "refund-1", Api.refundBody(tx, 2L));
        assertThat(wallet.store.calls()).as("a refund: one read of the transaction and its tally, one write")
                .isEqualTo(Map.of("readRefund", 1L, "write", 1L));

        assertThat(partial.getStatusCode()).as(partial.getBody()).isEqualTo(201);
        Map<String, Object> body = TestWallet.body(partial);
        assertThat(body).containsEntry("transactionId", tx).containsEntry("amount", 2).containsEntry("refundedTotal", 2)
                .containsEntry("available", 7).doesNotContainKey("lapsed");
        assertThat((String) body.get("refundId")).matches("tx_[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(ledgerEntry((String) body.get("refundId"))).containsEntry("type", "refund").containsEntry("amount", 2)
                .containsEntry("purchasedDelta", 2).containsEntry("reference", tx).containsEntry("description", "the job failed");

        var items = wallet.items();
        APIGatewayV2HTTPResponse tooMuch = Api.refund(refund, ACCOUNT, "refund-2", Api.refundBody(tx, 4L));
        assertRefused(tooMuch, 409, "refund_exceeds_charge");
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(items);

        APIGatewayV2HTTPResponse rest = Api.refund(refund, ACCOUNT, "refund-2", Api.refundBody(tx, null));
        assertThat(rest.getStatusCode()).as("the refused key was not used up: %s", rest.getBody()).isEqualTo(201);
        assertThat(TestWallet.body(rest)).containsEntry("amount", 3).containsEntry("refundedTotal", 5).containsEntry("available", 10);
        assertRefused(Api.refund(refund, ACCOUNT, "refund-3", Api.refundBody(tx, null)), 409, "refund_exceeds_charge");
        assertRefused(Api.refund(refund, ACCOUNT, "refund-4", Api.refundBody(tx, 1L)), 409, "refund_exceeds_charge");
    }

    @Test
    void aRefund_givesTokensBackToTheLotsTheDebitBurned_andThoseOfALotThatExpiredMeanwhileLapse() {
        com.tokenwallet.domain.service.WalletService service = wallet.context.getBean(com.tokenwallet.domain.service.WalletService.class);
        Instant soon = clock.instant().plus(Duration.ofHours(1));
        Instant later = clock.instant().plus(Duration.ofDays(3));
        for (Instant expiresAt : List.of(soon, later)) {
            service.grant(new com.tokenwallet.domain.admin.AdminCommands.Grant(com.tokenwallet.domain.account.AccountId.of(ACCOUNT), "credits",
                    expiresAt == soon ? 2 : 3, "promo", "admin-1", java.util.Optional.empty(), new com.tokenwallet.domain.admin.AdminCommands.LotTerms(
                    java.util.Optional.of(expiresAt), java.util.Optional.empty(), java.util.Optional.empty())),
                    r -> new com.tokenwallet.domain.idempotency.StoredResponse(201, "{}"));
        }
        String tx = Api.debited(debit, ACCOUNT, "debit-1", 4); // 2 of the lot expiring soon, 2 of the later one
        clock.advance(Duration.ofHours(2));
        wallet.store.resetCalls();

        APIGatewayV2HTTPResponse refunded = Api.refund(refund, ACCOUNT, "refund-1", Api.refundBody(tx, null));

        assertThat(refunded.getStatusCode()).as(refunded.getBody()).isEqualTo(201);
        assertThat(wallet.store.calls()).as("still one read of the transaction and its tally, one write")
                .isEqualTo(Map.of("readRefund", 1L, "write", 1L));
        assertThat(TestWallet.body(refunded)).containsEntry("amount", 4).containsEntry("lapsed", 2).containsEntry("refundedTotal", 4)
                .containsEntry("available", 10 + 3);
        Map<String, Object> entry = ledgerEntry(string(refunded, "refundId"));
        assertThat(entry).containsEntry("amount", 2).containsEntry("purchasedDelta", 2);
        assertThat((String) entry.get("description")).contains("2 tokens of lot").contains("lapsed: it expired at " + soon);
        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) entry.get("metadata");
        assertThat(metadata).containsEntry("lapsed", 2);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> lots = (List<Map<String, Object>>) metadata.get("lots");
        assertThat(lots).extracting(l -> l.get("outcome")).containsExactly("returned", "expired");
    }

    @Test
    void aRefundOfACapture_works_andARefundOfARefundOrAGrantOrAHoldIsRefused() {
        String holdId = Api.held(debit, ACCOUNT, "hold-1", 5, 900);
        String captureTx = string(Api.capture(debit, ACCOUNT, holdId, "capture-1", "{\"amount\":4}"), "transactionId");

        APIGatewayV2HTTPResponse refunded = Api.refund(refund, ACCOUNT, "refund-1", Api.refundBody(captureTx, 3L));

        assertThat(refunded.getStatusCode()).as(refunded.getBody()).isEqualTo(201);
        assertThat(TestWallet.body(refunded)).containsEntry("amount", 3).containsEntry("refundedTotal", 3).containsEntry("available", 9);
        String refundId = string(refunded, "refundId");
        List<Map<String, Object>> ledger = Api.ledger(check, ACCOUNT);
        String grant = (String) ledger.stream().filter(e -> "signup_grant".equals(e.get("type"))).findFirst().orElseThrow().get("transactionId");
        String holdEntry = (String) ledger.stream().filter(e -> "hold".equals(e.get("type"))).findFirst().orElseThrow().get("transactionId");
        var items = wallet.items();
        for (String notRefundable : List.of(refundId, grant, holdEntry)) {
            assertRefused(Api.refund(refund, ACCOUNT, "refund-" + notRefundable, Api.refundBody(notRefundable, null)),
                    409, "transaction_not_refundable");
        }
        assertRefused(Api.refund(refund, ACCOUNT, "refund-2", Api.refundBody(captureTx, 2L)), 409, "refund_exceeds_charge");
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(items);
    }

    @Test
    void theAllowancePartOfAChargeFromAnEndedPeriod_lapses_andTheEntrySaysSo() {
        try (CatalogWallet solo = CatalogWallet.soloByDefault(clock)) {
            DebitHandler d = new DebitHandler(solo.context);
            RefundHandler r = new RefundHandler(solo.context);
            CheckHandler c = new CheckHandler(solo.context);
            Api.open(d, "subscriber");
            assertThat(Api.bucket(Api.balance(c, "subscriber"), "mockup")).containsEntry("allowance", 3);
            APIGatewayV2HTTPResponse charged = Api.debit(d, "subscriber", "mockup-1", "{\"operation\":\"mockup\"}");
            assertThat(charged.getStatusCode()).as(charged.getBody()).isEqualTo(201);
            assertThat(TestWallet.body(charged)).containsEntry("fromAllowance", 1).containsEntry("fromPurchased", 0);
            String tx = string(charged, "transactionId");
            clock.advanceTo(Instant.parse("2026-12-01T00:00:05Z"));

            APIGatewayV2HTTPResponse refunded = Api.refund(r, "subscriber", "refund-1", Api.refundBody(tx, null));

            assertThat(refunded.getStatusCode()).as(refunded.getBody()).isEqualTo(201);
            assertThat(TestWallet.body(refunded)).containsEntry("amount", 1).containsEntry("lapsed", 1)
                    .containsEntry("refundedTotal", 1).containsEntry("available", 3);
            Map<String, Object> balance = Api.balance(c, "subscriber");
            assertThat(balance).containsEntry("period", "2026-12");
            assertThat(Api.bucket(balance, "mockup")).as("December's allowance, not one more")
                    .containsEntry("allowance", 3).containsEntry("purchased", 0);
            Map<String, Object> entry = Api.ledger(c, "subscriber").stream()
                    .filter(e -> string(refunded, "refundId").equals(e.get("transactionId"))).findFirst().orElseThrow();
            assertThat(entry).containsEntry("type", "refund").containsEntry("amount", 0).containsEntry("allowanceDelta", 0)
                    .containsEntry("reference", tx);
            assertThat((String) entry.get("description")).contains("the job failed").contains("lapsed");
            assertRefused(Api.refund(r, "subscriber", "refund-2", Api.refundBody(tx, null)), 409, "refund_exceeds_charge");
            Invariants.assertHold(c, solo.database, "subscriber", clock);
        }
    }
}
