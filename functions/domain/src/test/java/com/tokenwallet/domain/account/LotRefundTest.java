package com.tokenwallet.domain.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.ledger.ConsumedLots;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule by which a refund gives tokens back to the lots its charge consumed (issue 15). */
class LotRefundTest {
    private static final Instant T0 = Instant.parse("2026-11-10T10:00:00Z");
    private static final Period NOV = Period.calendarMonthOf(T0);
    private static final Period DEC = Period.calendarMonthOf(Instant.parse("2026-12-02T00:00:00Z"));

    private static Lot lot(String id, long granted, long remaining, Instant expiresAt) {
        return new Lot(id, "credits", LotSource.GRANT, granted, remaining, 20, expiresAt, new BigDecimal("1.5"), "promo", T0);
    }

    /** A bucket of 3 allowance, 4 unlotted purchased and two stored lots; a charge of 8 that takes from all four. */
    private static final BucketBalance BEFORE = new BucketBalance(3, 4 + 2 + 2, 0,
            List.of(lot("lot_soon", 2, 2, T0.plusSeconds(3_600)), lot("lot_late", 5, 2, null)));

    private static BucketBalance.Consumption charge() {
        return BEFORE.consume("credits", 9, NOV, T0.minusSeconds(86_400));
    }

    @Test
    void aChargeRecordsEachLotAsItWas_inBurnDownOrder() {
        BucketBalance.Consumption c = charge();
        assertThat(c.consumed()).extracting(Consumed::lotId, Consumed::amount, Consumed::part).containsExactly(
                tuple("lot_soon", 2L, LotView.Part.STORED), tuple("lot_late", 2L, LotView.Part.STORED),
                tuple("allowance:credits:2026-11", 3L, LotView.Part.ALLOWANCE), tuple("purchased:credits", 2L, LotView.Part.UNLOTTED_PURCHASED));
        assertThat(c.consumed().getFirst().granted()).isEqualTo(2);
        assertThat(c.consumed().getFirst().priority()).isEqualTo(20);
        assertThat(c.after().lots()).as("both stored lots used up").isEmpty();
        List<Consumed> recorded = c.consumed().stream().map(Consumed::recorded).toList();
        assertThat(ConsumedLots.decode(ConsumedLots.encode(recorded))).isEqualTo(recorded);
        assertThat(recorded.subList(0, 2)).as("stored lots are kept whole").isEqualTo(c.consumed().subList(0, 2));
        assertThat(ConsumedLots.encode(recorded.subList(2, 4))).as("the implicit lots in a few bytes")
                .isEqualTo("{\"lots\":[{\"lotId\":\"allowance:credits:2026-11\",\"part\":\"allowance\",\"source\":\"plan_allowance\",\"amount\":3},"
                        + "{\"lotId\":\"purchased:credits\",\"part\":\"unlotted_purchased\",\"source\":\"purchase\",\"amount\":2}]}");
        assertThat(ConsumedLots.encode(List.of())).isNull();
        assertThat(ConsumedLots.decode(null)).isEmpty();
    }

    @Test
    void portions_comeOffTheEnd_acrossPartialRefunds() {
        List<Consumed> consumed = charge().consumed();
        assertThat(LotRefund.portions(consumed, 0, 3)).extracting(Consumed::lotId, Consumed::amount)
                .containsExactly(tuple("purchased:credits", 2L), tuple("allowance:credits:2026-11", 1L));
        assertThat(LotRefund.portions(consumed, 3, 4)).extracting(Consumed::lotId, Consumed::amount)
                .containsExactly(tuple("allowance:credits:2026-11", 2L), tuple("lot_late", 2L));
        assertThat(LotRefund.portions(consumed, 7, 2)).extracting(Consumed::lotId, Consumed::amount)
                .containsExactly(tuple("lot_soon", 2L));
        assertThatThrownBy(() -> LotRefund.portions(consumed, 8, 2)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFullRefundInTheSamePeriod_restoresTheBucketExactly() {
        BucketBalance.Consumption c = charge();
        List<Consumed> recorded = c.consumed().stream().map(Consumed::recorded).toList();
        LotRefund.Result r = LotRefund.giveBack(c.after(), "credits", LotRefund.portions(recorded, 0, 9), NOV, T0.plusSeconds(60), 0);

        assertThat(r.after()).isEqualTo(BEFORE);
        assertThat(r.lapsed()).isZero();
        assertThat(r.returned()).isEqualTo(new Split(3, 6));
        assertThat(r.shares()).extracting(LotRefund.Share::outcome).containsExactly(LotRefund.Outcome.RETURNED, LotRefund.Outcome.RETURNED,
                LotRefund.Outcome.RECREATED, LotRefund.Outcome.RECREATED);
    }

    @Test
    void afterTheLotExpiredAndThePeriodEnded_thoseTokensLapse_theRestComesBack() {
        BucketBalance.Consumption c = charge();
        BucketBalance december = c.after().withAllowance(3).after(); // a new period's allowance
        LotRefund.Result r = LotRefund.giveBack(december, "credits", LotRefund.portions(c.consumed(), 0, 9), DEC,
                Instant.parse("2026-12-02T00:00:00Z"), 0);

        assertThat(r.lapsed()).as("3 allowance tokens of November, 2 of the expired lot").isEqualTo(5);
        assertThat(r.returned()).isEqualTo(new Split(0, 4));
        assertThat(r.after().allowance()).isEqualTo(3);
        assertThat(r.after().lots()).extracting(Lot::lotId, Lot::remaining, Lot::granted).containsExactly(tuple("lot_late", 2L, 5L));
        assertThat(r.shares()).extracting(s -> s.from().lotId(), LotRefund.Share::outcome).containsExactly(
                tuple("purchased:credits", LotRefund.Outcome.RETURNED), tuple("allowance:credits:2026-11", LotRefund.Outcome.PERIOD_ENDED),
                tuple("lot_late", LotRefund.Outcome.RECREATED), tuple("lot_soon", LotRefund.Outcome.EXPIRED));
    }

    @Test
    void aLotThatStillExists_getsItsTokensBack_andOneThatCannotBeStoredAgainJoinsTheUnlottedTokens() {
        BucketBalance bucket = new BucketBalance(0, 1, 0, List.of(lot("lot_a", 5, 1, null)));
        Consumed fromA = Consumed.of(LotView.of(lot("lot_a", 5, 5, null)), 4);
        Consumed fromB = Consumed.of(LotView.of(lot("lot_b", 3, 3, null)), 3);

        LotRefund.Result r = LotRefund.giveBack(bucket, "credits", List.of(fromB, fromA), NOV, T0, Limits.MAX_STORED_LOTS);

        assertThat(r.shares()).extracting(LotRefund.Share::outcome).containsExactly(LotRefund.Outcome.UNLOTTED, LotRefund.Outcome.RETURNED);
        assertThat(r.after().lots()).extracting(Lot::lotId, Lot::remaining).containsExactly(tuple("lot_a", 5L));
        assertThat(r.after().unlottedPurchased()).isEqualTo(3);
        assertThat(r.after().purchased()).isEqualTo(8);
    }

    @Test
    void aClawbackTakesFromTheNamedLotFirst_thenTheUnlottedTokens_thenTheOthersInBurnDownOrder() {
        BucketBalance bucket = new BucketBalance(0, 10, 0, List.of(lot("lot_pay", 4, 4, null), lot("lot_x", 3, 3, T0.plusSeconds(60))));
        List<Lot> lots = new ArrayList<>(bucket.minus(new Split(0, 7), "lot_pay").lots());
        assertThat(lots).extracting(Lot::lotId, Lot::remaining).containsExactly(tuple("lot_x", 3L));
        assertThat(bucket.minus(new Split(0, 7), "lot_pay").unlottedPurchased()).isZero();
        assertThat(bucket.minus(new Split(0, 9), "lot_pay").lots()).extracting(Lot::remaining).containsExactly(1L);
        assertThat(bucket.minus(new Split(0, 2), null)).isEqualTo(bucket.minus(new Split(0, 2)));
    }
}
