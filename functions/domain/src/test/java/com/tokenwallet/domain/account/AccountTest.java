package com.tokenwallet.domain.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.InsufficientTokensException;
import com.tokenwallet.domain.Limits;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Account debits (allowance first, then purchased, and a clear refusal when the bucket cannot pay) and holds
 * (reserve, release, capture, expiry), with the rule that each bucket's {@code held} is the sum of its pending holds.
 */
class AccountTest {

    private static final Instant CREATED = Instant.parse("2026-11-03T08:00:00Z");
    private static final Instant LATER = CREATED.plusSeconds(900);

    /** An account with these buckets; a bucket's {@code held} is backed by one pending hold, as it must be. */
    private static Account account(Map<String, BucketBalance> buckets) {
        Map<String, PendingHold> holds = new LinkedHashMap<>();
        buckets.forEach((name, b) -> {
            if (b.held() > 0) {
                holds.put("hold-" + name, new PendingHold("hold-" + name, name, b.held(), LATER));
            }
        });
        return new Account(AccountId.of("user-1"), "a@example.com", "solo", Period.calendarMonthOf(CREATED), buckets, holds, CREATED, 4);
    }

    private static PendingHold pending(String holdId, String bucket, long amount, Instant expiresAt) {
        return new PendingHold(holdId, bucket, amount, expiresAt);
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

    // ---- the held invariant

    @Test
    void constructor_refusesHeldTokensThatNoPendingHoldAccountsFor() {
        assertThatThrownBy(() -> new Account(AccountId.of("u"), null, "free", Period.calendarMonthOf(CREATED),
                Map.of("credits", new BucketBalance(0, 10, 3)), Map.of(), CREATED, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("credits");
        assertThatThrownBy(() -> new Account(AccountId.of("u"), null, "free", Period.calendarMonthOf(CREATED),
                Map.of("credits", new BucketBalance(0, 10, 3)), Map.of("h1", pending("h1", "credits", 2, LATER)), CREATED, 1))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new Account(AccountId.of("u"), null, "free", Period.calendarMonthOf(CREATED),
                Map.of("credits", new BucketBalance(0, 10, 0)), Map.of("h1", pending("h1", "credits", 2, LATER)), CREATED, 1))
                .as("a pending hold the bucket does not count").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new Account(AccountId.of("u"), null, "free", Period.calendarMonthOf(CREATED),
                Map.of("credits", new BucketBalance(0, 10, 0)), Map.of("h1", pending("h1", "gems", 2, LATER)), CREATED, 1))
                .as("a pending hold on a bucket the account lacks").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void constructor_acceptsHeldAsTheSumOfSeveralPendingHolds() {
        Account account = new Account(AccountId.of("u"), null, "free", Period.calendarMonthOf(CREATED),
                Map.of("credits", new BucketBalance(0, 10, 5), "mockup", new BucketBalance(3, 0, 1)),
                Map.of("h1", pending("h1", "credits", 2, LATER), "h2", pending("h2", "credits", 3, LATER),
                        "h3", pending("h3", "mockup", 1, LATER)), CREATED, 1);

        assertThat(account.holds()).containsOnlyKeys("h1", "h2", "h3");
        assertThat(account.bucket("credits").available()).isEqualTo(5);
        assertThatThrownBy(() -> account.holds().put("h4", pending("h4", "credits", 1, LATER))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void pendingHold_holdsAtLeastOneToken_andExpiresAtItsExpiryInstant() {
        assertThatThrownBy(() -> pending("h", "credits", 0, LATER)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pending("h", "credits", -1, LATER)).isInstanceOf(IllegalArgumentException.class);
        PendingHold hold = pending("h", "credits", 1, LATER);
        assertThat(hold.expiredAt(LATER.minusMillis(1))).isFalse();
        assertThat(hold.expiredAt(LATER)).as("expired at expiresAt exactly").isTrue();
        assertThat(hold.expiredAt(LATER.plusSeconds(1))).isTrue();
    }

    // ---- hold

    @Test
    void hold_reservesTokens_whichAreThenUnavailable_butMovesNoneOfThem() {
        Account before = account(Map.of("credits", new BucketBalance(2, 8, 0)));

        Account after = before.hold(pending("h1", "credits", 7, LATER));

        assertThat(after.bucket("credits")).isEqualTo(new BucketBalance(2, 8, 7));
        assertThat(after.bucket("credits").available()).isEqualTo(3);
        assertThat(after.holds()).containsOnlyKeys("h1");
        assertThat(after.version()).as("the store sets the next version").isEqualTo(before.version());
        assertThat(before.holds()).as("accounts are values").isEmpty();
        assertThatThrownBy(() -> after.debit("credits", 4)).isInstanceOfSatisfying(InsufficientTokensException.class,
                e -> assertThat(e.available()).isEqualTo(3));
        assertThat(after.debit("credits", 3).split()).isEqualTo(new Split(2, 1));
    }

    @ParameterizedTest(name = "allowance={0} purchased={1} held={2}: hold {3} is refused, {4} available")
    @CsvSource({
            "0, 0,  0, 1,  0",
            "0, 10, 0, 11, 10",
            "3, 10, 6, 8,  7",
            "3, 10, 13, 1, 0",
    })
    void hold_beyondAvailable_isRefused_withBucketRequiredAndAvailable(long allowance, long purchased, long held, long amount, long available) {
        Account before = account(Map.of("credits", new BucketBalance(allowance, purchased, held)));

        assertThatThrownBy(() -> before.hold(pending("h-new", "credits", amount, LATER)))
                .isInstanceOfSatisfying(InsufficientTokensException.class, e -> {
                    assertThat(e.bucket()).isEqualTo("credits");
                    assertThat(e.required()).isEqualTo(amount);
                    assertThat(e.available()).isEqualTo(available);
                });
    }

    @Test
    void hold_onABucketTheAccountLacks_isRefusedAsEmpty() {
        Account before = account(Map.of("credits", new BucketBalance(0, 10, 0)));

        assertThatThrownBy(() -> before.hold(pending("h", "weather", 1, LATER)))
                .isInstanceOfSatisfying(InsufficientTokensException.class, e -> assertThat(e.available()).isZero());
    }

    @Test
    void hold_beyondTheMostPendingHolds_isRefusedAsTooManyHolds_evenWhenAffordable() {
        Account account = account(Map.of("credits", new BucketBalance(0, 100, 0)));
        for (int i = 0; i < Limits.MAX_PENDING_HOLDS; i++) {
            account = account.hold(pending("h" + i, "credits", 1, LATER));
        }
        Account full = account;
        assertThat(full.holds()).hasSize(Limits.MAX_PENDING_HOLDS);
        assertThat(full.bucket("credits")).isEqualTo(new BucketBalance(0, 100, Limits.MAX_PENDING_HOLDS));

        assertThatThrownBy(() -> full.hold(pending("one-more", "credits", 1, LATER)))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("too_many_holds"));
        // One released, one more fits.
        assertThat(full.release("h0").hold(pending("one-more", "credits", 1, LATER)).holds()).hasSize(Limits.MAX_PENDING_HOLDS);
    }

    // ---- release

    @Test
    void release_makesTheTokensAvailableAgain_andLeavesOtherHoldsAlone() {
        Account held = account(Map.of("credits", new BucketBalance(2, 8, 0)))
                .hold(pending("h1", "credits", 4, LATER))
                .hold(pending("h2", "credits", 3, LATER));

        Account after = held.release("h1");

        assertThat(after.bucket("credits")).isEqualTo(new BucketBalance(2, 8, 3));
        assertThat(after.holds()).containsOnlyKeys("h2");
        assertThat(after.release("h2").bucket("credits")).isEqualTo(new BucketBalance(2, 8, 0));
    }

    @Test
    void release_ofAHoldThatIsNotPending_isAProgrammingError() {
        Account account = account(Map.of("credits", new BucketBalance(0, 10, 0)));

        assertThatThrownBy(() -> account.release("nope")).isInstanceOf(IllegalStateException.class);
    }

    // ---- capture

    @ParameterizedTest(name = "allowance={0} purchased={1}, hold {2}, capture {3}: left {4}/{5}, split {6}/{7}")
    @CsvSource({
            "3, 10, 5, 5,  0, 8,  3, 2",
            "3, 10, 5, 4,  0, 9,  3, 1",
            "3, 10, 5, 2,  1, 10, 2, 0",
            "3, 10, 5, 0,  3, 10, 0, 0",
            "0, 10, 10, 10, 0, 0, 0, 10",
    })
    void capture_takesPartOfTheHold_allowanceFirst_andReleasesTheRest(long allowance, long purchased, long hold, long capture,
                                                                      long allowanceLeft, long purchasedLeft, long fromAllowance, long fromPurchased) {
        Account held = account(Map.of("credits", new BucketBalance(allowance, purchased, 0))).hold(pending("h1", "credits", hold, LATER));

        Account.Debit captured = held.capture("h1", capture);

        assertThat(captured.split()).isEqualTo(new Split(fromAllowance, fromPurchased));
        assertThat(captured.after().bucket("credits")).isEqualTo(new BucketBalance(allowanceLeft, purchasedLeft, 0));
        assertThat(captured.after().holds()).isEmpty();
    }

    @Test
    void capture_keepsTheOtherHoldsOfTheBucketHeld() {
        Account held = account(Map.of("credits", new BucketBalance(0, 10, 0)))
                .hold(pending("h1", "credits", 4, LATER))
                .hold(pending("h2", "credits", 6, LATER));

        Account.Debit captured = held.capture("h1", 4);

        assertThat(captured.after().bucket("credits")).isEqualTo(new BucketBalance(0, 6, 6));
        assertThat(captured.after().bucket("credits").available()).isZero();
        assertThat(captured.after().holds()).containsOnlyKeys("h2");
    }

    @Test
    void capture_ofMoreThanHeld_orNegative_orOfNoPendingHold_isAProgrammingError() {
        Account held = account(Map.of("credits", new BucketBalance(0, 10, 0))).hold(pending("h1", "credits", 4, LATER));

        assertThatThrownBy(() -> held.capture("h1", 5)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> held.capture("h1", -1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> held.capture("h2", 1)).isInstanceOf(IllegalStateException.class);
    }

    // ---- settle (expiry)

    @Test
    void settle_releasesEveryHoldPastItsExpiry_andReportsThem_keepingTheOthers() {
        Account held = account(Map.of("credits", new BucketBalance(0, 10, 0), "mockup", new BucketBalance(3, 0, 0)))
                .hold(pending("early", "credits", 2, CREATED.plusSeconds(60)))
                .hold(pending("exact", "mockup", 1, CREATED.plusSeconds(120)))
                .hold(pending("late", "credits", 5, CREATED.plusSeconds(121)));

        Account.Settled settled = held.settle(CREATED.plusSeconds(120));

        assertThat(settled.expired()).extracting(PendingHold::holdId).containsExactlyInAnyOrder("early", "exact");
        assertThat(settled.account().holds()).containsOnlyKeys("late");
        assertThat(settled.account().bucket("credits")).isEqualTo(new BucketBalance(0, 10, 5));
        assertThat(settled.account().bucket("mockup")).isEqualTo(new BucketBalance(3, 0, 0));
    }

    @Test
    void settle_beforeAnyExpiry_changesNothing() {
        Account held = account(Map.of("credits", new BucketBalance(0, 10, 0))).hold(pending("h1", "credits", 2, LATER));

        Account.Settled settled = held.settle(LATER.minusMillis(1));

        assertThat(settled.expired()).isEqualTo(List.of());
        assertThat(settled.account()).isEqualTo(held);
    }
}
