package com.tokenwallet.domain.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.InsufficientTokensException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Account debits: allowance first, then purchased, and a clear refusal when the bucket cannot pay. */
class AccountTest {

    private static final Instant CREATED = Instant.parse("2026-11-03T08:00:00Z");

    private static Account account(Map<String, BucketBalance> buckets) {
        return new Account(AccountId.of("user-1"), "a@example.com", "solo", Period.calendarMonthOf(CREATED), buckets, CREATED, 4);
    }

    @ParameterizedTest(name = "allowance={0} purchased={1} held={2}, debit {3}: left {4}/{5}, split {6}/{7}")
    @CsvSource({
            "5, 10, 0, 3,  2, 10, 3, 0",
            "5, 10, 0, 5,  0, 10, 5, 0",
            "5, 10, 0, 8,  0, 7,  5, 3",
            "5, 10, 0, 15, 0, 0,  5, 10",
            "0, 10, 0, 4,  0, 6,  0, 4",
            "5, 10, 6, 9,  0, 6,  5, 4",
    })
    void debit_takesAllowanceFirst_thenPurchased(long allowance, long purchased, long held, long amount,
                                                 long allowanceLeft, long purchasedLeft, long fromAllowance, long fromPurchased) {
        Account before = account(Map.of("credits", new BucketBalance(allowance, purchased, held)));

        Account.Debit debit = before.debit("credits", amount);

        assertThat(debit.split()).isEqualTo(new Split(fromAllowance, fromPurchased));
        assertThat(debit.after().bucket("credits")).isEqualTo(new BucketBalance(allowanceLeft, purchasedLeft, held));
        assertThat(debit.after().version()).as("the store sets the next version").isEqualTo(before.version());
        assertThat(before.bucket("credits")).as("accounts are values").isEqualTo(new BucketBalance(allowance, purchased, held));
    }

    @Test
    void debit_leavesOtherBucketsAlone() {
        Account before = account(Map.of("credits", new BucketBalance(0, 10, 0), "mockup", new BucketBalance(3, 1, 0)));

        Account after = before.debit("credits", 4).after();

        assertThat(after.bucket("mockup")).isEqualTo(new BucketBalance(3, 1, 0));
        assertThat(after.bucket("credits")).isEqualTo(new BucketBalance(0, 6, 0));
    }

    @ParameterizedTest(name = "allowance={0} purchased={1} held={2}: debit {3} is refused, {4} available")
    @CsvSource({
            "0, 0,  0, 1,  0",
            "5, 10, 0, 16, 15",
            "5, 10, 6, 10, 9",
            "5, 10, 15, 1, 0",
    })
    void debit_beyondAvailable_isRefused_withBucketRequiredAndAvailable(long allowance, long purchased, long held,
                                                                       long amount, long available) {
        Account before = account(Map.of("credits", new BucketBalance(allowance, purchased, held)));

        assertThatThrownBy(() -> before.debit("credits", amount))
                .isInstanceOfSatisfying(InsufficientTokensException.class, e -> {
                    assertThat(e.bucket()).isEqualTo("credits");
                    assertThat(e.required()).isEqualTo(amount);
                    assertThat(e.available()).isEqualTo(available);
                    assertThat(e.code()).isEqualTo("insufficient_tokens");
                    assertThat(e.getMessage()).contains("credits").contains(String.valueOf(amount)).contains(String.valueOf(available));
                });
    }

    @Test
    void debit_fromABucketTheAccountDoesNotHave_isRefusedAsEmpty() {
        Account before = account(Map.of("credits", new BucketBalance(0, 10, 0)));

        assertThat(before.bucket("weather")).isEqualTo(BucketBalance.EMPTY);
        assertThatThrownBy(() -> before.debit("weather", 1))
                .isInstanceOfSatisfying(InsufficientTokensException.class, e -> assertThat(e.available()).isZero());
    }

    @Test
    void buckets_areACopy_thatCannotBeChanged() {
        Map<String, BucketBalance> buckets = new LinkedHashMap<>(Map.of("credits", new BucketBalance(0, 10, 0)));
        Account account = account(buckets);
        buckets.put("credits", BucketBalance.EMPTY);

        assertThat(account.bucket("credits")).isEqualTo(new BucketBalance(0, 10, 0));
        assertThatThrownBy(() -> account.buckets().put("dol", BucketBalance.EMPTY)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void version_startsAtOne() {
        assertThatThrownBy(() -> new Account(AccountId.of("u"), null, "free", Period.calendarMonthOf(CREATED), Map.of(), CREATED, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Account(AccountId.of("u"), null, "free", Period.calendarMonthOf(CREATED), Map.of(), CREATED, 1).version()).isEqualTo(1);
    }

    @Test
    void withBucket_andWithVersion_changeOnlyWhatTheyName() {
        Account before = account(Map.of("credits", new BucketBalance(0, 10, 0)));

        Account after = before.withBucket("dol", new BucketBalance(1, 2, 0)).withVersion(9);

        assertThat(after.bucket("dol")).isEqualTo(new BucketBalance(1, 2, 0));
        assertThat(after.bucket("credits")).isEqualTo(before.bucket("credits"));
        assertThat(after.version()).isEqualTo(9);
        assertThat(after).usingRecursiveComparison().ignoringFields("buckets", "version").isEqualTo(before);
    }
}
