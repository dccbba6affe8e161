package com.tokenwallet.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.testing.InMemoryWalletStore;
import com.tokenwallet.domain.testing.MutableClock;
import com.tokenwallet.domain.testing.TestCatalogs;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Changing an account's plan, with or without replacing the allowance at once (issue 6, item 4). */
class PlanChangeTest {

    private static final AccountId ALICE = AccountId.of("alice");
    private final MutableClock clock = MutableClock.at("2026-11-10T10:00:00Z");
    private final InMemoryWalletStore store = new InMemoryWalletStore(clock);
    private final WalletService service = new WalletService(store, TestCatalogs.defaultCatalog(), clock);

    @Test
    void replacingTheAllowanceNowWritesPlanResetEntriesAndTheLedgerStillSums() {
        service.open(new CreateAccountCommand(ALICE, Optional.empty()));

        var after = service.changePlan(ALICE, "business", true);

        assertThat(after.plan()).isEqualTo("business");
        assertThat(after.bucket("mockup")).isEqualTo(new BucketBalance(10, 0, 0));
        assertThat(after.bucket("credits")).isEqualTo(new BucketBalance(0, 10, 0));
        assertThat(store.entries(ALICE, EntryType.PLAN_RESET)).extracting(LedgerEntry::bucket).containsExactlyInAnyOrder("mockup", "dol", "weather");
        for (String bucket : new String[]{"mockup", "dol", "weather", "credits"}) {
            long sum = store.entries(ALICE).stream().filter(e -> e.bucket().equals(bucket)).mapToLong(LedgerEntry::amount).sum();
            assertThat(sum).as(bucket).isEqualTo(store.account(ALICE).bucket(bucket).total());
        }
    }

    @Test
    void withoutReplacementTheNewAllowanceWaitsForTheNextPeriod() {
        service.open(new CreateAccountCommand(ALICE, Optional.empty()));
        service.changePlan(ALICE, "solo", false);
        assertThat(store.account(ALICE).plan()).isEqualTo("solo");
        assertThat(store.account(ALICE).bucket("mockup").allowance()).isZero();

        clock.set(java.time.Instant.parse("2026-12-01T00:00:01Z"));
        assertThat(service.balance(ALICE).bucket("mockup").allowance()).isEqualTo(3);
    }

    @Test
    void unknownPlansAndAccountsAreRefusedAndNothingIsWritten() {
        service.open(new CreateAccountCommand(ALICE, Optional.empty()));
        var before = store.account(ALICE);
        assertThatThrownBy(() -> service.changePlan(ALICE, "platinum", true)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> service.changePlan(AccountId.of("bob"), "solo", true)).isInstanceOf(AccountNotFoundException.class);
        assertThat(store.account(ALICE)).isEqualTo(before);
    }

    @Test
    void anAccountCreatedOnTheLastInstantOfAMonthRollsOverAtTheFirstDebitOfTheNext() {
        WalletService solo = new WalletService(store, TestCatalogs.soloByDefault(), clock);
        clock.set(java.time.Instant.parse("2026-12-31T23:59:59.999Z"));
        var opened = solo.open(new CreateAccountCommand(ALICE, Optional.empty())).account();
        assertThat(opened.period().id()).isEqualTo("2026-12");

        clock.set(java.time.Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(solo.rollOverIfDue(store.account(ALICE))).isTrue();
        assertThat(solo.rollOverIfDue(store.account(ALICE))).as("once per period").isFalse();
        assertThat(store.account(ALICE).period().id()).isEqualTo("2027-01");
        assertThat(store.account(ALICE).bucket("mockup")).isEqualTo(new BucketBalance(3, 0, 0));
    }
}
