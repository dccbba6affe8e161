package com.tokenwallet.domain.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A bucket can never hold an impossible balance, and debits take the allowance first. */
class BucketBalanceTest {

    @ParameterizedTest(name = "allowance={0} purchased={1} held={2} is refused")
    @CsvSource({
            "-1, 0,  0",
            "0,  -1, 0",
            "0,  0,  -1",
            "-5, 10, 0",
            "0,  0,  1",
            "3,  4,  8",
            "0,  5,  6",
    })
    void impossibleBalance_isRefused(long allowance, long purchased, long held) {
        assertThatThrownBy(() -> new BucketBalance(allowance, purchased, held))
                .isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest(name = "allowance={0} purchased={1} held={2} is possible")
    @CsvSource({
            "0, 0, 0",
            "3, 4, 7",
            "3, 0, 3",
            "0, 4, 4",
            "9, 9, 0",
    })
    void possibleBalance_isAccepted_andHoldsMayCoverEverything(long allowance, long purchased, long held) {
        BucketBalance balance = new BucketBalance(allowance, purchased, held);

        assertThat(balance.available()).isEqualTo(allowance + purchased - held).isNotNegative();
    }

    @ParameterizedTest(name = "allowance={0} purchased={1} held={2}: available {3}, total {4}")
    @CsvSource({
            "0,  0,  0, 0,  0",
            "5,  10, 0, 15, 15",
            "5,  10, 4, 11, 15",
            "5,  10, 15, 0, 15",
    })
    void available_isAllowancePlusPurchasedMinusHeld_andTotalIgnoresHolds(long allowance, long purchased, long held,
                                                                        long available, long total) {
        BucketBalance balance = new BucketBalance(allowance, purchased, held);

        assertThat(balance.available()).isEqualTo(available);
        assertThat(balance.total()).isEqualTo(total);
    }

    @ParameterizedTest(name = "allowance={0} purchased={1}: {2} tokens come {3} from allowance, {4} from purchased")
    @CsvSource({
            "5, 10, 3,  3, 0",
            "5, 10, 5,  5, 0",
            "5, 10, 6,  5, 1",
            "5, 10, 15, 5, 10",
            "0, 10, 4,  0, 4",
            "5, 0,  5,  5, 0",
            "5, 10, 0,  0, 0",
    })
    void splitFor_takesAllowanceFirst_thenPurchased(long allowance, long purchased, long amount,
                                                    long fromAllowance, long fromPurchased) {
        Split split = new BucketBalance(allowance, purchased, 0).splitFor(amount);

        assertThat(split).isEqualTo(new Split(fromAllowance, fromPurchased));
        assertThat(split.total()).isEqualTo(amount);
    }

    @Test
    void minus_removesEachPartOfTheSplit_andKeepsTheHold() {
        BucketBalance balance = new BucketBalance(5, 10, 2);

        assertThat(balance.minus(new Split(5, 3))).isEqualTo(new BucketBalance(0, 7, 2));
    }

    @Test
    void minus_thatWouldUncoverAHold_isRefused() {
        BucketBalance balance = new BucketBalance(5, 10, 12);

        assertThatThrownBy(() -> balance.minus(balance.splitFor(5))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void plusPurchased_addsToThePurchasedPartOnly() {
        assertThat(new BucketBalance(5, 10, 2).plusPurchased(7)).isEqualTo(new BucketBalance(5, 17, 2));
    }

    @Test
    void plusPurchased_refusesOverflow() {
        assertThatThrownBy(() -> new BucketBalance(0, Long.MAX_VALUE, 0).plusPurchased(1))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void withAllowance_replacesTheAllowance_notAddsToIt() {
        assertThat(new BucketBalance(5, 10, 2).withAllowance(3).after()).isEqualTo(new BucketBalance(3, 10, 2));
    }

    @Test
    void split_isNeverNegative() {
        assertThatThrownBy(() -> new Split(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Split(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BucketBalance(5, 0, 0).splitFor(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
