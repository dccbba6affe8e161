package com.tokenwallet.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Period;
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
import com.tokenwallet.domain.ledger.BalanceAfter;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.TransactionIds;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.testing.InMemoryWalletStore;
import com.tokenwallet.domain.testing.MutableClock;
import com.tokenwallet.domain.testing.TestCatalogs;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Balances as of an instant (issue 15): each bucket exactly as the ledger had it then, from the newest entry at or
 * before the instant (one read), entries written before issue 15 summed, and the refusals.
 */
class BalancesAsOfTest {
    private static final AccountId ALICE = AccountId.of("alice");
    private static final String SOLO = "\"solo\": {\"name\": \"Solo\", \"allowance\": {\"mockup\": 3, \"dol\": 3, \"weather\": 2, \"credits\": 0}}";
    private static final Catalog CATALOG = TestCatalogs.parse(TestCatalogs.defaultTextWith(SOLO, SOLO.substring(0, SOLO.length() - 1)
            + ", \"rollover\": {\"dol\": {\"maxTokens\": 2, \"expiresAfterPeriods\": 1}}}")
            .replace("\"defaultPlan\": \"free\"", "\"defaultPlan\": \"solo\""));
    private static final Instant OPENED = Instant.parse("2026-11-20T10:00:00Z");

    private MutableClock clock;
    private InMemoryWalletStore store;
    private WalletService wallet;
    private int keys;

    @BeforeEach
    void openAlice() {
        clock = new MutableClock(OPENED);
        store = new InMemoryWalletStore(clock);
        wallet = new WalletService(store, CATALOG, clock);
        wallet.open(new CreateAccountCommand(ALICE, Optional.empty()));
    }

    @Test
    void eachInstant_answersTheStoredPartsOfThatInstant_forEveryBucket() {
        Map<Instant, Map<String, BalanceAfter>> seen = new LinkedHashMap<>();
        seen.put(clock.instant(), parts(store.account(ALICE)));
        clock.advance(Duration.ofMinutes(1));
        debit("credits", 4);
        seen.put(clock.instant(), parts(store.account(ALICE)));
        clock.advance(Duration.ofMinutes(1));
        String holdId = hold("dol", 2);
        seen.put(clock.instant(), parts(store.account(ALICE)));
        clock.advance(Duration.ofMinutes(1));
        debit("mockup", 3);
        seen.put(clock.instant(), parts(store.account(ALICE)));
        clock.advance(Duration.ofMinutes(1));
        capture(holdId, 1);
        seen.put(clock.instant(), parts(store.account(ALICE)));
        clock.advance(Duration.ofMinutes(1));

        seen.forEach((at, expected) -> {
            assertThat(wallet.balanceAsOf(ALICE, at).buckets()).as("at %s", at).isEqualTo(expected);
            assertThat(wallet.balanceAsOf(ALICE, at.plusSeconds(30)).buckets()).as("between writes, after %s", at).isEqualTo(expected);
        });
        Map<String, BalanceAfter> afterHold = seen.values().stream().toList().get(2);
        assertThat(afterHold.get("dol")).isEqualTo(new BalanceAfter(3, 0, 2));
        assertThat(afterHold.get("credits")).isEqualTo(new BalanceAfter(0, 6, 0));
        assertThat(store.ledgerDisagreements(ALICE)).isEmpty();
    }

    @Test
    void oneRead_ofTheLedgerUpToTheInstant_answersEveryBucket() {
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            debit("credits", 1);
        }
        store.clearCalls();

        Results.BalanceAt at = wallet.balanceAsOf(ALICE, clock.instant());

        assertThat(store.calls()).containsExactly("findAccount", "ledgerAsOf");
        assertThat(at.entriesRead()).isEqualTo(1);
        assertThat(at.buckets()).containsOnlyKeys("credits", "mockup", "dol", "weather");
        assertThat(at.buckets().get("credits")).isEqualTo(new BalanceAfter(0, 5, 0));
        assertThat(at.buckets().get("weather")).isEqualTo(new BalanceAfter(2, 0, 0));
    }

    @Test
    void anAccountWithManyBuckets_oneOfThemHot_isStillAnsweredByOneEntry_forEveryBucket() {
        AccountId many = AccountId.of("many");
        Map<String, BucketBalance> buckets = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            buckets.put("b" + i, new BucketBalance(i, i == 0 ? 5_000 : 100 + i, 0));
        }
        Account opened = new Account(many, null, "solo", Period.calendarMonthOf(clock.instant()), buckets, clock.instant(), 1);
        TransactionIds ids = new TransactionIds(clock);
        List<LedgerEntry> opening = new java.util.ArrayList<>();
        buckets.forEach((name, b) -> opening.add(new LedgerEntry(ids.next(), many, EntryType.GRANT, name, b.total(), b.allowance(),
                b.purchased(), null, null, "opening", null, clock.instant())));
        store.create(opened, BalanceAfter.stamp(opened, opening));
        Account v = opened;
        for (int i = 0; i < 1_500; i++) {
            clock.advance(Duration.ofSeconds(1));
            Account after = v.debit("b0", 1).after();
            store.write(new WalletStore.AccountWrite(v, after, List.of(new LedgerEntry(ids.next(), many, EntryType.DEBIT, "b0", -1, 0, -1,
                    null, null, "hot", null, clock.instant())), Optional.empty()));
            v = after.withVersion(v.version() + 1);
        }
        store.clearCalls();

        Results.BalanceAt at = wallet.balanceAsOf(many, clock.instant().minusSeconds(500));

        assertThat(at.entriesRead()).as("the newest entry records all 30 buckets").isEqualTo(1);
        assertThat(store.calls()).containsExactly("findAccount", "ledgerAsOf");
        assertThat(at.buckets()).hasSize(30);
        assertThat(at.buckets().get("b0")).as("1,000 of the 1,500 debits made by then").isEqualTo(new BalanceAfter(0, 4_000, 0));
        assertThat(at.buckets().get("b29")).as("last written by the opening, 1,500 entries back").isEqualTo(new BalanceAfter(29, 129, 0));
        assertThat(store.ledgerDisagreements(many)).isEmpty();
    }

    @Test
    void theInstant_countsToItsMillisecond() {
        clock.advance(Duration.ofSeconds(10));
        Instant debitAt = clock.instant();
        debit("credits", 4);
        clock.advance(Duration.ofSeconds(10));

        assertThat(wallet.balanceAsOf(ALICE, debitAt).buckets().get("credits").purchased()).isEqualTo(6);
        assertThat(wallet.balanceAsOf(ALICE, debitAt.plusNanos(999_999)).buckets().get("credits").purchased()).isEqualTo(6);
        assertThat(wallet.balanceAsOf(ALICE, debitAt.minusMillis(1)).buckets().get("credits").purchased()).isEqualTo(10);
    }

    @Test
    void aFutureInstant_isRefusedOnAsOf() {
        assertThatThrownBy(() -> wallet.balanceAsOf(ALICE, clock.instant().plusMillis(1)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("asOf"));
        assertThat(wallet.balanceAsOf(ALICE, clock.instant()).buckets().get("credits").purchased()).isEqualTo(10);
    }

    @Test
    void beforeTheAccountWasOpened_orForNoAccount_answersAccountNotFound() {
        assertThatThrownBy(() -> wallet.balanceAsOf(ALICE, OPENED.minusMillis(1)))
                .isInstanceOf(AccountNotFoundException.class).hasMessageContaining("was opened at " + OPENED);
        assertThatThrownBy(() -> wallet.balanceAsOf(AccountId.of("nobody"), OPENED))
                .isInstanceOf(AccountNotFoundException.class);
    }

    @Test
    void entriesWithoutParts_writtenBeforeIssue15_areAddedToTheNewestEntryWithThem() {
        clock.advance(Duration.ofSeconds(1));
        debit("credits", 3);
        clock.advance(Duration.ofSeconds(1));
        // Another writer of a version before issue 15: entries without parts.
        store.grantAsOtherWriter(ALICE, "credits", 20);
        store.debitAsOtherWriter(ALICE, "mockup", 2);
        clock.advance(Duration.ofSeconds(1));

        Map<String, BalanceAfter> at = wallet.balanceAsOf(ALICE, clock.instant()).buckets();

        assertThat(at.get("credits")).isEqualTo(new BalanceAfter(0, 27, 0));
        assertThat(at.get("mockup")).isEqualTo(new BalanceAfter(1, 0, 0));
        assertThat(at).isEqualTo(parts(store.account(ALICE)));
    }

    @Test
    void aLedgerWrittenWholly_beforeIssue15_isSummedFromItsStart_withinTheBound() {
        InMemoryWalletStore legacy = new InMemoryWalletStore(clock);
        WalletService service = new WalletService(legacy, CATALOG, clock);
        TransactionIds ids = new TransactionIds(clock);
        AccountId bob = AccountId.of("bob");
        Account opened = new Account(bob, null, "solo", Period.calendarMonthOf(clock.instant()),
                Map.of("credits", new BucketBalance(0, 10, 0), "dol", new BucketBalance(3, 0, 0)), clock.instant(), 1);
        legacy.create(opened, List.of(
                new LedgerEntry(ids.next(), bob, EntryType.PLAN_RESET, "dol", 3, 3, 0, null, null, "plan solo", null, clock.instant()),
                new LedgerEntry(ids.next(), bob, EntryType.SIGNUP_GRANT, "credits", 10, 0, 10, null, null, "signup", null, clock.instant())));
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofSeconds(1));
            legacy.grantAsOtherWriter(bob, "credits", 1);
        }
        clock.advance(Duration.ofSeconds(1));
        legacy.debitAsOtherWriter(bob, "credits", 25);
        legacy.clearCalls();

        Results.BalanceAt at = service.balanceAsOf(bob, clock.instant());

        assertThat(at.buckets()).containsEntry("credits", new BalanceAfter(0, 15, 0)).containsEntry("dol", new BalanceAfter(3, 0, 0));
        assertThat(at.entriesRead()).isEqualTo(33);
        assertThat(legacy.calls()).containsExactly("findAccount", "ledgerAsOf", "ledgerAsOf");
        // Earlier: the sum up to then.
        assertThat(service.balanceAsOf(bob, OPENED.plusSeconds(10)).buckets()).containsEntry("credits", new BalanceAfter(0, 20, 0))
                .containsEntry("dol", new BalanceAfter(3, 0, 0));
    }

    @Test
    void moreThanTheBound_ofEntriesWithoutParts_isRefused_asOfTooDeep() {
        InMemoryWalletStore legacy = new InMemoryWalletStore(clock);
        WalletService service = new WalletService(legacy, CATALOG, clock);
        AccountId bob = AccountId.of("bob");
        Account opened = new Account(bob, null, "solo", Period.calendarMonthOf(clock.instant()),
                Map.of("credits", new BucketBalance(0, 0, 0)), clock.instant(), 1);
        legacy.create(opened, List.of());
        for (int i = 0; i < BalancesAsOf.MAX_ENTRIES; i++) {
            legacy.grantAsOtherWriter(bob, "credits", 1);
        }
        Instant before = clock.instant();
        assertThat(service.balanceAsOf(bob, before).buckets().get("credits").purchased()).isEqualTo(BalancesAsOf.MAX_ENTRIES);

        legacy.grantAsOtherWriter(bob, "credits", 1);

        assertThatThrownBy(() -> service.balanceAsOf(bob, clock.instant()))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("as_of_too_deep"));
        // One write of this version records the parts: from then on one entry answers again.
        legacy.clearCalls();
        clock.advance(Duration.ofMillis(1));
        Account now = legacy.account(bob);
        legacy.write(new WalletStore.AccountWrite(now, now.withBucket("credits", now.bucket("credits").plusPurchased(1)),
                List.of(new LedgerEntry(new TransactionIds(clock).next(), bob, EntryType.GRANT, "credits", 1, 0, 1, null, null, "grant", null,
                        clock.instant())), Optional.empty()));
        assertThat(service.balanceAsOf(bob, clock.instant()).buckets().get("credits").purchased()).isEqualTo(BalancesAsOf.MAX_ENTRIES + 2);
    }

    @Test
    void acrossAPeriodReset_theAllowanceChangesAtTheResetsEntry() {
        Instant end = store.account(ALICE).period().endsAt();
        clock.set(end.minusSeconds(60));
        debit("dol", 2);
        Map<String, BalanceAfter> beforeEnd = parts(store.account(ALICE));
        clock.set(end.plus(Duration.ofMinutes(30)));
        // Nothing wrote yet: a live read already shows the new period, the ledger still has the old one.
        assertThat(wallet.balance(ALICE).bucket("dol").allowance()).isEqualTo(3);
        Instant resetWrittenAt = end.plus(Duration.ofHours(1));
        clock.set(resetWrittenAt);
        debit("mockup", 1);
        clock.advance(Duration.ofMinutes(1));

        assertThat(wallet.balanceAsOf(ALICE, end.minusSeconds(1)).buckets()).isEqualTo(beforeEnd);
        assertThat(wallet.balanceAsOf(ALICE, end.plus(Duration.ofMinutes(30))).buckets().get("dol"))
                .as("the ledger's state until the reset's entry").isEqualTo(new BalanceAfter(1, 0, 0));
        Map<String, BalanceAfter> afterReset = wallet.balanceAsOf(ALICE, resetWrittenAt).buckets();
        assertThat(afterReset.get("dol")).as("new allowance, and the unused token rolled over").isEqualTo(new BalanceAfter(3, 1, 0));
        assertThat(afterReset.get("mockup")).isEqualTo(new BalanceAfter(2, 0, 0));
        assertThat(afterReset).isEqualTo(parts(store.account(ALICE)));
        assertThat(store.ledgerDisagreements(ALICE)).isEmpty();
    }

    /** Each month end of the boundary matrix (31-, 28-, 29- and 30-day months, a year's end), reset by the job at 00:00. */
    @ParameterizedTest(name = "period ending {0}")
    @MethodSource("com.tokenwallet.domain.service.BoundaryMatrixTest#matrixMonthEnds")
    void acrossAPeriodResetByTheJob_atTheMonthsEnd_theMillisecondBeforeIsTheOldPeriod(String boundary) {
        Instant end = Instant.parse(boundary);
        clock = new MutableClock(end.minus(Duration.ofDays(5)));
        store = new InMemoryWalletStore(clock);
        wallet = new WalletService(store, CATALOG, clock);
        wallet.open(new CreateAccountCommand(ALICE, Optional.empty()));
        clock.set(end.minusSeconds(1));
        debit("dol", 3);
        debit("mockup", 1);
        Map<String, BalanceAfter> lastSecond = parts(store.account(ALICE));
        clock.set(end);
        assertThat(wallet.rollOverIfDue(store.account(ALICE))).isTrue();
        Map<String, BalanceAfter> reset = parts(store.account(ALICE));
        clock.advance(Duration.ofDays(1));

        assertThat(wallet.balanceAsOf(ALICE, end.minusMillis(1)).buckets()).isEqualTo(lastSecond);
        assertThat(wallet.balanceAsOf(ALICE, end).buckets()).isEqualTo(reset);
        assertThat(reset.get("dol")).as("all used: nothing rolls over").isEqualTo(new BalanceAfter(3, 0, 0));
        assertThat(reset.get("mockup")).as("2 unused lapse, no rollover rule").isEqualTo(new BalanceAfter(3, 0, 0));
        assertThat(lastSecond.get("mockup")).isEqualTo(new BalanceAfter(2, 0, 0));
        assertThat(store.ledgerDisagreements(ALICE)).isEmpty();
    }

    @Test
    void acrossALotsExpiry_theTokensLeaveAtTheExpiryEntry() {
        Instant expiresAt = clock.instant().plus(Duration.ofHours(2));
        grant("credits", 5, expiresAt);
        Instant granted = clock.instant();
        clock.set(expiresAt.plusSeconds(30));
        assertThat(wallet.balance(ALICE).bucket("credits").purchased()).as("every read treats it as gone").isEqualTo(10);
        Instant sweptAt = expiresAt.plusSeconds(60);
        clock.set(sweptAt);
        wallet.settleExpiredHolds(ALICE);
        clock.advance(Duration.ofSeconds(1));

        assertThat(wallet.balanceAsOf(ALICE, granted).buckets().get("credits")).isEqualTo(new BalanceAfter(0, 15, 0));
        assertThat(wallet.balanceAsOf(ALICE, expiresAt.minusMillis(1)).buckets().get("credits")).isEqualTo(new BalanceAfter(0, 15, 0));
        assertThat(wallet.balanceAsOf(ALICE, expiresAt.plusSeconds(30)).buckets().get("credits"))
                .as("until the expiry entry the ledger still has them").isEqualTo(new BalanceAfter(0, 15, 0));
        assertThat(wallet.balanceAsOf(ALICE, sweptAt).buckets().get("credits")).isEqualTo(new BalanceAfter(0, 10, 0));
        assertThat(store.entries(ALICE, EntryType.EXPIRY)).singleElement()
                .satisfies(e -> assertThat(e.balanceAfter()).isEqualTo(new BalanceAfter(0, 10, 0)));
        assertThat(store.ledgerDisagreements(ALICE)).isEmpty();
    }

    // ---- steps

    private static Map<String, BalanceAfter> parts(Account account) {
        Map<String, BalanceAfter> out = new LinkedHashMap<>();
        account.buckets().forEach((name, b) -> out.put(name, BalanceAfter.of(b)));
        return out;
    }

    private Idempotency key() {
        String key = "k" + (++keys);
        return new Idempotency(new IdempotencyKey(key), key);
    }

    private void debit(String bucket, long amount) {
        wallet.debit(new DebitCommand(ALICE, new ChargeRequest.ByAmount(bucket, amount, "t"), Metadata.NONE, key()),
                r -> new StoredResponse(201, "{}"));
    }

    private String hold(String bucket, long amount) {
        wallet.hold(new HoldCommands.Hold(ALICE, new ChargeRequest.ByAmount(bucket, amount, "h"), 3_600, Metadata.NONE, key()),
                r -> new StoredResponse(201, "{}"));
        return store.account(ALICE).holds().keySet().iterator().next();
    }

    private void capture(String holdId, long amount) {
        wallet.capture(new HoldCommands.Capture(ALICE, holdId, OptionalLong.of(amount), key()), r -> new StoredResponse(200, "{}"));
    }

    private void grant(String bucket, long amount, Instant expiresAt) {
        wallet.grant(new AdminCommands.Grant(ALICE, bucket, amount, "promo", "admin-1", Optional.of(key()),
                new AdminCommands.LotTerms(Optional.of(expiresAt), Optional.empty(), Optional.empty())), r -> new StoredResponse(201, "{}"));
    }
}
