package com.tokenwallet.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.Lot;
import com.tokenwallet.domain.account.LotSource;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.catalog.CatalogException;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.command.DebitCommand;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.testing.InMemoryWalletStore;
import com.tokenwallet.domain.testing.MutableClock;
import com.tokenwallet.domain.testing.TestCatalogs;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rollover with caps (issue 15) at calendar period ends: the unused allowance up to the plan's caps becomes a
 * {@code rollover} lot, the rest lapses; the lazy path and the quota reset job share the rule and it happens once.
 * Part of the boundary matrix: month lengths, a leap day, caps by tokens and by percent, expiry after n periods.
 */
class RolloverTest {

    private static final AccountId ALICE = AccountId.of("alice");
    /** Solo (dol 3 a month) with dol's unused allowance rolling over: at most 2 tokens, 50 % of 3 (= 1 rounded down). */
    private static final String SOLO = "\"solo\": {\"name\": \"Solo\", \"allowance\": {\"mockup\": 3, \"dol\": 3, \"weather\": 2, \"credits\": 0}}";

    private MutableClock clock;
    private InMemoryWalletStore store;
    private WalletService wallet;
    private int keys;

    private void start(String instant, String rollover) {
        clock = MutableClock.at(instant);
        store = new InMemoryWalletStore(clock);
        Catalog catalog = TestCatalogs.parse(TestCatalogs.defaultTextWith(SOLO, SOLO.substring(0, SOLO.length() - 1) + ", \"rollover\": " + rollover + "}")
                .replace("\"defaultPlan\": \"free\"", "\"defaultPlan\": \"solo\""));
        wallet = new WalletService(store, catalog, clock);
        wallet.open(new CreateAccountCommand(ALICE, Optional.empty()));
    }

    @AfterEach
    void invariantsHold() {
        if (store == null) {
            return;
        }
        assertThat(store.ledgerDisagreements(ALICE)).isEmpty();
        assertThat(store.heldDisagreements(ALICE)).isEmpty();
    }

    private void debit(String bucket, long amount) {
        String key = "k" + (++keys);
        wallet.debit(new DebitCommand(ALICE, new ChargeRequest.ByAmount(bucket, amount, "t"), Metadata.NONE,
                new Idempotency(new IdempotencyKey(key), key)), r -> new StoredResponse(201, "{}"));
    }

    /** The plan_reset entries that moved unused allowance into a rollover lot (their reference is the lot). */
    private List<LedgerEntry> rollovers() {
        return store.entries(ALICE, EntryType.PLAN_RESET).stream()
                .filter(e -> e.reference() != null && e.reference().startsWith("rollover:")).toList();
    }

    private List<Lot> lots(String bucket) {
        return store.account(ALICE).bucket(bucket).lots();
    }

    @ParameterizedTest(name = "{0}: {1} -> rolled {2}, expires {3}")
    @CsvSource(delimiter = '|', value = {
            // opened at | rollover rule of dol | used before the end | rolled | lot expires at (- : never)
            "2026-01-31T23:59:59Z | {\"dol\": {\"maxTokens\": 2}}                     | 0 | 2 | -",
            "2026-02-28T12:00:00Z | {\"dol\": {\"maxTokens\": 2, \"expiresAfterPeriods\": 1}} | 0 | 2 | 2026-04-01T00:00:00Z",
            "2028-02-29T12:00:00Z | {\"dol\": {\"maxTokens\": 5, \"expiresAfterPeriods\": 1}} | 1 | 2 | 2028-04-01T00:00:00Z",
            "2026-04-30T12:00:00Z | {\"dol\": {\"maxPercent\": 50}}                   | 0 | 1 | -",
            "2026-12-31T12:00:00Z | {\"dol\": {\"maxPercent\": 100, \"expiresAfterPeriods\": 2}} | 2 | 1 | 2027-03-01T00:00:00Z",
            "2026-06-30T12:00:00Z | {\"dol\": {\"maxTokens\": 0}}                     | 0 | 0 | -",
            "2026-07-31T12:00:00Z | {\"dol\": {\"maxTokens\": 9}}                     | 3 | 0 | -",
    })
    void theUnusedAllowance_upToTheCaps_rollsOverAtTheMonthsEnd_andTheRestLapses(String opened, String rule, long used, long rolled,
                                                                                  String expires) {
        start(opened.strip(), rule.strip());
        if (used > 0) {
            debit("dol", used);
        }
        Instant monthEnd = store.account(ALICE).period().endsAt();
        clock.set(monthEnd);

        debit("mockup", 1);

        List<Lot> lots = lots("dol");
        if (rolled == 0) {
            assertThat(lots).isEmpty();
            assertThat(rollovers()).isEmpty();
        } else {
            String endedPeriod = java.time.YearMonth.from(Instant.parse(opened.strip()).atOffset(java.time.ZoneOffset.UTC)).toString();
            assertThat(lots).singleElement().satisfies(lot -> {
                assertThat(lot.lotId()).isEqualTo("rollover:dol:" + endedPeriod);
                assertThat(lot.source()).isEqualTo(LotSource.ROLLOVER);
                assertThat(lot.remaining()).isEqualTo(rolled);
                assertThat(lot.expiresAt()).isEqualTo("-".equals(expires.strip()) ? null : Instant.parse(expires.strip()));
            });
            assertThat(rollovers()).singleElement().satisfies(e -> {
                assertThat(e.allowanceDelta()).isEqualTo(-rolled);
                assertThat(e.purchasedDelta()).isEqualTo(rolled);
                assertThat(e.reference()).isEqualTo("rollover:dol:" + endedPeriod);
            });
        }
        assertThat(store.account(ALICE).bucket("dol").allowance()).as("the new month's allowance").isEqualTo(3);
        assertThat(store.account(ALICE).bucket("dol").total()).isEqualTo(3 + rolled);
    }

    @Test
    void theLazyPathAndTheResetJob_shareTheRule_andTheSecondChangesNothing() {
        start("2026-03-10T00:00:00Z", "{\"dol\": {\"maxTokens\": 2}}");
        clock.set(Instant.parse("2026-04-01T00:00:00Z"));
        var seen = store.account(ALICE);

        assertThat(wallet.rollOverIfDue(seen)).isTrue();
        assertThat(wallet.rollOverIfDue(seen)).as("the job again, on the state it saw").isFalse();
        assertThat(wallet.rollOverIfDue(store.account(ALICE))).as("and on the current state").isFalse();
        debit("mockup", 1);

        assertThat(rollovers()).hasSize(1);
        assertThat(lots("dol")).extracting(Lot::lotId, Lot::remaining).containsExactly(tuple("rollover:dol:2026-03", 2L));
    }

    @Test
    void aRolloverLotExpiringAfterOnePeriod_lapsesAtTheNextMonthsEnd_withAnExpiryEntry_whileTheNewAllowanceRollsAgain() {
        start("2026-03-10T00:00:00Z", "{\"dol\": {\"maxTokens\": 2, \"expiresAfterPeriods\": 1}}");
        clock.set(Instant.parse("2026-04-01T00:00:00Z"));
        debit("mockup", 1);
        clock.set(Instant.parse("2026-05-01T00:00:00Z"));

        debit("mockup", 1);

        assertThat(store.entries(ALICE, EntryType.EXPIRY)).extracting(LedgerEntry::reference, LedgerEntry::amount)
                .containsExactly(tuple("rollover:dol:2026-03", -2L));
        assertThat(lots("dol")).extracting(Lot::lotId, Lot::remaining).containsExactly(tuple("rollover:dol:2026-04", 2L));
        assertThat(store.account(ALICE).bucket("dol").total()).isEqualTo(5);
    }

    @Test
    void theRolloverLot_burnsBeforeTheNewAllowance_whenTheyExpireTogether() {
        start("2026-03-10T00:00:00Z", "{\"dol\": {\"maxTokens\": 2, \"expiresAfterPeriods\": 1}}");
        clock.set(Instant.parse("2026-04-02T00:00:00Z"));

        debit("dol", 3);

        assertThat(lots("dol")).isEmpty();
        assertThat(store.account(ALICE).bucket("dol").allowance()).isEqualTo(2);
    }

    @Test
    void aRolloverRuleOutOfRange_isRefusedWhenTheCatalogLoads() {
        String text = TestCatalogs.defaultTextWith(SOLO, SOLO.substring(0, SOLO.length() - 1)
                + ", \"rollover\": {\"dol\": {\"maxPercent\": 101, \"expiresAfterPeriods\": 0, \"extra\": 1}, \"nope\": {}}}");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestCatalogs.parse(text))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("plans.solo.rollover.dol.maxPercent")
                .hasMessageContaining("plans.solo.rollover.dol.expiresAfterPeriods")
                .hasMessageContaining("extra")
                .hasMessageContaining("plans.solo.rollover.nope");
    }
}
