package com.tokenwallet.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.Consumed;
import com.tokenwallet.domain.account.Lot;
import com.tokenwallet.domain.admin.AdminCommands;
import com.tokenwallet.domain.billing.BillingEvent;
import com.tokenwallet.domain.billing.BillingService;
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
 * the pending holds, and that no lot is empty or negative. Refunds give tokens back to the lots their charge
 * consumed (reverse burn-down; a lot that expired meanwhile lapses), and a Stripe refund claws back from its payment's
 * lot first. A debit that crosses into the credit limit at
 * a period's end, the next allowance and a grant that repay it, are the last scenario.
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
        DEBIT_ONE_SECOND_BEFORE_AND_AT_THE_BOUNDARY,
        REFUND_OF_TWO_LOTS_ONE_EXPIRED_SINCE,
        PARTIAL_REFUNDS_ACROSS_THE_BOUNDARY,
        CLAWBACK_FROM_THE_PAYMENTS_LOT_ACROSS_THE_BOUNDARY,
        DEBIT_INTO_THE_CREDIT_LIMIT_ACROSS_THE_BOUNDARY_AND_THE_GRANT_THAT_REPAYS_IT
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
            case REFUND_OF_TWO_LOTS_ONE_EXPIRED_SINCE -> refundOfTwoLotsOneExpiredSince(end);
            case PARTIAL_REFUNDS_ACROSS_THE_BOUNDARY -> partialRefundsAcrossTheBoundary(end);
            case CLAWBACK_FROM_THE_PAYMENTS_LOT_ACROSS_THE_BOUNDARY -> clawbackFromThePaymentsLot(end);
            case DEBIT_INTO_THE_CREDIT_LIMIT_ACROSS_THE_BOUNDARY_AND_THE_GRANT_THAT_REPAYS_IT -> debitIntoCreditAcrossTheBoundary(end);
        }

        assertThat(store.ledgerDisagreements(ALICE)).as("ledger sums to the balance").isEmpty();
        assertThat(store.heldDisagreements(ALICE)).as("held is the pending holds").isEmpty();
        store.account(ALICE).buckets().values().forEach(b -> b.lots().forEach(l -> assertThat(l.remaining()).isPositive()));
        store.account(ALICE).buckets().values().forEach(b -> assertThat(b.total()).isGreaterThanOrEqualTo(-b.creditLimit()));
    }

    private void debitIntoCreditAcrossTheBoundary(Instant end) {
        clock.set(end.minusSeconds(600));
        wallet.setCreditLimit(new AdminCommands.CreditLimit(ALICE, "dol", 5, "trial", "ops", Optional.empty()),
                r -> new StoredResponse(200, "{}"));
        clock.set(end.minusSeconds(1));
        DebitReceipt before = debit("dol", 6);
        assertThat(before.consumed()).extracting(Consumed::lotId, Consumed::amount)
                .containsExactly(tuple("allowance:dol:" + month(end.minusSeconds(1)), 3L), tuple("credit:dol", 3L));
        assertThat(store.account(ALICE).bucket("dol").debt()).isEqualTo(3);
        clock.set(end);

        // The new period's allowance repays the debt first: nothing left, nothing unused to roll over.
        DebitReceipt at = debit("mockup", 1);
        assertThat(at.consumed()).isNotEmpty();
        assertThat(store.account(ALICE).bucket("dol").debt()).isZero();
        assertThat(store.account(ALICE).bucket("dol").total()).isZero();
        assertThat(store.account(ALICE).bucket("dol").lots()).noneMatch(l -> l.source() == com.tokenwallet.domain.account.LotSource.ROLLOVER);

        clock.set(end.plusSeconds(1));
        debit("dol", 5);
        assertThat(store.account(ALICE).bucket("dol").total()).as("down to -creditLimit, no further").isEqualTo(-5);
        grantUnlotted("dol", 8);
        assertThat(store.account(ALICE).bucket("dol").debt()).isZero();
        assertThat(store.account(ALICE).bucket("dol").total()).isEqualTo(3);
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

        RefundReceipt refund = refund(receipt.entry().transactionId());

        // The unlotted 8 come back; the 4 of the lot that expired (and that the capture still burned) lapse.
        assertThat(refund.lapsed()).isEqualTo(4);
        assertThat(store.account(ALICE).bucket("credits").total()).isEqualTo(2 + 8);
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

    private void refundOfTwoLotsOneExpiredSince(Instant end) {
        clock.set(end.minusSeconds(600));
        String expiring = grant("credits", 2, end);
        String lasting = grant("credits", 3, end.plus(Duration.ofDays(10)));
        DebitReceipt debit = debit("credits", 4);
        assertThat(debit.consumed()).extracting(Consumed::lotId, Consumed::amount)
                .containsExactly(tuple(expiring, 2L), tuple(lasting, 2L));
        clock.set(end.plusSeconds(60));

        RefundReceipt refund = refund(debit.entry().transactionId());

        // Reverse burn-down: the lasting lot gets its 2 back, the expiring lot's 2 lapse (it expired at the boundary).
        assertThat(refund.amount()).isEqualTo(4);
        assertThat(refund.lapsed()).isEqualTo(2);
        assertThat(refund.entry().amount()).isEqualTo(2);
        assertThat(refund.entry().purchasedDelta()).isEqualTo(2);
        assertThat(refund.entry().description()).contains("2 tokens of lot " + expiring + " lapsed: it expired at " + end);
        assertThat(refund.entry().metadataJson()).contains("\"lapsed\":2").contains("\"outcome\":\"expired\"")
                .contains("\"outcome\":\"returned\"");
        assertThat(store.account(ALICE).bucket("credits").lots()).singleElement().satisfies(lot -> {
            assertThat(lot.lotId()).isEqualTo(lasting);
            assertThat(lot.remaining()).isEqualTo(3);
        });
        assertThat(store.account(ALICE).bucket("credits").total()).isEqualTo(10 + 3);
    }

    private void partialRefundsAcrossTheBoundary(Instant end) {
        clock.set(end.minusSeconds(600));
        String expiring = grant("credits", 2, end);
        Instant later = end.plus(Duration.ofDays(10));
        String lasting = grant("credits", 3, later);
        String tx = debit("credits", 5).entry().transactionId();
        assertThat(store.account(ALICE).bucket("credits").lots()).as("both used up").isEmpty();
        clock.set(end.minusSeconds(300));

        RefundReceipt first = refund(tx, 2);

        // The lot the charge took last comes back first, created again as it was.
        assertThat(first.lapsed()).isZero();
        assertThat(store.account(ALICE).bucket("credits").lots()).singleElement().satisfies(lot -> {
            assertThat(lot.lotId()).isEqualTo(lasting);
            assertThat(List.of(lot.granted(), lot.remaining())).containsExactly(3L, 2L);
            assertThat(lot.expiresAt()).isEqualTo(later);
        });
        assertThat(first.entry().metadataJson()).contains("\"outcome\":\"recreated\"");
        clock.set(end.plusSeconds(60));

        RefundReceipt rest = refund(tx, 3);

        assertThat(rest.lapsed()).as("the expiring lot's 2 tokens").isEqualTo(2);
        assertThat(rest.refundedTotal()).isEqualTo(5);
        assertThat(store.account(ALICE).bucket("credits").lots()).extracting(Lot::lotId, Lot::remaining).containsExactly(tuple(lasting, 3L));
        assertThat(store.account(ALICE).bucket("credits").lots()).noneMatch(l -> l.lotId().equals(expiring));
        assertThat(store.account(ALICE).bucket("credits").total()).isEqualTo(10 + 3);
    }

    private void clawbackFromThePaymentsLot(Instant end) {
        BillingService billing = new BillingService(store, wallet, CATALOG, clock);
        clock.set(end.minusSeconds(600));
        long created = clock.instant().getEpochSecond();
        BillingEvent.AccountRef ann = new BillingEvent.AccountRef(Optional.of(ALICE.value()), Optional.empty(), Optional.empty());
        BillingEvent.Payment paid = new BillingEvent.Payment(Optional.of("usd"), OptionalLong.of(999), OptionalLong.of(999), 0, 0,
                Optional.empty());
        assertThat(billing.apply(new BillingEvent.PackagePaid("evt_p", "checkout.session.completed", created, ann, "cs_1", "pi_1",
                "starter", paid)).outcome()).isEqualTo("applied");
        debit("credits", 15); // the signup's 10 unlotted tokens (older), then 5 of the purchase lot
        grantUnlotted("credits", 20);
        clock.set(end.plusSeconds(60));

        assertThat(billing.apply(new BillingEvent.ChargeRefunded("evt_r", "charge.refunded", clock.instant().getEpochSecond(), ann,
                "pi_1", 999, 999)).outcome()).isEqualTo("applied");

        // 50 due: the payment lot's 45 first, then 5 of the unlotted 20 (before lots: the 20 first, then 30 of the lot).
        assertThat(store.account(ALICE).bucket("credits").lots()).isEmpty();
        assertThat(store.account(ALICE).bucket("credits").purchased()).isEqualTo(15);
        assertThat(store.entries(ALICE, EntryType.CLAWBACK)).singleElement().satisfies(e -> {
            assertThat(e.amount()).isEqualTo(-50);
            assertThat(e.metadataJson()).contains("\"fromLot\"").contains("\"amount\":45");
        });
    }

    @org.junit.jupiter.api.Test
    void aRefundWhoseManyLotsExpired_namesThreeInItsDescription_andEveryOneInItsMetadata() {
        Instant end = Instant.parse("2026-12-01T00:00:00Z");
        clock = new MutableClock(end.minus(Duration.ofDays(5)));
        store = new InMemoryWalletStore(clock);
        wallet = new WalletService(store, CATALOG, clock);
        wallet.open(new CreateAccountCommand(ALICE, Optional.empty()));
        for (int i = 0; i < 5; i++) {
            grant("credits", 1, end.plusSeconds(i));
        }
        String tx = debit("credits", 5).entry().transactionId();
        clock.set(end.plus(Duration.ofDays(1)));

        RefundReceipt refund = refund(tx);

        assertThat(refund.lapsed()).isEqualTo(5);
        assertThat(refund.entry().amount()).isZero();
        assertThat(refund.entry().description()).contains("and 2 more lots lapsed (see metadata)");
        assertThat(refund.entry().metadataJson().split("\"outcome\":\"expired\"", -1)).hasSize(6);
        assertThat(store.ledgerDisagreements(ALICE)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aChargeWrittenBeforeLotsWereKeptWithIt_isRefundedByPart_purchasedFirst_itsEndedAllowanceLapsing() {
        Instant end = Instant.parse("2026-12-01T00:00:00Z");
        clock = new MutableClock(end.minus(Duration.ofDays(5)));
        store = new InMemoryWalletStore(clock);
        wallet = new WalletService(store, CATALOG, clock);
        wallet.open(new CreateAccountCommand(ALICE, Optional.empty()));
        store.grantAsOtherWriter(ALICE, "dol", 1);
        store.debitAsOtherWriter(ALICE, "dol", 4); // 3 allowance + 1 purchased; an entry without consumed lots
        String tx = store.entries(ALICE, EntryType.DEBIT).getLast().transactionId();
        assertThat(store.entries(ALICE, EntryType.DEBIT).getLast().consumed()).isEmpty();
        clock.set(end.plusSeconds(60));

        RefundReceipt refund = refund(tx);

        assertThat(refund.lapsed()).isEqualTo(3);
        assertThat(refund.entry().purchasedDelta()).isEqualTo(1);
        assertThat(refund.entry().metadataJson()).isNull();
        assertThat(store.account(ALICE).bucket("dol").unlottedPurchased()).isEqualTo(1);
        assertThat(store.ledgerDisagreements(ALICE)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aPurchase_whenTheAccountStores100Lots_joinsTheUnlottedTokens_andALaterRefundOfItsLotsStillWorks() {
        Instant end = Instant.parse("2026-12-01T00:00:00Z");
        clock = new MutableClock(end.minus(Duration.ofDays(5)));
        store = new InMemoryWalletStore(clock);
        wallet = new WalletService(store, CATALOG, clock);
        wallet.open(new CreateAccountCommand(ALICE, Optional.empty()));
        BillingService billing = new BillingService(store, wallet, CATALOG, clock);
        List<String> lots = new ArrayList<>();
        for (int i = 0; i < com.tokenwallet.domain.Limits.MAX_STORED_LOTS; i++) {
            lots.add(grant("credits", 1, end.plus(Duration.ofDays(30 + i))));
        }
        DebitReceipt debit = debit("credits", 3); // the three lots expiring soonest, used up
        for (int i = 0; i < 3; i++) {
            grant("credits", 1, end.plus(Duration.ofDays(400 + i))); // back to 100 stored lots
        }
        BillingEvent.AccountRef ann = new BillingEvent.AccountRef(Optional.of(ALICE.value()), Optional.empty(), Optional.empty());

        assertThat(billing.apply(new BillingEvent.PackagePaid("evt_p", "checkout.session.completed", clock.instant().getEpochSecond(), ann,
                "cs_1", "pi_1", "starter", new BillingEvent.Payment(Optional.of("usd"), OptionalLong.of(999), OptionalLong.of(999), 0, 0,
                Optional.empty()))).outcome()).isEqualTo("applied");

        assertThat(store.account(ALICE).storedLotCount()).isEqualTo(100);
        assertThat(store.account(ALICE).bucket("credits").unlottedPurchased()).as("signup 10 + the package's 50").isEqualTo(60);
        RefundReceipt refund = refund(debit.entry().transactionId());
        assertThat(refund.lapsed()).isZero();
        assertThat(store.account(ALICE).storedLotCount()).as("the used-up lots cannot be created again").isEqualTo(100);
        assertThat(store.account(ALICE).bucket("credits").unlottedPurchased()).isEqualTo(63);
        assertThat(store.account(ALICE).bucket("credits").purchased()).isEqualTo(63 + 100);
        assertThat(refund.entry().metadataJson()).contains("\"outcome\":\"unlotted\"");
        assertThat(lots.subList(0, 3)).allSatisfy(id -> assertThat(store.account(ALICE).bucket("credits").lots())
                .noneMatch(l -> l.lotId().equals(id)));
        assertThat(store.ledgerDisagreements(ALICE)).isEmpty();
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

    private RefundReceipt refund(String transactionId, long amount) {
        List<RefundReceipt> out = new ArrayList<>();
        wallet.refund(new HoldCommands.Refund(ALICE, transactionId, OptionalLong.of(amount), "job failed", key()), r -> {
            out.add(r);
            return new StoredResponse(201, "{}");
        });
        return out.getFirst();
    }

    private void grantUnlotted(String bucket, long amount) {
        wallet.grant(new AdminCommands.Grant(ALICE, bucket, amount, "goodwill", "admin-1", Optional.of(key()), AdminCommands.LotTerms.NONE),
                r -> new StoredResponse(201, "{}"));
    }

    private String grant(String bucket, long amount, Instant expiresAt) {
        wallet.grant(new AdminCommands.Grant(ALICE, bucket, amount, "promo", "admin-1", Optional.of(key()),
                new AdminCommands.LotTerms(Optional.of(expiresAt), Optional.empty(), Optional.empty())), r -> new StoredResponse(201, "{}"));
        return store.entries(ALICE, EntryType.GRANT).getLast().reference();
    }
}
