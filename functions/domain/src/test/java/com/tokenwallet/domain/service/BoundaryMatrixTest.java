package com.tokenwallet.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.Consumed;
import com.tokenwallet.domain.account.Lot;
import com.tokenwallet.domain.admin.AdminCommands;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.command.DebitCommand;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.service.Results.CaptureReceipt;
import com.tokenwallet.domain.service.Results.DebitReceipt;
import com.tokenwallet.domain.service.Results.RefundReceipt;
import com.tokenwallet.domain.testing.InMemoryWalletStore;
import com.tokenwallet.domain.testing.MutableClock;
import com.tokenwallet.domain.testing.TestCatalogs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The boundary matrix of issue 15, part one: every scenario at the end of a 31-, 28-, 29- (leap) and 30-day month
 * and of a year, on the solo plan (dol 3 a month, its unused allowance rolling over up to 2 tokens for one period).
 * Each case checks its own outcome, and afterwards that the ledger sums to the balance part by part, that held is
 * the pending holds, and that no lot is empty or negative. (Credit limit and Stripe events across these boundaries
 * are not in the matrix yet.)
 */
class BoundaryMatrixTest {

    private static final AccountId ALICE = AccountId.of("alice");
    private static final String SOLO = "\"solo\": {\"name\": \"Solo\", \"allowance\": {\"mockup\": 3, \"dol\": 3, \"weather\": 2, \"credits\": 0}}";
    private static final Catalog CATALOG = TestCatalogs.parse(TestCatalogs.defaultTextWith(SOLO, SOLO.substring(0, SOLO.length() - 1)
            + ", \"rollover\": {\"dol\": {\"maxTokens\": 2, \"expiresAfterPeriods\": 1}}}")
            .replace("\"defaultPlan\": \"free\"", "\"defaultPlan\": \"solo\""));

    /** The first instant of the next month: the period boundary of each row. */
    static final List<String> MONTH_ENDS = List.of("2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", "2028-03-01T00:00:00Z",
            "2026-05-01T00:00:00Z", "2027-01-01T00:00:00Z", "2026-07-01T00:00:00Z", "2026-04-01T00:00:00Z");

    enum Scenario {
        HOLD_BEFORE_RESET_CAPTURED_AFTER,
        REFUND_ACROSS_RESET,
        LOT_EXPIRING_AT_RESET_WHILE_HELD,
        ROLLOVER_EXACTLY_AT_THE_BOUNDARY,
        DEBIT_ONE_SECOND_BEFORE_AND_AT_THE_BOUNDARY
    }

    /** The month ends alone (BalancesAsOfTest runs its reset case at each). */
    static Stream<String> matrixMonthEnds() {
        return MONTH_ENDS.stream();
    }

    static Stream<Arguments> matrix() {
        return MONTH_ENDS.stream().flatMap(end -> Stream.of(Scenario.values()).map(s -> Arguments.of(end, s)));
    }

    private MutableClock clock;
    private InMemoryWalletStore store;
    private WalletService wallet;
    private int keys;

    @ParameterizedTest(name = "{1} at {0}")
    @MethodSource("matrix")
    void scenarioAtAMonthsEnd(String boundary, Scenario scenario) {
        Instant end = Instant.parse(boundary);
        clock = new MutableClock(end.minus(Duration.ofDays(5)));
        store = new InMemoryWalletStore(clock);
        wallet = new WalletService(store, CATALOG, clock);
        wallet.open(new CreateAccountCommand(ALICE, Optional.empty()));
        assertThat(store.account(ALICE).period().endsAt()).isEqualTo(end);

        switch (scenario) {
            case HOLD_BEFORE_RESET_CAPTURED_AFTER -> holdBeforeResetCapturedAfter(end);
            case REFUND_ACROSS_RESET -> refundAcrossReset(end);
            case LOT_EXPIRING_AT_RESET_WHILE_HELD -> lotExpiringAtResetWhileHeld(end);
            case ROLLOVER_EXACTLY_AT_THE_BOUNDARY -> rolloverExactlyAtTheBoundary(end);
            case DEBIT_ONE_SECOND_BEFORE_AND_AT_THE_BOUNDARY -> debitBeforeAndAtTheBoundary(end);
        }

        assertThat(store.ledgerDisagreements(ALICE)).as("ledger sums to the balance").isEmpty();
        assertThat(store.heldDisagreements(ALICE)).as("held is the pending holds").isEmpty();
        store.account(ALICE).buckets().values().forEach(b -> b.lots().forEach(l -> assertThat(l.remaining()).isPositive()));
    }

    private void holdBeforeResetCapturedAfter(Instant end) {
        clock.set(end.minusSeconds(600));
        String holdId = hold("dol", 3, 3_600);
        clock.set(end.plusSeconds(600));

        CaptureReceipt receipt = capture(holdId, 2);

        // The held allowance could not roll over (nothing unused), the new allowance covers the hold: 3 - 2 left.
        assertThat(receipt.captured()).isEqualTo(2);
        assertThat(store.account(ALICE).bucket("dol").total()).isEqualTo(1);
        assertThat(store.account(ALICE).bucket("dol").held()).isZero();
    }

    private void refundAcrossReset(Instant end) {
        clock.set(end.minusSeconds(1));
        DebitReceipt debit = debit("dol", 2);
        clock.set(end.plusSeconds(1));

        RefundReceipt refund = refund(debit.entry().transactionId());

        // The last second's unused token rolled over; the refunded allowance of the ended period lapses.
        assertThat(refund.lapsed()).isEqualTo(2);
        assertThat(store.account(ALICE).bucket("dol").total()).isEqualTo(3 + 1);
        assertThat(store.account(ALICE).bucket("dol").lots()).extracting(Lot::remaining).containsExactly(1L);
    }

    private void lotExpiringAtResetWhileHeld(Instant end) {
        clock.set(end.minusSeconds(600));
        String lotId = grant("credits", 5, end);
        String holdId = hold("credits", 14, 7_200);
        clock.set(end.plusSeconds(60));

        CaptureReceipt receipt = capture(holdId, 12);

        // The signup's 10 unlotted tokens and the lot (expired, but held): the capture burns the expired lot first.
        assertThat(receipt.consumed()).extracting(Consumed::lotId, Consumed::amount)
                .containsExactly(tuple(lotId, 4L), tuple("purchased:credits", 8L));
        assertThat(store.entries(ALICE, EntryType.EXPIRY)).extracting(LedgerEntry::reference, LedgerEntry::amount)
                .containsExactly(tuple(lotId, -1L));
        assertThat(store.account(ALICE).bucket("credits").total()).isEqualTo(2);
        assertThat(store.account(ALICE).bucket("credits").lots()).isEmpty();
    }

    private void rolloverExactlyAtTheBoundary(Instant end) {
        clock.set(end.minusSeconds(1));
        debit("mockup", 1);
        assertThat(store.account(ALICE).bucket("dol").lots()).as("one second before: no rollover").isEmpty();
        clock.set(end);

        debit("mockup", 1);

        assertThat(store.account(ALICE).bucket("dol").lots()).singleElement().satisfies(lot -> {
            assertThat(lot.remaining()).isEqualTo(2);
            assertThat(lot.expiresAt()).isEqualTo(end.atOffset(java.time.ZoneOffset.UTC).plusMonths(1).toInstant());
        });
        assertThat(store.account(ALICE).bucket("dol").allowance()).isEqualTo(3);
        // Running the job after the lazy path changes nothing.
        assertThat(wallet.rollOverIfDue(store.account(ALICE))).isFalse();
    }

    private void debitBeforeAndAtTheBoundary(Instant end) {
        clock.set(end.minusSeconds(1));
        DebitReceipt before = debit("dol", 3);
        clock.set(end);

        DebitReceipt at = debit("dol", 3);

        assertThat(before.consumed()).extracting(Consumed::lotId).containsExactly("allowance:dol:" + month(end.minusSeconds(1)));
        assertThat(at.consumed()).extracting(Consumed::lotId).containsExactly("allowance:dol:" + month(end));
        assertThat(store.account(ALICE).bucket("dol").total()).isZero();
    }

    // ---- steps

    private static String month(Instant instant) {
        return java.time.YearMonth.from(instant.atOffset(java.time.ZoneOffset.UTC)).toString();
    }

    private Idempotency key() {
        String key = "k" + (++keys);
        return new Idempotency(new IdempotencyKey(key), key);
    }

    private DebitReceipt debit(String bucket, long amount) {
        List<DebitReceipt> out = new ArrayList<>();
        wallet.debit(new DebitCommand(ALICE, new ChargeRequest.ByAmount(bucket, amount, "t"), Metadata.NONE, key()), r -> {
            out.add(r);
            return new StoredResponse(201, "{}");
        });
        return out.getFirst();
    }

    private String hold(String bucket, long amount, long ttlSeconds) {
        wallet.hold(new HoldCommands.Hold(ALICE, new ChargeRequest.ByAmount(bucket, amount, "h"), ttlSeconds, Metadata.NONE, key()),
                r -> new StoredResponse(201, "{}"));
        return store.account(ALICE).holds().keySet().iterator().next();
    }

    private CaptureReceipt capture(String holdId, long amount) {
        List<CaptureReceipt> out = new ArrayList<>();
        wallet.capture(new HoldCommands.Capture(ALICE, holdId, OptionalLong.of(amount), key()), r -> {
            out.add(r);
            return new StoredResponse(200, "{}");
        });
        return out.getFirst();
    }

    private RefundReceipt refund(String transactionId) {
        List<RefundReceipt> out = new ArrayList<>();
        wallet.refund(new HoldCommands.Refund(ALICE, transactionId, OptionalLong.empty(), "job failed", key()), r -> {
            out.add(r);
            return new StoredResponse(201, "{}");
        });
        return out.getFirst();
    }

    private String grant(String bucket, long amount, Instant expiresAt) {
        wallet.grant(new AdminCommands.Grant(ALICE, bucket, amount, "promo", "admin-1", Optional.of(key()),
                new AdminCommands.LotTerms(Optional.of(expiresAt), Optional.empty(), Optional.empty())), r -> new StoredResponse(201, "{}"));
        return store.entries(ALICE, EntryType.GRANT).getLast().reference();
    }
}
