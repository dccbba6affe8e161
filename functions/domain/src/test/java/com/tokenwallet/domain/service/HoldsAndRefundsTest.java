package com.tokenwallet.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.IdempotencyKeyReusedException;
import com.tokenwallet.domain.InsufficientTokensException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.ResourceNotFoundException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.command.DebitCommand;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.hold.HoldRecord;
import com.tokenwallet.domain.hold.HoldStatus;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.RefundTally;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.service.Results.Answer;
import com.tokenwallet.domain.service.Results.CaptureReceipt;
import com.tokenwallet.domain.service.Results.HoldReceipt;
import com.tokenwallet.domain.service.Results.RefundReceipt;
import com.tokenwallet.domain.service.Results.ReleaseReceipt;
import com.tokenwallet.domain.testing.InMemoryWalletStore;
import com.tokenwallet.domain.testing.MutableClock;
import com.tokenwallet.domain.testing.TestCatalogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Holds (reserve, capture, release, expiry) and refunds in the wallet's use cases, against the in-memory store
 * that keeps the DynamoDB adapter's contract. After every scenario the account's ledger sums to its balance, its
 * {@code heldDelta}s sum to what is held, and the pending hold records are exactly the account's pending holds.
 */
class HoldsAndRefundsTest {

    private static final Instant NOW = Instant.parse("2026-11-15T10:00:00Z");
    private static final AccountId ALICE = AccountId.of("alice");
    private static final String UNKNOWN_HOLD = "hold_01J8ZQ5M3G7X2K4N6P8R0S2T4V";
    private static final String UNKNOWN_TX = "tx_01J8ZQ5M3G7X2K4N6P8R0S2T4V";

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryWalletStore store = new InMemoryWalletStore(clock);

    // ---- renderers, as a handler renders them (the tests read the stored response back)

    private static final Function<HoldReceipt, StoredResponse> HOLD = r -> json(201, Map.of("holdId", r.hold().holdId(),
            "bucket", r.hold().bucket(), "amount", r.hold().amount(), "expiresAt", r.hold().expiresAt().toString(), "available", r.available()));
    private static final Function<CaptureReceipt, StoredResponse> CAPTURE = r -> json(200, Map.of("holdId", r.holdId(),
            "transactionId", r.entry().transactionId(), "captured", r.captured(), "released", r.released(), "available", r.available()));
    private static final Function<ReleaseReceipt, StoredResponse> RELEASE = r -> json(200, Map.of("holdId", r.holdId(),
            "released", r.released(), "available", r.available()));
    private static final Function<RefundReceipt, StoredResponse> REFUND = r -> json(201, Map.of("refundId", r.entry().transactionId(),
            "transactionId", r.transactionId(), "amount", r.amount(), "lapsed", r.lapsed(), "refundedTotal", r.refundedTotal(),
            "available", r.available()));
    private static final Function<Results.DebitReceipt, StoredResponse> DEBIT = r -> json(201, Map.of(
            "transactionId", r.entry().transactionId(), "available", r.available()));

    private static StoredResponse json(int status, Map<String, Object> body) {
        return new StoredResponse(status, StrictJson.write(new LinkedHashMap<>(body)));
    }

    private static Map<String, Object> body(Answer answer) {
        try {
            return StrictJson.object(answer.response().body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String str(Answer answer, String field) {
        return (String) body(answer).get(field);
    }

    private static long num(Answer answer, String field) {
        return ((Number) body(answer).get(field)).longValue();
    }

    // ---- commands

    private static Idempotency key(String key, Object... request) {
        return new Idempotency(new IdempotencyKey(key), List.of(request).toString());
    }

    private static HoldCommands.Hold hold(String key, ChargeRequest charge, long ttlSeconds) {
        return new HoldCommands.Hold(ALICE, charge, ttlSeconds, Metadata.NONE, key(key, "hold", charge, ttlSeconds));
    }

    private static HoldCommands.Hold holdCredits(String key, long amount) {
        return hold(key, credits(amount), Limits.DEFAULT_HOLD_TTL_SECONDS);
    }

    private static HoldCommands.Capture capture(String key, String holdId, Long amount) {
        OptionalLong a = amount == null ? OptionalLong.empty() : OptionalLong.of(amount);
        return new HoldCommands.Capture(ALICE, holdId, a, key(key, "capture", holdId, a));
    }

    private static HoldCommands.Release release(String key, String holdId) {
        return new HoldCommands.Release(ALICE, holdId, key(key, "release", holdId));
    }

    private static HoldCommands.Refund refund(String key, String transactionId, Long amount) {
        OptionalLong a = amount == null ? OptionalLong.empty() : OptionalLong.of(amount);
        return new HoldCommands.Refund(ALICE, transactionId, a, "job failed", key(key, "refund", transactionId, a));
    }

    private static DebitCommand debit(String key, ChargeRequest charge) {
        return new DebitCommand(ALICE, charge, Metadata.NONE, key(key, "debit", charge));
    }

    private static ChargeRequest credits(long amount) {
        return new ChargeRequest.ByAmount("credits", amount, "test charge of " + amount);
    }

    private static ChargeRequest mockup(long amount) {
        return new ChargeRequest.ByAmount("mockup", amount, "mockups " + amount);
    }

    // ---- set-up and checks

    private WalletService service() {
        return new WalletService(store, TestCatalogs.defaultCatalog(), clock);
    }

    private WalletService service(Catalog catalog) {
        return new WalletService(store, catalog, clock);
    }

    /** Opens Alice's account (10 credits) with {@code service}, which then has her snapshot. */
    private WalletService opened(WalletService service, long extraCredits) {
        service.open(new CreateAccountCommand(ALICE, Optional.empty()));
        if (extraCredits > 0) {
            store.grantAsOtherWriter(ALICE, "credits", extraCredits);
        }
        store.clearCalls();
        return service;
    }

    private BucketBalance bucket(String name) {
        return store.account(ALICE).bucket(name);
    }

    private HoldRecord record(String holdId) {
        return store.holdRecord(ALICE, holdId).orElseThrow(() -> new AssertionError("no hold record " + holdId));
    }

    private LedgerEntry entry(String transactionId) {
        return store.entries(ALICE).stream().filter(e -> e.transactionId().equals(transactionId)).findFirst()
                .orElseThrow(() -> new AssertionError("no entry " + transactionId));
    }

    private void assertInvariants() {
        assertThat(store.ledgerDisagreements(ALICE)).as("ledger sums to the balance").isEmpty();
        assertThat(store.heldDisagreements(ALICE)).as("held is the pending holds, and the heldDeltas sum to it").isEmpty();
    }

    private long count(String call) {
        return store.calls().stream().filter(call::equals).count();
    }

    // ---------------------------------------------------------------- holds

    @Nested
    class Holds {

        @Test
        void hold_reservesTheTokens_withAHoldEntryAndAPendingRecord_inOneWrite() {
            WalletService service = opened(service(), 0);

            Answer answer = service.hold(hold("h1", credits(4), 600), HOLD);

            String holdId = str(answer, "holdId");
            assertThat(answer.replayed()).isFalse();
            assertThat(answer.response().statusCode()).isEqualTo(201);
            assertThat(holdId).matches("hold_[0-9A-HJKMNP-TV-Z]{26}");
            assertThat(num(answer, "available")).isEqualTo(6);
            assertThat(str(answer, "expiresAt")).isEqualTo(NOW.plusSeconds(600).toString());
            assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 10, 4));
            assertThat(store.account(ALICE).holds()).containsOnlyKeys(holdId);
            assertThat(store.entries(ALICE, EntryType.HOLD)).singleElement().satisfies(e -> {
                assertThat(e.amount()).as("a hold moves no tokens").isZero();
                assertThat(e.heldDelta()).isEqualTo(4);
                assertThat(e.reference()).isEqualTo(holdId);
            });
            assertThat(record(holdId)).satisfies(r -> {
                assertThat(r.status()).isEqualTo(HoldStatus.PENDING);
                assertThat(r.amount()).isEqualTo(4);
                assertThat(r.bucket()).isEqualTo("credits");
                assertThat(r.expiresAt()).isEqualTo(NOW.plusSeconds(600));
            });
            assertThat(store.calls()).as("steady state: one write").containsExactly("write");
            assertInvariants();
        }

        @Test
        void hold_ofAnOperation_holdsItsCatalogPrice_andWithoutSnapshotReadsOnceThenWrites() {
            opened(service(), 0);

            Answer answer = service().hold(hold("h1", new ChargeRequest.ByOperation("video_generation",
                    Map.of("durationMinutes", 1, "resolution", "720p")), 900), HOLD);

            assertThat(num(answer, "amount")).isEqualTo(5);
            assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 10, 5));
            assertThat(store.calls()).containsExactly("readForWrite", "write");
            assertInvariants();
        }

        @Test
        void heldTokens_areUnavailableToDebitsAndToOtherHolds() {
            WalletService service = opened(service(), 0);
            service.hold(holdCredits("h1", 8), HOLD);

            assertThatThrownBy(() -> service.debit(debit("d1", credits(3)), DEBIT))
                    .isInstanceOfSatisfying(InsufficientTokensException.class, e -> assertThat(e.available()).isEqualTo(2));
            assertThatThrownBy(() -> service.hold(holdCredits("h2", 3), HOLD))
                    .isInstanceOfSatisfying(InsufficientTokensException.class, e -> assertThat(e.available()).isEqualTo(2));
            service.debit(debit("d2", credits(2)), DEBIT);

            assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 8, 8));
            assertThat(store.record(ALICE, new IdempotencyKey("d1"))).as("a refusal keeps its key unused").isEmpty();
            assertThat(store.record(ALICE, new IdempotencyKey("h2"))).isEmpty();
            assertInvariants();
        }

        @Test
        void the26thPendingHold_isRefusedAsTooManyHolds_andNothingIsWritten() {
            WalletService service = opened(service(), 90);
            for (int i = 0; i < Limits.MAX_PENDING_HOLDS; i++) {
                service.hold(holdCredits("h" + i, 1), HOLD);
            }
            Account full = store.account(ALICE);

            assertThatThrownBy(() -> service.hold(holdCredits("one-more", 1), HOLD))
                    .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("too_many_holds"));

            assertThat(store.account(ALICE)).isEqualTo(full);
            assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 100, Limits.MAX_PENDING_HOLDS));
            assertThat(store.record(ALICE, new IdempotencyKey("one-more"))).isEmpty();
            assertInvariants();
        }

        @Test
        void hold_ttl_isBoundedFromOneSecondToOneDay() {
            assertThatThrownBy(() -> hold("k", credits(1), 0)).isInstanceOfSatisfying(InvalidRequestException.class,
                    e -> assertThat(e.field()).isEqualTo("ttlSeconds"));
            assertThatThrownBy(() -> hold("k", credits(1), Limits.MAX_HOLD_TTL_SECONDS + 1)).isInstanceOf(InvalidRequestException.class);
            assertThat(hold("k", credits(1), 1).ttlSeconds()).isEqualTo(1);
            assertThat(hold("k", credits(1), Limits.MAX_HOLD_TTL_SECONDS).ttlSeconds()).isEqualTo(Limits.MAX_HOLD_TTL_SECONDS);
        }

        @Test
        void replay_ofAHold_answersTheFirstResponse_andHoldsNothingMore_whileAnotherBodyIsRefused() {
            WalletService service = opened(service(), 0);
            Answer first = service.hold(holdCredits("h1", 3), HOLD);
            Account after = store.account(ALICE);

            Answer again = service.hold(holdCredits("h1", 3), HOLD);
            Answer elsewhere = service().hold(holdCredits("h1", 3), HOLD);

            assertThat(again.replayed()).isTrue();
            assertThat(elsewhere.replayed()).isTrue();
            assertThat(again.response()).isEqualTo(first.response());
            assertThat(elsewhere.response()).isEqualTo(first.response());
            assertThatThrownBy(() -> service().hold(holdCredits("h1", 4), HOLD)).isInstanceOf(IdempotencyKeyReusedException.class);
            assertThat(store.account(ALICE)).isEqualTo(after);
            assertThat(store.holdRecords(ALICE)).hasSize(1);
        }
    }

    // ---------------------------------------------------------------- capture and release

    @Nested
    class CaptureAndRelease {

        @Test
        void capture_ofLessThanHeld_chargesThatMuch_andReleasesTheRest_inOneWrite() {
            WalletService service = opened(service(), 0);
            String holdId = str(service.hold(holdCredits("h1", 5), HOLD), "holdId");
            store.clearCalls();

            Answer answer = service.capture(capture("c1", holdId, 3L), CAPTURE);

            assertThat(store.calls()).as("steady state: one write").containsExactly("write");
            assertThat(num(answer, "captured")).isEqualTo(3);
            assertThat(num(answer, "released")).isEqualTo(2);
            assertThat(num(answer, "available")).isEqualTo(7);
            assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 7, 0));
            assertThat(store.account(ALICE).holds()).isEmpty();
            LedgerEntry capture = entry(str(answer, "transactionId"));
            assertThat(capture.type()).isEqualTo(EntryType.CAPTURE);
            assertThat(capture.amount()).isEqualTo(-3);
            assertThat(capture.purchasedDelta()).isEqualTo(-3);
            assertThat(capture.heldDelta()).as("the whole hold leaves held").isEqualTo(-5);
            assertThat(capture.reference()).isEqualTo(holdId);
            assertThat(record(holdId)).satisfies(r -> {
                assertThat(r.status()).isEqualTo(HoldStatus.CAPTURED);
                assertThat(r.captured()).isEqualTo(3);
                assertThat(r.captureTransactionId()).isEqualTo(capture.transactionId());
                assertThat(r.resolvedAt()).isEqualTo(NOW);
            });
            assertInvariants();
        }

        @Test
        void capture_withoutAmount_takesTheWholeHold_allowanceFirst() {
            WalletService service = opened(service(TestCatalogs.soloByDefault()), 0);
            store.grantAsOtherWriter(ALICE, "mockup", 5);
            String holdId = str(service.hold(hold("h1", mockup(4), 900), HOLD), "holdId");

            Answer answer = service.capture(capture("c1", holdId, null), CAPTURE);

            assertThat(num(answer, "captured")).isEqualTo(4);
            assertThat(num(answer, "released")).isZero();
            assertThat(bucket("mockup")).isEqualTo(new BucketBalance(0, 4, 0));
            LedgerEntry capture = entry(str(answer, "transactionId"));
            assertThat(capture.allowanceDelta()).isEqualTo(-3);
            assertThat(capture.purchasedDelta()).isEqualTo(-1);
            assertInvariants();
        }

        @Test
        void capture_ofMoreThanHeld_isInvalid_andWritesNothing() {
            WalletService service = opened(service(), 0);
            String holdId = str(service.hold(holdCredits("h1", 2), HOLD), "holdId");
            Account before = store.account(ALICE);

            assertThatThrownBy(() -> service.capture(capture("c1", holdId, 3L), CAPTURE))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("amount"));

            assertThat(store.account(ALICE)).isEqualTo(before);
            assertThat(record(holdId).status()).isEqualTo(HoldStatus.PENDING);
            assertThat(store.record(ALICE, new IdempotencyKey("c1"))).isEmpty();
        }

        @Test
        void release_makesTheTokensAvailable_withAReleaseEntry_inOneWrite() {
            WalletService service = opened(service(), 0);
            String holdId = str(service.hold(holdCredits("h1", 6), HOLD), "holdId");
            store.clearCalls();

            Answer answer = service.release(release("r1", holdId), RELEASE);

            assertThat(store.calls()).containsExactly("write");
            assertThat(num(answer, "released")).isEqualTo(6);
            assertThat(num(answer, "available")).isEqualTo(10);
            assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 10, 0));
            assertThat(store.entries(ALICE, EntryType.RELEASE)).singleElement().satisfies(e -> {
                assertThat(e.amount()).isZero();
                assertThat(e.heldDelta()).isEqualTo(-6);
                assertThat(e.reference()).isEqualTo(holdId);
            });
            assertThat(record(holdId).status()).isEqualTo(HoldStatus.RELEASED);
            assertInvariants();
        }

        @Test
        void aResolvedHold_answersHoldAlreadyResolved_toCaptureAndRelease_fromAnyProcess() {
            WalletService service = opened(service(), 0);
            String released = str(service.hold(holdCredits("h1", 2), HOLD), "holdId");
            String captured = str(service.hold(holdCredits("h2", 2), HOLD), "holdId");
            service.release(release("r1", released), RELEASE);
            service.capture(capture("c1", captured, 1L), CAPTURE);
            Account after = store.account(ALICE);

            for (WalletService anyProcess : List.of(service, service())) {
                for (String holdId : List.of(released, captured)) {
                    assertThatThrownBy(() -> anyProcess.capture(capture("c-" + holdId, holdId, null), CAPTURE))
                            .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("hold_already_resolved"));
                    assertThatThrownBy(() -> anyProcess.release(release("r-" + holdId, holdId), RELEASE))
                            .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("hold_already_resolved"));
                }
            }
            assertThat(store.account(ALICE)).isEqualTo(after);
            assertInvariants();
        }

        @Test
        void aHoldThatDoesNotExist_isHoldNotFound() {
            WalletService service = opened(service(), 0);

            assertThatThrownBy(() -> service.capture(capture("c1", UNKNOWN_HOLD, null), CAPTURE))
                    .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> assertThat(e.code()).isEqualTo("hold_not_found"));
            assertThatThrownBy(() -> service.release(release("r1", UNKNOWN_HOLD), RELEASE))
                    .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> assertThat(e.code()).isEqualTo("hold_not_found"));
        }

        @Test
        void aCaptureOnAStaleSnapshot_ofAHoldAnotherProcessReleased_isRefused_andNothingIsResolvedTwice() {
            WalletService mine = opened(service(), 0);
            String holdId = str(mine.hold(holdCredits("h1", 4), HOLD), "holdId");
            service().release(release("r1", holdId), RELEASE);
            store.clearCalls();

            assertThatThrownBy(() -> mine.capture(capture("c1", holdId, null), CAPTURE))
                    .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("hold_already_resolved"));

            assertThat(record(holdId).status()).isEqualTo(HoldStatus.RELEASED);
            assertThat(store.entries(ALICE, EntryType.CAPTURE)).isEmpty();
            assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 10, 0));
            assertThat(count("write")).as("the stale snapshot's write found the account changed").isEqualTo(1);
            assertInvariants();
        }

        @Test
        void aReleaseThatLosesTheRaceToACaptureInAnotherProcess_isRefused() {
            WalletService mine = opened(service(), 0);
            String holdId = str(mine.hold(holdCredits("h1", 4), HOLD), "holdId");
            WalletService other = service();
            boolean[] once = {false};
            store.beforeEachWrite(w -> {
                if (!once[0]) {
                    once[0] = true;
                    other.capture(capture("c1", holdId, 3L), CAPTURE);
                }
            });

            assertThatThrownBy(() -> mine.release(release("r1", holdId), RELEASE))
                    .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("hold_already_resolved"));

            assertThat(record(holdId).status()).isEqualTo(HoldStatus.CAPTURED);
            assertThat(store.entries(ALICE, EntryType.RELEASE)).isEmpty();
            assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 7, 0));
            assertInvariants();
        }

        @Test
        void replays_ofCaptureAndRelease_answerTheFirstResponse_evenAfterTheHoldIsResolved() {
            WalletService service = opened(service(), 0);
            String a = str(service.hold(holdCredits("h1", 3), HOLD), "holdId");
            String b = str(service.hold(holdCredits("h2", 3), HOLD), "holdId");
            Answer captured = service.capture(capture("c1", a, 2L), CAPTURE);
            Answer released = service.release(release("r1", b), RELEASE);
            Account after = store.account(ALICE);
            List<LedgerEntry> entries = store.entries(ALICE);

            for (WalletService anyProcess : List.of(service, service())) {
                Answer c = anyProcess.capture(capture("c1", a, 2L), CAPTURE);
                Answer r = anyProcess.release(release("r1", b), RELEASE);
                assertThat(c.replayed()).isTrue();
                assertThat(c.response()).isEqualTo(captured.response());
                assertThat(r.replayed()).isTrue();
                assertThat(r.response()).isEqualTo(released.response());
                assertThatThrownBy(() -> anyProcess.capture(capture("c1", a, 1L), CAPTURE)).isInstanceOf(IdempotencyKeyReusedException.class);
            }
            assertThat(store.account(ALICE)).isEqualTo(after);
            assertThat(store.entries(ALICE)).isEqualTo(entries);
        }
    }

    // ---------------------------------------------------------------- expiry

    @Nested
    class Expiry {

        @Test
        void anExpiredHold_isAvailableAtOnceOnRead_andTheNextWriteRecordsItsExpiry() {
            WalletService service = opened(service(), 0);
            String holdId = str(service.hold(hold("h1", credits(7), 60), HOLD), "holdId");
            clock.advance(Duration.ofSeconds(60));

            Account shown = service.balance(ALICE);

            assertThat(shown.bucket("credits")).as("expired at expiresAt: available at once").isEqualTo(new BucketBalance(0, 10, 0));
            assertThat(bucket("credits")).as("a read writes nothing").isEqualTo(new BucketBalance(0, 10, 7));

            Answer debit = service.debit(debit("d1", credits(9)), DEBIT);

            assertThat(num(debit, "available")).isEqualTo(1);
            assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 1, 0));
            assertThat(store.entries(ALICE, EntryType.EXPIRY)).singleElement().satisfies(e -> {
                assertThat(e.reference()).isEqualTo(holdId);
                assertThat(e.heldDelta()).isEqualTo(-7);
                assertThat(e.amount()).isZero();
            });
            assertThat(record(holdId).status()).isEqualTo(HoldStatus.EXPIRED);
            assertInvariants();
        }

        @Test
        void captureAndReleaseOfAnExpiredHold_areHoldExpired_whetherOrNotTheExpiryWasWritten() {
            WalletService service = opened(service(), 0);
            String notWritten = str(service.hold(hold("h1", credits(2), 30), HOLD), "holdId");
            clock.advance(Duration.ofSeconds(31));
            Account before = store.account(ALICE);

            assertThatThrownBy(() -> service.capture(capture("c1", notWritten, null), CAPTURE))
                    .isInstanceOfSatisfying(ConflictException.class, e -> {
                        assertThat(e.code()).isEqualTo("hold_expired");
                        assertThat(e.getMessage()).contains("available again");
                    });
            assertThatThrownBy(() -> service().release(release("r1", notWritten), RELEASE))
                    .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("hold_expired"));
            assertThat(store.account(ALICE)).as("a refusal writes nothing, not even the expiry").isEqualTo(before);

            service.debit(debit("d1", credits(1)), DEBIT);
            assertThat(record(notWritten).status()).isEqualTo(HoldStatus.EXPIRED);
            assertThatThrownBy(() -> service.capture(capture("c2", notWritten, null), CAPTURE))
                    .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("hold_expired"));
            assertInvariants();
        }

        @Test
        void aCaptureOneMillisecondBeforeExpiry_wins() {
            WalletService service = opened(service(), 0);
            String holdId = str(service.hold(hold("h1", credits(2), 30), HOLD), "holdId");
            clock.advance(Duration.ofSeconds(30).minusMillis(1));

            Answer answer = service.capture(capture("c1", holdId, null), CAPTURE);

            assertThat(num(answer, "captured")).isEqualTo(2);
            assertThat(record(holdId).status()).isEqualTo(HoldStatus.CAPTURED);
            assertInvariants();
        }

        @Test
        void theSweep_writesTheExpiryOfEveryExpiredHold_once_andLeavesTheOthers() {
            WalletService service = opened(service(), 0);
            String a = str(service.hold(hold("h1", credits(2), 60), HOLD), "holdId");
            String b = str(service.hold(hold("h2", credits(3), 120), HOLD), "holdId");
            String c = str(service.hold(hold("h3", credits(4), 3600), HOLD), "holdId");
            AccountId bob = AccountId.of("bob");
            WalletService forBob = service();
            forBob.open(new CreateAccountCommand(bob, Optional.empty()));
            forBob.hold(new HoldCommands.Hold(bob, credits(5), 60, Metadata.NONE, key("b1")), HOLD);
            clock.advance(Duration.ofSeconds(121));

            int expired = service().sweepExpiredHolds(clock.instant().plusSeconds(30), 10);

            assertThat(expired).isEqualTo(3);
            assertThat(record(a).status()).isEqualTo(HoldStatus.EXPIRED);
            assertThat(record(b).status()).isEqualTo(HoldStatus.EXPIRED);
            assertThat(record(c).status()).isEqualTo(HoldStatus.PENDING);
            assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 10, 4));
            assertThat(store.account(bob).bucket("credits")).isEqualTo(new BucketBalance(0, 10, 0));
            assertThat(store.entries(ALICE, EntryType.EXPIRY)).extracting(LedgerEntry::reference).containsExactlyInAnyOrder(a, b);
            assertThat(service().sweepExpiredHolds(clock.instant().plusSeconds(30), 10)).as("a second run finds nothing").isZero();
            assertThat(service().settleExpiredHolds(ALICE)).isZero();
            assertInvariants();
        }

        @Test
        void theSweep_stopsAtItsDeadline() {
            WalletService service = opened(service(), 0);
            service.hold(hold("h1", credits(2), 60), HOLD);
            clock.advance(Duration.ofSeconds(61));

            assertThat(service().sweepExpiredHolds(clock.instant(), 10)).isZero();
            assertThat(bucket("credits").held()).isEqualTo(2);
        }

        @Test
        void settlingExpiredHolds_whileAnotherProcessWrites_retriesOnTheFreshState_andExpiresOnce() {
            WalletService service = opened(service(), 0);
            String holdId = str(service.hold(hold("h1", credits(2), 60), HOLD), "holdId");
            clock.advance(Duration.ofSeconds(61));
            boolean[] once = {false};
            store.beforeEachWrite(w -> {
                if (!once[0]) {
                    once[0] = true;
                    store.grantAsOtherWriter(ALICE, "credits", 5);
                }
            });

            assertThat(service().settleExpiredHolds(ALICE)).isEqualTo(1);

            assertThat(store.entries(ALICE, EntryType.EXPIRY)).extracting(LedgerEntry::reference).containsExactly(holdId);
            assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 15, 0));
            assertInvariants();
        }
    }

    // ---------------------------------------------------------------- refunds

    @Nested
    class Refunds {

        private String debited(WalletService service, String key, ChargeRequest charge) {
            return str(service.debit(debit(key, charge), DEBIT), "transactionId");
        }

        @Test
        void aFullRefund_returnsEverything_once() {
            WalletService service = opened(service(), 0);
            String tx = debited(service, "d1", credits(4));
            store.clearCalls();

            Answer answer = service.refund(refund("f1", tx, null), REFUND);

            assertThat(answer.response().statusCode()).isEqualTo(201);
            assertThat(num(answer, "amount")).isEqualTo(4);
            assertThat(num(answer, "refundedTotal")).isEqualTo(4);
            assertThat(num(answer, "lapsed")).isZero();
            assertThat(num(answer, "available")).isEqualTo(10);
            assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 10, 0));
            LedgerEntry entry = entry(str(answer, "refundId"));
            assertThat(entry.type()).isEqualTo(EntryType.REFUND);
            assertThat(entry.amount()).isEqualTo(4);
            assertThat(entry.purchasedDelta()).isEqualTo(4);
            assertThat(entry.reference()).isEqualTo(tx);
            assertThat(entry.description()).isEqualTo("job failed");
            assertThat(store.tally(ALICE, tx)).contains(new RefundTally(tx, 0, 4, 1));
            assertThat(store.calls()).as("steady state: the transaction and tally read, then one write")
                    .containsExactly("readRefund", "write");

            assertThatThrownBy(() -> service.refund(refund("f2", tx, null), REFUND))
                    .isInstanceOfSatisfying(ConflictException.class, e -> {
                        assertThat(e.code()).isEqualTo("refund_exceeds_charge");
                        assertThat(e.getMessage()).contains("nothing is left");
                    });
            assertThatThrownBy(() -> service.refund(refund("f3", tx, 1L), REFUND))
                    .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("refund_exceeds_charge"));
            assertInvariants();
        }

        @Test
        void partialRefunds_addUp_toAtMostTheCharge() {
            WalletService service = opened(service(), 0);
            String tx = debited(service, "d1", credits(5));

            assertThat(num(service.refund(refund("f1", tx, 2L), REFUND), "refundedTotal")).isEqualTo(2);
            assertThatThrownBy(() -> service.refund(refund("f2", tx, 4L), REFUND))
                    .isInstanceOfSatisfying(ConflictException.class, e -> {
                        assertThat(e.code()).isEqualTo("refund_exceeds_charge");
                        assertThat(e.getMessage()).contains("at most 3");
                    });
            Answer rest = service().refund(refund("f3", tx, null), REFUND);

            assertThat(num(rest, "amount")).isEqualTo(3);
            assertThat(num(rest, "refundedTotal")).isEqualTo(5);
            assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 10, 0));
            assertThat(store.tally(ALICE, tx).orElseThrow().total()).isEqualTo(5);
            assertThat(store.record(ALICE, new IdempotencyKey("f2"))).isEmpty();
            assertInvariants();
        }

        @Test
        void tokensGoBackToThePartTheyCameFrom_purchasedFirst() {
            WalletService service = opened(service(TestCatalogs.soloByDefault()), 0);
            store.grantAsOtherWriter(ALICE, "mockup", 2);
            String tx = debited(service, "d1", mockup(4)); // 3 from the allowance, 1 purchased
            assertThat(bucket("mockup")).isEqualTo(new BucketBalance(0, 1, 0));

            Answer first = service.refund(refund("f1", tx, 2L), REFUND);
            Answer second = service.refund(refund("f2", tx, 2L), REFUND);

            assertThat(entry(str(first, "refundId"))).extracting(LedgerEntry::allowanceDelta, LedgerEntry::purchasedDelta).containsExactly(1L, 1L);
            assertThat(entry(str(second, "refundId"))).extracting(LedgerEntry::allowanceDelta, LedgerEntry::purchasedDelta).containsExactly(2L, 0L);
            assertThat(bucket("mockup")).isEqualTo(new BucketBalance(3, 2, 0));
            assertThat(store.tally(ALICE, tx)).contains(new RefundTally(tx, 3, 1, 2));
            assertInvariants();
        }

        @Test
        void theAllowancePartOfAChargeFromAnEndedPeriod_lapses_andTheEntrySaysSo() {
            WalletService service = opened(service(TestCatalogs.soloByDefault()), 0);
            store.grantAsOtherWriter(ALICE, "mockup", 1);
            String tx = debited(service, "nov", mockup(4)); // 3 allowance + 1 purchased, in 2026-11
            assertThat(bucket("mockup")).isEqualTo(new BucketBalance(0, 0, 0));
            clock.set(Instant.parse("2026-12-02T09:00:00Z"));

            Answer answer = service.refund(refund("f1", tx, null), REFUND);

            assertThat(num(answer, "amount")).isEqualTo(4);
            assertThat(num(answer, "lapsed")).isEqualTo(3);
            assertThat(num(answer, "refundedTotal")).isEqualTo(4);
            Account account = store.account(ALICE);
            assertThat(account.period().id()).as("the refund rolled the account over first").isEqualTo("2026-12");
            assertThat(account.bucket("mockup")).as("new allowance 3, the purchased token back, nothing more")
                    .isEqualTo(new BucketBalance(3, 1, 0));
            assertThat(num(answer, "available")).isEqualTo(4);
            LedgerEntry entry = entry(str(answer, "refundId"));
            assertThat(entry.amount()).isEqualTo(1);
            assertThat(entry.allowanceDelta()).isZero();
            assertThat(entry.purchasedDelta()).isEqualTo(1);
            assertThat(entry.description()).contains("job failed").contains("3 allowance tokens lapsed");
            assertThat(store.tally(ALICE, tx)).as("the lapsed tokens count as refunded").contains(new RefundTally(tx, 3, 1, 1));
            assertThatThrownBy(() -> service.refund(refund("f2", tx, 1L), REFUND))
                    .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("refund_exceeds_charge"));
            assertInvariants();
        }

        @Test
        void aRefundInTheSamePeriod_returnsTheAllowancePart() {
            WalletService service = opened(service(TestCatalogs.soloByDefault()), 0);
            String tx = debited(service, "nov", mockup(2));
            clock.set(Instant.parse("2026-11-30T23:59:59Z"));

            Answer answer = service.refund(refund("f1", tx, null), REFUND);

            assertThat(num(answer, "lapsed")).isZero();
            assertThat(bucket("mockup")).isEqualTo(new BucketBalance(3, 0, 0));
            assertThat(entry(str(answer, "refundId")).description()).isEqualTo("job failed");
        }

        @Test
        void aRefundOfACapture_works_upToWhatWasCaptured() {
            WalletService service = opened(service(), 0);
            String holdId = str(service.hold(holdCredits("h1", 5), HOLD), "holdId");
            String tx = str(service.capture(capture("c1", holdId, 3L), CAPTURE), "transactionId");

            Answer answer = service.refund(refund("f1", tx, null), REFUND);

            assertThat(num(answer, "amount")).isEqualTo(3);
            assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 10, 0));
            assertThatThrownBy(() -> service.refund(refund("f2", tx, 1L), REFUND))
                    .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("refund_exceeds_charge"));
            assertInvariants();
        }

        @Test
        void onlyDebitsAndCapturesCanBeRefunded() {
            WalletService service = opened(service(), 0);
            String tx = debited(service, "d1", credits(2));
            String refundId = str(service.refund(refund("f1", tx, 1L), REFUND), "refundId");
            String holdId = str(service.hold(holdCredits("h1", 2), HOLD), "holdId");
            service.release(release("r1", holdId), RELEASE);
            String grant = store.entries(ALICE, EntryType.SIGNUP_GRANT).getFirst().transactionId();
            String holdEntry = store.entries(ALICE, EntryType.HOLD).getFirst().transactionId();
            String releaseEntry = store.entries(ALICE, EntryType.RELEASE).getFirst().transactionId();
            Account before = store.account(ALICE);

            for (String notRefundable : List.of(grant, refundId, holdEntry, releaseEntry)) {
                assertThatThrownBy(() -> service.refund(refund("x-" + notRefundable, notRefundable, null), REFUND))
                        .as(notRefundable)
                        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("transaction_not_refundable"));
            }
            assertThatThrownBy(() -> service.refund(refund("x", UNKNOWN_TX, null), REFUND))
                    .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> assertThat(e.code()).isEqualTo("transaction_not_found"));
            assertThat(store.account(ALICE)).isEqualTo(before);
        }

        @Test
        void aTransactionOfAnotherAccount_isNotFound() {
            WalletService service = opened(service(), 0);
            AccountId bob = AccountId.of("bob");
            service.open(new CreateAccountCommand(bob, Optional.empty()));
            String bobs = str(service.debit(new DebitCommand(bob, credits(2), Metadata.NONE, key("bd")), DEBIT), "transactionId");

            assertThatThrownBy(() -> service.refund(refund("f1", bobs, null), REFUND))
                    .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> assertThat(e.code()).isEqualTo("transaction_not_found"));
            assertThat(store.account(bob).bucket("credits")).isEqualTo(new BucketBalance(0, 8, 0));
        }

        @Test
        void replay_ofARefund_answersTheFirstResponse_andRefundsNothingMore() {
            WalletService service = opened(service(), 0);
            String tx = debited(service, "d1", credits(4));
            Answer first = service.refund(refund("f1", tx, 2L), REFUND);
            Account after = store.account(ALICE);

            for (WalletService anyProcess : List.of(service, service())) {
                Answer again = anyProcess.refund(refund("f1", tx, 2L), REFUND);
                assertThat(again.replayed()).isTrue();
                assertThat(again.response()).isEqualTo(first.response());
                assertThatThrownBy(() -> anyProcess.refund(refund("f1", tx, 1L), REFUND)).isInstanceOf(IdempotencyKeyReusedException.class);
            }
            assertThat(store.account(ALICE)).isEqualTo(after);
            assertThat(store.tally(ALICE, tx).orElseThrow().total()).isEqualTo(2);
        }

        @Test
        void aReplayAfterTheWholeChargeWasRefunded_stillAnswersTheFirstResponse() {
            WalletService service = opened(service(), 0);
            String tx = debited(service, "d1", credits(4));
            Answer first = service.refund(refund("f1", tx, null), REFUND);

            Answer elsewhere = service().refund(refund("f1", tx, null), REFUND);

            assertThat(elsewhere.replayed()).isTrue();
            assertThat(elsewhere.response()).isEqualTo(first.response());
        }

        @Test
        void aRefundThatAnotherRefundOvertakes_isRecomputedOnTheFreshTally_andNeverExceedsTheCharge() {
            WalletService mine = opened(service(), 0);
            String tx = debited(mine, "d1", credits(5));
            WalletService other = service();
            boolean[] once = {false};
            store.beforeEachWrite(w -> {
                if (!once[0]) {
                    once[0] = true;
                    other.refund(refund("theirs", tx, 3L), REFUND);
                }
            });

            assertThatThrownBy(() -> mine.refund(refund("mine", tx, 3L), REFUND))
                    .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("refund_exceeds_charge"));
            once[0] = false;
            Answer rest = mine.refund(refund("mine-2", tx, null), REFUND);

            assertThat(num(rest, "amount")).as("what was left after theirs").isEqualTo(2);
            assertThat(num(rest, "refundedTotal")).isEqualTo(5);
            assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 10, 0));
            assertInvariants();
        }

        @Test
        void aStaleTally_isReReadAndTheRefundRecomputed() {
            WalletService mine = opened(service(), 0);
            String tx = debited(mine, "d1", credits(5));
            WalletService other = service();
            boolean[] once = {false};
            store.beforeEachWrite(w -> {
                if (!once[0]) {
                    once[0] = true;
                    other.refund(refund("theirs", tx, 2L), REFUND);
                }
            });

            Answer answer = mine.refund(refund("mine", tx, null), REFUND);

            assertThat(num(answer, "amount")).as("the rest after the other refund").isEqualTo(3);
            assertThat(num(answer, "refundedTotal")).isEqualTo(5);
            assertThat(store.tally(ALICE, tx)).contains(new RefundTally(tx, 0, 5, 2));
            assertThat(bucket("credits")).isEqualTo(new BucketBalance(0, 10, 0));
            assertThat(store.entries(ALICE, EntryType.REFUND)).extracting(LedgerEntry::amount).containsExactlyInAnyOrder(2L, 3L);
            assertInvariants();
        }

        @Test
        void refundCommands_refuseABadTransactionIdAmountOrReason() {
            assertThatThrownBy(() -> new HoldCommands.Refund(ALICE, "tx_nope", OptionalLong.empty(), "r", key("k")))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("transactionId"));
            assertThatThrownBy(() -> new HoldCommands.Refund(ALICE, UNKNOWN_TX, OptionalLong.of(0), "r", key("k")))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("amount"));
            assertThatThrownBy(() -> new HoldCommands.Refund(ALICE, UNKNOWN_TX, OptionalLong.empty(), " ", key("k")))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("reason"));
            assertThatThrownBy(() -> new HoldCommands.Refund(ALICE, UNKNOWN_TX, OptionalLong.empty(), "r".repeat(Limits.MAX_REASON_LENGTH + 1), key("k")))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("reason"));
            assertThatThrownBy(() -> new HoldCommands.Refund(ALICE, UNKNOWN_TX, OptionalLong.empty(), "a\nb", key("k")))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("reason"));
            assertThatThrownBy(() -> new HoldCommands.Capture(ALICE, "hold_x", OptionalLong.empty(), key("k")))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("holdId"));
            assertThatThrownBy(() -> new HoldCommands.Capture(ALICE, UNKNOWN_HOLD, OptionalLong.of(0), key("k")))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("amount"));
            assertThatThrownBy(() -> new HoldCommands.Release(ALICE, UNKNOWN_TX, key("k")))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("holdId"));
        }
    }

    // ---------------------------------------------------------------- period roll-over with pending holds

    @Nested
    class RolloverWithHolds {

        /** Moves Alice to another plan as an admin process would (one write, no entry: the plan moves no tokens). */
        private void changePlan(String plan) {
            Account before = store.account(ALICE);
            Account after = new Account(before.id(), before.email(), plan, before.period(), before.buckets(), before.holds(),
                    before.createdAt(), before.version());
            assertThat(store.write(new WalletStore.AccountWrite(before, after, List.of(), Optional.empty())))
                    .isInstanceOf(WalletStore.WriteResult.Applied.class);
        }

        @Test
        void aRollover_keepsAsMuchAllowanceAsPendingHoldsNeed_andLetsItGoOnceTheyEnd() {
            WalletService service = opened(service(TestCatalogs.soloByDefault()), 0);
            clock.set(Instant.parse("2026-11-30T20:00:00Z"));
            String holdId = str(service.hold(hold("h1", mockup(2), Limits.MAX_HOLD_TTL_SECONDS), HOLD), "holdId");
            changePlan("free");
            clock.set(Instant.parse("2026-12-01T01:00:00Z"));

            service.debit(debit("dec", credits(1)), DEBIT);

            Account december = store.account(ALICE);
            assertThat(december.period().id()).isEqualTo("2026-12");
            assertThat(december.bucket("mockup")).as("free plan: 0, but the pending hold needs 2 - 0 purchased")
                    .isEqualTo(new BucketBalance(2, 0, 2));
            assertThat(december.bucket("dol")).isEqualTo(BucketBalance.EMPTY);
            assertThat(store.entries(ALICE, EntryType.PLAN_RESET).stream().filter(e -> e.createdAt().equals(clock.instant())))
                    .extracting(LedgerEntry::bucket, LedgerEntry::amount)
                    .containsExactlyInAnyOrder(tuple("mockup", -1L), tuple("dol", -3L), tuple("weather", -2L));
            assertInvariants();

            Answer captured = service.capture(capture("c1", holdId, 1L), CAPTURE);
            assertThat(num(captured, "released")).isEqualTo(1);
            assertThat(bucket("mockup")).as("the released token stays allowance until the next period")
                    .isEqualTo(new BucketBalance(1, 0, 0));

            clock.set(Instant.parse("2027-01-01T00:00:01Z"));
            service.debit(debit("jan", credits(1)), DEBIT);
            assertThat(bucket("mockup")).isEqualTo(BucketBalance.EMPTY);
            assertInvariants();
        }

        @Test
        void aRollover_neverTakesTheAllowanceBelowHeldMinusPurchased_butReplacesItWhenThePlanGivesMore() {
            WalletService service = opened(service(TestCatalogs.soloByDefault()), 0);
            store.grantAsOtherWriter(ALICE, "mockup", 1);
            clock.set(Instant.parse("2026-11-30T20:00:00Z"));
            service.debit(debit("nov", mockup(1)), DEBIT); // allowance 2, purchased 1
            service.hold(hold("h1", mockup(3), Limits.MAX_HOLD_TTL_SECONDS), HOLD);
            assertThat(bucket("mockup")).isEqualTo(new BucketBalance(2, 1, 3));
            clock.set(Instant.parse("2026-12-01T00:00:00Z"));

            service.debit(debit("dec", credits(1)), DEBIT);

            assertThat(bucket("mockup")).as("solo gives 3 >= 3 held - 1 purchased").isEqualTo(new BucketBalance(3, 1, 3));
            assertThat(bucket("mockup").available()).isEqualTo(1);
            assertInvariants();
        }

        @Test
        void aRolloverShownByARead_keepsWhatPendingHoldsNeed_andWritesNothing() {
            WalletService service = opened(service(TestCatalogs.soloByDefault()), 0);
            store.grantAsOtherWriter(ALICE, "mockup", 1);
            clock.set(Instant.parse("2026-11-30T20:00:00Z"));
            service.hold(hold("h1", mockup(4), Limits.MAX_HOLD_TTL_SECONDS), HOLD);
            changePlan("free");
            Account stored = store.account(ALICE);
            clock.set(Instant.parse("2026-12-01T00:00:00Z"));

            Account shown = service.balance(ALICE);

            assertThat(shown.period().id()).isEqualTo("2026-12");
            assertThat(shown.bucket("mockup")).as("free gives 0; held 4 - purchased 1 keeps 3").isEqualTo(new BucketBalance(3, 1, 4));
            assertThat(store.account(ALICE)).isEqualTo(stored);
        }

        @Test
        void aHoldThatExpiresAcrossTheRollover_isReleasedBeforeTheAllowanceIsReplaced() {
            WalletService service = opened(service(TestCatalogs.soloByDefault()), 0);
            clock.set(Instant.parse("2026-11-30T23:00:00Z"));
            String holdId = str(service.hold(hold("h1", mockup(3), 1800), HOLD), "holdId");
            changePlan("free");
            clock.set(Instant.parse("2026-12-01T00:00:00Z"));

            service.debit(debit("dec", credits(1)), DEBIT);

            assertThat(record(holdId).status()).isEqualTo(HoldStatus.EXPIRED);
            assertThat(bucket("mockup")).as("nothing held: the free plan's 0").isEqualTo(BucketBalance.EMPTY);
            assertInvariants();
        }
    }

    @Test
    void everyHoldEntryPointRefusesAnUnknownAccount() {
        assertThatThrownBy(() -> service().hold(holdCredits("h1", 1), HOLD)).hasMessageContaining("alice");
        assertThatThrownBy(() -> service().capture(capture("c1", UNKNOWN_HOLD, null), CAPTURE)).hasMessageContaining("alice");
        assertThatThrownBy(() -> service().refund(refund("f1", UNKNOWN_TX, null), REFUND))
                .isInstanceOf(com.tokenwallet.domain.AccountNotFoundException.class).hasMessageContaining("alice");
        assertThat(count("write")).isZero();
    }
}
